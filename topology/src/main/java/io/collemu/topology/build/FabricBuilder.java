package io.collemu.topology.build;

import java.util.List;

/**
 * One family of fabrics addressable by a spec string {@code name:k=v,...}. Implementations are stateless and
 * thread-safe; {@link #plan} validates every parameter and throws a one-line
 * {@link io.collemu.topology.model.TopologyException} naming the parameter on bad input.
 */
interface FabricBuilder {
    /** The builder name used in spec strings and in YAML {@code builder:}. */
    String name();

    /** The parameters it accepts. */
    List<String> parameters();

    /** One usage line: name, parameters, defaults. */
    String usage();

    /**
     * Validates the parameters and sizes the fabric, allocating nothing in proportion to it, so that its
     * {@link FabricPlan#cost()} can be checked before {@link FabricPlan#build} allocates.
     */
    FabricPlan plan(BuildParams params);
}
