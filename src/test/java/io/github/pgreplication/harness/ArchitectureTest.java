package io.github.pgreplication.harness;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layers of the main code (ARCHITECTURE.md), bottom first: a package may import its own layer and those below it,
 * never one above, and no two packages import each other, however indirectly. Each rule is proved to fail on a
 * planted cycle and a planted upward import (package {@code archfixture}, test code only).
 */
class ArchitectureTest {

    static final String ROOT = "io.github.pgreplication.harness";

    /** The layers, bottom first; each is a package (and its subpackages where it ends in {@code ..}). */
    static final List<String> LAYERS = List.of(
            "run",                // the run's infrastructure: resources, waits, secrets, host tools, evidence
            "guide",              // the guide and the manifests under test, read and parsed
            "errata",             // the errata file and the ledger of what deviated
            "lint",               // the static rules over the manifests
            "settings",           // the settings, read once
            "backend",            // what every backend offers (the interface, pods, endpoints)
            "probes",             // SQL over JDBC on an endpoint
            "backend.local",      // the backends
            "backend.containers",
            "backend.kubernetes",
            "backend.kind",       // the kinds of backend, which make them
            "node",               // a server of a pair, as Cluster.pm has a node: its SQL, LSN, walsenders, catch-up
            "clients",            // the application clients (psql, pgjdbc, TypeORM)
            "compat",             // the per-major boot table
            "procedure",          // the guide's procedure on a pair, and the run
            "monitoring",         // the guide's monitoring on a pair
            "reports");           // the certification report

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    @Test
    void noCycleBetweenPackages() {
        assertNoViolation(cycles(ROOT), MAIN);
    }

    @Test
    void noPackageImportsALayerAboveIt() {
        assertNoViolation(layers(ROOT), MAIN);
    }

    @Test
    void everyPackageHasALayer() {
        List<String> outside = MAIN.stream().map(JavaClass::getPackageName).distinct()
                .filter(p -> LAYERS.stream().noneMatch(l -> p.equals(ROOT + "." + l))).sorted().toList();
        assertThat(outside).as("packages with no layer in ArchitectureTest.LAYERS (and ARCHITECTURE.md)").isEmpty();
    }

    @Test
    void theCycleRuleFailsOnAPlantedCycle() {
        String fixture = ROOT + ".archfixture.cycle";
        EvaluationResult result = cycles(fixture).evaluate(new ClassFileImporter().importPackages(fixture));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("Alpha").contains("Beta");
    }

    @Test
    void theLayerRuleFailsOnAPlantedUpwardImport() {
        String fixture = ROOT + ".archfixture.layers";
        EvaluationResult result = layers(fixture).evaluate(new ClassFileImporter().importPackages(fixture));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("Low").contains("High");
    }

    private static ArchRule cycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles();
    }

    private static ArchRule layers(String root) {
        LayeredArchitecture layered = layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true);
        for (String layer : LAYERS) {
            layered = layered.layer(layer).definedBy(root + "." + layer);
        }
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            layered = layered.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(
                    LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new));
        }
        return layered;
    }

    private static void assertNoViolation(ArchRule rule, JavaClasses classes) {
        EvaluationResult result = rule.evaluate(classes);
        assertThat(result.hasViolation()).as("%s", result.getFailureReport()).isFalse();
    }
}
