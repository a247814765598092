package io.collemu.node.engine;

import io.collemu.node.lp.Lp;
import io.collemu.node.lp.LpReport;
import io.collemu.node.lp.Model;

/**
 * The oracle: one {@link LocalLoop} over every LP, run on the caller's thread until no event is left. Events are
 * handled in (timePs, destination LP, source LP, source sequence) order, the order every engine must reproduce.
 * Allocates nothing per event beyond what the LPs allocate.
 */
public final class SequentialEngine implements Engine {
    /** Events between two progress updates. */
    private static final long PROGRESS_EVERY = 1 << 16;

    @Override
    public Outcome run(Job job, Progress progress) {
        long wallStart = System.nanoTime(); // statistics only
        Model model = job.model();
        Lp[] lps = model.lps();
        LocalLoop loop = LocalLoop.ofAll(lps, model.fabric().inboundLookaheadPs());
        loop.start(job.startPs());
        long events = 0;
        while (!loop.isEmpty()) {
            events += loop.runBefore(Long.MAX_VALUE, PROGRESS_EVERY);
            progress.update(loop.lastEventPs(), events);
        }
        LpReport[] reports = new LpReport[lps.length];
        for (int lp = 0; lp < lps.length; lp++) {
            reports[lp] = lps[lp].report();
        }
        EngineStats stats = new EngineStats(events, loop.lastEventPs(), System.nanoTime() - wallStart, 0, 0);
        return new Outcome(stats, reports);
    }
}
