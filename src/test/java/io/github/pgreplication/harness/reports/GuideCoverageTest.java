package io.github.pgreplication.harness.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.procedure.ClusterCommands;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The coverage of the guide's shell blocks: a block counts only when every one of its commands ran as written, and
 * each block not run says why.
 */
class GuideCoverageTest {

    private final GuideDocument guide = GuideDocument.load(Path.of("guide/postgresql-master-slave-openshift.fr.md"));

    private final GuideDocument.CodeBlock watch = guide.blocks().stream()
            .filter(b -> b.step().equals("2.5") && b.language().equals("bash")).findFirst().orElseThrow();

    @Test
    void aShellBlockCountsOnlyWhenEachOfItsCommandsRanAsWritten() {
        GuideCoverage.Count none = GuideCoverage.shellBlocks(guide, Set.of(), Map.of(), List.of(), "local");
        assertThat(none.covered()).isZero();
        assertThat(none.total()).isGreaterThan(20).isEqualTo(none.notCovered().size());
        assertThat(none.what()).contains("(local)");

        Set<String> all = watch.commands().stream().map(c -> "command#2.5/" + c)
                .collect(Collectors.toSet());
        assertThat(GuideCoverage.shellBlocks(guide, all, Map.of(), List.of(), "kubernetes").covered()).isEqualTo(1);

        String first = all.iterator().next();
        GuideCoverage.Count part = GuideCoverage.shellBlocks(guide, Set.of(first), Map.of(), List.of(), "kubernetes");
        assertThat(part.covered()).isZero();
        assertThat(part.notCovered()).anyMatch(n -> n.contains("(line " + watch.line() + "): 1 of its "));
    }

    @Test
    void eachBlockNotRunSaysWhy() {
        List<String> lines = watch.commands();
        ScenarioOutcome onCluster = new ScenarioOutcome("f", "s", List.of("@cluster", "@guide-2.5"), "SKIPPED",
                "the guide's oc commands need a cluster; this run's backend is local");
        ScenarioOutcome noDns = new ScenarioOutcome("f", "s", List.of("@guide-2.5"), "SKIPPED", "no DNS of the run's own");
        assertThat(line(GuideCoverage.shellBlocks(guide, Set.of(), Map.of(), List.of(onCluster, noDns), "local")))
                .endsWith("not run as written — its scenarios were not run on the local backend (needs a cluster; no DNS of the run's own)");

        Map<String, String> refused = Map.of(ClusterCommands.NOT_PROVIDED + "2.5/" + lines.get(0),
                "oc: get -w is not provided by the local backend\n");
        ScenarioOutcome passed = new ScenarioOutcome("f", "s", List.of("@guide-2.5"), "PASSED", "");
        assertThat(line(GuideCoverage.shellBlocks(guide, Set.of(), refused, List.of(passed), "local")))
                .endsWith("— `oc: get -w is not provided by the local backend`");

        Set<String> allButLast = lines.subList(0, lines.size() - 1).stream().map(c -> "command#2.5/" + c)
                .collect(Collectors.toSet());
        assertThat(line(GuideCoverage.shellBlocks(guide, allButLast, Map.of(), List.of(passed), "local")))
                .endsWith("commands run as written — no scenario that ran on the local backend runs `" + lines.get(lines.size() - 1) + "`");
        assertThat(line(GuideCoverage.shellBlocks(guide, allButLast, Map.of(), List.of(passed, onCluster), "local")))
                .endsWith("— of its scenarios, 1 was not run on the local backend (needs a cluster); those that ran do not run it "
                        + "whole as typed");

        ScenarioOutcome failed = new ScenarioOutcome("f", "s", List.of("@guide-2.5"), "FAILED", "");
        assertThat(line(GuideCoverage.shellBlocks(guide, Set.of(), Map.of(), List.of(failed), "local")))
                .endsWith("— its scenarios did not pass");
        assertThat(line(GuideCoverage.shellBlocks(guide, Set.of(), Map.of(), List.of(), "local")))
                .endsWith("— no scenario runs this section");
    }

    private String line(GuideCoverage.Count count) {
        return count.notCovered().stream().filter(n -> n.contains("(line " + watch.line() + ")")).findFirst().orElseThrow();
    }
}
