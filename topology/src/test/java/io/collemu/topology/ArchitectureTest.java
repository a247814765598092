package io.collemu.topology;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The topology module is plain Java whose packages depend on each other one way only. */
class ArchitectureTest {
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.collemu.topology");

    @Test
    void shouldHaveNoPackageCycles() {
        slices().matching("io.collemu.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void shouldNotUsePekko() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.pekko..")
                .because("only emulator-node knows Pekko (DESIGN.md)").check(MAIN);
    }
}
