package io.github.pgreplication.harness.reports;

import io.github.pgreplication.harness.backend.BackendDescription;
import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.procedure.RunRecord;
import io.github.pgreplication.harness.run.Evidence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run's pages beside certification.md: {@code guide.html} (the guide annotated with what ran), {@code run.json}
 * (its results, for the index), and {@code index.html} of the reports root, rebuilt from every run.json under it so
 * that the last run of a build leaves it complete.
 */
public final class ReportPages {

    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ReportPages() {
    }

    /** Writes guide.html and run.json in the run's reports directory, then the root's index.html; returns guide.html. */
    public static Path write(Path reportsDir, RunRecord run, List<ScenarioOutcome> scenarios, Instant finished) {
        RunResults results = new RunResults(run, scenarios, reportsDir);
        GuidePage page = new GuidePage(results);
        RunSummary summary = summary(results, page.promises(), Provenance.of(run), verdict(reportsDir), finished);
        Path root = RunIndex.rootOf(reportsDir);
        String indexHref = reportsDir.toAbsolutePath().normalize().relativize(root.toAbsolutePath().normalize().resolve("index.html"))
                .toString();
        Path guide = Html.write(reportsDir.resolve("guide.html"), page.render(summary, indexHref));
        Html.write(reportsDir.resolve("run.json"), JSON.writeValueAsString(summary));
        RunIndex.write(root);
        return guide;
    }

    /** The verdict line of the run's certification.md, as it stands there (its first line that gives one). */
    static String verdict(Path reportsDir) {
        Path report = reportsDir.resolve("certification.md");
        try {
            return Files.isRegularFile(report) ? Files.readAllLines(report, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("Verdict")).findFirst().map(l -> l.replace("**", "").strip())
                    .orElse("(certification.md gives no verdict)") : "(no certification.md)";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + report, e);
        }
    }

    /** « PostgreSQL 15.18 » from « postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1) ». */
    static String shortVersion(String serverVersion) {
        Matcher m = Pattern.compile("\\d+(\\.\\d+)*").matcher(serverVersion);
        return m.find() ? "PostgreSQL " + m.group() : serverVersion;
    }

    static RunSummary summary(RunResults results, List<Promises.Kept> promises, Provenance provenance, String verdict,
                              Instant finished) {
        RunRecord run = results.run();
        List<RunSummary.Step> steps = new ArrayList<>();
        for (GuideDocument.Step s : run.guide().steps()) {
            RunResults.Outcome o = results.step(s.id());
            steps.add(new RunSummary.Step(s.id(), s.displayName(), o.result().css(), o.why()));
        }
        List<RunSummary.Scenario> scenarios = results.scenarios().stream().map(s -> new RunSummary.Scenario(results.anchor(s),
                s.feature(), s.name(), s.tags(), s.status(), ErratumBox.clip(s.message(), 500))).toList();
        List<RunSummary.Figure> figures = new ArrayList<>();
        for (Evidence.Figure f : run.evidence().figures()) {
            Optional<Promises.Kept> kept = promises.stream().filter(k -> k.figures().contains(f)).findFirst();
            figures.add(new RunSummary.Figure(f.step(), f.name(), f.value(), f.unit(), kept.map(Promises.Kept::words).orElse(null),
                    kept.map(k -> k.keeps(f)).orElse(null)));
        }
        List<RunSummary.ErratumStatus> errata = new ArrayList<>();
        for (Erratum e : run.ledger().catalog().all()) {
            RunResults.Outcome o = results.erratum(e);
            errata.add(new RunSummary.ErratumStatus(e.id(), e.step(), e.title(), o.result().css(), o.why()));
        }
        Optional<BackendDescription> backend = run.backends().stream().findFirst();
        Path project = run.settings().projectDir();
        Path manifests = run.settings().manifestsDir();
        String manifestsName = manifests.startsWith(project) ? project.relativize(manifests).toString() : manifests.toString();
        String name = manifests.getFileName() + " · " + backend.map(b -> b.name() + " · " + shortVersion(b.serverVersion()))
                .orElse("no backend");
        return new RunSummary(RunSummary.FORMAT, name, verdict, run.started().toString(),
                Duration.between(run.started(), finished).toMillis(), manifestsName,
                run.ledger().expectation().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                backend.map(b -> b.name() + ": " + b.runtime()).orElse("none"),
                backend.map(BackendDescription::serverVersion).orElse("none"), "guide.html", provenance, steps, scenarios,
                figures, errata);
    }
}
