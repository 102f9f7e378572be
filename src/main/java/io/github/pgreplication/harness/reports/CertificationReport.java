package io.github.pgreplication.harness.reports;

import io.github.pgreplication.harness.guide.MasterProfile;

import io.github.pgreplication.harness.backend.BackendDescription;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.guide.GuideDocument.Step;
import io.github.pgreplication.harness.lint.LintReport;
import io.github.pgreplication.harness.procedure.RunRecord;
import io.github.pgreplication.harness.run.Evidence;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.run.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code reports/certification.md}: what a reviewer reads. The backend and PostgreSQL binaries, every guide
 * step with pass / fail / erratum, the figures measured, the host adaptations, the errata. It is refused
 * (and the run fails) if any text in it holds a password of the run.
 */
public final class CertificationReport {

    /** « Étape 1.3 » for a numbered step, Phase 4's Test title, a section's own title: as the guide titles it. */
    static String stepName(RunRecord run, String step) {
        return run.guide().steps().stream().filter(s -> s.id().equals(step)).map(Step::displayName).findFirst()
                .orElse(step);
    }

    private CertificationReport() {
    }

    /** Writes the report of {@code run}, whose {@code scenarios} were given {@code verdict} ({@link Verdict#of}). */
    public static Path write(Path reportsDir, RunRecord run, List<ScenarioOutcome> scenarios, Verdict verdict, Instant finished) {
        String text = render(run, scenarios, verdict, finished);
        if (Secrets.leaks(text)) {
            throw new IllegalStateException("refusing to write the certification report: it would contain a password");
        }
        try {
            Files.createDirectories(reportsDir);
            Path file = reportsDir.resolve("certification.md");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report in " + reportsDir, e);
        }
    }

