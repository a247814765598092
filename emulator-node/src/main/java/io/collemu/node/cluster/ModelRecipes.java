package io.collemu.node.cluster;

import io.collemu.collectives.CollectiveKind;
import io.collemu.collectives.CollectiveRequest;
import io.collemu.collectives.Collectives;
import io.collemu.collectives.Schedule;
import io.collemu.node.lp.Fabric;
import io.collemu.node.lp.Model;
import io.collemu.node.lp.ModelOptions;
import io.collemu.node.run.RankOrder;
import io.collemu.node.run.SweepRunner;
import io.collemu.topology.build.TopologySpecs;
import io.collemu.topology.model.Topology;
import io.collemu.topology.route.Router;
import io.collemu.topology.route.RoutingMode;
import io.collemu.topology.yaml.TopologyYamlLoader;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a model from a {@link ModelRecipe}, the same way on every member. */
public final class ModelRecipes {
    private ModelRecipes() {
    }

    public static Topology topology(ModelRecipe r) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (r.link() != null) {
            overrides.put("link", r.link());
        }
        return r.topologyYaml() != null ? TopologyYamlLoader.load(r.topologyYaml(), r.topologySpec(), overrides)
                : TopologySpecs.parse(r.topologySpec(), overrides);
    }

    public static Model build(ModelRecipe r) {
        Topology t = topology(r);
        Fabric fabric = new Fabric(t, new Router(t, RoutingMode.fromName(r.routing())));
        Schedule schedule = Collectives.schedule(new CollectiveRequest(CollectiveKind.fromName(r.kind()),
                r.algorithm(), r.sizeBytes(), t.gpuCount(), r.channels(), r.root(), t.gpusPerServer(), null, null));
        ModelOptions options = new ModelOptions(r.segmentBytes(), r.reducePsPerByte(), r.stepLatencyPs(),
                r.maxWaitingPerStream(), r.seed());
        return new Model(fabric, SweepRunner.backToBack(schedule, RankOrder.railAware(t), t.gpuCount(),
                r.iterations(), r.startPs()), options, r);
    }
}
