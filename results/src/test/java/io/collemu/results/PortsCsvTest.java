package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortsCsvTest {

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripPortsAndDeriveTotalEnergy() throws IOException {
        List<PortRecord> ports = new ArrayList<>();
        for (int p = 0; p < 16; p++) {
            long bytes = 1_000_000L * (p + 1);
            double bits = EnergyMath.bits(bytes);
            ports.add(new PortRecord(p, "leaf-" + p / 4, "nic-leaf", "gpu-" + p, "cpo", p % 2 == 0 ? "cpo" : "lpo",
                800_000_000_000L, bytes, bytes * 10, 65536L * p, bytes / 4096, p / 16.0,
                EnergyMath.dynamicJoules(bits, 5.6), EnergyMath.dynamicJoules(bits, p % 2 == 0 ? 5.6 : 10.5),
                EnergyMath.idleJoules(9.0, 1_000_000_000L), EnergyMath.idleJoules(9.0, 1_000_000_000L)));
        }
        Path file = dir.resolve("ports.csv");
        PortsCsv.write(file, ports);
        assertEquals(ports, PortsCsv.read(file));
        List<String> lines = Files.readAllLines(file);
        assertEquals(17, lines.size());
        assertTrue(lines.get(0).startsWith("port,node,tier,peer,near_model,far_model,rate_bps,bytes,busy_ps,"
            + "peak_queue_bytes,segments,utilization"), lines.get(0));
        String[] last = lines.get(16).split(",");
        assertEquals(ports.get(15).totalJoules(), Double.parseDouble(last[last.length - 1]), 0.0);
    }
}
