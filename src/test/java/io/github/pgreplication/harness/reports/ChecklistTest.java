package io.github.pgreplication.harness.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.guide.GuideDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecklistTest {

    private final GuideDocument guide = GuideDocument.load(Path.of("guide/postgresql-master-slave-openshift.fr.md"));
    private final Checklist checklist = Checklist.load(Path.of("features/checklist.yaml"));

    @Test
    void everyItemOfTheGuideIsMapped() {
        List<Checklist.Item> items = checklist.tick(guide, List.of());
        assertThat(items).hasSize(26).noneMatch(i -> i.status() == Checklist.Status.NOT_MAPPED);
        assertThat(items).filteredOn(i -> i.status() == Checklist.Status.MANUAL).extracting(Checklist.Item::text)
                .contains("Formation de l'équipe", "Communication aux utilisateurs");
    }

    @Test
    void anItemIsTickedOnlyWhenEveryScenarioCoveringItPassed() {
        ScenarioOutcome ok = new ScenarioOutcome("f", "Test 2", List.of("@guide-4.2"), "PASSED", "");
        ScenarioOutcome failed = new ScenarioOutcome("f", "Test 1", List.of("@guide-4.1"), "FAILED", "boom");
        ScenarioOutcome negative = new ScenarioOutcome("f", "breaks", List.of("@guide-4.2", "@negative"), "FAILED", "");
        List<Checklist.Item> items = checklist.tick(guide, List.of(ok, failed, negative));
        assertThat(status(items, "Phase 4 : Test lecture seule OK")).isEqualTo(Checklist.Status.PASSED);
        assertThat(status(items, "Phase 4 : Test réplication OK")).isEqualTo(Checklist.Status.FAILED);
        assertThat(status(items, "Phase 3 : Lag < 10MB et < 5s")).isEqualTo(Checklist.Status.NOT_RUN);
        assertThat(status(items, "Formation de l'équipe")).isEqualTo(Checklist.Status.MANUAL);
    }

    @Test
    void aSkippedScenarioNeitherTicksNorFailsAnItem() {
        ScenarioOutcome ok = new ScenarioOutcome("f", "Test 2", List.of("@guide-4.2"), "PASSED", "");
        ScenarioOutcome skipped = new ScenarioOutcome("f", "on a cluster", List.of("@guide-4.2", "@cluster"), "SKIPPED", "");
        ScenarioOutcome onlySkipped = new ScenarioOutcome("f", "on a cluster", List.of("@guide-4.1", "@cluster"), "SKIPPED", "");
        List<Checklist.Item> items = checklist.tick(guide, List.of(ok, skipped, onlySkipped));
        assertThat(status(items, "Phase 4 : Test lecture seule OK")).isEqualTo(Checklist.Status.PASSED);
        assertThat(status(items, "Phase 4 : Test réplication OK")).isEqualTo(Checklist.Status.NOT_RUN);
    }

    @Test
    void anItemMissingFromTheMappingIsNotMappedNeverPassed(@TempDir Path dir) throws Exception {
        Path mapping = dir.resolve("checklist.yaml");
        Files.writeString(mapping, "items:\n  - item: \"Communication aux utilisateurs\"\n    manual: \"human\"\n");
        List<Checklist.Item> items = Checklist.load(mapping).tick(guide, List.of());
        assertThat(status(items, "Phase 1 : Secret réplication créé")).isEqualTo(Checklist.Status.NOT_MAPPED);
    }

    @Test
    void aMappingWithBothScenariosAndManualIsRejected(@TempDir Path dir) throws Exception {
        Path mapping = dir.resolve("checklist.yaml");
        Files.writeString(mapping, "items:\n  - item: \"x\"\n    manual: \"m\"\n    scenarios: [\"@a\"]\n");
        assertThatThrownBy(() -> Checklist.load(mapping)).hasMessageContaining("exactly one of");
    }

    private static Checklist.Status status(List<Checklist.Item> items, String text) {
        return items.stream().filter(i -> i.text().equals(text)).findFirst().orElseThrow().status();
    }
}
