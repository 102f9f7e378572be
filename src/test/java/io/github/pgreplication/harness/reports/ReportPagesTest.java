package io.github.pgreplication.harness.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.backend.BackendDescription;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.ErrataCatalog;
import io.github.pgreplication.harness.errata.ErrataExpectation;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.GuideQuery;
import io.github.pgreplication.harness.procedure.RunRecord;
import io.github.pgreplication.harness.run.Evidence;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages from a run record made here (the guide, the errata file and the manifests of the repository; a ledger and
 * evidence filled as a run fills them), without servers: what they place where. GuidePageBrowserIT opens a real run's.
 */
class ReportPagesTest {

    private static final HarnessSettings SETTINGS = new HarnessSettings(Path.of(""));
    private static final GuideDocument GUIDE = GuideDocument.load(SETTINGS.guideFile());

    private static RunRecord run(List<String> reproduce) {
        GuideNames names = GuideNames.of(GuideModel.load(SETTINGS.publishedManifestsDir()));
        ErrataCatalog catalog = ErrataCatalog.load(SETTINGS.errataFile());
        ErrataLedger ledger = new ErrataLedger(catalog, ErrataExpectation.ANY);
        Evidence evidence = new Evidence();
        for (String id : reproduce) {
            Erratum e = catalog.all().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
            ledger.verbatim(e.item(), () -> {
                throw Deviation.sql(e.item(), new SQLException("column \"replay_time\" does not exist", "42703")).raise();
            }, () -> 0);
        }
        GuideQuery q = GUIDE.query("3.3", "replay_time");
        evidence.ran(q.item(), "SQLSTATE 42703", false, "ERROR: column \"replay_time\" does not exist");
        evidence.ran(GUIDE.query("1.6", "rolname").item(), "no error", true, "rolname | rolreplication\nreplicator | true\n");
        evidence.ran("command#reconnaissance/oc get pvc | grep postgres", "exit 0", true, "postgresql-slave   Bound");
        evidence.figure("4.3", "Test 3: commit of 10,000 rows to replayed on the replica", 412, "ms", "shared pair", "local 15");
        evidence.figure("1.5", "master restart with the new DeploymentConfig (pod deleted to ready)", 400_000, "ms",
                "shared pair", "local 15");
        return new RunRecord(SETTINGS, Instant.parse("2026-01-01T00:00:00Z"), GUIDE, names, names, ledger, evidence,
                List.of(new BackendDescription("local", "PostgreSQL 15.0", "PostgreSQL processes", "binaries /usr/lib")),
                List.of(), Map.of(), List.of(), List.of(), List.of(new Waits.CloseCall("pod postgresql-slave-1 Ready",
                        Duration.ofMillis(41_000), Duration.ofMillis(60_000))));
    }

    private static List<ScenarioOutcome> scenarios(String test1Status) {
        return List.of(
                new ScenarioOutcome("phase-3-replication.feature", "Étape 3.3 — the lag", List.of("@guide-3.3", "@erratum-E03"),
                        "PASSED", ""),
                new ScenarioOutcome("phase-4-validation.feature", "Test 1 — rows", List.of("@guide-4.1"), test1Status,
                        test1Status.equals("FAILED") ? "expected 3 rows" : ""),
                new ScenarioOutcome("cluster-commands.feature", "Commandes de reconnaissance", List.of("@guide-reconnaissance",
                        "@cluster"), "SKIPPED", ""));
    }

