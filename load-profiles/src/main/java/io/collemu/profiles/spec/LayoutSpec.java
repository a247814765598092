package io.collemu.profiles.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's parallelism layout as written: sizes of the {@code dp}, {@code tp}, {@code pp}, {@code ep} axes
 * ({@code dp: auto} takes what is left), the order in which they are laid over the job's GPUs (first = fastest
 * varying, i.e. consecutive GPUs), and placement constraints ({@code tp: inside-server}).
 *
 * <p>Immutable value.
 *
 * @param axes      axis name to size value; missing axes are 1 ({@code dp}: auto)
 * @param order     axis order, fastest varying first
 * @param placement axis name to {@code inside-server}, {@code across-servers} or {@code any}
 */
public record LayoutSpec(Map<String, Value> axes, List<String> order, Map<String, Value> placement, Loc loc) {

    /** Axis names. */
    public static final List<String> AXES = List.of("dp", "tp", "pp", "ep");
    /** Default order, as Megatron-LM's tp-ep-dp-pp: tensor parallel on consecutive GPUs. */
    public static final List<String> DEFAULT_ORDER = List.of("tp", "ep", "dp", "pp");

    public LayoutSpec {
        // ordered copies: checks and reports go through the axes in the order written
        axes = Collections.unmodifiableMap(new LinkedHashMap<>(axes));
        order = List.copyOf(order);
        placement = Collections.unmodifiableMap(new LinkedHashMap<>(placement));
    }
}
