package io.github.pgreplication.harness.reports;

import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideQuery;
import io.github.pgreplication.harness.guide.ManifestSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The guide's lines as the page places its annotations: each heading with its line and the step it starts, where
 * each erratum is about (the line of its query, of its published text, else its step's heading), and the manifest a
 * YAML block of the guide is (with the file of the manifests that holds it).
 */
final class GuideLines {

    /** A heading: its line (1-based), level, text, and the step it starts (null for a section the harness does not certify). */
    record Heading(int line, int level, String text, String step) {
    }

    /** The resource a YAML block of the guide defines: {@code configmap/postgresql-master-init}. */
    record Resource(String kind, String name) {
        String id() {
            return kind.toLowerCase(Locale.ROOT) + "/" + name;
        }
    }

    private static final Pattern HEADING = Pattern.compile("^(#{1,4}) +(.*)$");

    private final GuideDocument guide;
    private final List<String> lines;
    private final List<Heading> headings = new ArrayList<>();

    GuideLines(GuideDocument guide) {
        this.guide = guide;
        try {
            this.lines = Files.readAllLines(guide.file(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the guide " + guide.file(), e);
        }
        List<GuideDocument.Step> steps = guide.steps();
        boolean code = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("```")) {
                code = !code;
                continue;
            }
            Matcher h = HEADING.matcher(l);
            if (!code && h.matches()) {
                String text = h.group(2).trim();
                int level = h.group(1).length();
                String step = level < 2 || level > 3 ? null : steps.stream()
                        .filter(s -> text.equals(s.title()) || text.startsWith("Étape " + s.id() + " "))
                        .map(GuideDocument.Step::id).findFirst().orElse(null);
                headings.add(new Heading(i + 1, level, text, step));
            }
        }
    }

    List<Heading> headings() {
        return headings;
    }

    Optional<Heading> heading(String step) {
        return headings.stream().filter(h -> step.equals(h.step())).findFirst();
    }

    /** The heading whose section holds a line (the last heading at or above it). */
    Optional<Heading> headingAt(int line) {
        return headings.stream().filter(h -> h.line() <= line).reduce((a, b) -> b);
    }

    /** The last line of a heading's section: the line before the next heading of its level or above. */
    int sectionEnd(Heading h) {
        return headings.stream().filter(o -> o.line() > h.line() && o.level() <= h.level()).map(o -> o.line() - 1)
                .findFirst().orElse(lines.size());
    }

    String line(int line) {
        return lines.get(line - 1);
    }

    /** The first line in [from, to] (1-based) that a pattern finds something in. */
    Optional<Matcher> find(Pattern p, int from, int to) {
        for (int i = Math.max(1, from); i <= Math.min(to, lines.size()); i++) {
            Matcher m = p.matcher(lines.get(i - 1));
            if (m.find()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The line (1-based) holding the first match of a pattern in [from, to]; 0 when none. */
    int lineOf(Pattern p, int from, int to) {
        for (int i = Math.max(1, from); i <= Math.min(to, lines.size()); i++) {
            if (p.matcher(lines.get(i - 1)).find()) {
                return i;
            }
        }
        return 0;
    }

    /**
     * The line an erratum is about: its query's for a query of the guide's text; else the first line of the guide,
     * in its step's section first, that holds a line of its published text; else its step's heading. 0 when its
     * step has no heading in this guide.
     */
    int lineOf(Erratum e) {
        Matcher item = Pattern.compile("^guide-text#(.+)/(\\d+)$").matcher(e.item());
        if (item.matches()) {
            int index = Integer.parseInt(item.group(2));
            Optional<GuideQuery> q = guide.queries().stream()
                    .filter(x -> x.step().equals(item.group(1)) && x.index() == index).findFirst();
            if (q.isPresent()) {
                return q.get().line();
            }
        }
        Optional<Heading> h = heading(e.step());
        List<String> wanted = e.published() == null ? List.of() : e.published().lines().map(GuideLines::normal)
                .filter(l -> l.length() >= 10).toList();
        for (int[] range : h.map(x -> new int[][] {{x.line(), sectionEnd(x)}, {1, lines.size()}})
                .orElse(new int[][] {{1, lines.size()}})) {
            for (String w : wanted) {
                for (int i = range[0]; i <= range[1]; i++) {
                    String l = normal(lines.get(i - 1));
                    if (l.length() >= 6 && (l.contains(w) || (l.length() >= 15 && w.contains(l)))) {
                        return i;
                    }
                }
            }
        }
        return h.map(Heading::line).orElse(0);
    }

    private static String normal(String line) {
        return line.strip().replaceFirst("^(- |#+ )", "").replaceAll("\\s+", " ");
    }

    /** The resource a YAML block of the guide defines (its kind and metadata.name), if it is a whole one. */
    static Optional<Resource> resourceOf(String yaml) {
        try {
            if (ManifestSet.parseYaml(yaml) instanceof Map<?, ?> m && m.get("kind") instanceof String kind
                    && m.get("metadata") instanceof Map<?, ?> meta && meta.get("name") instanceof String name) {
                return Optional.of(new Resource(kind, name));
            }
        } catch (RuntimeException e) {
            return Optional.empty(); // a fragment the guide prints (a list of volumes, say) is no resource
        }
        return Optional.empty();
    }

    /** The file of a directory of manifests that defines a resource (its kind, and its name under metadata). */
    static Optional<Path> fileOf(Path dir, Resource r) {
        Pattern kind = Pattern.compile("(?mi)^kind:\\s*" + Pattern.quote(r.kind()) + "\\s*$");
        Pattern name = Pattern.compile("(?m)^metadata:\\s*\\n(?:[ \\t]+.*\\n)*?[ \\t]+name:\\s*[\"']?" + Pattern.quote(r.name())
                + "[\"']?\\s*$");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                    .filter(f -> {
                        String text = read(f);
                        return kind.matcher(text).find() && name.matcher(text).find();
                    }).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }
}
