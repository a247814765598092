package io.collemu.profiles.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collemu.profiles.spec.ProfileException;
import io.collemu.profiles.spec.Loc;
import io.collemu.profiles.spec.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EnvTest {
    private static final Loc AT = new Loc("t.yaml", 3, "x");

    private static Env env(String... kv) {
        Map<String, Value> p = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], new Value(kv[i + 1], AT));
        }
        return new Env(p);
    }

    @ParameterizedTest
    @CsvSource({"8, 8", "25M, 26214400", "8G, 8589934592", "8g, 8589934592", "4KiB, 4096", "4KB, 4000",
            "1.5K, 1536", "2*${b}, 52428800", "${b} / 2, 13107200", "'${min(b, 7e9 - 3 * b)}', 26214400",
            "${ceil(7e9 * 2 / 8 / b)} * 1B, 67"})
    void shouldReadSizesAsNcclTestsDoes(String text, long bytes) {
        assertEquals(bytes, env("b", "25M").sizeBytes(new Value(text, AT), 1, Env.MAX_SIZE_BYTES));
    }

    @ParameterizedTest
    @CsvSource({"3ms, 3000000000", "250us, 250000000", "7ns, 7000", "2s, 2000000000000", "${t} / 4, 15000000000",
            "0, 0"})
    void shouldReadDurationsInPicoseconds(String text, long ps) {
        assertEquals(ps, env("t", "60ms").durationPs(new Value(text, AT)));
    }

    @Test
    void shouldRejectMixedUnitsAndBareNames() {
        ProfileException mixed = assertThrows(ProfileException.class,
                () -> env().sizeBytes(new Value("1M + 1ms", AT), 1, 100));
        assertEquals("t.yaml:3: x: '1M + 1ms': '+' mixes a size and a duration", mixed.getMessage());
        ProfileException bare = assertThrows(ProfileException.class,
                () -> env("b", "1").sizeBytes(new Value("b", AT), 1, 100));
        assertTrue(bare.getMessage().contains("write ${b} to use a parameter"), bare.getMessage());
        ProfileException unit = assertThrows(ProfileException.class,
                () -> env().sizeBytes(new Value("3 parsecs", AT), 1, 100));
        assertTrue(unit.getMessage().contains("unexpected 'parsecs'"), unit.getMessage());
        ProfileException unit2 = assertThrows(ProfileException.class,
                () -> env().sizeBytes(new Value("3Q", AT), 1, 100));
        assertTrue(unit2.getMessage().contains("unknown unit 'Q'"), unit2.getMessage());
    }

    @Test
    void shouldInterpolateTextAndDeferLateNames() {
        Env e = env("alg", "ring", "n", "4");
        assertEquals("ring", e.text(new Value("${alg}", AT)));
        assertEquals("bwd[3]", e.text(new Value("bwd[${n - 1}]", AT)));
        assertThrows(UnboundException.class, () -> e.text(new Value("0-${gpuCount - 1}", AT)));
        assertEquals("0-15", e.bind("gpuCount", 16).text(new Value("0-${gpuCount - 1}", AT)));
        ProfileException strict = assertThrows(ProfileException.class,
                () -> e.strict().integer(new Value("${jobGpus}", AT), 0, 10));
        assertTrue(strict.getMessage().contains("'jobGpus' is not defined here"), strict.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"1.5, 1.5", "1.1K, 1126.4", "0.3, 0.3"})
    void shouldRefuseFractionalBytesWrittenAsNumbers(String text, String bytes) {
        ProfileException e = assertThrows(ProfileException.class,
                () -> env().sizeBytes(new Value(text, AT), 1, Env.MAX_SIZE_BYTES));
        assertEquals("t.yaml:3: x: size " + text + " is not a whole number of bytes (" + bytes + " bytes)",
                e.getMessage());
        assertEquals(2, env().sizeBytes(new Value("${3 / 2}", AT), 1, 100), "an expression's result is rounded");
    }

    static Stream<Arguments> hostileExpressions() {
        return Stream.of(
                Arguments.of("parentheses", "(".repeat(1000) + "1" + ")".repeat(1000), "nested more than 64 levels"),
                Arguments.of("braces", "${".repeat(1000) + "1" + "}".repeat(1000), "nested more than 64 levels"),
                Arguments.of("signs", "-".repeat(2000) + "1", "nested more than 64 levels"),
                Arguments.of("powers", "2^".repeat(1000) + "2", "nested more than 64 levels"),
                Arguments.of("calls", "${" + "max(".repeat(700) + "1" + ")".repeat(700) + "}",
                        "nested more than 64 levels"),
                Arguments.of("long", "-".repeat(50_000) + "1", "is 50001 characters long; an expression may have at"
                        + " most 4096"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileExpressions")
    void shouldRefuseDeepOrLongExpressionsWithoutOverflowingTheStack(String name, String text, String expected)
            throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        // a small stack, as a worker thread may have: the old evaluator overflowed it at a few hundred levels
        Thread t = new Thread(null, () -> {
            try {
                env().sizeBytes(new Value(text, AT), 1, Env.MAX_SIZE_BYTES);
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "small-stack", 256 << 10);
        t.start();
        t.join();
        assertTrue(thrown.get() instanceof ProfileException, "got " + thrown.get());
        assertTrue(thrown.get().getMessage().startsWith("t.yaml:3: x: '"), thrown.get().getMessage());
        assertTrue(thrown.get().getMessage().contains(expected), thrown.get().getMessage());
        assertTrue(thrown.get().getMessage().length() < 5000 + 200 || name.equals("long"), "one line");
    }

    @Test
    void shouldRefuseAChainOfParametersLongerThanTheLimit() {
        String[] kv = new String[2 * 40];
        for (int i = 0; i < 40; i++) {
            kv[2 * i] = "p" + i;
            kv[2 * i + 1] = i == 39 ? "8" : "${p" + (i + 1) + "}";
        }
        ProfileException e = assertThrows(ProfileException.class,
                () -> env(kv).sizeBytes(new Value("${p0}", AT), 1, 100));
        assertTrue(e.getMessage().contains("parameters refer to each other more than 16 deep (p0 -> ... -> p16)"),
                e.getMessage());
        assertEquals(8, env(kv).sizeBytes(new Value("${p30}", AT), 1, 100), "a chain of 10 is fine");
    }
}
