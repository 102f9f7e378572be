package io.github.pgreplication.harness.reports;

import static io.github.pgreplication.harness.reports.Html.esc;

import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.guide.GuideQuery;
import io.github.pgreplication.harness.run.Evidence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An erratum where it stands in the guide: what the guide says, what this run saw, what really happens, and the
 * correction as a diff of the guide's text or of the manifest; and a promise of the guide beside the figure measured
 * for it.
 */
final class ErratumBox {

    private final RunResults results;
    private final Path project;

    ErratumBox(RunResults results) {
        this.results = results;
        this.project = results.run().settings().projectDir();
    }

    String html(Erratum e, int line) {
        RunResults.Outcome o = results.erratum(e);
        StringBuilder out = new StringBuilder("<aside class=\"erratum-box\" lang=\"en\" id=\"erratum-").append(e.id())
                .append("\" data-erratum=\"").append(e.id()).append("\" data-line=\"").append(line).append("\">");
        out.append("<h4>").append(Html.badge(o.result())).append("Erratum ").append(e.id()).append(" — ")
                .append(esc(e.title())).append("</h4>");
        out.append("<p class=\"muted\">Line ").append(line).append(" of the guide; ").append(esc(e.scope()))
                .append(" erratum, item <code>").append(esc(e.item())).append("</code>")
                .append(e.lint() == null ? "" : "; the lint finds it too (" + esc(e.lint()) + ")").append(".</p>");
        Optional<ErrataLedger.Entry> entry = results.run().ledger().entryFor(e);
        out.append("<p><b>This run:</b> ").append(esc(o.why()));
        entry.filter(x -> x.status() == ErrataLedger.Status.REPRODUCED || x.status() == ErrataLedger.Status.UNRECORDED)
                .ifPresent(x -> out.append(" — it saw: <code>").append(esc(clip(x.detail(), 600))).append("</code>"));
        out.append("</p>");
        out.append("<p><b>What happens:</b> ").append(esc(e.whatHappens().strip().replace('\n', ' '))).append("</p>");
        out.append("<p><b>Correction:</b></p>").append(correction(e));
        out.append("<p class=\"muted\">Proved by ").append(esc(e.provedBy()));
        if (!o.scenarios().isEmpty()) {
            out.append(": ").append(String.join(", ", o.scenarios().stream().map(this::link).toList()));
        }
        return out.append(".</p></aside>\n").toString();
    }

    /** The correction: the SQL's diff, the manifest's diff (its hunks that name the erratum), or the text's. */
    private String correction(Erratum e) {
        if (e.correctedSql() != null) {
            Optional<GuideQuery> q = results.run().guide().queries().stream().filter(x -> x.item().equals(e.item())).findFirst();
            if (q.isPresent()) {
                return "<p class=\"muted\">The guide's SQL, line " + q.get().line() + ", corrected:</p>"
                        + LineDiff.html(LineDiff.of(q.get().sql(), e.correctedSql(), 2));
            }
        }
        if (e.isManifestScope()) {
            String[] resource = e.item().split("#", 2)[0].split("/", 2);
            if (resource.length == 2) {
                GuideLines.Resource r = new GuideLines.Resource(resource[0], resource[1]);
                Optional<Path> published = GuideLines.fileOf(project.resolve("manifests/published"), r);
                Optional<Path> corrected = GuideLines.fileOf(project.resolve("manifests/corrected"), r);
                if (published.isPresent() && corrected.isPresent()) {
                    List<LineDiff.Line> diff = hunksNaming(LineDiff.of(GuideLines.read(published.get()),
                            GuideLines.read(corrected.get()), 2), e.id());
                    if (!diff.isEmpty()) {
                        return "<pre>" + esc(e.correction().strip()) + "</pre><p class=\"muted\">"
                                + esc(rel(published.get())) + " → " + esc(rel(corrected.get())) + ":</p>" + LineDiff.html(diff);
                    }
                }
            }
        }
        return "<p class=\"muted\">The guide's text → the correction:</p>"
                + LineDiff.html(LineDiff.of(e.published() == null ? "" : e.published(), e.correction(), 2));
    }

    /** The hunks of a diff whose lines name the erratum (the corrected manifests say « ERRATUM E02 »); all if none does. */
    private static List<LineDiff.Line> hunksNaming(List<LineDiff.Line> diff, String id) {
        List<List<LineDiff.Line>> hunks = new ArrayList<>();
        for (LineDiff.Line l : diff) {
            if (l.kind() == '@') {
                hunks.add(new ArrayList<>());
            }
            hunks.get(hunks.size() - 1).add(l);
        }
        List<LineDiff.Line> naming = hunks.stream().filter(h -> h.stream().anyMatch(l -> l.text().matches(".*\\b" + id + "\\b.*")))
                .flatMap(List::stream).toList();
        return naming.isEmpty() ? diff : naming;
    }

    /** A promise of the guide with the figures measured for it, and whether they keep it. */
    String promise(Promises.Kept k) {
        Boolean held = k.held();
        Result r = held == null ? Result.NOT_RUN : held ? Result.PASSED : Result.FAILED;
        String words = k.words();
        StringBuilder out = new StringBuilder("<div class=\"promise\" lang=\"en\" data-promise=\"").append(esc(words))
                .append("\" data-line=\"").append(k.line()).append("\">").append(Html.badge(r)).append("The guide promises « ")
                .append("<span lang=\"fr\">").append(esc(words)).append("</span> » (").append(k.strict() ? "under " : "at most ")
                .append(Html.number(k.limit())).append(' ').append(esc(k.unit())).append("). ");
        if (k.figures().isEmpty()) {
            out.append("This run measured nothing for it.");
        } else {
            out.append("Measured: <ul>");
            for (Evidence.Figure f : k.figures()) {
                out.append("<li><b class=\"figure\">").append(Html.number(f.value())).append(' ').append(esc(f.unit()))
                        .append("</b> — ").append(esc(f.name())).append(" <span class=\"muted\">(").append(esc(f.pair()))
                        .append(", ").append(esc(f.backend())).append(")</span>").append(k.keeps(f) ? "" : " <b>breaks it</b>")
                        .append("</li>");
            }
            out.append("</ul>");
        }
        return out.append("</div>\n").toString();
    }

    String link(ScenarioOutcome s) {
        return "<a href=\"#" + results.anchor(s) + "\">" + esc(s.name()) + "</a>" + (s.passed() ? "" : " (" + esc(s.status()) + ")");
    }

    private String rel(Path p) {
        return p.startsWith(project) ? project.relativize(p).toString() : p.toString();
    }

    static String clip(String s, int n) {
        return s == null ? "" : s.length() > n ? s.substring(0, n) + "…" : s;
    }
}