    private static Path write(Path dir, String test1Status) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("certification.md"), "# Certification\n\n**Verdict: NOT CERTIFIED** — 1 of 3.\n");
        return ReportPages.write(dir, run(List.of("E03")), scenarios(test1Status), Instant.parse("2026-01-01T00:01:00Z"));
    }

    @Test
    void aCloseCallIsListedWithItsLimitAndTheShareItTook(@TempDir Path dir) throws IOException {
        RunRecord run = run(List.of("E03"));
        List<ScenarioOutcome> outcomes = scenarios("PASSED");
        Path file = CertificationReport.write(dir, run, outcomes, Verdict.of(run, outcomes), Instant.parse("2026-01-01T00:01:00Z"));
        String md = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(between(md, "## Close calls", "\n## ")).contains("`harness.timeout.scale` 1",
                "| pod postgresql-slave-1 Ready | 41000 ms | 60000 ms | 68 % |");
    }

    @Test
    void everySectionOfTheGuideHasItsResultUnderItsHeading(@TempDir Path dir) throws IOException {
        String html = Files.readString(write(dir, "FAILED"), StandardCharsets.UTF_8);
        long headings = new GuideLines(GUIDE).headings().stream().filter(h -> h.level() == 2 || h.level() == 3).count();
        Matcher annotated = Pattern.compile("</h[23]>\\n<div class=\"note section-note [a-z-]+-note\" lang=\"en\" data-section=")
                .matcher(html);
        int n = 0;
        while (annotated.find()) {
            n++;
        }
        assertThat(n).as("headings with their result").isEqualTo(headings);
        assertThat(html).contains("<p class=\"verdict\" id=\"verdict\">Verdict: NOT CERTIFIED — 1 of 3.</p>")
                .doesNotContain("<script").doesNotContain("<link").doesNotContain("src=\"http")
                .contains("data-step=\"4.1\"");
        RunSummary summary = ReportPages.JSON.readValue(dir.resolve("run.json").toFile(), RunSummary.class);
        assertThat(summary.steps()).extracting(RunSummary.Step::id, RunSummary.Step::result).contains(
                org.assertj.core.groups.Tuple.tuple("3.3", "erratum"), org.assertj.core.groups.Tuple.tuple("4.1", "failed"),
                org.assertj.core.groups.Tuple.tuple("reconnaissance", "not-run"), org.assertj.core.groups.Tuple.tuple("1.2", "passed"));
    }

    @Test
    void anErratumStandsAtItsLineWithItsCorrectionAsADiff(@TempDir Path dir) throws IOException {
        String html = Files.readString(write(dir, "PASSED"), StandardCharsets.UTF_8);
        int line = GUIDE.query("3.3", "replay_time").line();
        assertThat(Files.readAllLines(GUIDE.file()).get(line - 1)).as("the query's line").startsWith("oc exec $MASTER_POD");
        String box = between(html, "<aside class=\"erratum-box\" lang=\"en\" id=\"erratum-E03\"", "</aside>");
        assertThat(box).contains("data-line=\"" + line + "\"", "data-result=\"erratum\"", "SQLSTATE 42703",
                "<span class=\"add\">+ ", "COALESCE(replay_lag");
        // after the block of Étape 3.3, before the next section
        assertThat(html.indexOf("id=\"erratum-E03\"")).isGreaterThan(html.indexOf("FROM pg_stat_replication;\n&quot;\n</code></pre>",
                html.indexOf("id=\"step-3.3\""))).isLessThan(html.indexOf("id=\"step-4.1\""));
        // a manifest erratum not reproduced here: its correction is the corrected manifest's hunk that names it
        assertThat(between(html, "id=\"erratum-E02\"", "</aside>")).contains("data-result=\"not-run\"",
                "manifests/published/postgresql-master-init.yaml → manifests/corrected/postgresql-master-init.yaml",
                "ERRATUM E02");
        // what the query printed, beside the guide's « Résultat attendu »
        assertThat(html).containsPattern("(?s)<div class=\"beside\"><div class=\"expected\"><p>Résultat attendu : <code>replicator \\| t"
                + "</code></p>\\n</div><div class=\"actual\" lang=\"en\">.*replicator \\| true");
    }

    @Test
    void aCommandBlockSaysWhatRanOfItAsWrittenAndWhatDidNot(@TempDir Path dir) throws IOException {
        String html = Files.readString(write(dir, "PASSED"), StandardCharsets.UTF_8);
        String reconnaissance = html.substring(html.indexOf("id=\"step-reconnaissance\""), html.indexOf("id=\"step-versions\""));
        assertThat(reconnaissance).contains("ran as written in bash on the local backend (1 command line(s); exit statuses: exit 0)",
                "$ oc get pvc | grep postgres   # exit 0\npostgresql-slave   Bound",
                // the rest of that block, and the next block, with why: the coverage's words (GuideCoverage.whyNot)
                "4 of its command lines not run as written: its scenarios were not run on the local backend",
                "the shell block not run as written: its scenarios were not run on the local backend");
        assertThat(reconnaissance).doesNotContain("data-result=\"passed\"><span class=\"badge passed\" data-result=\"passed\">"
                + "passed</span>the shell");
    }

    @Test
    void aFigureStandsBesideThePromiseItAnswers(@TempDir Path dir) throws IOException {
        String html = Files.readString(write(dir, "PASSED"), StandardCharsets.UTF_8);
        String test3 = between(html, "<div class=\"promise\" lang=\"en\" data-promise=\"en &lt; 5 secondes\"", "</div>");
        assertThat(test3).contains("data-result=\"passed\"", "<b class=\"figure\">412 ms</b>");
        String restart = between(html, "data-promise=\"interruption de service ~2-5 minutes\"", "</div>");
        assertThat(restart).contains("data-result=\"failed\"", "400 000 ms", "breaks it");
        assertThat(Promises.of(new GuidePage(new RunResults(run(List.of()), List.of(), dir)).lines(), List.of()))
                .as("the guide's promises found").hasSize(8);
    }

    @Test
    void everyErratumIsPlacedInItsStepsSection() {
        GuideLines lines = new GuideLines(GUIDE);
        List<String> misplaced = new ArrayList<>();
        for (Erratum e : ErrataCatalog.load(SETTINGS.errataFile()).all()) {
            int line = lines.lineOf(e);
            GuideLines.Heading h = lines.heading(e.step()).orElseThrow();
            if (line < h.line() || line > lines.sectionEnd(h)) {
                misplaced.add(e.id() + " at " + line + ", outside " + h.text());
            }
        }
        assertThat(misplaced).isEmpty();
    }

    @Test
    void thePagesAreRefusedWhenTheyWouldHoldAPassword(@TempDir Path dir) throws IOException {
        String password = Secrets.newPassword();
        Files.writeString(dir.resolve("certification.md"), "**Verdict: CERTIFIED**\n");
        List<ScenarioOutcome> leaking = List.of(new ScenarioOutcome("f.feature", "s", List.of("@guide-1.1"), "FAILED",
                "psql: password " + password));
        assertThatThrownBy(() -> ReportPages.write(dir, run(List.of()), leaking, Instant.now()))
                .hasMessageContaining("refusing to write guide.html: it would contain a password");
        assertThat(dir.resolve("guide.html")).doesNotExist();
    }

    @Test
    void theIndexPutsTheRunsSideBySide(@TempDir Path root) throws IOException {
        write(root, "PASSED");
        write(root.resolve("published"), "FAILED");
        String index = Files.readString(root.resolve("index.html"), StandardCharsets.UTF_8);
        assertThat(RunIndex.rootOf(root.resolve("published"))).isEqualTo(root.toAbsolutePath().normalize());
        assertThat(index).contains("2 run(s) side by side", "href=\"guide.html#step-3.3\"", "href=\"published/guide.html#step-4.1\"")
                .doesNotContain("<script");
        String once = between(index, "<h3>In one run only</h3>", "</ul>");
        assertThat(once).contains("phase-4-validation.feature: Test 1 — rows", "published/guide.html#scenario-2");
        assertThat(between(index, "<h3>In every run that ran it</h3>", "</ul>")).contains("nothing");
    }

    @Test
    void aDiffShowsTheRemovedLinesThenTheAddedOnes() {
        List<LineDiff.Line> diff = LineDiff.of("a\nb\nc\nd\ne\nf\ng\nh", "a\nb\nc\nD\ne\nf\ng\nh", 1);
        assertThat(diff).extracting(LineDiff.Line::kind).containsExactly('@', ' ', '-', '+', ' ');
        assertThat(diff.get(0).text()).isEqualTo("@@ line 3 → 3 @@");
    }

    private static String between(String text, String start, String end) {
        int i = text.indexOf(start);
        assertThat(i).as("« %s » in the page", start).isNotNegative();
        return text.substring(i, text.indexOf(end, i) + end.length());
    }
}