    static String render(RunRecord run, List<ScenarioOutcome> scenarios, Verdict verdict, Instant finished) {
        StringBuilder md = new StringBuilder();
        md.append("# Certification of the guide « PostgreSQL Master/Slave sur OpenShift »\n\n");
        md.append("**Verdict: ").append(verdict.word()).append("** ").append(verdict.detail()).append(".\n\n");
        if (!verdict.errataProblems().isEmpty()) {
            md.append("The errata file does not account for this run:\n\n");
            verdict.errataProblems().forEach(p -> md.append("- ").append(oneLine(p)).append('\n'));
            md.append('\n');
        }
        md.append("| | |\n|---|---|\n");
        row(md, "Manifests under test", "`" + rel(run, run.settings().manifestsDir()) + "`");
        MasterProfile master = run.settings().master();
        row(md, "Existing master", "`" + master.id() + "` (harness.master): " + master.description() + "; its image keeps "
                + master.image().description() + ". Errata of this master only: "
                + Optional.of(run.ledger().catalog().all().stream().filter(e -> e.masters() != null && !e.masters().isEmpty())
                        .map(Erratum::id).toList()).filter(l -> !l.isEmpty()).map(l -> String.join(", ", l)).orElse("none")
                + " (those of the other master are not this run's)");
        row(md, "Errata expectation", run.ledger().expectation().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + " (" + expectationText(run) + ")");
        row(md, "Guide", "`" + rel(run, run.settings().guideFile()) + "`");
        for (BackendDescription b : run.backends().stream().limit(1).toList()) {
            row(md, "Backend", b.name() + ": " + b.runtime());
            row(md, "PostgreSQL", b.serverVersion() + " — " + b.details());
        }
        row(md, "Pairs stood up", Integer.toString(run.backends().size()) + " (one shared by the guide's scenarios, one per "
                + "scenario that breaks a pair on purpose)");
        row(md, "Started / duration", run.started() + " / " + Duration.between(run.started(), finished).toMillis() + " ms");
        md.append('\n');

        md.append("## Guide steps\n\n| Step | Title | Result | Scenarios |\n|---|---|---|---|\n");
        for (Step step : run.guide().steps()) {
            List<ScenarioOutcome> covering = scenarios.stream()
                    .filter(s -> s.tags().contains("@guide-" + step.id()) && !s.tags().contains("@negative")).toList();
            List<String> errata = run.ledger().catalog().all().stream().filter(e -> e.step().equals(step.id()))
                    .filter(e -> run.ledger().entryFor(e).map(x -> x.status() == ErrataLedger.Status.REPRODUCED).orElse(false))
                    .map(Erratum::id).toList();
            String result = stepResult(covering, stepCoveredByProcedure(step.id()));
            if (!errata.isEmpty()) {
                result += ", erratum " + String.join(", ", errata);
            }
            md.append("| ").append(step.id()).append(" | ").append(step.title()).append(" | ").append(result).append(" | ")
                    .append(String.join("; ", covering.stream().map(s -> s.name() + (s.passed() ? "" : " (" + s.status() + ")")).toList()))
                    .append(" |\n");
        }
        md.append('\n');

        md.append("## Figures\n\nMeasured on this run; each with the pair and backend that produced it.\n\n")
                .append("| Step | What | Value | Pair | Backend |\n|---|---|---|---|---|\n");
        for (Evidence.Figure f : run.evidence().figures()) {
            md.append("| ").append(f.step()).append(" | ").append(f.name()).append(" | ")
                    .append(format(f.value())).append(' ').append(f.unit()).append(" | ").append(f.pair()).append(" | ")
                    .append(f.backend()).append(" |\n");
        }
        md.append('\n');
        renderCloseCalls(md, run);

        renderChecklist(md, run, scenarios);
        renderLint(md, run);
        renderCompatibility(md, run);

        md.append("## Scenarios\n\n| Feature | Scenario | Tags | Result |\n|---|---|---|---|\n");
        for (ScenarioOutcome s : scenarios) {
            md.append("| ").append(s.feature()).append(" | <a id=\"").append(anchor(scenarios, s)).append("\"></a>")
                    .append(s.name()).append(" | ").append(String.join(" ", s.tags()))
                    .append(" | ").append(scenarioResult(s)).append(" |\n");
        }
        md.append('\n');

        md.append("## Errata\n\nFrom `").append(rel(run, run.ledger().catalog().path())).append("`. Each was run as published; ")
                .append("where it deviated as recorded, the run went on with the correction.\n\n");
        for (Erratum e : run.ledger().catalog().all()) {
            Optional<ErrataLedger.Entry> entry = run.ledger().entryFor(e);
            md.append("### ").append(e.id()).append(" — ").append(stepName(run, e.step())).append(": ").append(e.title()).append("\n\n");
            md.append("- Scope: ").append(e.scope()).append("; item `").append(e.item()).append("`\n");
            md.append("- This run: ").append(entry.map(x -> x.status() + " — " + oneLine(x.detail())).orElse("not exercised"))
                    .append(run.ledger().mustReproduce(e) ? " (must reproduce here)" : " (need not reproduce here)").append('\n');
            md.append("- Published:\n\n```\n").append(e.published().strip()).append("\n```\n\n");
            md.append("- What happens: ").append(e.whatHappens().strip().replace("\n", " ")).append('\n');
            md.append("- Correction:\n\n```\n").append(e.correction().strip()).append("\n```\n\n");
            md.append("- Proved by: ").append(e.provedBy()).append("\n\n");
        }
        List<ErrataLedger.Entry> unrecorded = run.ledger().entries().stream()
                .filter(x -> x.status() == ErrataLedger.Status.UNRECORDED).toList();
        if (!unrecorded.isEmpty()) {
            md.append("### Deviations not in the errata file\n\n");
            unrecorded.forEach(x -> md.append("- `").append(x.item()).append("`: ").append(oneLine(x.detail())).append('\n'));
            md.append('\n');
        }

        md.append("## Names\n\nThe names the features use are the guide's; each was found in the manifests under test from the "
                + "structure the guide describes, and the run used the name they give it.\n\n| What | The guide's name | Under test |\n|---|---|---|\n");
        run.names().all().forEach((role, name) -> md.append("| ").append(role.meaning()).append(" | `")
                .append(run.guideNames().all().getOrDefault(role, "—")).append("` | `").append(name).append("`")
                .append(name.equals(run.guideNames().all().get(role)) ? "" : " (renamed)").append(" |\n"));
        String seed = System.getProperty("cucumber.execution.order.random.seed");
        if ("random".equals(System.getProperty("cucumber.execution.order")) && seed != null) {
            md.append("\nScenarios ran in random order, seed ").append(seed).append(" (`-Dcucumber.execution.order=random "
                    + "-Dcucumber.execution.order.random.seed=").append(seed).append("` repeats it).\n");
        }
        md.append('\n');

        md.append("## Adaptations\n\nWhat the backend changed so the guide's manifests run on this host; everything else ran as written.\n\n");
        for (String a : run.adaptations()) {
            md.append("- ").append(a).append('\n');
        }
        md.append('\n');

        if (!run.evidence().notes().isEmpty()) {
            md.append("## Observations\n\n");
            run.evidence().notes().forEach(n -> md.append("- ").append(stepName(run, n.step())).append(": ").append(n.text()).append('\n'));
            md.append('\n');
        }
        md.append("## Other reports\n\n- `cucumber.html`, `cucumber.json`, `cucumber-junit.xml`: every scenario and step, with the "
                + "index of its evidence attached to any failed scenario; `evidence/`: that evidence (every container's whole "
                + "log, each pod's description, the server log files), linked from the scenario's row.\n");
        return Secrets.redact(md.toString());
    }

