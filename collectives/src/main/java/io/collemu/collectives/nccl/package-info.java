/**
 * NCCL's own tuning model, as NVIDIA/nccl v2.30.7-1 (commit 73cf112295c3) implements it, for collemu's
 * {@code nccl} fidelity mode: which (algorithm, protocol, channels, threads) NCCL runs for a collective and
 * what time it predicts. Spec: the team's nccl-model notes; every table and rule cites the NCCL file and
 * lines it copies.
 *
 * <pre>
 *   NcclMachine --NcclSystem.derive (simplified ncclTopoCompute)--> NcclSystem (graphs, channel counts)
 *                                                                       |
 *                                            new NcclTuner(system) (ncclTopoTuneModel)
 *                                                                       |
 *         tuner.choose(NcclFunction, nBytes) --> NcclChoice(algorithm, protocol, channels, threads, us, table)
 *         NcclTuningTable.format(...)        --> "# " lines like NCCL_DEBUG=TUNING
 * </pre>
 *
 * <p>{@link io.collemu.collectives.nccl.NcclSystem} can also be written down directly (the graphs NCCL prints
 * with NCCL_DEBUG_SUBSYS=GRAPH). {@link io.collemu.collectives.nccl.NcclSystem#derive} rebuilds them from a
 * plain {@link io.collemu.collectives.nccl.NcclMachine}: NCCL's search loop (speed lists, odometer of
 * options, channel duplication, second pass) is kept, its depth-first channel search is replaced by a greedy
 * one over a reduced topology of GPUs, PCIe switches, NICs and an NVSwitch (see
 * {@code GraphSearch} and {@code SearchTopology}).
 *
 * <p>All-to-all and send/recv are not in the model (NCCL runs them point to point);
 * {@link io.collemu.collectives.nccl.NcclTuner#p2pChannelsPerPeer()} gives their channels per peer.
 *
 *
 * <p>The schedules it runs: the entry point is {@link io.collemu.collectives.nccl.NcclSchedules#of}, which takes a
 * {@link io.collemu.collectives.nccl.NcclLayout} (server and rail of every rank) besides the request.
 *
 * <pre>
 *   CollectiveRequest + NcclLayout --NcclSchedules.of--> Schedule (same contract as algo.Schedules)
 *        ring (AR/RS/AG)      : NcclRingSchedule  C channels, each a RingOrder of search channel c mod S
 *        ring (bcast/reduce)  : RingChain         a pipelined chain per channel along its RingOrder
 *        tree (AR)            : NcclTree          double binary tree over servers + chain inside each
 *        pxn  (all-to-all)    : PxnAllToAll       direct or relayed through the GPU on the peer's rail
 *        pxn  (send-recv)     : PxnSendRecv       the same relay rule, pair by pair
 *        nvls (AR, 1 node)    : NvlsAllReduce     (NcclSchedules.nvls) switch reduce and multicast
 *        nvlstree (AR)        : NvlsTreeAllReduce (NcclSchedules.nvlsTree) NVLS per server, tree of heads
 * </pre>
 *
 * <p>Rings, NVLS and the all-to-all are arithmetic (O(C) per rank view, O(n) shared layout tables); chains, trees,
 * NVLSTree and send/recv emit their ops per rank (a few per channel; per piece for NVLSTree, per pair for send/recv). Plain Java, no clock, no
 * threads; everything is immutable.
 */
package io.collemu.collectives.nccl;
