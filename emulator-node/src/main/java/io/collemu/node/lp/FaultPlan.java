package io.collemu.node.lp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The faults of one run, fixed before it starts and shared read-only by every LP (so every engine, thread and
 * member sees the same): when each link direction (egress port) is down, the packet loss of each link end from its
 * pre-FEC bit error ratio, how long the fabric takes to learn of a change, and the transport's timers. Times are
 * relative to the start of each job (a sweep step, a profile), so every step of a sweep and every link model of a
 * {@code compare} meets the same faults at the same offsets from its start.
 *
 * <p><b>Knowledge.</b> A switch learns that one of its own links went down (or came back) {@link #localLagPs} after
 * the change: loss of signal detected, then the dead next hop pruned from its ECMP groups in hardware. Every other
 * switch learns it {@link #globalLagPs} after: detection plus the routing protocol's reconvergence (a BGP withdrawal
 * reaching switches two or three tiers away, RFC 7938). What a node knows is therefore the truth delayed; between
 * two {@linkplain #epoch epochs} (the instants where some node's knowledge changes) every node's view is constant,
 * so routes computed in one epoch stay valid in it.
 *
 * <p><b>Transport.</b> A lost segment is recovered by the sender's go-back-N (InfiniBand RC; RoCEv2 inherits it):
 * from a NAK when the receiver sees a later segment of the same message, else after the local ACK timeout
 * {@code 4.096 us x 2^NCCL_IB_TIMEOUT} ({@code env.rst}, IBA vol 1 12.7.34), {@code NCCL_IB_TIMEOUT} 20 and
 * {@code NCCL_IB_RETRY_CNT} 7 by default ({@code src/transport/net_ib/connect.cc:15-16}, NCCL v2.30.7-1); when
 * the retries run out the QP errors out and the collective fails.
 *
 * <p>Immutable; thread-safe.
 */
public final class FaultPlan {
    /** No faults at all: the model behaves exactly as without fault support. */
    public static final FaultPlan NONE = new Builder(0).build();
    /** Bytes of payload per emulated network packet (the IB path MTU NCCL uses). */
    public static final int PACKET_BYTES = 4096;
    /** RS(544,514) "KP4": 10-bit symbols, 544 per codeword, corrects 15 (IEEE 802.3 clause 119). */
    public static final int FEC_SYMBOLS = 544;
    public static final int FEC_CORRECTABLE = 15;
    public static final int FEC_DATA_BITS = 5140;

    private final int ports;
    /** Per port (CSR): its down intervals [from, until), sorted, disjoint. Null when no link is ever down. */
    private final int[] start;
    private final long[] from;
    private final long[] until;
    /** Per port: log(1 - P(a packet is lost)); null when no link has a bit error ratio. */
    private final double[] log1mPacketLoss;
    private final double[] packetLoss;
    private final long localLagPs;
    private final long globalLagPs;
    private final long ackTimeoutPs;
    private final int retryCount;
    private final long seed;
    /** The instants where some node's knowledge changes, sorted, distinct. */
    private final long[] changes;
    /** Per epoch (changes.length + 1 of them): whether no node believes any link down during it. */
    private final boolean[] clean;
    private final List<Event> events;

    /** One scheduled change of the plan, for the run's fault log. */
    public record Event(long timePs, String kind, int port, String detail) {
    }

    private FaultPlan(Builder b) {
        this.ports = b.ports;
        this.localLagPs = b.localLagPs;
        this.globalLagPs = b.globalLagPs;
        this.ackTimeoutPs = b.ackTimeoutPs;
        this.retryCount = b.retryCount;
        this.seed = b.seed;
        this.events = List.copyOf(b.events);
        boolean anyDown = false;
        for (List<long[]> l : b.down) {
            anyDown |= l != null && !l.isEmpty();
        }
        if (anyDown) {
            start = new int[ports + 1];
            List<long[]> merged = new ArrayList<>();
            for (int p = 0; p < ports; p++) {
                start[p] = merged.size();
                List<long[]> l = b.down[p];
                if (l == null) {
                    continue;
                }
                l.sort((x, y) -> Long.compare(x[0], y[0]));
                long[] cur = null;
                for (long[] iv : l) {
                    if (cur != null && iv[0] <= cur[1]) {
                        cur[1] = Math.max(cur[1], iv[1]);
                    } else {
                        cur = iv.clone();
                        merged.add(cur);
                    }
                }
            }
            start[ports] = merged.size();
            from = new long[merged.size()];
            until = new long[merged.size()];
            for (int i = 0; i < from.length; i++) {
                from[i] = merged.get(i)[0];
                until[i] = merged.get(i)[1];
            }
        } else {
            start = null;
            from = new long[0];
            until = new long[0];
        }
        boolean anyLoss = false;
        for (double v : b.loss) {
            anyLoss |= v > 0;
        }
        this.packetLoss = anyLoss ? b.loss.clone() : null;
        this.log1mPacketLoss = anyLoss ? new double[ports] : null;
        if (anyLoss) {
            for (int p = 0; p < ports; p++) {
                log1mPacketLoss[p] = Math.log1p(-Math.min(packetLoss[p], 1 - 1e-16));
            }
        }
        long[] c = new long[from.length * 4];
        for (int i = 0; i < from.length; i++) {
            c[4 * i] = sat(from[i], localLagPs);
            c[4 * i + 1] = sat(until[i], localLagPs);
            c[4 * i + 2] = sat(from[i], globalLagPs);
            c[4 * i + 3] = sat(until[i], globalLagPs);
        }
        Arrays.sort(c);
        this.changes = Arrays.stream(c).distinct().toArray();
        this.clean = new boolean[changes.length + 1];
        for (int e = 0; e <= changes.length; e++) {
            long t = e == 0 ? Long.MIN_VALUE / 2 : changes[e - 1];
            boolean any = false;
            for (int i = 0; i < from.length && !any; i++) {
                any = within(t - localLagPs, from[i], until[i]) || within(t - globalLagPs, from[i], until[i]);
            }
            clean[e] = !any;
        }
    }

    private static long sat(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static boolean within(long t, long a, long b) {
        return t >= a && t < b;
    }

    /** Whether the plan has anything in it (a down interval or a packet loss). */
    public boolean any() {
        return start != null || packetLoss != null;
    }

    /** Whether some link is ever down. */
    public boolean hasDownLinks() {
        return start != null;
    }

    /** Whether link direction {@code port} is down at relative time {@code t}. */
    public boolean down(int port, long t) {
        if (start == null) {
            return false;
        }
        for (int i = start[port]; i < start[port + 1]; i++) {
            if (t < from[i]) {
                return false;
            }
            if (t < until[i]) {
                return true;
            }
        }
        return false;
    }

    /** Whether link direction {@code port} is down at any instant of [a, b]. */
    public boolean downDuring(int port, long a, long b) {
        if (start == null) {
            return false;
        }
        for (int i = start[port]; i < start[port + 1]; i++) {
            if (from[i] <= b && until[i] > a) {
                return true;
            }
        }
        return false;
    }

    /** How long link direction {@code port} is down within [a, b). */
    public long downPs(int port, long a, long b) {
        if (start == null) {
            return 0;
        }
        long sum = 0;
        for (int i = start[port]; i < start[port + 1]; i++) {
            long lo = Math.max(a, from[i]);
            long hi = Math.min(b, until[i]);
            sum += Math.max(0, hi - lo);
        }
        return sum;
    }

    /** The times at which link direction {@code port} goes down, in order. */
    public long[] downStarts(int port) {
        if (start == null) {
            return new long[0];
        }
        return Arrays.copyOfRange(from, start[port], start[port + 1]);
    }

    /** Whether a node believes link direction {@code port} down at {@code t} (an end of the link: local). */
    public boolean knownDown(int port, long t, boolean local) {
        return down(port, t - (local ? localLagPs : globalLagPs));
    }

    /** The epoch of relative time t: how many knowledge changes happened at or before it. */
    public int epoch(long t) {
        int i = Arrays.binarySearch(changes, t);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** The first instant of epoch e (a very early time for epoch 0). */
    public long epochStart(int e) {
        return e == 0 ? Long.MIN_VALUE / 2 : changes[e - 1];
    }

    /** Whether no node believes any link down during epoch e (routing is the fault-free one). */
    public boolean clean(int e) {
        return clean[e];
    }

    /** Probability that one packet sent on {@code port} is lost to an uncorrectable FEC codeword. */
    public double packetLoss(int port) {
        return packetLoss == null ? 0 : packetLoss[port];
    }

    /** Whether any port loses packets to bit errors. */
    public boolean hasBitErrors() {
        return packetLoss != null;
    }

    /**
     * Whether a segment of {@code payloadBytes} sent on {@code port} as its {@code n}-th segment is lost: it is if
     * any of its packets is, each independently with {@link #packetLoss}; the draw is a hash of (seed, port, n),
     * so it is the same in every engine and member.
     */
    public boolean segmentLost(int port, long n, long payloadBytes) {
        if (packetLoss == null || packetLoss[port] <= 0) {
            return false;
        }
        long packets = Math.max(1, (payloadBytes + PACKET_BYTES - 1) / PACKET_BYTES);
        double pLost = -Math.expm1(packets * log1mPacketLoss[port]);
        long h = InstanceExec.mix(seed ^ InstanceExec.mix(((long) port << 40) ^ n ^ 0x5DEECE66DL));
        double u = (h >>> 11) * 0x1.0p-53;
        return u < pLost;
    }

    /** Delay after a change before the switches at the link learn of it. */
    public long localLagPs() {
        return localLagPs;
    }

    /** Delay after a change before every other switch learns of it. */
    public long globalLagPs() {
        return globalLagPs;
    }

    /** The local ACK timeout after which a sender retransmits an unacknowledged segment. */
    public long ackTimeoutPs() {
        return ackTimeoutPs;
    }

    /** Retransmissions after timeouts before the connection fails (NCCL_IB_RETRY_CNT). */
    public int retryCount() {
        return retryCount;
    }

    /** The plan's scheduled changes, in time order. */
    public List<Event> events() {
        return events;
    }

    /** Ports of the fabric the plan was built for. */
    public int ports() {
        return ports;
    }

    /**
     * Probability that an RS(544,514) codeword is uncorrectable when bits err independently with {@code ber}: more
     * than 15 of its 544 10-bit symbols in error, each with {@code 1 - (1 - ber)^10}. Summed from the first failing
     * term upward in logs (never as {@code 1 - CDF}, which cancels to 0 or below in doubles under about 1e-13).
     */
    public static double codewordFailure(double ber) {
        if (!(ber > 0)) {
            return 0;
        }
        if (ber >= 1) {
            return 1;
        }
        double ps = -Math.expm1(10 * Math.log1p(-ber));
        if (ps >= 1) {
            return 1;
        }
        int n = FEC_SYMBOLS;
        int k0 = FEC_CORRECTABLE + 1;
        double logC = 0;
        for (int i = 0; i < k0; i++) {
            logC += Math.log(n - i) - Math.log(i + 1);
        }
        double logT = logC + k0 * Math.log(ps) + (n - k0) * Math.log1p(-ps);
        // the terms from k0 on, relative to the first: t(k+1)/t(k) = (n-k)/(k+1) * ps/(1-ps); they may grow at
        // first (large ps) and then fall, so sum all of them in log space relative to the largest
        double ratio = ps / (1 - ps);
        double[] logTerms = new double[n - k0 + 1];
        double lt = logT;
        double max = lt;
        for (int k = k0; k <= n; k++) {
            logTerms[k - k0] = lt;
            max = Math.max(max, lt);
            lt += Math.log((double) (n - k) / (k + 1)) + Math.log(ratio);
        }
        double sum = 0;
        for (double v : logTerms) {
            sum += Math.exp(v - max);
        }
        return Math.min(1, Math.exp(max + Math.log(sum)));
    }

    /**
     * Probability that one frame of {@code frameBytes} on the wire is lost: it spans {@code bits x 257/256 / 5140 +
     * 2} codewords (256b/257b transcoding; 400G and 800G interleave two codewords symbol by symbol), any of which
     * may fail.
     */
    public static double frameLoss(double ber, long frameBytes) {
        double cw = codewordFailure(ber);
        if (cw <= 0) {
            return 0;
        }
        double m = frameBytes * 8.0 * 257 / 256 / FEC_DATA_BITS + 2;
        return -Math.expm1(m * Math.log1p(-Math.min(cw, 1 - 1e-16)));
    }

    /** Builds a plan for a fabric of {@code ports} egress ports. Not thread-safe. */
    public static final class Builder {
        private final int ports;
        @SuppressWarnings("unchecked")
        private final List<long[]>[] down;
        private final double[] loss;
        private final List<Event> events = new ArrayList<>();
        private long localLagPs = 2_000_000_000L;
        private long globalLagPs = 301_000_000_000L;
        private long ackTimeoutPs = ackTimeoutPs(20);
        private int retryCount = 7;
        private long seed;

        @SuppressWarnings("unchecked")
        public Builder(int ports) {
            this.ports = ports;
            this.down = new List[ports];
            this.loss = new double[ports];
        }

        /** Link direction {@code port} is down over [fromPs, untilPs) (untilPs Long.MAX_VALUE: for good). */
        public Builder down(int port, long fromPs, long untilPs) {
            if (fromPs < 0 || untilPs <= fromPs) {
                throw new IllegalArgumentException("a down interval must start at 0 or later and end after it starts");
            }
            if (down[port] == null) {
                down[port] = new ArrayList<>();
            }
            down[port].add(new long[] {fromPs, untilPs});
            return this;
        }

        /** Packets sent on {@code port} are lost with probability {@code p} each. */
        public Builder packetLoss(int port, double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("a packet loss probability must be in [0, 1]");
            }
            loss[port] = p;
            return this;
        }

        /** Knowledge lags: at the link's own switches, and everywhere else. */
        public Builder lags(long localPs, long globalPs) {
            if (localPs < 0 || globalPs < localPs) {
                throw new IllegalArgumentException("knowledge lags must be >= 0, the remote one at least the local");
            }
            this.localLagPs = localPs;
            this.globalLagPs = globalPs;
            return this;
        }

        /** The transport's timers: ACK timeout and retry count. */
        public Builder transport(long ackTimeoutPs, int retryCount) {
            if (ackTimeoutPs <= 0 || retryCount < 0) {
                throw new IllegalArgumentException("the ACK timeout must be positive and the retry count >= 0");
            }
            this.ackTimeoutPs = ackTimeoutPs;
            this.retryCount = retryCount;
            return this;
        }

        /** The run's seed, for the bit-error draws. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Adds an entry to the fault log. */
        public Builder event(long timePs, String kind, int port, String detail) {
            events.add(new Event(timePs, kind, port, detail));
            return this;
        }

        public FaultPlan build() {
            events.sort((a, b) -> a.timePs() != b.timePs() ? Long.compare(a.timePs(), b.timePs())
                    : Integer.compare(a.port(), b.port()));
            return new FaultPlan(this);
        }
    }

    /** IB's local ACK timeout for exponent {@code e}: 4.096 us x 2^e (IBA vol 1 12.7.34; NCCL env.rst). */
    public static long ackTimeoutPs(int e) {
        if (e < 0 || e > 31) {
            throw new IllegalArgumentException("NCCL_IB_TIMEOUT must be in 0..31");
        }
        return 4_096_000L << e;
    }
}