    /** A scenario's cell in the Scenarios table: pass, or its status linked to its failure evidence, with its message. */
    static String scenarioResult(ScenarioOutcome s) {
        return s.passed() ? "pass" : "**" + s.status() + "**" + (s.evidence().isEmpty() ? "" : " ([evidence](" + s.evidence()
                + "))") + ": " + oneLine(s.message());
    }

    /**
     * A step's verdict from the scenarios that cover it: a skipped scenario (one the backend cannot host) is neither
     * a pass nor a failure, and is counted as such; a step whose every scenario was skipped was not run.
     */
    static String stepResult(List<ScenarioOutcome> covering, boolean coveredByProcedure) {
        List<ScenarioOutcome> ran = covering.stream().filter(s -> !s.skipped()).toList();
        long skipped = covering.size() - ran.size();
        return covering.isEmpty() ? (coveredByProcedure ? "pass (applied by the procedure)" : "not covered")
                : ran.isEmpty() ? "not run (" + skipped + " skipped)"
                : !ran.stream().allMatch(ScenarioOutcome::passed) ? "**FAIL**"
                : skipped == 0 ? "pass" : "pass (" + skipped + " skipped, not passed)";
    }

    private static boolean stepCoveredByProcedure(String step) {
        return GuideCoverage.APPLIED_BY_PROCEDURE.contains(step);
    }

