package io.collemu.topology.model;

/** What a node of the fabric is: a GPU (an endpoint, never transited) or a switch. */
public enum NodeKind {
    GPU,
    SWITCH
}
