/**
 * The algorithm implementations behind {@link io.collemu.collectives.algo.Schedules#of}: arithmetic
 * schedules for rings (plain and hierarchical) and all-to-all, whose ranks cost O(1) memory at any n, and
 * materialised schedules for algorithms with few ops per rank (trees, halving-doubling, chains, send-recv).
 * Callers outside this module should use the {@code io.collemu.collectives} interfaces only.
 */
package io.collemu.collectives.algo;
