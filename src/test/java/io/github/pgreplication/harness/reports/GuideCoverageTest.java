package io.github.pgreplication.harness.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.guide.GuideDocument;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The coverage of the guide's shell blocks: a block counts only when every one of its commands ran as written. */
class GuideCoverageTest {

    private final GuideDocument guide = GuideDocument.load(Path.of("guide/postgresql-master-slave-openshift.fr.md"));

    @Test
    void aShellBlockCountsOnlyWhenEachOfItsCommandsRanAsWritten() {
        GuideCoverage.Count none = GuideCoverage.shellBlocks(guide, Set.of(), "local");
        assertThat(none.covered()).isZero();
        assertThat(none.total()).isGreaterThan(20).isEqualTo(none.notCovered().size());
        assertThat(none.what()).contains("(local)");

        GuideDocument.CodeBlock watch = guide.blocks().stream().filter(b -> b.step().equals("2.5") && b.language().equals("bash"))
                .findFirst().orElseThrow();
        Set<String> all = watch.commands().stream().map(c -> "command#2.5/" + c)
                .collect(Collectors.toSet());
        assertThat(GuideCoverage.shellBlocks(guide, all, "kubernetes").covered()).isEqualTo(1);

        String first = all.iterator().next();
        GuideCoverage.Count part = GuideCoverage.shellBlocks(guide, Set.of(first), "kubernetes");
        assertThat(part.covered()).isZero();
        assertThat(part.notCovered()).anyMatch(n -> n.contains("(line " + watch.line() + "): 1 of its "));
    }
}
