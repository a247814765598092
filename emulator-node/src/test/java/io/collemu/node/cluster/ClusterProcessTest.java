package io.collemu.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.collemu.node.cli.CliTest;
import io.collemu.node.cli.CliTest.Result;
import io.collemu.node.cli.CollemuCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.collemu.node.actor.CrashPoint;

/**
 * Real clusters on 127.0.0.1: this JVM is the run's leader, the other members are forked {@code collemu node}
 * processes. Results must equal the single-JVM run's, file for file, histogram for histogram.
 */
class ClusterProcessTest {
    @TempDir
    Path tmp;

    private final List<Process> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() throws InterruptedException {
        if (nodes.isEmpty()) {
            return;
        }
        for (Process p : nodes) {
            try {
                p.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
        }
        for (Process p : nodes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Process startNode(int seedPort, Path log) throws IOException {
        return startNode(seedPort, log, freePort(), "-Dcollemu.none=0");
    }

    /** A node on {@code port} whose JVM also gets {@code jvmOption} (e.g. a {@code CrashPoint}). */
    Process startNode(int seedPort, Path log, int port, String jvmOption) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", jvmOption, "-cp",
                System.getProperty("java.class.path"),
                CollemuCommand.class.getName(), "node", "--seed-nodes", "127.0.0.1:" + seedPort, "--port",
                String.valueOf(port), "--threads", "1", "--failure-timeout", "3", "--exit-on-stdin-close");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        nodes.add(p);
        return p;
    }

    /** Members of a finished run have left the leader's cluster: start new ones for the next leader. */
    void restartNodes(int seedPort) throws Exception {
        stopNodes();
        nodes.clear();
        startNode(seedPort, tmp.resolve("node1.log"));
        startNode(seedPort, tmp.resolve("node2.log"));
    }

    static Result collemu(String... args) {
        return CliTest.run(args);
    }

    static Path onlyRunDir(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    static final String[] WORKLOADS = {
        "--topology", "rail-optimized:gpus=32,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g",
        "--collective", "all-reduce,all-to-all", "--sizes", "1M,4M"};
    static final String[] OVERSUBSCRIBED = {
        "--topology", "leaf-spine:leaves=4,spines=1,hosts-per-leaf=4,link=pluggable-dsp-800g,oversubscription=4",
        "--collective", "all-to-all", "--algorithm", "direct", "--sizes", "2M"};
    /** Faults on the cluster too: a flap of one NIC link and bit errors everywhere (go-back-N, NAKs, timeouts). */
    static final String[] FAULTS = {
        "--topology", "rail-optimized:gpus=32,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g",
        "--collective", "all-reduce,all-to-all", "--sizes", "1M,4M", "--fault",
        "link-flap,link=gpu0/su0-leaf0,at=20us,for=100us", "--fault", "ber,all,ber=1e-3", "--ib-timeout", "8"};
    /** A load profile that names its own fabric (two jobs on a leaf-spine), made small. */
    static final String[] PROFILE = {
        "--profile", "two-jobs", "--param", "aGradBytes=32M", "--param", "bGradBytes=32M", "--param", "iterations=1",
        "--param", "warmup=0"};
    static final List<String> SWEEP_FILES = List.of("collectives.csv", "latency.hgrm", "latency.hlog", "ports.csv",
            "nccl-tests.txt");
    static final List<String> PROFILE_FILES = List.of("collectives.csv", "latency.hgrm", "latency.hlog", "ports.csv",
            "iterations.csv", "ops.csv");

    @Test
    @Timeout(300)
    void shouldGiveTheSingleJvmResultsOnThreeProcesses() throws Exception {
        int seed = freePort();
        List<String[]> workloads = List.of(WORKLOADS, OVERSUBSCRIBED, PROFILE, FAULTS);
        for (String[] workload : workloads) {
            Path single = Files.createDirectories(tmp.resolve("single-" + workloads.indexOf(workload)));
            Result a = collemu(concat(workload, "--engine", "actors", "--no-progress", "--out", single.toString()));
            assertEquals(0, a.code(), a.err());
        }
        startNode(seed, tmp.resolve("node1.log"));
        startNode(seed, tmp.resolve("node2.log"));
        for (String[] workload : workloads) {
            Path single = tmp.resolve("single-" + workloads.indexOf(workload));
            Path multi = Files.createDirectories(tmp.resolve("multi-" + workloads.indexOf(workload)));
            Result b = collemu(concat(workload, "--engine", "actors", "--no-progress", "--out", multi.toString(),
                    "--members", "3", "--port", String.valueOf(seed), "--member-wait", "90", "--threads", "1"));
            assertEquals(0, b.code(), b.err() + "\nnode log:\n" + Files.readString(tmp.resolve("node1.log")));
            assertTrue(b.out().contains("partition: 3 members"), b.out());
            // the same nodes serve the next run: they rejoin once this run's leader has left
            Path da = onlyRunDir(single);
            Path db = onlyRunDir(multi);
            List<String> files = new ArrayList<>(workload == PROFILE ? PROFILE_FILES : SWEEP_FILES);
            if (workload == FAULTS) {
                files.add("faults.csv");
                assertTrue(Files.readString(da.resolve("faults.csv")).lines().count() > 2, "faults happened");
            }
            for (String f : files) {
                assertEquals(Files.readString(da.resolve(f)), Files.readString(db.resolve(f)),
                        f + " differs between 1 and 3 members");
            }
            assertTrue(Files.readString(db.resolve("summary.json")).contains("\"members\" : 3")
                    || Files.readString(db.resolve("summary.json")).contains("\"members\": 3"));
        }
    }

    @Test
    @Timeout(180)
    void shouldEndWithExitThreeAndPartialResultsWhenAMemberIsKilled() throws Exception {
        int seed = freePort();
        Process victim = startNode(seed, tmp.resolve("victim.log"));
        Path out = Files.createDirectories(tmp.resolve("killed"));
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> collemu("run",
                "--topology", "rail-optimized:gpus=32,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g",
                "--engine", "actors", "--collective", "all-reduce", "--sizes", "64K:1G:x2", "--no-progress",
                "--out", out.toString(), "--members", "2", "--port", String.valueOf(seed), "--member-wait", "90",
                "--failure-timeout", "3"));
        // wait (bounded) until the first sweep step has been written, then kill the other member
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Path summary = null;
        while (System.nanoTime() < deadline && !run.isDone()) {
            try (Stream<Path> s = Files.list(out)) {
                summary = s.filter(Files::isDirectory).map(d -> d.resolve("summary.json")).filter(Files::exists)
                        .findFirst().orElse(null);
            }
            if (summary != null) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(summary != null, "the run never wrote its first step");
        long killedAt = System.nanoTime();
        victim.destroyForcibly();
        Result r = run.get(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(seconds < 30, "the run took " + seconds + " s to notice the lost member");
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("lost"), r.err());
        String written = Files.readString(summary);
        assertTrue(written.contains("\"partial\" : true") || written.contains("\"partial\": true"), written);
        assertTrue(Files.size(summary.getParent().resolve("collectives.csv")) > 0);
    }

    /**
     * A member that dies while it builds a run's model, or while the leader gathers the reports of a run (its JVM
     * halts at that point, {@code CrashPoint}): the run ends with exit 3 and one line naming the member, within the
     * failure detector's bound, and the sweep steps already finished stay written, marked partial.
     */
    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"build:2", "gather:2"})
    @Timeout(120)
    void shouldEndWithExitThreeNamingTheMemberWhenItDiesWhileBuildingOrGathering(String crashAt) throws Exception {
        int seed = freePort();
        int port = freePort();
        Path log = tmp.resolve("victim.log");
        Process victim = startNode(seed, log, port, "-D" + CrashPoint.PROPERTY + "=" + crashAt);
        Path out = Files.createDirectories(tmp.resolve("crash"));
        long started = System.nanoTime();
        Result r = collemu("run", "--topology",
                "rail-optimized:gpus=32,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g", "--engine",
                "actors", "--collective", "all-reduce", "--sizes", "1M,4M,16M", "--no-progress", "--out",
                out.toString(), "--members", "2", "--port", String.valueOf(seed), "--member-wait", "90",
                "--failure-timeout", "3", "--threads", "1");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(victim.waitFor(10, TimeUnit.SECONDS), "the member did not crash");
        assertTrue(Files.readString(log).contains("crashing at " + crashAt.replace(':', ' ')), Files.readString(log));
        assertEquals(3, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("127.0.0.1:" + port) && r.err().contains("lost"), r.err());
        assertTrue(seconds < 60, "the run took " + seconds + " s");
        Path dir = onlyRunDir(out);
        String summary = Files.readString(dir.resolve("summary.json"));
        assertTrue(summary.contains("\"partial\" : true") || summary.contains("\"partial\": true"), summary);
        List<String> rows = Files.readAllLines(dir.resolve("collectives.csv"));
        assertEquals(2, rows.size(), "the header and the first size, finished before the crash: " + rows);
    }