    private static void renderLint(StringBuilder md, RunRecord run) {
        Map<String, LintReport> reports = run.lintReports();
        if (reports.isEmpty()) {
            return;
        }
        md.append("## Lint\n\nFindings per rule, side by side; each report also in `lint/lint-<name>.{txt,json,junit.xml,sarif}`. ")
                .append("Threshold: ").append(run.settings().lintThreshold()).append(".\n\n| Rule | | Severity |");
        reports.keySet().forEach(n -> md.append(' ').append(n).append(" |"));
        md.append(" Erratum |\n|---|---|---|").append("---|".repeat(reports.size())).append("---|\n");
        var rules = reports.values().iterator().next().rules();
        for (var r : rules) {
            md.append("| ").append(r.id()).append(" | ").append(r.name()).append(" | ").append(r.severity()).append(" |");
            for (var rep : reports.values()) {
                int n = rep.of(r.id()).size();
                md.append(' ').append(n == 0 ? "-" : (r.severity().atLeast(rep.threshold()) ? "**" + n + "**" : n)).append(" |");
            }
            md.append(' ').append(String.join(", ", run.ledger().catalog().all().stream()
                    .filter(e -> r.id().equals(e.lint())).map(Erratum::id).toList())).append(" |\n");
        }
        md.append('\n');
        for (var rep : reports.values()) {
            if (rep.findings().isEmpty()) {
                continue;
            }
            md.append("<details><summary>").append(rep.name()).append(" (`").append(rel(run, rep.manifestsDir())).append("`): ")
                    .append(rep.findings().size()).append(" finding(s)</summary>\n\n");
            rep.findings().forEach(f -> md.append("- ").append(f.severity()).append(' ').append(f.ruleId()).append(" `")
                    .append(f.file()).append("` ").append(f.resource()).append(" `").append(f.field()).append("`: ")
                    .append(oneLine(f.message())).append('\n'));
            md.append("\n</details>\n\n");
        }
    }

    private static void renderCompatibility(StringBuilder md, RunRecord run) {
        var outcomes = run.compatibility();
        if (outcomes.isEmpty()) {
            return;
        }
        md.append("## PostgreSQL 12 to 17\n\nThe guide claims « PostgreSQL 12, 13, 14 ou 15 ». Its configurations of the manifests ")
                .append("under test, booted on real servers of each major (server-only binaries from Maven Central): ")
                .append("master.conf with pg_hba.conf, then slave.conf on a standby made from that master, streaming through ")
                .append("the slot. The full scenarios (pg_basebackup, the guide's scripts) run where complete binaries exist: ")
                .append("the local backend's, and the containers backend's images. A row whose files were changed boots ")
                .append("them as the erratum recorded for that major corrects them.\n\n")
                .append("| Major | Server | Claimed by the guide | master.conf | slave.conf (hot standby) | Streams | Unknown parameters | "
                        + "PostgreSQL says | ms |\n|---|---|---|---|---|---|---|---|---|\n");
        for (var o : outcomes) {
            md.append("| ").append(o.major()).append(o.configurations().isEmpty() ? ""
                    : ", the files changed: " + o.configurations()).append(" | ").append(o.version().replace("postgres (PostgreSQL) ", "")).append(" | ")
                    .append(o.major() >= 12 && o.major() <= 15 ? "yes" : "no").append(" | ")
                    .append(o.masterBoots() ? "boots" : "**rejected**").append(" | ")
                    .append(o.replicaBoots() ? "boots" : o.masterBoots() ? "**rejected**" : "not tried").append(" | ")
                    .append(o.streams() ? "yes" : "**no**").append(" | ")
                    .append(o.unknownParameters().isEmpty() ? "-" : String.join(", ", o.unknownParameters())).append(" | ")
                    .append(oneLine((o.masterError() + " " + o.replicaError()).strip())).append(" | ")
                    .append(o.millis()).append(" |\n");
        }
        md.append('\n');
    }

    static String anchor(List<ScenarioOutcome> scenarios, ScenarioOutcome s) {
        return "scenario-" + (scenarios.indexOf(s) + 1);
    }

