package io.github.pgreplication.harness.reports;

import static io.github.pgreplication.harness.reports.Html.esc;

import io.github.pgreplication.harness.errata.Erratum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BulletList;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * {@code reports/guide.html}: the guide itself, rendered from its Markdown in its own words and order, annotated in
 * place with what this run did: each section, command block, SQL query, manifest and checklist item with its result;
 * each erratum at the line it is about; each promise beside the figure measured for it.
 */
final class GuidePage {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS)
            .includeSourceSpans(IncludeSourceSpans.BLOCKS).build();
    /** The guide's own HTML escaped, its links' URLs sanitized, and its images as links: nothing is fetched. */
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true)
            .sanitizeUrls(true).nodeRendererFactory(context -> new NodeRenderer() {
                @Override
                public Set<Class<? extends Node>> getNodeTypes() {
                    return Set.of(Image.class);
                }

                @Override
                public void render(Node node) {
                    Image image = (Image) node;
                    context.getWriter().tag("a", Map.of("href", context.encodeUrl(image.getDestination())));
                    context.getWriter().text("[image: " + TextContentRenderer.builder().build().render(image) + "]");
                    context.getWriter().tag("/a");
                }
            }).build();

    private final RunResults results;
    private final GuideLines lines;
    private final BlockNote blocks;
    private final ErratumBox boxes;
    private final SectionNote sections;

    GuidePage(RunResults results) {
        this.results = results;
        this.lines = new GuideLines(results.run().guide());
        this.blocks = new BlockNote(results);
        this.boxes = new ErratumBox(results);
        this.sections = new SectionNote(results, lines);
    }

    GuideLines lines() {
        return lines;
    }

    /** The page: the run's panel, the annotated guide, then the scenarios, figures and provenance. */
    String render(RunSummary summary, String indexHref) {
        StringBuilder out = new StringBuilder(Html.head("Annotated guide — " + summary.name(), "en"));
        out.append(RunPanels.header(summary, indexHref, results));
        out.append("<main class=\"guide\" lang=\"fr\">\n").append(guide()).append("</main>\n");
        out.append(RunPanels.scenarios(results));
        out.append(RunPanels.figures(summary));
        out.append(RunPanels.provenance(summary.provenance()));
        return out.append(Html.FOOT).toString();
    }

    private String guide() {
        String text = GuideLines.read(results.run().guide().file());
        Node document = PARSER.parse(text);
        Map<Integer, List<String>> attached = attachments();
        List<Integer> lineKeys = new ArrayList<>(attached.keySet());
        StringBuilder out = new StringBuilder();
        String pendingOutput = "";
        StringBuilder expected = new StringBuilder();
        boolean afterExpected = false;
        int expectedLast = 0;
        for (Node node = document.getFirstChild(); node != null; node = node.getNext()) {
            int first = node.getSourceSpans().get(0).getLineIndex() + 1;
            int last = node.getSourceSpans().get(node.getSourceSpans().size() - 1).getLineIndex() + 1;
            String html;
            if (node instanceof Heading h) {
                html = heading(h, first);
            } else if (node instanceof BulletList list && sections.inChecklist(first)) {
                html = sections.checklist(list, lines, PARSER, RENDERER);
            } else {
                html = RENDERER.render(node);
            }
            // the guide's « Résultat attendu » (its words, then its block) goes beside what the run printed
            boolean isExpected = !pendingOutput.isEmpty() && (node instanceof Paragraph p && plain(p).toLowerCase().contains("attendu")
                    || afterExpected && node instanceof FencedCodeBlock b && b.getInfo().isBlank());
            if (isExpected) {
                expected.append(html);
                expectedLast = last;
                afterExpected = node instanceof Paragraph;
                continue;
            }
            if (!pendingOutput.isEmpty()) {
                out.append(beside(expected.toString(), pendingOutput));
                drain(attached, lineKeys, expectedLast, out);
                pendingOutput = "";
                expected.setLength(0);
                afterExpected = false;
            }
            out.append(html);
            for (FencedCodeBlock b : fencedBlocks(node)) {
                int bFirst = b.getSourceSpans().get(0).getLineIndex() + 1;
                int bLast = b.getSourceSpans().get(b.getSourceSpans().size() - 1).getLineIndex() + 1;
                BlockNote.Note note = blocks.of(b.getInfo().strip(), b.getLiteral(), bFirst, bLast, sections.stepAt(bFirst));
                out.append(note.html());
                pendingOutput = note.output().isEmpty() ? pendingOutput : pendingOutput + note.output();
            }
            drain(attached, lineKeys, last, out);
        }
        if (!pendingOutput.isEmpty()) {
            out.append(beside(expected.toString(), pendingOutput));
        }
        lineKeys.forEach(k -> attached.get(k).forEach(out::append));
        return out.toString();
    }

    /** Appends the errata and promises about the lines up to {@code last} that are not placed yet. */
    private static void drain(Map<Integer, List<String>> attached, List<Integer> lineKeys, int last, StringBuilder out) {
        while (!lineKeys.isEmpty() && lineKeys.get(0) <= last) {
            attached.get(lineKeys.remove(0)).forEach(out::append);
        }
    }

    /** The errata and promises, by the line they are about, in the guide's order. */
    private Map<Integer, List<String>> attachments() {
        Map<Integer, List<String>> byLine = new TreeMap<>();
        for (Erratum e : results.run().ledger().catalog().all()) {
            int line = lines.lineOf(e);
            byLine.computeIfAbsent(line == 0 ? Integer.MAX_VALUE : line, k -> new ArrayList<>()).add(boxes.html(e, line));
        }
        for (Promises.Kept k : promises()) {
            byLine.computeIfAbsent(k.line(), x -> new ArrayList<>()).add(boxes.promise(k));
        }
        return byLine;
    }

    List<Promises.Kept> promises() {
        return Promises.of(lines, results.run().evidence().figures());
    }

    private String heading(Heading h, int line) {
        String html = RENDERER.render(h);
        String text = TextContentRenderer.builder().build().render(h).strip();
        Optional<GuideLines.Heading> known = lines.headings().stream().filter(x -> x.line() == line).findFirst();
        String id = known.map(GuideLines.Heading::step).map(Html::stepAnchor).orElse(null);
        String attributes = " id=\"" + esc(Html.slug(text)) + "\"" + (id == null ? "" : " data-step=\"" + esc(known.get().step()) + "\"");
        html = html.replaceFirst("^<h(\\d)>", "<h$1" + Matcher.quoteReplacement(attributes) + ">");
        if (id != null) {
            html = html.replaceFirst("</h(\\d)>", "<a class=\"step-anchor\" id=\"" + id + "\"></a></h$1>");
        }
        return html + known.map(sections::note).orElse("");
    }

    private static String beside(String expected, String output) {
        String actual = "<div class=\"actual\" lang=\"en\"><p><b>What ran in this run, and what it printed</b></p><pre class=\"out\">"
                + esc(output.strip()) + "</pre></div>";
        if (expected.isEmpty()) {
            return "<div class=\"beside\">" + actual + "</div>\n";
        }
        return "<div class=\"beside\"><div class=\"expected\">" + expected + "</div>" + actual + "</div>\n";
    }

    private static String plain(Node n) {
        return TextContentRenderer.builder().build().render(n);
    }

    private static List<FencedCodeBlock> fencedBlocks(Node node) {
        List<FencedCodeBlock> found = new ArrayList<>();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(FencedCodeBlock b) {
                found.add(b);
            }
        });
        return found;
    }
}
