package io.collemu.node.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.collemu.collectives.CollectiveKind;
import io.collemu.node.lp.ModelOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Everything another cluster member needs to build the same job: where the topology comes from, the model
 * options, the workload (one sweep step, or a profile) and the start time. It travels as JSON bytes, opaque to the
 * cluster layer; members rebuild the job deterministically ({@link ModelAssembly#factory}).
 *
 * @param sweep     the sweep (with {@code kind} and {@code sizeBytes} naming the step), or null
 * @param profile   the profile, or null
 * @param faults    the run's faults, which every member resolves to the same plan
 */
public record ModelRecipe(TopologySource topology, ModelOptions options, Fidelity fidelity, SweepSpec sweep,
        CollectiveKind kind, long sizeBytes, ProfileSpec profile, long startPs, FaultSettings faults) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The recipe as bytes. */
    public byte[] encode() {
        try {
            return JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a model recipe: " + e.getMessage(), e);
        }
    }

    /** The recipe from {@link #encode}'s bytes. */
    public static ModelRecipe decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, ModelRecipe.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot decode a model recipe: " + e.getMessage(), e);
        }
    }
}
