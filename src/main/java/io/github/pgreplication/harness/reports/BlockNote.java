package io.github.pgreplication.harness.reports;

import static io.github.pgreplication.harness.reports.Html.esc;

import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.GuideQuery;
import io.github.pgreplication.harness.guide.ShellLines;
import io.github.pgreplication.harness.run.Evidence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a fenced block of the guide did in this run. A shell block: each of its command lines that ran as written with
 * its exit status and output, each psql query with what its SQL did (run verbatim), and « not run as written », with
 * why, for the rest: never « passed » for what did not run. A manifest: the file of the manifests under test that the
 * run used for it, and its result.
 */
final class BlockNote {

    /** The note, and the output of what ran (shown beside the guide's « Résultat attendu » when one follows). */
    record Note(String html, String output) {
    }

    private final RunResults results;
    private final String backend;

    BlockNote(RunResults results) {
        this.results = results;
        this.backend = results.run().backends().stream().findFirst().map(b -> b.name()).orElse("?");
    }

    /** A block of the guide: its language, text and lines (fence to fence, 1-based), in a step's section (or none). */
    Note of(String language, String text, int first, int last, String step) {
        if (language.equals("bash") || language.equals("sh")) {
            return shell(text, first, last, step);
        }
        if (language.equals("yaml") || language.equals("yml")) {
            return new Note(manifest(text, step), "");
        }
        if (language.isEmpty() || step == null) {
            return new Note("", ""); // a diagram, an expected output: nothing to run
        }
        RunResults.Outcome o = results.step(step);
        return new Note(note(o.result(), "« " + esc(language) + " » example: " + esc(o.why()) + " (the step's scenarios run it)"), "");
    }

    private Note shell(String text, int first, int last, String step) {
        List<String> parts = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        List<Result> seen = new ArrayList<>();
        List<Evidence.Execution> commands = step == null ? List.of() : results.commandsOf(step).stream()
                .filter(c -> text.contains(c.item().substring(("command#" + step + "/").length()))).toList();
        for (Evidence.Execution c : commands) {
            output.append("$ ").append(c.item().substring(c.item().indexOf('/') + 1)).append("   # ").append(c.status())
                    .append('\n').append(c.output()).append(c.output().isEmpty() ? "" : "\n");
        }
        if (!commands.isEmpty()) {
            Result r = step == null ? Result.PASSED : passOrStep(results.step(step).result());
            seen.add(r);
            parts.add(Html.badge(r) + "ran as written in bash on the " + esc(backend) + " backend (" + commands.size()
                    + " command line(s); exit statuses: "
                    + esc(String.join(", ", commands.stream().map(Evidence.Execution::status).toList())) + ")");
        }
        for (GuideQuery q : results.run().guide().queries()) {
            if (q.line() < first || q.line() > last) {
                continue;
            }
            Optional<Evidence.Execution> ran = results.execution(q.item());
            List<Erratum> errata = results.run().ledger().catalog().forItem(q.item());
            List<String> reproduced = errata.stream().filter(e -> results.status(e) == ErrataLedger.Status.REPRODUCED)
                    .map(Erratum::id).toList();
            Result r = ran.isEmpty() ? Result.NOT_RUN : !reproduced.isEmpty() ? Result.ERRATUM
                    : passOrStep(results.step(q.step()).result());
            seen.add(r);
            String where = q.onReplica() ? "the replica" : "the master";
            parts.add(Html.badge(r) + "SQL at line " + q.line() + " (<code>" + esc(q.item()) + "</code>): "
                    + (ran.isEmpty() ? "not run in this run" : "ran verbatim on " + where + " through JDBC — " + esc(ran.get().status()))
                    + (reproduced.isEmpty() ? "" : "; erratum " + links(reproduced)));
            ran.ifPresent(x -> output.append("-- ").append(q.item()).append(" (line ").append(q.line()).append("): ")
                    .append(x.status()).append('\n').append(x.output()).append("\n"));
        }
        List<String> missing = step == null ? ShellLines.of(text) : ShellLines.of(text).stream()
                .filter(l -> results.execution("command#" + step + "/" + l).isEmpty()).toList();
        if (!missing.isEmpty()) {
            seen.add(Result.NOT_RUN);
            String what = commands.isEmpty() ? (parts.isEmpty() ? "the shell block" : "the shell around it (<code>oc exec … psql</code>)")
                    : missing.size() + " of its command lines";
            parts.add(Html.badge(Result.NOT_RUN) + what + " not run as written: " + (step == null
                    ? "no scenario runs this part of the guide."
                    : esc(GuideCoverage.whyNot(step, missing, results.notProvided(), results.covering(step), backend)) + "."));
        }
        String css = Result.worst(seen).css();
        StringBuilder html = new StringBuilder("<div class=\"note block-note " + css + "-note\" lang=\"en\" data-block=\"" + first
                + "\" data-result=\"" + css + "\"><ul>");
        parts.forEach(p -> html.append("<li>").append(p).append("</li>"));
        html.append("</ul></div>\n");
        return new Note(html.toString(), output.toString());
    }

