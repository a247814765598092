package io.collemu.profiles.expr;

import io.collemu.profiles.spec.ProfileException;
import io.collemu.profiles.expr.Quantity.Dim;
import io.collemu.profiles.spec.Value;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates profile values: parameters (whose values may themselves be expressions of other parameters), plus
 * the names bound when a profile meets a fabric ({@link #LATE_NAMES}). Every failure becomes a located one-line
 * {@link ProfileException}; a value that uses a late name not bound yet throws {@link UnboundException} so
 * that load-time validation can skip it.
 *
 * <p>Not thread-safe (memoizes parameter values); {@link #bind} returns a new environment and never changes
 * this one.
 */
public final class Env {
    /** Names bound late: fabric GPU count, GPUs per server, the current job's GPU count, the repeat index. */
    public static final Set<String> LATE_NAMES = Set.of("gpuCount", "gpusPerServer", "jobGpus", "i");

    /** Largest size of one collective (per rank, nccl-tests convention): 1 TiB. */
    public static final long MAX_SIZE_BYTES = 1L << 40;
    /** Longest compute duration: one hour. */
    public static final long MAX_DURATION_PS = 3_600L * 1_000_000_000_000L;

    /** Longest chain of parameters whose values use each other (a uses b uses c ...). */
    public static final int MAX_PARAMETER_CHAIN = 16;

    private final Map<String, Value> params;
    private final Map<String, Quantity> bound;
    private final Set<String> strictNames;
    private final Map<String, Quantity> cache = new HashMap<>();
    private final Deque<String> evaluating = new ArrayDeque<>();

    /** @param params parameter name to its (raw) value, in declaration order */
    public Env(Map<String, Value> params) {
        this(params, Map.of(), Set.of("i"));
    }

    private Env(Map<String, Value> params, Map<String, Quantity> bound, Set<String> strictNames) {
        this.params = params;
        this.bound = bound;
        this.strictNames = strictNames;
    }

    /**
     * @return an environment where every late name that is not bound is a user error instead of an
     * {@link UnboundException} (by default only {@code i} is: outside a repeat it never gets a value)
     */
    public Env strict() {
        return new Env(params, bound, LATE_NAMES);
    }

    /** @return an environment where {@code name} (one of {@link #LATE_NAMES}) has {@code value} */
    public Env bind(String name, double value) {
        Map<String, Quantity> b = new LinkedHashMap<>(bound);
        b.put(name, Quantity.number(value));
        return new Env(params, b, strictNames);
    }

    /** @return the raw parameter values */
    public Map<String, Value> params() {
        return params;
    }

    /** @return the value of {@code v} with its dimension */
    public Quantity quantity(Value v) {
        try {
            return ExprEvaluator.evaluate(v.text(), this::lookup, 0);
        } catch (ExprException e) {
            throw v.loc().error("'" + shown(v.text()) + "': " + e.getMessage());
        }
    }

    /**
     * @return a size in bytes within {@code [minBytes, maxBytes]}; a plain number counts as bytes. A size written
     * as a number must be a whole number of bytes ({@code 1.5} and {@code 1.1K} are refused, {@code 1.5K} is 1536);
     * the result of an expression ({@code ${gradBytes / tp}}) is rounded to the nearest byte, because dividing
     * sizes is what expressions are for (use {@code ceil()} or {@code floor()} to round otherwise).
     */
    public long sizeBytes(Value v, long minBytes, long maxBytes) {
        Quantity q = quantity(v);
        if (!v.text().contains("${") && !q.isWhole() && q.dim() != Dim.TIME) {
            throw v.loc().error("size " + shown(v.text()) + " is not a whole number of bytes ("
                    + Quantity.number(q.value()).format() + " bytes)");
        }
        if (q.dim() == Dim.TIME) {
            throw v.loc().error("'" + shown(v.text()) + "' is a duration, expected a size (e.g. 25M, 4KiB, 8)");
        }
        if (q.value() < Math.max(1, minBytes) - 0.5) {
            throw v.loc().error("'" + shown(v.text()) + "' is not a positive size" + detail(v, q));
        }
        if (q.value() > maxBytes + 0.5) {
            throw v.loc().error("'" + shown(v.text()) + "' is out of range: at most " + maxBytes + " bytes"
                    + detail(v, q));
        }
        return Math.round(q.value());
    }

    /** @return a duration in picoseconds, 0 .. {@link #MAX_DURATION_PS} */
    public long durationPs(Value v) {
        Quantity q = quantity(v);
        if (q.dim() == Dim.BYTES || (q.dim() == Dim.NONE && q.value() != 0)) {
            throw v.loc().error("'" + shown(v.text()) + "' is not a duration (give a unit: ps, ns, us, ms, s)");
        }
        if (q.value() < 0) {
            throw v.loc().error("'" + shown(v.text()) + "' is a negative duration" + detail(v, q));
        }
        if (q.value() > MAX_DURATION_PS) {
            throw v.loc().error("'" + shown(v.text()) + "' is out of range: at most 3600s");
        }
        return Math.round(q.value());
    }

    /** @return a whole plain number within {@code [min, max]} */
    public int integer(Value v, int min, int max) {
        Quantity q = quantity(v);
        if (q.dim() != Dim.NONE) {
            throw v.loc().error("'" + shown(v.text()) + "' is " + q.dim().label()
                    + ", expected a whole number");
        }
        if (!q.isWhole()) {
            throw v.loc().error("'" + shown(v.text()) + "' is not a whole number" + detail(v, q));
        }
        if (q.value() < min || q.value() > max) {
            throw v.loc().error("'" + shown(v.text()) + "' is out of range " + min + ".." + max + detail(v, q));
        }
        return (int) Math.round(q.value());
    }

    /** @return a plain number within {@code [min, max]} */
    public double number(Value v, double min, double max) {
        Quantity q = quantity(v);
        if (q.dim() != Dim.NONE) {
            throw v.loc().error("'" + shown(v.text()) + "' is " + q.dim().label()
                    + ", expected a plain number");
        }
        if (q.value() < min || q.value() > max) {
            throw v.loc().error("'" + shown(v.text()) + "' is out of range " + Quantity.number(min).format() + ".."
                    + Quantity.number(max).format() + detail(v, q));
        }
        return q.value();
    }

    /**
     * @return the text with every {@code ${...}} replaced: a parameter whose value is not a number is
     * substituted as text (e.g. {@code ${algorithm}} to {@code ring}), anything else by its value
     */
    public String text(Value v) {
        String s = v.text();
        if (!s.contains("${")) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (true) {
            int start = s.indexOf("${", from);
            if (start < 0) {
                out.append(s, from, s.length());
                return out.toString();
            }
            int end = s.indexOf('}', start);
            if (end < 0) {
                throw v.loc().error("'" + shown(s) + "': '${' without a closing '}'");
            }
            out.append(s, from, start);
            out.append(substitute(s.substring(start + 2, end).trim(), v));
            from = end + 1;
        }
    }

    private String substitute(String inner, Value v) {
        if (ExprEvaluator.isName(inner) && params.containsKey(inner) && !bound.containsKey(inner)) {
            Value p = params.get(inner);
            try {
                return lookup(inner, 0).format();
            } catch (ExprException e) {
                return text(p);
            }
        }
        try {
            return ExprEvaluator.evaluate("${" + inner + "}", this::lookup, 0).format();
        } catch (ExprException e) {
            throw v.loc().error("'" + shown(v.text()) + "': " + e.getMessage());
        }
    }

    private Quantity lookup(String name, int depth) {
        Quantity b = bound.get(name);
        if (b != null) {
            return b;
        }
        if (LATE_NAMES.contains(name)) {
            if (strictNames.contains(name)) {
                throw new ExprException(name.equals("i") ? "'i' is only defined inside a repeat (or sizes)"
                        : "'" + name + "' is not defined here");
            }
            throw new UnboundException(name);
        }
        Quantity cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        Value p = params.get(name);
        if (p == null) {
            throw new ExprException("unknown parameter '" + name + "' (known: " + String.join(", ", params.keySet())
                    + (params.isEmpty() ? "" : ", ") + "gpuCount, gpusPerServer, jobGpus, i)");
        }
        if (evaluating.size() >= MAX_PARAMETER_CHAIN) {
            throw new ExprException("parameters refer to each other more than " + MAX_PARAMETER_CHAIN
                    + " deep (" + evaluating.peekFirst() + " -> ... -> " + name + ")");
        }
        if (evaluating.contains(name)) {
            throw new ExprException("parameter '" + name + "' refers to itself (" + String.join(" -> ", evaluating)
                    + " -> " + name + ")");
        }
        evaluating.addLast(name);
        try {
            Quantity q = ExprEvaluator.evaluate(p.text(), this::lookup, depth);
            cache.put(name, q);
            return q;
        } catch (ExprException e) {
            throw new ExprException("parameter '" + name + "' = '" + p.text() + "': " + e.getMessage());
        } finally {
            evaluating.removeLast();
        }
    }

    /** A value as quoted in messages: long ones (an expression may have 4096 characters) shortened. */
    static String shown(String text) {
        return text.length() <= 100 ? text : text.substring(0, 70) + "..." + text.substring(text.length() - 20);
    }

    private static String detail(Value v, Quantity q) {
        return v.text().contains("${") ? " (= " + q.format() + ")" : "";
    }
}
