package io.github.pgreplication.harness.reports;

import static io.github.pgreplication.harness.reports.Html.esc;

import io.github.pgreplication.harness.backend.BackendDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The parts of a run's page around the guide: the run (verdict, backend, server and image, cluster, links), the
 * scenarios with their anchors, the figures, and the provenance a reviewer needs to reproduce the run.
 */
final class RunPanels {

    private RunPanels() {
    }

    static String header(RunSummary s, String indexHref, RunResults results) {
        StringBuilder out = new StringBuilder("<header class=\"run\" lang=\"en\">\n<h1>Annotated guide: « PostgreSQL Master/Slave "
                + "sur OpenShift »</h1>\n<p class=\"verdict\" id=\"verdict\">").append(esc(s.verdict())).append("</p>\n<table>\n");
        row(out, "Run", esc(s.name()));
        row(out, "Manifests under test", "<code>" + esc(s.manifests()) + "</code> (errata expectation: " + esc(s.expectation()) + ")");
        row(out, "Guide", "<code>" + esc(s.provenance().guide().path()) + "</code>");
        BackendDescription b = results.run().backends().stream().findFirst().orElse(null);
        if (b != null) {
            row(out, "Backend", esc(b.name() + ": " + b.runtime()));
            row(out, "PostgreSQL", esc(b.serverVersion() + " — " + b.details()));
        }
        if (!s.provenance().images().isEmpty()) {
            row(out, "Image", esc(String.join("; ", s.provenance().images())));
        }
        if (!s.provenance().clusters().isEmpty()) {
            row(out, "Cluster", esc(String.join("; ", s.provenance().clusters())));
        }
        row(out, "Started, duration", esc(s.started()) + ", " + Html.number(s.durationMillis() / 1000.0) + " s");
        out.append("</table>\n<p>Other reports of this run: ");
        for (String[] link : new String[][] {{"certification.md", "the report"}, {"cucumber.html", "every scenario step by step, "
                + "with the pods' logs of a failed one"}, {"run.json", "these results as JSON"}}) {
            out.append("<a href=\"").append(link[0]).append("\">").append(link[0]).append("</a> (").append(link[1]).append("), ");
        }
        out.append("<a href=\"").append(esc(indexHref)).append("\">index.html</a> (the runs side by side).</p>\n");
        out.append("<p>Under each heading, block and checklist item of the guide below: its result in this run. ");
        for (Result r : Result.values()) {
            out.append(Html.badge(r));
        }
        out.append("<br>« Not run as written » means the harness did that work another way (it applies the manifests and "
                + "runs the guide's SQL itself), never that it passed. Errata stand at the line they are about, with "
                + "their correction; the guide's promises stand beside the figures measured for them.</p>\n</header>\n");
        return out.toString();
    }

    static String scenarios(RunResults results) {
        StringBuilder out = new StringBuilder("<section id=\"scenarios\" lang=\"en\">\n<h2>Scenarios</h2>\n<table>\n"
                + "<tr><th>Result</th><th>Scenario</th><th>Feature</th><th>Tags</th><th>What failed</th></tr>\n");
        Path project = results.run().settings().projectDir();
        Path dir = results.reportsDir();
        boolean cucumber = Files.isRegularFile(dir.resolve("cucumber.html"));
        for (ScenarioOutcome s : results.scenarios()) {
            Path feature = project.toAbsolutePath().normalize().resolve("features").resolve(s.feature());
            String featureCell = Files.isRegularFile(feature)
                    ? "<a href=\"" + esc(dir.relativize(feature).toString()) + "\">" + esc(s.feature()) + "</a>" : esc(s.feature());
            out.append("<tr id=\"").append(results.anchor(s)).append("\"><td>").append(Html.badge(SectionNote.scenarioResult(s)))
                    .append("</td><td>").append(esc(s.name())).append(cucumber ? " <a class=\"logs\" href=\"cucumber.html\">logs</a>" : "")
                    .append("</td><td>").append(featureCell).append("</td><td>").append(esc(String.join(" ", s.tags())))
                    .append("</td><td>")
                    .append(s.passed() || s.skipped() ? "" : "<code>" + esc(ErratumBox.clip(s.message(), 500)) + "</code>")
                    .append("</td></tr>\n");
        }
        return out.append("</table>\n</section>\n").toString();
    }

    static String figures(RunSummary s) {
        StringBuilder out = new StringBuilder("<section id=\"figures\" lang=\"en\">\n<h2>Figures</h2>\n<table>\n"
                + "<tr><th>Step</th><th>What</th><th>Value</th><th>The guide's promise</th></tr>\n");
        for (RunSummary.Figure f : s.figures()) {
            out.append("<tr><td>").append(esc(f.step())).append("</td><td>").append(esc(f.name())).append("</td><td>")
                    .append(Html.number(f.value())).append(' ').append(esc(f.unit())).append("</td><td>")
                    .append(f.promise() == null ? "" : "« " + esc(f.promise()) + " »: " + (f.held() ? "kept" : "<b>broken</b>"))
                    .append("</td></tr>\n");
        }
        return out.append("</table>\n</section>\n").toString();
    }

    static String provenance(Provenance p) {
        StringBuilder out = new StringBuilder("<section id=\"provenance\" lang=\"en\">\n<h2>Provenance</h2>\n"
                + "<p>What a reviewer needs to reproduce this run.</p>\n<table>\n");
        row(out, "Harness commit", "<code>" + esc(p.harnessCommit()) + "</code>");
        row(out, "Command line", "<code>" + esc(p.commandLine()) + "</code>");
        row(out, "To repeat it", "<code>" + esc(p.repeat()) + "</code>");
        StringBuilder settings = new StringBuilder();
        for (Map.Entry<String, String> e : p.settings().entrySet()) {
            settings.append("<code>-D").append(esc(e.getKey())).append('=').append(esc(e.getValue())).append("</code><br>");
        }
        row(out, "Settings", settings.toString());
        row(out, "Guide", digest(p.guide()));
        row(out, "Errata file", digest(p.errata()));
        row(out, "Manifests", String.join("<br>", p.manifests().stream().map(RunPanels::digest).toList()));
        row(out, "Images", p.images().isEmpty() ? "none (no container)" : esc(String.join("; ", p.images())));
        row(out, "Servers", esc(String.join("; ", p.servers())));
        row(out, "Cluster", p.clusters().isEmpty() ? "none" : esc(String.join("; ", p.clusters())));
        return out.append("</table>\n</section>\n").toString();
    }

    private static String digest(Provenance.FileDigest d) {
        return "<code>" + esc(d.path()) + "</code> sha256 <code>" + esc(d.sha256()) + "</code>";
    }

    private static void row(StringBuilder out, String key, String html) {
        out.append("<tr><th>").append(esc(key)).append("</th><td>").append(html).append("</td></tr>\n");
    }
}
