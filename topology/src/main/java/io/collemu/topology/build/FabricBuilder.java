package io.collemu.topology.build;

import io.collemu.topology.model.Topology;
import java.util.List;

/**
 * One family of fabrics addressable by a spec string {@code name:k=v,...}. Implementations are stateless and
 * thread-safe; {@link #build} validates every parameter and throws a one-line
 * {@link io.collemu.topology.model.TopologyException} naming the parameter on bad input.
 */
interface FabricBuilder {
    /** The builder name used in spec strings and in YAML {@code builder:}. */
    String name();

    /** The parameters it accepts. */
    List<String> parameters();

    /** One usage line: name, parameters, defaults. */
    String usage();

    /** Builds the fabric; {@code spec} is recorded as {@link Topology#spec()}. */
    Topology build(BuildParams params, String spec);
}
