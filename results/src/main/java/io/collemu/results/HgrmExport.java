package io.collemu.results;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * {@code latency.hgrm}: HdrHistogram's own percentile distribution text (5 ticks per half distance, values in
 * nanoseconds, output scaling 1.0), byte for byte what {@code outputPercentileDistribution} prints, so that
 * HdrHistogram's plotter reads it. Nothing is added around it for the same reason. Stateless; the histogram must
 * not be recorded into while it is written.
 */
public final class HgrmExport {

    /** Percentile ticks per half distance, HdrHistogram's usual choice. */
    public static final int TICKS_PER_HALF_DISTANCE = 5;

    private HgrmExport() {
    }

    /** Writes the percentile distribution of {@code h} to {@code p}, replacing an existing file. */
    public static void write(Path p, Histogram h) throws IOException {
        try (OutputStream file = Files.newOutputStream(p);
             PrintStream out = new PrintStream(file, false, StandardCharsets.US_ASCII)) {
            h.outputPercentileDistribution(out, TICKS_PER_HALF_DISTANCE, 1.0);
            out.flush();
            if (out.checkError()) {
                throw new IOException("could not write " + p);
            }
        }
    }
}
