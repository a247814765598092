package io.collemu.profiles;

import io.collemu.profiles.spec.ProfileException;
import io.collemu.collectives.CollectiveException;
import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Collectives;
import io.collemu.profiles.ExpandedOp.Peer;
import io.collemu.profiles.ExpandedOp.Type;
import io.collemu.profiles.expr.Env;
import io.collemu.profiles.spec.JobSpec;
import io.collemu.profiles.spec.LayoutSpec;
import io.collemu.profiles.spec.Loc;
import io.collemu.profiles.spec.OpNode;
import io.collemu.profiles.spec.OpSpec;
import io.collemu.profiles.spec.RepeatBlock;
import io.collemu.profiles.spec.SweepSpec;
import io.collemu.profiles.spec.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a job's operations for one iteration: repeat blocks and size sweeps into copies, fields evaluated,
 * dependencies from streams and {@code after:}, then a topological order (a cycle is a located error).
 *
 * <p>Stateless (one instance per call); not shared between threads.
 */
final class OpExpander {
    /** Most copies one repeat or sweep may produce. */
    static final int MAX_COPIES = 100_000;

    private static final Pattern REF = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*?)(?:\\[\\s*(\\d+)\\s*])?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** An op as declared, with its block (-1: not repeated) and copy count. */
    private record Decl(OpSpec spec, String name, int block, int count, long[] sweepSizes) {
    }

    /** A copy of a declaration; fields are filled in as they are evaluated. */
    private static final class Inst {
        final int decl;
        final int copy;
        final String name;
        Env env;
        Type type;
        CollectiveKind kind;
        long sizeBytes;
        long durationPs;
        List<String> axes = List.of();
        String algorithm;
        int channels = 1;
        int root;
        String stream;
        Peer peer;
        int[] pairs;
        double skew;
        int transposeOf = -1;
        int recvOf = -1;
        int placeholder = -1;
        final TreeSet<Integer> deps = new TreeSet<>();

        Inst(int decl, int copy, String name) {
            this.decl = decl;
            this.copy = copy;
            this.name = name;
        }
    }

    private final JobSpec job;
    private final Env env;
    private final List<Decl> decls = new ArrayList<>();
    private final Map<String, Integer> declByName = new LinkedHashMap<>();
    private final List<Inst> insts = new ArrayList<>();
    private final Map<Integer, List<Integer>> instsOfDecl = new HashMap<>();

    private OpExpander(JobSpec job, Env env) {
        this.job = job;
        this.env = env;
    }

    /** @return the job's operations for one iteration, in topological order */
    static List<ExpandedOp> expand(JobSpec job, Env env) {
        OpExpander x = new OpExpander(job, env);
        x.declare();
        x.instantiate();
        for (Inst inst : x.insts) {
            x.evaluate(inst);
        }
        for (int i = 0; i < x.insts.size(); i++) {
            x.link(i);
        }
        return x.sorted();
    }

    private void declare() {
        int block = 0;
        long copies = 0;
        for (OpNode node : job.ops()) {
            if (node instanceof RepeatBlock b) {
                int count = env.integer(b.count(), 0, MAX_COPIES);
                copies = budget(copies, (long) count * b.ops().size(), b.count().loc());
                for (OpSpec op : b.ops()) {
                    addDecl(op, block, count, null);
                }
                block++;
            } else {
                OpSpec op = (OpSpec) node;
                if (op.repeat() != null && op.sizes() != null) {
                    throw op.repeat().loc().error("give either repeat or sizes, not both");
                }
                if (op.sizes() != null) {
                    long[] sizes = sweep(op.sizes());
                    copies = budget(copies, sizes.length, op.sizes().loc());
                    addDecl(op, block++, sizes.length, sizes);
                } else if (op.repeat() != null) {
                    int count = env.integer(op.repeat(), 0, MAX_COPIES);
                    copies = budget(copies, count, op.repeat().loc());
                    addDecl(op, block++, count, null);
                } else {
                    copies = budget(copies, 1, op.loc());
                    addDecl(op, -1, 1, null);
                }
            }
        }
    }

    /** Adds {@code more} copies to the iteration's {@code copies} so far, refusing beyond the per-iteration cap. */
    private long budget(long copies, long more, Loc at) {
        long total = copies + more;
        if (total > PlanBudget.MAX_OPS_PER_ITERATION) {
            throw at.error("one iteration of job '" + job.name() + "' would have " + total + " operations, more"
                    + " than " + PlanBudget.MAX_OPS_PER_ITERATION + ": lower the repeat counts or sizes");
        }
        return total;
    }

    private void addDecl(OpSpec op, int block, int count, long[] sweepSizes) {
        String name = env.text(op.name());
        if (!NAME.matcher(name).matches()) {
            throw op.name().loc().error("'" + name + "' is not a valid op name (letters, digits, '.', '_', '-')");
        }
        if (declByName.putIfAbsent(name, decls.size()) != null) {
            throw op.name().loc().error("duplicate op name '" + name + "' in job '" + job.name() + "'");
        }
        decls.add(new Decl(op, name, block, count, sweepSizes));
    }

    private long[] sweep(SweepSpec s) {
        long from = env.sizeBytes(s.from(), 1, Env.MAX_SIZE_BYTES);
        long to = env.sizeBytes(s.to(), 1, Env.MAX_SIZE_BYTES);
        double factor = env.number(s.factor(), 1.0001, 1e6);
        if (from > to) {
            throw s.to().loc().error("'" + s.to().text() + "' (" + to + " bytes) is smaller than from (" + from
                    + " bytes)");
        }
        List<Long> sizes = new ArrayList<>();
        for (long size = from; size <= to; size = Math.max(size + 1, Math.round(size * factor))) {
            sizes.add(size);
            if (sizes.size() > MAX_COPIES) {
                throw s.loc().error("more than " + MAX_COPIES + " sizes");
            }
        }
        return sizes.stream().mapToLong(Long::longValue).toArray();
    }

    private void instantiate() {
        int d = 0;
        while (d < decls.size()) {
            int block = decls.get(d).block();
            int end = d + 1;
            while (block >= 0 && end < decls.size() && decls.get(end).block() == block) {
                end++;
            }
            if (block < 0) {
                addInst(d, -1);
            } else {
                for (int k = 0; k < decls.get(d).count(); k++) {
                    for (int e = d; e < end; e++) {
                        addInst(e, k);
                    }
                }
            }
            d = end;
        }
    }

    private void addInst(int decl, int copy) {
        String name = decls.get(decl).name() + (copy < 0 ? "" : "[" + copy + "]");
        instsOfDecl.computeIfAbsent(decl, x -> new ArrayList<>()).add(insts.size());
        Inst inst = new Inst(decl, copy, name);
        inst.env = copy < 0 ? env : env.bind("i", copy);
        insts.add(inst);
    }

    private void evaluate(Inst x) {
        Decl d = decls.get(x.decl);
        OpSpec op = d.spec();
        Env e = x.env;
        String kindText = e.text(op.kind()).toLowerCase(Locale.ROOT);
        x.stream = op.stream() == null ? "main" : e.text(op.stream());
        if (kindText.equals("compute")) {
            x.type = Type.COMPUTE;
            forbid(op, "compute", op.size(), op.communicator(), op.algorithm(), op.channels(), op.root(), op.peer(),
                    op.skew(), op.transposeOf(), op.of());
            forbidSweepAndPairs(op, "compute");
            x.durationPs = e.durationPs(require(op, op.duration(), "duration", "compute"));
            return;
        }
        if (kindText.equals("recv")) {
            x.type = Type.RECV;
            forbid(op, "recv", op.size(), op.duration(), op.communicator(), op.algorithm(), op.channels(), op.root(),
                    op.peer(), op.skew(), op.transposeOf());
            forbidSweepAndPairs(op, "recv");
            require(op, op.of(), "of", "recv");
            return;
        }
        x.type = Type.COLLECTIVE;
        try {
            x.kind = CollectiveKind.fromName(kindText);
        } catch (CollectiveException ex) {
            throw op.kind().loc().error("unknown kind '" + kindText + "' (kinds: compute, recv, "
                    + String.join(", ", Arrays.stream(CollectiveKind.values()).map(CollectiveKind::cliName).toList())
                    + ")");
        }
        collective(x, d, op, e);
    }

    private void collective(Inst x, Decl d, OpSpec op, Env e) {
        String k = x.kind.cliName();
        forbid(op, k, op.duration(), op.of());
        boolean sendRecv = x.kind == CollectiveKind.SEND_RECV;
        boolean a2av = x.kind == CollectiveKind.ALL_TO_ALL_V;
        boolean rooted = x.kind == CollectiveKind.BROADCAST || x.kind == CollectiveKind.REDUCE;
        if (!sendRecv) {
            forbid(op, k, op.peer());
            if (op.pairs() != null) {
                throw op.loc().sub("pairs").error("not used by kind '" + k + "'");
            }
        } else if ((op.peer() == null) == (op.pairs() == null)) {
            throw op.loc().error("send-recv needs exactly one of peer (next, prev) or pairs ([[src, dst], ...])");
        }
        if (!a2av) {
            forbid(op, k, op.skew(), op.transposeOf());
        } else if (op.skew() != null && op.transposeOf() != null) {
            throw op.transposeOf().loc().error("give either skew or transposeOf, not both");
        }
        if (!rooted) {
            forbid(op, k, op.root());
        }
        if (a2av && op.transposeOf() != null) {
            forbid(op, k + " with transposeOf", op.size());
            if (op.sizes() != null) {
                throw op.sizes().loc().error("not used with transposeOf (the sizes come from the transposed op)");
            }
        } else if (d.sweepSizes() != null) {
            forbid(op, k + " with sizes", op.size());
            x.sizeBytes = d.sweepSizes()[x.copy];
        } else {
            x.sizeBytes = e.sizeBytes(require(op, op.size(), "size", k), 1, Env.MAX_SIZE_BYTES);
        }
        x.axes = axes(op.communicator() == null ? null : e.text(op.communicator()), op);
        String algorithm = op.algorithm() == null ? Collectives.AUTO : e.text(op.algorithm());
        List<String> known = Collectives.algorithms(x.kind);
        if (!known.contains(algorithm.toLowerCase(Locale.ROOT))) {
            throw op.algorithm().loc().error("'" + algorithm + "' is not an algorithm of " + k + " (known: "
                    + String.join(", ", known) + ")");
        }
        x.algorithm = algorithm.toLowerCase(Locale.ROOT);
        x.channels = op.channels() == null ? 1 : e.integer(op.channels(), 1, CollectiveRequest.MAX_CHANNELS);
        x.root = op.root() == null ? 0 : e.integer(op.root(), 0, CollectiveRequest.MAX_RANKS - 1);
        x.skew = op.skew() == null ? 0 : e.number(op.skew(), 0, 10);
        if (op.peer() != null) {
            String peer = e.text(op.peer()).toLowerCase(Locale.ROOT);
            x.peer = switch (peer) {
                case "next" -> Peer.NEXT;
                case "prev", "previous" -> Peer.PREV;
                default -> throw op.peer().loc().error("'" + peer + "' is not a peer (next, prev)");
            };
        }
        if (op.pairs() != null) {
            x.pairs = new int[2 * op.pairs().size()];
            for (int p = 0; p < op.pairs().size(); p++) {
                List<Value> pair = op.pairs().get(p);
                x.pairs[2 * p] = e.integer(pair.get(0), 0, CollectiveRequest.MAX_RANKS - 1);
                x.pairs[2 * p + 1] = e.integer(pair.get(1), 0, CollectiveRequest.MAX_RANKS - 1);
                if (x.pairs[2 * p] == x.pairs[2 * p + 1]) {
                    throw pair.get(1).loc().error("pair [" + x.pairs[2 * p] + ", " + x.pairs[2 * p + 1]
                            + "] sends a rank to itself");
                }
            }
        }
    }

    static List<String> axes(String communicator, OpSpec op) {
        if (communicator == null || communicator.isBlank() || communicator.trim().equals("world")) {
            return LayoutSpec.AXES;
        }
        List<String> axes = new ArrayList<>();
        for (String part : communicator.split("\\+")) {
            String axis = part.trim();
            if (!LayoutSpec.AXES.contains(axis)) {
                throw op.communicator().loc().error("'" + communicator
                        + "' is not a communicator (world, dp, tp, pp, ep, or axes joined by '+', e.g. tp+dp)");
            }
            if (axes.contains(axis)) {
                throw op.communicator().loc().error("'" + communicator + "' names axis " + axis + " twice");
            }
            axes.add(axis);
        }
        return List.copyOf(axes);
    }

    private void link(int i) {
        Inst x = insts.get(i);
        OpSpec op = decls.get(x.decl).spec();
        for (int j = i - 1; j >= 0; j--) {
            if (insts.get(j).stream.equals(x.stream)) {
                x.deps.add(j);
                break;
            }
        }
        for (Value a : op.after()) {
            for (int t : resolve(a, x)) {
                if (t == i) {
                    throw a.loc().error("'" + x.name + "' cannot come after itself");
                }
                x.deps.add(t);
            }
        }
        if (op.of() != null) {
            int t = single(op.of(), x);
            Inst target = insts.get(t);
            if (target.kind != CollectiveKind.SEND_RECV) {
                throw op.of().loc().error("'" + target.name + "' is not a send-recv");
            }
            if (target.placeholder >= 0) {
                throw op.of().loc().error("'" + target.name + "' already receives at '"
                        + insts.get(target.placeholder).name + "'");
            }
            target.placeholder = i;
            x.recvOf = t;
        }
        if (op.transposeOf() != null && x.kind == CollectiveKind.ALL_TO_ALL_V) {
            int t = single(op.transposeOf(), x);
            Inst target = insts.get(t);
            if (target.kind != CollectiveKind.ALL_TO_ALL_V || target.transposeOf >= 0
                    || decls.get(target.decl).spec().transposeOf() != null) {
                throw op.transposeOf().loc().error("'" + target.name
                        + "' is not an all-to-all-v with its own size (transposeOf needs one)");
            }
            if (!target.axes.equals(x.axes)) {
                throw op.transposeOf().loc().error("'" + target.name + "' runs on communicator "
                        + String.join("+", target.axes) + ", not " + String.join("+", x.axes));
            }
            x.transposeOf = t;
            x.sizeBytes = target.sizeBytes;
        }
    }

    private int single(Value ref, Inst from) {
        List<Integer> targets = resolve(ref, from);
        if (targets.size() != 1) {
            throw ref.loc().error("'" + ref.text() + "' names " + targets.size() + " copies; name one, e.g. "
                    + ref.text() + "[0]");
        }
        return targets.get(0);
    }

    private List<Integer> resolve(Value ref, Inst from) {
        String text = from.env.text(ref);
        Matcher m = REF.matcher(text);
        if (!m.matches()) {
            throw ref.loc().error("'" + text + "' is not an op reference (name or name[k])");
        }
        Integer t = declByName.get(m.group(1));
        if (t == null) {
            throw ref.loc().error("unknown op '" + m.group(1) + "' (ops of job '" + job.name() + "': "
                    + String.join(", ", declByName.keySet()) + ")");
        }
        Decl target = decls.get(t);
        List<Integer> copies = instsOfDecl.getOrDefault(t, List.of());
        if (m.group(2) != null) {
            int k = Integer.parseInt(m.group(2));
            if (target.block() < 0) {
                throw ref.loc().error("'" + target.name() + "' is not repeated; write it without [" + k + "]");
            }
            if (k >= copies.size()) {
                throw ref.loc().error("'" + text + "': '" + target.name() + "' has " + copies.size() + " copies");
            }
            return List.of(copies.get(k));
        }
        if (target.block() >= 0 && target.block() == decls.get(from.decl).block()) {
            return List.of(copies.get(from.copy));
        }
        return copies;
    }

    private List<ExpandedOp> sorted() {
        int n = insts.size();
        int[] indegree = new int[n];
        List<List<Integer>> succ = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            succ.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int d : insts.get(i).deps) {
                succ.get(d).add(i);
                indegree[i]++;
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        int[] position = new int[n];
        Arrays.fill(position, -1);
        List<Integer> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            position[i] = order.size();
            order.add(i);
            for (int s : succ.get(i)) {
                if (--indegree[s] == 0) {
                    ready.add(s);
                }
            }
        }
        if (order.size() < n) {
            throw cycle(position);
        }
        List<ExpandedOp> out = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            Inst x = insts.get(order.get(p));
            int[] deps = x.deps.stream().mapToInt(d -> position[d]).sorted().toArray();
            out.add(new ExpandedOp(p, x.name, decls.get(x.decl).spec(), x.type, x.kind, x.sizeBytes, x.durationPs,
                    x.axes, x.algorithm, x.channels, x.root, x.stream, x.peer, x.pairs, x.skew,
                    x.transposeOf < 0 ? -1 : position[x.transposeOf], x.recvOf < 0 ? -1 : position[x.recvOf],
                    x.placeholder < 0 ? -1 : position[x.placeholder], deps));
        }
        return out;
    }

    /** Finds one cycle among the unsorted instances and reports it at the first 'after' on it. */
    private ProfileException cycle(int[] position) {
        int start = -1;
        for (int i = 0; i < insts.size() && start < 0; i++) {
            if (position[i] < 0) {
                start = i;
            }
        }
        // walk back along unsorted deps until an instance repeats: that closes a cycle
        Deque<Integer> path = new ArrayDeque<>();
        Map<Integer, Integer> seenAt = new HashMap<>();
        int cur = start;
        while (!seenAt.containsKey(cur)) {
            seenAt.put(cur, path.size());
            path.addLast(cur);
            int next = -1;
            for (int d : insts.get(cur).deps) {
                if (position[d] < 0) {
                    next = d;
                    break;
                }
            }
            cur = next;
        }
        List<Integer> ring = new ArrayList<>(path).subList(seenAt.get(cur), path.size());
        List<String> names = new ArrayList<>();
        for (int k = ring.size() - 1; k >= 0; k--) {
            names.add(insts.get(ring.get(k)).name);
        }
        names.add(names.get(0));
        Loc at = job.loc();
        for (int k = ring.size() - 1; k >= 0; k--) {
            OpSpec op = decls.get(insts.get(ring.get(k)).decl).spec();
            if (!op.after().isEmpty()) {
                at = op.after().get(0).loc();
                break;
            }
        }
        return at.error("cycle in the operation graph: " + String.join(" -> ", names));
    }

    private static void forbid(OpSpec op, String kind, Value... values) {
        for (Value v : values) {
            if (v != null) {
                throw v.loc().error("not used by kind '" + kind + "'");
            }
        }
    }

    private static void forbidSweepAndPairs(OpSpec op, String kind) {
        if (op.sizes() != null) {
            throw op.sizes().loc().error("not used by kind '" + kind + "'");
        }
        if (op.pairs() != null) {
            throw op.loc().sub("pairs").error("not used by kind '" + kind + "'");
        }
    }

    private static Value require(OpSpec op, Value v, String field, String kind) {
        if (v == null) {
            throw op.loc().error("kind '" + kind + "' needs field '" + field + "'");
        }
        return v;
    }
}