    /** A part that ran takes its step's result when that failed, and passes otherwise. */
    private static Result passOrStep(Result step) {
        return step == Result.FAILED ? Result.FAILED : Result.PASSED;
    }

    private String manifest(String yaml, String step) {
        Optional<GuideLines.Resource> resource = GuideLines.resourceOf(yaml);
        RunResults.Outcome stepOutcome = step == null ? new RunResults.Outcome(Result.NOT_RUN, "no step", List.of())
                : results.step(step);
        if (resource.isEmpty()) {
            return note(stepOutcome.result() == Result.NOT_RUN ? Result.NOT_RUN : passOrStep(stepOutcome.result()),
                    "a part of the step's manifest, used as the manifests under test write it; " + esc(stepOutcome.why()));
        }
        GuideLines.Resource guideRes = resource.get();
        GuideLines.Resource underTest = new GuideLines.Resource(guideRes.kind(), renamed(guideRes.name()));
        Path dir = results.run().settings().manifestsDir();
        Optional<Path> file = GuideLines.fileOf(dir, underTest);
        List<Erratum> errata = results.run().ledger().catalog().all().stream()
                .filter(e -> e.item().startsWith(guideRes.id() + "#")).toList();
        List<String> reproduced = errata.stream().filter(e -> results.status(e) == ErrataLedger.Status.REPRODUCED)
                .map(Erratum::id).toList();
        List<String> corrected = errata.stream().filter(e -> results.status(e) == ErrataLedger.Status.NOT_REPRODUCED)
                .map(Erratum::id).toList();
        List<String> executed = results.run().evidence().executedItems().stream().filter(i -> i.startsWith(guideRes.id() + "#"))
                .map(i -> i.substring(i.indexOf('#') + 1)).sorted().toList();
        Result r = !reproduced.isEmpty() ? Result.ERRATUM
                : stepOutcome.result() == Result.NOT_RUN ? Result.NOT_RUN : passOrStep(stepOutcome.result());
        Path project = results.run().settings().projectDir();
        String text = "manifest <code>" + esc(guideRes.id()) + "</code>: "
                + file.map(f -> "the run used <code>" + esc(f.startsWith(project) ? project.relativize(f).toString() : f.toString())
                + "</code>").orElse("not found in the manifests under test")
                + (underTest.name().equals(guideRes.name()) ? "" : " (named <code>" + esc(underTest.name()) + "</code> there)")
                + (executed.isEmpty() ? "" : "; run as written: " + esc(String.join(", ", executed)))
                + (reproduced.isEmpty() ? "" : "; erratum " + links(reproduced) + " reproduced")
                + (corrected.isEmpty() ? "" : "; " + links(corrected) + " corrected there (did not reproduce)")
                + "; step: " + esc(stepOutcome.why());
        return note(r, text);
    }

    private String renamed(String guideName) {
        Map<GuideNames.Role, String> guide = results.run().guideNames().all();
        return guide.entrySet().stream().filter(e -> e.getValue().equals(guideName)).map(e -> results.run().names().get(e.getKey()))
                .findFirst().orElse(guideName);
    }

    private static String links(List<String> errata) {
        return String.join(", ", errata.stream().map(id -> "<a href=\"#erratum-" + id + "\">" + id + "</a>").toList());
    }

    private static String note(Result r, String html) {
        return "<div class=\"note block-note " + r.css() + "-note\" lang=\"en\" data-result=\"" + r.css() + "\">" + Html.badge(r)
                + html + "</div>\n";
    }
}
