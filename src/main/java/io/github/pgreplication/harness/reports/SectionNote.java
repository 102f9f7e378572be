package io.github.pgreplication.harness.reports;

import static io.github.pgreplication.harness.reports.Html.esc;

import io.github.pgreplication.harness.run.Evidence;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.commonmark.node.BulletList;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The result under each heading of the guide: a step's from its scenarios (with links to them, and its figures); a
 * phase's or part's from the steps in it; the checklist's from its items, each ticked only by passing scenarios or
 * marked manual; a section with nothing to run says so.
 */
final class SectionNote {

    private static final String CHECKLIST = "Checklist de déploiement";

    private final RunResults results;
    private final GuideLines lines;
    private final List<Checklist.Item> checklist;

    SectionNote(RunResults results, GuideLines lines) {
        this.results = results;
        this.lines = lines;
        this.checklist = Checklist.load(results.run().settings().projectDir().resolve("features/checklist.yaml"))
                .tick(results.run().guide(), results.scenarios());
    }

    /** The step whose section holds a line (the nearest heading of level 2 or 3 above it), or null. */
    String stepAt(int line) {
        return lines.headings().stream().filter(h -> h.line() <= line && h.level() <= 3).reduce((a, b) -> b)
                .map(GuideLines.Heading::step).orElse(null);
    }

    boolean inChecklist(int line) {
        return lines.headings().stream().filter(h -> h.text().equals(CHECKLIST))
                .anyMatch(h -> line > h.line() && line <= lines.sectionEnd(h));
    }

    String note(GuideLines.Heading h) {
        if (h.level() < 2 || h.level() > 3) {
            return "";
        }
        if (h.step() != null) {
            RunResults.Outcome o = results.step(h.step());
            StringBuilder out = new StringBuilder(open(o.result(), h)).append(Html.badge(o.result())).append(esc(o.why()));
            if (!o.scenarios().isEmpty()) {
                out.append("<ul class=\"scenarios\">");
                o.scenarios().forEach(s -> out.append("<li>").append(Html.badge(scenarioResult(s)))
                        .append("<a href=\"#").append(results.anchor(s)).append("\">").append(esc(s.name())).append("</a></li>"));
                out.append("</ul>");
            }
            List<Evidence.Figure> figures = results.run().evidence().figures().stream().filter(f -> f.step().equals(h.step())).toList();
            if (!figures.isEmpty()) {
                out.append("Measured: <ul class=\"figures\">");
                figures.forEach(f -> out.append("<li><b>").append(Html.number(f.value())).append(' ').append(esc(f.unit()))
                        .append("</b> ").append(esc(f.name())).append(" <span class=\"muted\">(").append(esc(f.pair()))
                        .append(")</span></li>"));
                out.append("</ul>");
            }
            return out.append("</div>\n").toString();
        }
        int end = lines.sectionEnd(h);
        List<Result> parts = new ArrayList<>();
        String what;
        boolean checklistPart = h.text().equals(CHECKLIST) || inChecklist(h.line());
        if (checklistPart) {
            String sub = h.text().equals(CHECKLIST) ? null : h.text();
            checklist.stream().filter(i -> sub == null || i.section().equals(sub)).forEach(i -> parts.add(result(i.status())));
            what = "checklist items";
        } else {
            lines.headings().stream().filter(x -> x.line() > h.line() && x.line() <= end && x.step() != null)
                    .forEach(x -> parts.add(results.step(x.step()).result()));
            what = "steps";
        }
        if (parts.isEmpty()) {
            String why = h.text().equals("Table des matières") ? "the guide's table of contents: nothing to run"
                    : "explanations or references only: nothing to run here";
            return open(Result.NOT_RUN, h) + Html.badge(Result.NOT_RUN) + why + "</div>\n";
        }
        Result worst = Result.worst(parts);
        Map<Result, Integer> counts = new EnumMap<>(Result.class);
        parts.forEach(r -> counts.merge(r, 1, Integer::sum));
        List<String> said = counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label()).toList();
        return open(worst, h) + Html.badge(worst) + parts.size() + " " + what + ": " + String.join(", ", said) + "</div>\n";
    }

    /** The checklist's items, verbatim, each with its result, the scenarios that ticked it, or why it is manual. */
    String checklist(BulletList list, GuideLines guide, Parser parser, HtmlRenderer renderer) {
        StringBuilder out = new StringBuilder("<ul class=\"checklist\">\n");
        for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
            String source = guide.line(item.getSourceSpans().get(0).getLineIndex() + 1);
            String text = source.replaceFirst("^\\s*- \\[[ xX]\\] ", "");
            Optional<Checklist.Item> ticked = checklist.stream().filter(i -> i.text().equals(text)).findFirst();
            String inline = renderer.render(parser.parse(text)).strip().replaceAll("^<p>|</p>$", "");
            Result r = ticked.map(i -> result(i.status())).orElse(Result.NOT_RUN);
            out.append("<li class=\"check\" data-result=\"").append(r.css()).append("\"><input type=\"checkbox\" disabled")
                    .append(r == Result.PASSED ? " checked" : "").append("> ").append(inline).append(' ').append(Html.badge(r));
            ticked.ifPresent(i -> {
                out.append("<span lang=\"en\" class=\"muted\">");
                if (i.status() == Checklist.Status.MANUAL || i.status() == Checklist.Status.NOT_MAPPED) {
                    out.append(esc(i.why()));
                } else {
                    out.append(String.join(", ", i.evidence().stream().map(s -> "<a href=\"#" + results.anchor(s) + "\">"
                            + esc(s.name()) + "</a>").toList()));
                    out.append(i.why().isEmpty() ? "" : (i.evidence().isEmpty() ? "" : " — ") + esc(i.why()));
                }
                out.append("</span>");
            });
            out.append("</li>\n");
        }
        return out.append("</ul>\n").toString();
    }

    private static Result result(Checklist.Status s) {
        return switch (s) {
            case PASSED -> Result.PASSED;
            case FAILED -> Result.FAILED;
            case MANUAL -> Result.MANUAL;
            case NOT_RUN, NOT_MAPPED -> Result.NOT_RUN;
        };
    }

    static Result scenarioResult(ScenarioOutcome s) {
        return s.passed() ? Result.PASSED : s.skipped() ? Result.NOT_RUN : Result.FAILED;
    }

    private static String open(Result r, GuideLines.Heading h) {
        return "<div class=\"note section-note " + r.css() + "-note\" lang=\"en\" data-section=\"" + esc(h.text())
                + "\" data-result=\"" + r.css() + "\">";
    }
}
