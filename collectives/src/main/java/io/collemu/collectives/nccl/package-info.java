/**
 * The schedules NCCL (NVIDIA/nccl v2.30.7-1) runs on multi-GPU servers, for collemu's {@code nccl} fidelity
 * mode; the entry point is {@link io.collemu.collectives.nccl.NcclSchedules#of}, which takes a
 * {@link io.collemu.collectives.nccl.NcclLayout} (server and rail of every rank) besides the request.
 *
 * <pre>
 *   CollectiveRequest + NcclLayout --NcclSchedules.of--> Schedule (same contract as algo.Schedules)
 *        ring (AR/RS/AG)      : NcclRingSchedule  C channels, each a RingOrder of search channel c mod S
 *        ring (bcast/reduce)  : RingChain         a pipelined chain per channel along its RingOrder
 *        tree (AR)            : NcclTree          double binary tree over servers + chain inside each
 *        pxn  (all-to-all)    : PxnAllToAll       direct or relayed through the GPU on the peer's rail
 * </pre>
 *
 * <p>Rings and the all-to-all are arithmetic (O(C) per rank view, O(n) shared layout tables); chains and
 * trees emit a few ops per channel per rank. Plain Java, no clock, no threads; everything is immutable.
 */
package io.collemu.collectives.nccl;
