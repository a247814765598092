package io.collemu.topology.model;

/**
 * The parameters of one switch: radix (ports), port-to-port latency in picoseconds, buffer bytes per ingress
 * port (for credit-based lossless flow control).
 *
 * <p>Defaults, all assumed: a packet switch forwards port to port in {@value #PACKET_LATENCY_PS} ps (300 ns;
 * Tomahawk Ultra is quoted at 250 ns [P], other ASICs are unpublished, 250-600 ns assumed) with 1 MiB of buffer
 * per ingress port; an NVSwitch hop takes {@value #NVSWITCH_LATENCY_PS} ps (100 ns) with 256 KiB per ingress
 * port (NVIDIA publishes neither). Immutable; thread-safe.
 */
public record SwitchParams(int radix, long latencyPs, long bufferBytes) {
    /** Packet-switch port-to-port latency, assumed: 300 ns. */
    public static final long PACKET_LATENCY_PS = 300_000L;
    /** Packet-switch buffer per ingress port, assumed: 1 MiB. */
    public static final long PACKET_BUFFER_BYTES = 1L << 20;
    /** NVSwitch hop latency, assumed: 100 ns. */
    public static final long NVSWITCH_LATENCY_PS = 100_000L;
    /** NVSwitch buffer per ingress port, assumed: 256 KiB. */
    public static final long NVSWITCH_BUFFER_BYTES = 256L << 10;
    /** Longest port-to-port latency: 1 s (real switches take hundreds of nanoseconds). */
    public static final long MAX_LATENCY_PS = 1_000_000_000_000L;

    public SwitchParams {
        if (radix < 1) {
            throw new TopologyException("switch radix must be at least 1, got " + radix, "radix");
        }
        if (latencyPs < 0 || latencyPs > MAX_LATENCY_PS) {
            throw new TopologyException("switch latency must be in 0..1 s, got " + latencyPs + " ps",
                    "switch-latency-ns");
        }
        if (bufferBytes < 1) {
            throw new TopologyException("switch buffer must be at least 1 byte, got " + bufferBytes, "buffer-bytes");
        }
    }

    /** A packet switch (leaf, spine, core) of this radix with the default latency and buffer. */
    public static SwitchParams packet(int radix) {
        return new SwitchParams(radix, PACKET_LATENCY_PS, PACKET_BUFFER_BYTES);
    }

    /** An NVSwitch domain of this radix with the default hop latency and buffer. */
    public static SwitchParams nvswitch(int radix) {
        return new SwitchParams(radix, NVSWITCH_LATENCY_PS, NVSWITCH_BUFFER_BYTES);
    }

    public SwitchParams withRadix(int v) {
        return new SwitchParams(v, latencyPs, bufferBytes);
    }

    public SwitchParams withLatencyPs(long v) {
        return new SwitchParams(radix, v, bufferBytes);
    }

    public SwitchParams withBufferBytes(long v) {
        return new SwitchParams(radix, latencyPs, v);
    }
}
