package io.collemu.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CollectivesCsvTest {

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripEveryFieldBitForBit() throws IOException {
        List<CollectiveRecord> rows = new ArrayList<>(Fixtures.sweep(100, 900_000, 21.0));
        // awkward text and numbers: separators, quotes, line breaks, NaN, tiny and huge doubles
        rows.add(new CollectiveRecord("job, \"quoted\"\nsecond line", 7, "broadcast", "tree", "LL", 3, 1, "int8", "none",
            5, 2, 1, 1, 0, 0, Double.NaN, Double.POSITIVE_INFINITY, 0, 0, 0, 0, 0, 1e-300, 0.1 + 0.2));
        Path file = dir.resolve("collectives.csv");
        CollectivesCsv.write(file, rows);
        assertEquals(rows, CollectivesCsv.read(file));
    }

    @Test
    void shouldNeverWriteARawControlCharacter() throws IOException {
        CollectiveRecord r = Fixtures.sweep(100, 900_000, 21.0).get(0);
        CollectiveRecord hostile = new CollectiveRecord("a\u0000b\u001B[31mc,\r\nd\u007F\u0085", r.iteration(), r.kind(),
            r.algorithm(), r.protocol(), r.sizeBytes(), r.countElements(), r.type(), r.redop(), r.root(), r.ranks(), r.channels(),
            r.segmentBytes(), r.startPs(), r.endPs(), r.algbwGBps(), r.busbwGBps(), r.segments(), r.latencyP50Ns(),
            r.latencyP99Ns(), r.latencyP999Ns(), r.latencyMaxNs(), r.energyJoules(), r.bitsMoved());
        Path file = dir.resolve("collectives.csv");
        CollectivesCsv.write(file, List.of(hostile));
        String text = Files.readString(file);
        assertTrue(text.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r'), text);
        assertTrue(text.contains("\"a\uFFFDb\uFFFD[31mc,\r\nd\uFFFD\uFFFD\""), "quoted, controls replaced: " + text);
        assertEquals("a\uFFFDb\uFFFD[31mc,\r\nd\uFFFD\uFFFD", CollectivesCsv.read(file).get(0).job());
    }

    @Test
    void shouldNameUnitsInTheHeader() throws IOException {
        Path file = dir.resolve("collectives.csv");
        CollectivesCsv.write(file, Fixtures.sweep(100, 900_000, 21.0));
        String header = Files.readAllLines(file).get(0);
        for (String column : List.of("size_bytes", "start_ps", "end_ps", "duration_ps", "algbw_GBps",
            "busbw_GBps", "latency_p99_ns", "energy_joules", "pj_per_bit")) {
            assertTrue(header.contains(column), header);
        }
        assertEquals(CollectivesCsv.COLUMNS.size(), header.split(",").length);
    }

    @Test
    void shouldReadColumnsInAnyOrder() throws IOException {
        CollectiveRecord r = Fixtures.sweep(100, 900_000, 21.0).get(4);
        Path file = dir.resolve("collectives.csv");
        CollectivesCsv.write(file, List.of(r));
        List<String> lines = Files.readAllLines(file);
        // swap the first two columns of header and row alike
        List<String> swapped = lines.stream().map(l -> {
            String[] f = l.split(",", -1);
            String t = f[0];
            f[0] = f[1];
            f[1] = t;
            return String.join(",", f);
        }).toList();
        Files.write(file, swapped);
        assertEquals(List.of(r), CollectivesCsv.read(file));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "size_bytes|12x|line 3, field size_bytes: '12x' is not an integer",
        "busbw_GBps|fast|line 3, field busbw_GBps: 'fast' is not a number",
        "root|99999999999|line 3, field root: 99999999999 does not fit an int"})
    void shouldNameFileLineAndFieldOfABadValue(String column, String bad, String expected) throws IOException {
        Path file = dir.resolve("collectives.csv");
        CollectivesCsv.write(file, Fixtures.sweep(100, 900_000, 21.0).subList(0, 3));
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int index = CollectivesCsv.COLUMNS.indexOf(column);
        String[] f = lines.get(2).split(",", -1);
        f[index] = bad;
        lines.set(2, String.join(",", f));
        Files.write(file, lines);
        MalformedResultsFileException e = assertThrows(MalformedResultsFileException.class,
            () -> CollectivesCsv.read(file));
        assertEquals(file + " " + expected, e.getMessage());
        assertEquals(3, e.line());
        assertEquals(column, e.field());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void shouldReportMissingColumnsAndShortRows() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "job,iteration\nx,1\n");
        MalformedResultsFileException missing = assertThrows(MalformedResultsFileException.class,
            () -> CollectivesCsv.read(file));
        assertTrue(missing.getMessage().contains("line 1, field kind: missing column 'kind'"), missing.getMessage());

        CollectivesCsv.write(file, Fixtures.sweep(100, 900_000, 21.0).subList(0, 2));
        Files.writeString(file, Files.readString(file) + "only,three,fields\n");
        MalformedResultsFileException shortRow = assertThrows(MalformedResultsFileException.class,
            () -> CollectivesCsv.read(file));
        assertTrue(shortRow.getMessage().endsWith("line 4: 3 fields where the header has "
            + CollectivesCsv.COLUMNS.size()), shortRow.getMessage());

        Files.writeString(file, "");
        assertThrows(MalformedResultsFileException.class, () -> CollectivesCsv.read(file));
    }

    @Test
    void shouldCountLinesInsideQuotedFieldsWhenReportingErrors() throws IOException {
        CollectiveRecord multiLine = new CollectiveRecord("a\nb\nc", 0, "reduce", "tree", "LL128", 8, 2, "float", "sum",
            0,
            4, 1, 8, 0, 10, 1, 1, 1, 1, 1, 1, 1, 0, 64);
        Path file = dir.resolve("collectives.csv");
        CollectivesCsv.write(file, List.of(multiLine, multiLine));
        // the second record starts on line 5: header, then a record spanning three lines
        String text = Files.readString(file);
        int second = text.lastIndexOf("\"a\nb\nc\",0,reduce");
        Files.writeString(file, text.substring(0, second) + text.substring(second).replace(",tree,LL128,", ",tree,LL128,x"));
        MalformedResultsFileException e = assertThrows(MalformedResultsFileException.class,
            () -> CollectivesCsv.read(file));
        assertEquals(5, e.line(), e.getMessage());
    }
}
