package io.collemu.collectives;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The collectives collemu can replay, with their nccl-tests names and bus-bandwidth factors.
 *
 * <p>Stateless enum; thread-safe.
 */
public enum CollectiveKind {
    ALL_REDUCE("all-reduce", true),
    REDUCE_SCATTER("reduce-scatter", true),
    ALL_GATHER("all-gather", false),
    BROADCAST("broadcast", false),
    REDUCE("reduce", true),
    ALL_TO_ALL("all-to-all", false),
    ALL_TO_ALL_V("all-to-all-v", false),
    SEND_RECV("send-recv", false);

    private final String cliName;
    private final boolean reducing;

    CollectiveKind(String cliName, boolean reducing) {
        this.cliName = cliName;
        this.reducing = reducing;
    }

    /** @return the command-line name, e.g. {@code all-reduce} */
    public String cliName() {
        return cliName;
    }

    /**
     * Parses a kind name: the {@link #cliName()} or any spelling of it that differs only in case, dashes,
     * underscores or spaces ({@code allreduce}, {@code all_reduce}, {@code ALL-REDUCE}).
     *
     * @throws CollectiveException naming the unknown value and the accepted names
     */
    public static CollectiveKind fromName(String s) {
        if (s != null) {
            String key = squash(s);
            for (CollectiveKind kind : values()) {
                if (squash(kind.cliName).equals(key)) {
                    return kind;
                }
            }
        }
        throw new CollectiveException("unknown collective kind '" + s + "'; expected one of: "
                + Arrays.stream(values()).map(CollectiveKind::cliName).collect(Collectors.joining(", ")));
    }

    private static String squash(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
    }

    /**
     * The nccl-tests factor from algbw to busbw (doc/PERFORMANCE.md): all-reduce 2(n-1)/n; reduce-scatter,
     * all-gather, all-to-all(v) (n-1)/n; broadcast, reduce, send-recv 1.
     *
     * @param n ranks in the communicator, at least 1
     */
    public double busBwFactor(int n) {
        if (n < 1) {
            throw new CollectiveException("busBwFactor: ranks must be >= 1, got " + n);
        }
        return switch (this) {
            case ALL_REDUCE -> 2.0 * (n - 1) / n;
            case REDUCE_SCATTER, ALL_GATHER, ALL_TO_ALL, ALL_TO_ALL_V -> (double) (n - 1) / n;
            case BROADCAST, REDUCE, SEND_RECV -> 1.0;
        };
    }

    /** @return {@code sum} for the reducing kinds (all-reduce, reduce-scatter, reduce), {@code none} otherwise */
    public String ncclTestsRedop() {
        return reducing ? "sum" : "none";
    }

    /** @return true when receives of this kind add into the buffer (sum) rather than copy */
    public boolean reduces() {
        return reducing;
    }
}