    private static void renderChecklist(StringBuilder md, RunRecord run, List<ScenarioOutcome> scenarios) {
        Path mapping = run.settings().projectDir().resolve("features/checklist.yaml");
        List<Checklist.Item> items = Checklist.load(mapping).tick(run.guide(), scenarios);
        md.append("## Checklist de déploiement\n\nThe guide's checklist, verbatim. Ticked only from scenarios that passed ")
                .append("(mapping: `features/checklist.yaml`); what no automation can check is marked manual.\n\n")
                .append("| | Item | Result | Evidence |\n|---|---|---|---|\n");
        String section = "";
        for (Checklist.Item i : items) {
            if (!i.section().equals(section)) {
                section = i.section();
                md.append("| **").append(section).append("** | | | |\n");
            }
            String box = i.status() == Checklist.Status.PASSED ? "[x]" : "[ ]";
            String result = switch (i.status()) {
                case PASSED -> "passed";
                case FAILED -> "**FAILED**";
                case NOT_RUN -> "not run";
                case MANUAL -> "manual: " + i.why();
                case NOT_MAPPED -> "**not mapped**";
            };
            String evidence = String.join("; ", i.evidence().stream()
                    .map(s -> "[" + s.name() + "](#" + anchor(scenarios, s) + ")").toList());
            if (!i.why().isEmpty() && i.status() != Checklist.Status.MANUAL) {
                evidence += (evidence.isEmpty() ? "" : " — ") + i.why();
            }
            md.append("| ").append(box).append(" | ").append(i.text().replace("|", "\\|")).append(" | ").append(result)
                    .append(" | ").append(evidence).append(" |\n");
        }
        md.append('\n');

        md.append("## Guide coverage\n\n| What | Covered | Of | |\n|---|---|---|---|\n");
        List<GuideCoverage.Count> counts = GuideCoverage.of(run.guide(), run.evidence().executedItems(),
                run.evidence().executions().stream().map(Evidence.Execution::item).collect(Collectors.toSet()),
                GuideCoverage.notProvided(run.evidence().executions()),
                run.settings().backend(), scenarios, items);
        for (GuideCoverage.Count c : counts) {
            md.append("| ").append(c.what()).append(" | ").append(c.covered()).append(" | ").append(c.total()).append(" | ")
                    .append(c.percent()).append(" |\n");
        }
        md.append('\n');
        for (GuideCoverage.Count c : counts) {
            if (!c.notCovered().isEmpty()) {
                md.append("Not covered — ").append(c.what()).append(":\n\n");
                c.notCovered().forEach(n -> md.append("- ").append(n).append('\n'));
                md.append('\n');
            }
        }
    }

    private static String expectationText(RunRecord run) {
        return switch (run.ledger().expectation()) {
            case ALL -> "the guide as published: every recorded erratum must reproduce";
            case TEXT_ONLY -> "corrected manifests: only the guide-text and procedure errata may remain";
            case ANY -> "a team's own manifests: unrecorded deviations fail";
        };
    }

    private static String rel(RunRecord run, Path p) {
        Path root = run.settings().projectDir();
        return p.startsWith(root) ? root.relativize(p).toString() : p.toString();
    }

    private static void row(StringBuilder md, String k, String v) {
        md.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    /**
     * The waits that succeeded after more than half their limit: none failed, and each is where a slower or busier host
     * would fail first (the limits are the harness's, times {@code harness.timeout.scale}).
     */
    private static void renderCloseCalls(StringBuilder md, RunRecord run) {
        md.append("## Close calls\n\nThe waits that succeeded after more than half of their limit (the harness's limit times "
                + "`harness.timeout.scale` ").append(format(run.settings().timeoutScale())).append("): where a slower or busier "
                + "host would fail first.");
        if (run.closeCalls().isEmpty()) {
            md.append(" None: every wait took less than half of its limit.\n\n");
            return;
        }
        md.append("\n\n| Wait | Took | Limit | Share |\n|---|---|---|---|\n");
        for (Waits.CloseCall c : run.closeCalls()) {
            md.append("| ").append(oneLine(c.what())).append(" | ").append(c.took().toMillis())
                    .append(" ms | ").append(c.limit().toMillis()).append(" ms | ").append(Math.round(c.share() * 100))
                    .append(" % |\n");
        }
        md.append('\n');
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String l = s.replace('\n', ' ').replace("|", "\\|");
        return l.length() > 400 ? l.substring(0, 400) + "…" : l;
    }
}
