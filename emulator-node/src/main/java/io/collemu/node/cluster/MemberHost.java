package io.collemu.node.cluster;

import io.collemu.node.actor.LpMessages.ClockCommand;
import io.collemu.node.actor.MemberClock;
import io.collemu.node.cluster.HostMessages.ClockReady;
import io.collemu.node.cluster.HostMessages.SetupFailed;
import io.collemu.node.cluster.HostMessages.SetupRun;
import io.collemu.node.engine.Grouping;
import io.collemu.node.engine.Progress;
import io.collemu.node.lp.Model;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The host on every member: registered with the receptionist, it builds the model of each run it is given and
 * spawns that run's member clock, which spawns the member's LP actors.
 */
public final class MemberHost {
    private MemberHost() {
    }

    public static Behavior<HostMessages.Command> create(String dispatcher) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(HostMessages.HOST_KEY, ctx.getSelf()));
            return Behaviors.receive(HostMessages.Command.class)
                    .onMessage(SetupRun.class, m -> {
                        try {
                            Model model = ModelRecipes.build(m.recipe());
                            Grouping grouping = Grouping.of(model.fabric(), Grouping.Mode.fromName(m.grouping()));
                            ActorRef<ClockCommand> clock = ctx.spawnAnonymous(MemberClock.create(model, m.member(),
                                    grouping, m.groupMember(), m.crossLookaheadPs(), m.recipe().startPs(), dispatcher,
                                    Progress.NONE),
                                    DispatcherSelector.fromConfig(dispatcher));
                            m.replyTo().tell(new ClockReady(m.runId(), m.member(), clock));
                        } catch (RuntimeException e) {
                            m.replyTo().tell(new SetupFailed(m.runId(), m.member(), e.getClass().getSimpleName() + ": "
                                    + e.getMessage()));
                        }
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
