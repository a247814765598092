package io.collemu.node.run;

import java.util.Locale;

/**
 * How faithful to NCCL a run is: {@link Mode#NCCL} (the default) runs what NCCL would run on that fabric, with
 * its protocols, latencies and per-channel limits, over links that pay their framing; {@link Mode#IDEAL} is the
 * alpha-beta machine the analytical tests use (today's model: no overhead, no software latency).
 *
 * @param protocol   {@code auto} (NCCL's choice per size) or LL, LL128, Simple (nccl mode)
 * @param gpu        the GPU preset (h100, b200), or null to take it from the fabric's scale-up link
 * @param gpuReduce  whether reductions cost HBM time (nccl mode, unless {@code --reduce-gbps} is given)
 */
public record Fidelity(Mode mode, String protocol, String gpu, boolean gpuReduce) {
    /** The ideal machine. */
    public static final Fidelity IDEAL = new Fidelity(Mode.IDEAL, "auto", null, false);
    /** NCCL's choices throughout. */
    public static final Fidelity NCCL = new Fidelity(Mode.NCCL, "auto", null, true);

    /** The two modes. */
    public enum Mode {
        NCCL, IDEAL;

        /** The name the command line uses. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode named {@code s}. */
        public static Mode fromName(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** @throws IllegalArgumentException naming the flag for a protocol that is not auto, LL, LL128 or Simple */
    public Fidelity {
        if (!protocol.equalsIgnoreCase("auto") && !protocol.equalsIgnoreCase("ll")
                && !protocol.equalsIgnoreCase("ll128") && !protocol.equalsIgnoreCase("simple")) {
            throw new IllegalArgumentException("--protocol: '" + protocol + "' is not auto, LL, LL128 or Simple");
        }
        if (mode == Mode.IDEAL && !protocol.equalsIgnoreCase("auto")) {
            throw new IllegalArgumentException("--protocol " + protocol + " needs --fidelity nccl");
        }
    }

    /** Whether this is the nccl mode. */
    public boolean nccl() {
        return mode == Mode.NCCL;
    }
}
