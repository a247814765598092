package io.collemu.node.actor;

/**
 * Marks a message that may travel between cluster members: it is serialized by Kryo with its class registered
 * (never by Java serialization). Keep such messages to primitives, arrays, strings and records of them.
 */
public interface ClusterMessage {
}
