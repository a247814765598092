package io.collemu.node.cli;

import io.collemu.topology.TopologySpecs;
import io.collemu.topology.inventory.Inventory;
import io.collemu.topology.inventory.PresetTable;
import io.collemu.topology.model.Topology;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code collemu topology presets|show}: the link presets, and a fabric's inventory. */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Link presets and fabric inventories.",
        subcommands = {TopologyCommand.Presets.class, TopologyCommand.Show.class})
public final class TopologyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code collemu topology presets}. */
    @Command(name = "presets", mixinStandardHelpOptions = true,
            description = "Lists the link-model presets and their figures (rate, latency parts, optics power, BER, failures).")
    static final class Presets implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(PresetTable.render());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code collemu topology show SPEC|FILE}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Prints a fabric's inventory: GPUs, switches by tier, ports, links, transceivers or CPO ports "
                + "by preset, optics power idle and loaded, bisection bandwidth, oversubscription.",
                "Builders: single-switch, leaf-spine, fat-tree, rail-optimized, or a YAML file."})
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "SPEC|FILE", description = "e.g. rail-optimized:gpus=1024,gpus-per-server=8,link=cpo-1.6t")
        String topology;

        @Option(names = "--link", paramLabel = "PRESET", description = "Replace the fabric's link preset.")
        String link;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            long t0 = System.nanoTime();
            Topology t = link == null ? TopologySpecs.parse(topology)
                    : TopologySpecs.parse(topology, java.util.Map.of("link", link));
            long buildNanos = System.nanoTime() - t0;
            var out = spec.commandLine().getOut();
            String inventory = Inventory.of(t).render();
            out.print(inventory.endsWith("\n") ? inventory : inventory + "\n");
            out.printf("# built in %.1f ms%n", buildNanos / 1e6);
            out.flush();
            return 0;
        }
    }
}
