package io.github.pgreplication.harness.lint;

import io.github.pgreplication.harness.guide.MasterProfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.errata.ErrataCatalog;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.ManifestSet;
import io.github.pgreplication.harness.errata.ErrataExpectation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class LintReportTest {

    private final ErrataCatalog all = ErrataCatalog.load(Path.of("manifests/guide-errata.yaml"));
    /** The errata a run on the official image's master holds itself to. */
    private final ErrataCatalog catalog = all.forMaster(MasterProfile.OFFICIAL_IMAGE);
    private final GuideDocument guide = GuideDocument.load(Path.of("guide/postgresql-master-slave-openshift.fr.md"));

    private LintReport lint(String dir) {
        return Linter.standard(Severity.ERROR).lint(dir, Path.of("manifests", dir), Optional.of(guide), 15, Optional.empty());
    }

    @Test
    void thePublishedGuideFailsOnlyWhereTheErrataSayAndTheCorrectedOneNotAtAll() {
        LintReport published = lint("published");
        LintReport corrected = lint("corrected");
        assertThat(published.failing()).extracting(Finding::ruleId).containsOnly("PGR015", "PGR017", "PGR019", "PGR020", "PGR021", "PGR022", "PGR023", "PGR024",
                "PGR033", "PGR038");
        assertThat(corrected.failing()).isEmpty();
        assertThat(LintVerdict.problems(published, catalog.all(), new ErrataLedger(catalog, ErrataExpectation.ALL))).isEmpty();
        assertThat(LintVerdict.problems(corrected, catalog.all(), new ErrataLedger(catalog, ErrataExpectation.TEXT_ONLY))).isEmpty();
        assertThat(LintVerdict.unexplainedDifferences(published, corrected, catalog.all())).isEmpty();
    }

    @Test
    void onTheTemplatesMasterTheLintFindsItsOwnErrataToo() {
        ErrataCatalog template = all.forMaster(MasterProfile.OPENSHIFT_TEMPLATE);
        LintReport published = lint("openshift-template/published");
        LintReport corrected = lint("openshift-template/corrected");
        assertThat(published.failing()).extracting(Finding::ruleId).contains("PGR036", "PGR037");
        assertThat(corrected.failing()).isEmpty();
        assertThat(LintVerdict.problems(published, template.all(), new ErrataLedger(template, ErrataExpectation.ALL))).isEmpty();
        assertThat(LintVerdict.unexplainedDifferences(published, corrected, template.all())).isEmpty();
        // The official image's master: neither rule fires (their errata are not that master's).
        assertThat(lint("published").failing()).extracting(Finding::ruleId).doesNotContain("PGR036", "PGR037");
    }

    @Test
    void aManifestErratumStillFoundOnTheCorrectedManifestsIsAProblem() {
        LintReport published = lint("published");
        assertThat(LintVerdict.problems(published, catalog.all(), new ErrataLedger(catalog, ErrataExpectation.TEXT_ONLY)))
                .anyMatch(p -> p.contains("E02")).anyMatch(p -> p.contains("E06")).anyMatch(p -> p.contains("E09"));
    }

    @Test
    void anUnrecordedFailingFindingIsAProblem() {
        LintReport report = new LintReport("x", Path.of("manifests/corrected"), Rules.all(),
                List.of(new Finding("PGR011", Severity.ERROR, "f.yaml", 1, "ConfigMap/x", "data.pg_hba.conf", "0.0.0.0/0")),
                Severity.ERROR);
        assertThat(LintVerdict.problems(report, catalog.all(), new ErrataLedger(catalog, ErrataExpectation.ANY)))
                .singleElement().asString().startsWith("unrecorded");
    }

    @Test
    @SuppressWarnings("unchecked")
    void sarifJsonAndJunitAreWellFormed() throws Exception {
        LintReport published = lint("published");
        Map<String, Object> sarif = (Map<String, Object>) ManifestSet.parseYaml(published.sarif());
        assertThat(sarif).containsEntry("version", "2.1.0");
        Map<String, Object> run = ((List<Map<String, Object>>) sarif.get("runs")).get(0);
        assertThat((List<Object>) run.get("results")).hasSize(published.findings().size());
        Map<String, Object> json = (Map<String, Object>) ManifestSet.parseYaml(published.json());
        assertThat(json).containsEntry("failing", published.failing().size());
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(published.junitXml().getBytes(StandardCharsets.UTF_8)));
        assertThat(junit.getElementsByTagName("testcase").getLength()).isEqualTo(Rules.all().size());
        assertThat(junit.getElementsByTagName("failure").getLength()).isEqualTo(published.failing().size());
        assertThat(published.text()).contains("PGR019");
    }
}