    /** Runs a command of the host (ip), bounded; true when it exits 0 (false when it fails or is missing). */
    static boolean sh(String... command) throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return false; // no such command here
        }
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    /**
     * A member partitioned away: it runs in a network namespace this test creates, joined to the leader by a veth
     * pair; once the first sweep step is written the link goes down. The leader notices within the failure timeout
     * and ends the run with exit 3, one line naming the member, and the finished steps kept. Needs root and
     * iproute2 (skipped otherwise).
     */
    @Test
    @Timeout(180)
    void shouldEndWithExitThreeWhenAMembersLinkGoesDown() throws Exception {
        long pid = ProcessHandle.current().pid() % 10_000;
        String ns = "cemu" + pid;
        String hostSide = "cmh" + pid;
        String nsSide = "cmn" + pid;
        String net = "10.201." + pid % 250 + ".";
        Assumptions.assumeTrue(sh("ip", "netns", "add", ns), "needs root and iproute2 (ip netns)");
        Process member = null;
        try {
            assertTrue(sh("ip", "link", "add", hostSide, "type", "veth", "peer", "name", nsSide));
            assertTrue(sh("ip", "link", "set", nsSide, "netns", ns));
            assertTrue(sh("ip", "addr", "add", net + "1/30", "dev", hostSide));
            assertTrue(sh("ip", "link", "set", hostSide, "up"));
            assertTrue(sh("ip", "netns", "exec", ns, "ip", "addr", "add", net + "2/30", "dev", nsSide));
            assertTrue(sh("ip", "netns", "exec", ns, "ip", "link", "set", nsSide, "up"));
            assertTrue(sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));
            int seed = freePort();
            int port = freePort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns, java, "-Xmx512m", "-cp",
                    System.getProperty("java.class.path"), CollemuCommand.class.getName(), "node", "--seed-nodes",
                    net + "1:" + seed, "--host", net + "2", "--port", String.valueOf(port), "--insecure", "--threads",
                    "1", "--failure-timeout", "3", "--exit-on-stdin-close");
            pb.redirectErrorStream(true);
            pb.redirectOutput(tmp.resolve("ns-member.log").toFile());
            member = pb.start();
            nodes.add(member);
            Path out = Files.createDirectories(tmp.resolve("cut"));
            CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> collemu("run", "--topology",
                    "rail-optimized:gpus=32,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g", "--engine",
                    "actors", "--collective", "all-reduce", "--sizes", "64K:1G:x2", "--no-progress", "--out",
                    out.toString(), "--members", "2", "--host", net + "1", "--port", String.valueOf(seed),
                    "--insecure", "--member-wait", "90", "--failure-timeout", "3", "--threads", "1"));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            Path summary = null;
            while (System.nanoTime() < deadline && !run.isDone() && summary == null) {
                try (Stream<Path> s = Files.list(out)) {
                    summary = s.filter(Files::isDirectory).map(d -> d.resolve("summary.json"))
                            .filter(Files::exists).findFirst().orElse(null);
                }
                Thread.sleep(100);
            }
            assertTrue(summary != null, "the run never wrote its first step: "
                    + (run.isDone() ? run.get().err() : "") + Files.readString(tmp.resolve("ns-member.log")));
            long cutAt = System.nanoTime();
            assertTrue(sh("ip", "link", "set", hostSide, "down"));
            Result r = run.get(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - cutAt) / 1e9;
            assertEquals(3, r.code(), r.out() + r.err());
            List<String> errors = r.err().strip().lines().filter(l -> !l.contains("--insecure: plain TCP")).toList();
            assertEquals(1, errors.size(), r.err());
            assertTrue(errors.get(0).contains(net + "2:" + port) && errors.get(0).contains("lost"), r.err());
            assertTrue(seconds < 30, "the run took " + seconds + " s to notice the cut link");
            String written = Files.readString(summary);
            assertTrue(written.contains("\"partial\" : true") || written.contains("\"partial\": true"), written);
        } finally {
            if (member != null) {
                member.destroyForcibly();
                member.waitFor(20, TimeUnit.SECONDS);
            }
            sh("ip", "link", "del", hostSide);
            sh("ip", "netns", "del", ns);
        }
    }

    /**
     * The leader killed mid-run (not a clean leave): its member notices it unreachable, goes back to waiting for
     * its seed, and serves the next leader on that address.
     */
    @Test
    @Timeout(240)
    void shouldServeTheNextLeaderAfterTheLeaderIsKilled() throws Exception {
        int seed = freePort();
        Process member = startNode(seed, tmp.resolve("member.log"));
        Path first = Files.createDirectories(tmp.resolve("first"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CollemuCommand.class.getName(), "run", "--topology",
                "rail-optimized:gpus=32,gpus-per-server=8,scale-up=nvlink4,link=pluggable-dsp-800g", "--engine",
                "actors", "--collective", "all-reduce", "--sizes", "64K:1G:x2", "--no-progress", "--out",
                first.toString(), "--members", "2", "--port", String.valueOf(seed), "--member-wait", "90",
                "--threads", "1");
        pb.redirectErrorStream(true);
        pb.redirectOutput(tmp.resolve("leader.log").toFile());
        Process leader = pb.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            Path summary = null;
            while (System.nanoTime() < deadline && leader.isAlive() && summary == null) {
                try (Stream<Path> s = Files.list(first)) {
                    summary = s.filter(Files::isDirectory).map(d -> d.resolve("summary.json"))
                            .filter(Files::exists).findFirst().orElse(null);
                }
                Thread.sleep(100);
            }
            assertTrue(summary != null, "the first leader never wrote a step:\n"
                    + Files.readString(tmp.resolve("leader.log")));
        } finally {
            leader.destroyForcibly();
            leader.waitFor(20, TimeUnit.SECONDS);
        }
        // the same port, a new leader: the member must come back to it by itself
        Path second = Files.createDirectories(tmp.resolve("second"));
        Result r = collemu("run", "--topology", "single-switch:gpus=4,link=cpo-800g", "--engine", "actors",
                "--sizes", "1M", "--no-progress", "--out", second.toString(), "--members", "2", "--port",
                String.valueOf(seed), "--member-wait", "120", "--threads", "1");
        assertEquals(0, r.code(), r.err() + "\nmember log:\n" + Files.readString(tmp.resolve("member.log")));
        assertTrue(r.out().contains("partition: 2 members"), r.out());
        assertTrue(member.isAlive(), "the member still serves");
    }

    @Test
    @Timeout(60)
    void shouldGiveUpWithAClearMessageWhenMembersNeverCome() throws Exception {
        Result r = collemu("run", "--engine", "actors", "--topology", "single-switch:gpus=4,link=cpo-800g",
                "--sizes", "1M", "--no-progress", "--out", tmp.toString(), "--members", "3", "--port",
                String.valueOf(freePort()), "--member-wait", "3");
        assertEquals(3, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("waited 3 s for 3 cluster members"), r.err());
    }

    static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length + 1];
        out[0] = "run";
        System.arraycopy(a, 0, out, 1, a.length);
        System.arraycopy(b, 0, out, 1 + a.length, b.length);
        return out;
    }
}
