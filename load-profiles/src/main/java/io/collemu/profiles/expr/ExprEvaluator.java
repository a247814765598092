package io.collemu.profiles.expr;

import io.collemu.profiles.expr.Quantity.Dim;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Evaluates the small expression language of profile fields in one pass (recursive descent, no tree kept).
 *
 * <pre>
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/' | '%') unary)*
 *   unary   := ('-' | '+') unary | primary ('^' unary)?
 *   primary := number[unit] | '(' expr ')' | '${' expr '}' | name | name '(' expr (',' expr)* ')'
 * </pre>
 *
 * Names (parameters, {@code i}, {@code gpuCount}, functions {@code ceil floor round min max log2}) are accepted
 * only inside {@code ${...}}, so that {@code size: bucketBytes} is reported instead of silently meaning a
 * parameter. Units follow nccl-tests: {@code K M G T} (either case) and {@code KiB MiB GiB TiB} are powers of
 * 1024, {@code KB MB GB TB} powers of 1000, {@code B} bytes; {@code ps ns us µs ms s} durations.
 *
 * <p>Limits: an expression has at most {@value #MAX_LENGTH} characters and nests at most {@value #MAX_DEPTH}
 * levels (parentheses, {@code ${}}, function calls, signs and {@code ^} each add one; a parameter's value
 * continues at the depth where the parameter is used), so that no input can overflow the stack of this
 * recursive-descent evaluator; real profile expressions, parameters included, use about ten.
 *
 * <p>Stateless; thread-safe.
 */
public final class ExprEvaluator {
    /** Most characters of one expression. */
    public static final int MAX_LENGTH = 4096;
    /** Most nesting levels of one expression. */
    public static final int MAX_DEPTH = 64;

    /**
     * Resolves a name met at {@code depth} levels of nesting; a lookup that evaluates another expression (a
     * parameter's value) continues from that depth, so the limit bounds the whole chain.
     */
    @FunctionalInterface
    public interface Lookup {
        Quantity apply(String name, int depth);
    }

    private final String text;
    private final Lookup lookup;
    private int pos;
    private int braceDepth;
    private int depth;

    private ExprEvaluator(String text, Lookup lookup, int depth) {
        this.text = text;
        this.lookup = lookup;
        this.depth = depth;
    }

    /**
     * @param lookup resolves a name to its value; may throw {@link ExprException} or {@link UnboundException}
     * @throws ExprException with a one-line message (no location)
     */
    public static Quantity evaluate(String text, Function<String, Quantity> lookup) {
        return evaluate(text, (name, depth) -> lookup.apply(name), 0);
    }

    /**
     * As {@link #evaluate(String, Function)}, starting at {@code depth} levels of nesting (that of the expression
     * whose name is being looked up).
     */
    public static Quantity evaluate(String text, Lookup lookup, int depth) {
        if (text.length() > MAX_LENGTH) {
            throw new ExprException("is " + text.length() + " characters long; an expression may have at most "
                    + MAX_LENGTH);
        }
        ExprEvaluator e = new ExprEvaluator(text, lookup, depth);
        e.skipSpace();
        if (e.pos >= text.length()) {
            throw new ExprException("empty value");
        }
        Quantity q = e.expr();
        e.skipSpace();
        if (e.pos < text.length()) {
            throw new ExprException("unexpected '" + text.substring(e.pos) + "'");
        }
        if (!Double.isFinite(q.value())) {
            throw new ExprException("is not a finite number");
        }
        return q;
    }

    /** @return true when {@code s} is a plain name (a candidate parameter reference) */
    public static boolean isName(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        return s.chars().allMatch(Character::isJavaIdentifierPart);
    }

    private Quantity expr() {
        Quantity left = term();
        while (true) {
            char c = peek();
            if (c == '+' || c == '-') {
                pos++;
                Quantity right = term();
                left = additive(left, right, c);
            } else {
                return left;
            }
        }
    }

    private Quantity term() {
        Quantity left = unary();
        while (true) {
            char c = peek();
            if (c == '*') {
                pos++;
                Quantity right = unary();
                if (left.dim() != Dim.NONE && right.dim() != Dim.NONE) {
                    throw new ExprException("cannot multiply " + left.dim().label() + " by " + right.dim().label());
                }
                left = new Quantity(left.value() * right.value(), left.dim() == Dim.NONE ? right.dim() : left.dim());
            } else if (c == '/' || c == '%') {
                pos++;
                Quantity right = unary();
                if (right.value() == 0) {
                    throw new ExprException("division by zero");
                }
                Dim dim;
                if (right.dim() == Dim.NONE) {
                    dim = left.dim();
                } else if (right.dim() == left.dim() || left.dim() == Dim.NONE) {
                    // a plain number divided by a size is taken as bytes too: gradBytes / bucketBytes
                    dim = c == '/' ? Dim.NONE : right.dim();
                } else {
                    throw new ExprException("cannot divide " + left.dim().label() + " by " + right.dim().label());
                }
                double v = c == '/' ? left.value() / right.value() : left.value() % right.value();
                left = new Quantity(v, dim);
            } else {
                return left;
            }
        }
    }

    /** Every recursion of the grammar passes here: the nesting depth is counted once per level. */
    private Quantity unary() {
        if (++depth > MAX_DEPTH) {
            throw new ExprException("is nested more than " + MAX_DEPTH + " levels deep (parentheses, signs, '^' or"
                    + " function calls inside each other)");
        }
        try {
            return signedOrPower();
        } finally {
            depth--;
        }
    }

    private Quantity signedOrPower() {
        char c = peek();
        if (c == '-' || c == '+') {
            pos++;
            Quantity q = unary();
            return c == '-' ? new Quantity(-q.value(), q.dim()) : q;
        }
        Quantity base = primary();
        if (peek() == '^') {
            pos++;
            Quantity exp = unary();
            if (base.dim() != Dim.NONE || exp.dim() != Dim.NONE) {
                throw new ExprException("'^' needs plain numbers");
            }
            return Quantity.number(Math.pow(base.value(), exp.value()));
        }
        return base;
    }

    private Quantity primary() {
        char c = peek();
        if (c == '(' || (c == '$' && pos + 1 < text.length() && text.charAt(pos + 1) == '{')) {
            boolean brace = c == '$';
            pos += brace ? 2 : 1;
            braceDepth += brace ? 1 : 0;
            Quantity q = expr();
            expect(brace ? '}' : ')');
            braceDepth -= brace ? 1 : 0;
            return q;
        }
        if (Character.isDigit(c) || c == '.') {
            return number();
        }
        if (Character.isJavaIdentifierStart(c)) {
            int start = pos;
            while (pos < text.length() && Character.isJavaIdentifierPart(text.charAt(pos))) {
                pos++;
            }
            String name = text.substring(start, pos);
            if (braceDepth == 0) {
                throw new ExprException("'" + name + "' is not a number; write ${" + name
                        + "} to use a parameter");
            }
            if (peek() == '(') {
                pos++;
                return function(name);
            }
            return lookup.apply(name, depth);
        }
        if (c == 0) {
            throw new ExprException("ends too early");
        }
        throw new ExprException("unexpected '" + rest() + "'");
    }

    private Quantity function(String name) {
        List<Quantity> args = new ArrayList<>();
        args.add(expr());
        while (peek() == ',') {
            pos++;
            args.add(expr());
        }
        expect(')');
        Quantity a = args.get(0);
        switch (name) {
            case "ceil", "floor", "round", "log2" -> {
                if (args.size() != 1) {
                    throw new ExprException(name + "() takes one argument");
                }
                double v = switch (name) {
                    case "ceil" -> Math.ceil(a.value() - 1e-9 * Math.max(1, Math.abs(a.value())));
                    case "floor" -> Math.floor(a.value() + 1e-9 * Math.max(1, Math.abs(a.value())));
                    case "round" -> Math.rint(a.value());
                    default -> Math.log(a.value()) / Math.log(2);
                };
                if (name.equals("log2") && a.dim() != Dim.NONE) {
                    throw new ExprException("log2() needs a plain number");
                }
                return new Quantity(v, a.dim());
            }
            case "min", "max" -> {
                Quantity best = a;
                for (Quantity q : args.subList(1, args.size())) {
                    Dim dim = combine(best, q, name + "()");
                    double v = name.equals("min") ? Math.min(best.value(), q.value()) : Math.max(best.value(), q.value());
                    best = new Quantity(v, dim);
                }
                return best;
            }
            default -> throw new ExprException("unknown function '" + name + "' (known: ceil, floor, round, min, max, log2)");
        }
    }

    private Quantity number() {
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.'
                || text.charAt(pos) == '_')) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        String digits = text.substring(start, pos).replace("_", "");
        double v;
        try {
            v = Double.parseDouble(digits);
        } catch (NumberFormatException e) {
            throw new ExprException("'" + digits + "' is not a number");
        }
        int unitStart = pos;
        while (pos < text.length() && (Character.isLetter(text.charAt(pos)))) {
            pos++;
        }
        if (unitStart == pos) {
            return Quantity.number(v);
        }
        String unit = text.substring(unitStart, pos);
        Quantity scale = unit(unit);
        return new Quantity(v * scale.value(), scale.dim());
    }

    /** @return the multiplier and dimension of a unit suffix */
    static Quantity unit(String unit) {
        switch (unit) {
            case "ps":
                return new Quantity(1, Dim.TIME);
            case "ns":
                return new Quantity(1e3, Dim.TIME);
            case "us":
            case "µs":
                return new Quantity(1e6, Dim.TIME);
            case "ms":
                return new Quantity(1e9, Dim.TIME);
            case "s":
                return new Quantity(1e12, Dim.TIME);
            case "B":
            case "b":
                return new Quantity(1, Dim.BYTES);
            case "KB":
            case "kB":
                return new Quantity(1e3, Dim.BYTES);
            case "MB":
                return new Quantity(1e6, Dim.BYTES);
            case "GB":
                return new Quantity(1e9, Dim.BYTES);
            case "TB":
                return new Quantity(1e12, Dim.BYTES);
            default:
                break;
        }
        String u = unit.toUpperCase(Locale.ROOT);
        int power = switch (u) {
            case "K", "KIB" -> 1;
            case "M", "MIB" -> 2;
            case "G", "GIB" -> 3;
            case "T", "TIB" -> 4;
            default -> -1;
        };
        if (power < 0 || (u.length() == 3 && !unit.endsWith("iB"))) {
            throw new ExprException("unknown unit '" + unit
                    + "' (sizes: B, K, M, G, T, KiB..TiB, KB..TB; durations: ps, ns, us, ms, s)");
        }
        return new Quantity(Math.pow(1024, power), Dim.BYTES);
    }

    private static Quantity additive(Quantity a, Quantity b, char op) {
        Dim dim = combine(a, b, "'" + op + "'");
        return new Quantity(op == '+' ? a.value() + b.value() : a.value() - b.value(), dim);
    }

    private static Dim combine(Quantity a, Quantity b, String what) {
        if (a.dim() == b.dim() || b.dim() == Dim.NONE) {
            return a.dim();
        }
        if (a.dim() == Dim.NONE) {
            return b.dim();
        }
        throw new ExprException(what + " mixes " + a.dim().label() + " and " + b.dim().label());
    }

    /** The text not read yet, shortened for a message. */
    private String rest() {
        String r = text.substring(pos);
        return r.length() <= 40 ? r : r.substring(0, 37) + "...";
    }

    private char peek() {
        skipSpace();
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new ExprException("expected '" + c + "'" + (pos < text.length() ? " at '" + rest() + "'"
                    : " at the end"));
        }
        pos++;
    }
}
