package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    @TempDir
    Path root;

    @Test
    void shouldNeverReuseAnExistingDirectory() throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);
        Path runs = root.resolve("runs");
        Path first = RunDirectory.create(runs, clock);
        Files.writeString(first.resolve("summary.json"), "{}");
        Path second = RunDirectory.create(runs, clock);
        Path third = RunDirectory.create(runs, clock);
        assertEquals(runs.resolve("20250304-050607"), first);
        assertEquals(runs.resolve("20250304-050607-1"), second);
        assertEquals(runs.resolve("20250304-050607-2"), third);
        assertEquals("{}", Files.readString(first.resolve("summary.json")));
        try (var listing = Files.list(second)) {
            assertEquals(0, listing.count());
        }
    }

    @Test
    void shouldCreateTheRunsRootWithTheWallClock() throws IOException {
        Path dir = RunDirectory.create(root.resolve("a/b/runs"));
        assertTrue(Files.isDirectory(dir));
        assertTrue(dir.getFileName().toString().matches("\\d{8}-\\d{6}"), dir.toString());
    }
}
