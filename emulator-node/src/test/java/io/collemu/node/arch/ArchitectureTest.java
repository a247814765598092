package io.collemu.node.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The layers of emulator-node read one way, bottom to top: lp (the model) -> engine (the event loop) -> actor ->
 * cluster (the distributed shells) -> run (settings, assembly, orchestration, the writer) -> cli (parsing and
 * printing). No package cycle; Pekko only in the distributed shells; nothing below the command line reads
 * options, system properties or standard streams; the model never reads a clock or an unseeded random source.
 */
class ArchitectureTest {
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.collemu.node");

    @Test
    void shouldHaveNoPackageCycles() {
        slices().matching("io.collemu.node.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void shouldDependOnlyDownTheLayers() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("io.collemu.node..")
                .layer("lp").definedBy("io.collemu.node.lp..")
                .layer("engine").definedBy("io.collemu.node.engine..")
                .layer("actor").definedBy("io.collemu.node.actor..")
                .layer("cluster").definedBy("io.collemu.node.cluster..")
                .layer("run").definedBy("io.collemu.node.run..")
                .layer("cli").definedBy("io.collemu.node.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("run").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("cluster").mayOnlyBeAccessedByLayers("run", "cli")
                .whereLayer("actor").mayOnlyBeAccessedByLayers("cluster", "run", "cli")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("actor", "cluster", "run", "cli")
                .whereLayer("lp").mayOnlyBeAccessedByLayers("engine", "actor", "cluster", "run", "cli")
                .check(MAIN);
    }

    @Test
    void shouldUsePekkoOnlyInTheDistributedShells() {
        noClasses().that().resideOutsideOfPackages("io.collemu.node.actor..", "io.collemu.node.cluster..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.pekko..")
                .because("the model, the event loop, the run layer and the command line are plain Java")
                .check(MAIN);
    }

    @Test
    void shouldReadOptionsAndStreamsOnlyInTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("io.collemu.node.cli..")
                .should().callMethod(System.class, "getProperty", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class, String.class)
                .orShould().callMethod(System.class, "getenv", String.class)
                .orShould().accessField(System.class, "err")
                .orShould().accessField(System.class, "out")
                .orShould().accessField(System.class, "in")
                .because("the command line parses everything once into RunSettings")
                .check(MAIN);
    }

    @Test
    void shouldKeepTheModelFreeOfClocksAndUnseededRandomness() {
        noClasses().that().resideInAPackage("io.collemu.node.lp..")
                .should().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Math.class, "random")
                .orShould().callConstructor(Random.class)
                .orShould().callConstructor(SplittableRandom.class)
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .because("an LP is deterministic: same inputs and seed, same events (DESIGN.md)")
                .check(MAIN);
    }
}
