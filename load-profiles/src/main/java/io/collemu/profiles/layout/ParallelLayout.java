package io.collemu.profiles.layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's GPUs arranged as a grid of parallelism axes ({@code dp}, {@code tp}, {@code pp}, {@code ep}) and the
 * communicators cut from it. The job's local GPU index {@code j} is a mixed-radix number over the axes in
 * {@code order}, the first axis varying fastest: with order {@code [tp, dp]}, tp=4, dp=2, GPUs 0-3 form tp group
 * 0 and GPUs 0 and 4 form dp group 0. A communicator over a set of axes groups the GPUs that share every other
 * coordinate; a GPU's rank in it is its mixed-radix coordinate over the communicator's axes (same order).
 *
 * <pre>
 *   order [tp, ep, dp, pp], tp=2 dp=2:   j = tp + 2*dp
 *     tp groups: {0,1} {2,3}      dp groups: {0,2} {1,3}      world: {0,1,2,3}
 * </pre>
 *
 * <p>Immutable; thread-safe.
 */
public final class ParallelLayout {
    private final List<String> order;
    private final int[] sizes;
    private final int gpus;

    private ParallelLayout(List<String> order, int[] sizes) {
        this.order = List.copyOf(order);
        this.sizes = sizes;
        int n = 1;
        for (int s : sizes) {
            n = Math.multiplyExact(n, s);
        }
        this.gpus = n;
    }

    /**
     * @param sizesByAxis size of each axis (missing axes are 1)
     * @param order       every axis of {@code sizesByAxis} (others are ignored), fastest varying first
     */
    public static ParallelLayout of(Map<String, Integer> sizesByAxis, List<String> order) {
        int[] sizes = new int[order.size()];
        for (int a = 0; a < order.size(); a++) {
            int s = sizesByAxis.getOrDefault(order.get(a), 1);
            if (s < 1) {
                throw new IllegalArgumentException("axis " + order.get(a) + " must be >= 1, got " + s);
            }
            sizes[a] = s;
        }
        return new ParallelLayout(order, sizes);
    }

    /** @return number of GPUs the layout covers (product of the axis sizes) */
    public int gpus() {
        return gpus;
    }

    /** @return the axes, fastest varying first */
    public List<String> order() {
        return order;
    }

    /** @return the size of an axis (1 if it is not in the layout) */
    public int size(String axis) {
        int a = order.indexOf(axis);
        return a < 0 ? 1 : sizes[a];
    }

    /** @return axis name to size, in order */
    public Map<String, Integer> sizes() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int a = 0; a < order.size(); a++) {
            out.put(order.get(a), sizes[a]);
        }
        return out;
    }

    /** @return the coordinate of local GPU {@code j} along {@code axis} */
    public int coordinate(int j, String axis) {
        int a = order.indexOf(axis);
        if (a < 0) {
            return 0;
        }
        int stride = 1;
        for (int k = 0; k < a; k++) {
            stride *= sizes[k];
        }
        return (j / stride) % sizes[a];
    }

    /**
     * The groups of a communicator over {@code axes} ({@code world} = every axis).
     *
     * @return groups ordered by their rank-0 GPU; each group lists local GPU indices by rank
     */
    public List<int[]> groups(List<String> axes) {
        int groupSize = 1;
        for (String axis : axes) {
            groupSize *= size(axis);
        }
        int groupCount = gpus / groupSize;
        int[][] groups = new int[groupCount][groupSize];
        for (int j = 0; j < gpus; j++) {
            int rank = 0;
            int rankStride = 1;
            int key = 0;
            int keyStride = 1;
            for (int a = 0; a < order.size(); a++) {
                int c = coordinate(j, order.get(a));
                if (axes.contains(order.get(a))) {
                    rank += c * rankStride;
                    rankStride *= sizes[a];
                } else {
                    key += c * keyStride;
                    keyStride *= sizes[a];
                }
            }
            groups[key][rank] = j;
        }
        List<int[]> out = new ArrayList<>(Arrays.asList(groups));
        out.sort(Comparator.comparingInt(g -> g[0]));
        return out;
    }

    @Override
    public String toString() {
        return sizes().toString();
    }
}
