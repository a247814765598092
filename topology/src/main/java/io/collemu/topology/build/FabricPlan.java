package io.collemu.topology.build;

import io.collemu.topology.model.FabricCost;
import io.collemu.topology.model.Topology;
import java.util.List;

/**
 * A validated builder invocation: what the fabric will cost, known before anything is allocated, and how to
 * build it once that cost is accepted. Immutable; {@link #build} may be called from any thread.
 */
interface FabricPlan {
    /** Nodes, cables, largest radix and routing tables of the fabric, from overflow-checked arithmetic. */
    FabricCost cost();

    /** The parameters that size the fabric, named when it is too big; the first is the error's field. */
    List<String> sizeParameters();

    /** Builds the fabric; {@code spec} is recorded as {@link Topology#spec()}. */
    Topology build(String spec);
}
