package io.github.pgreplication.harness.guide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guide's Markdown: its headings mapped to step ids, its fenced code blocks, and the SQL of every
 * {@code psql} command in them, so the features run the guide's own text rather than a retyped copy.
 */
public final class GuideDocument {

    /** A fenced block with the step it belongs to. */
    public record CodeBlock(String step, String heading, String language, String text, int line) {

        /** The command lines bash would run, one after another ({@link ShellLines}). */
        public List<String> commands() {
            return ShellLines.of(text);
        }
    }

    private static final Pattern HEADING = Pattern.compile("^(#{2,4}) +(.*)$");
    private static final Pattern ETAPE = Pattern.compile("Étape (\\d+\\.\\d+)");
    private static final Pattern TEST = Pattern.compile("^Test (\\d+) ");
    private static final Pattern PSQL_C = Pattern.compile(
            "(?:oc|kubectl) exec \\$(\\w+) -- psql -U postgres(?: -t)? -c \"(.*?)\"", Pattern.DOTALL);
    private static final Pattern PSQL_HEREDOC = Pattern.compile(
            "(?:oc|kubectl) exec \\$(\\w+) -- psql -U postgres <<(\\w+)\\n(.*?)\\n\\2\\n", Pattern.DOTALL);

    private final Path file;
    private final List<String> lines;
    private final List<CodeBlock> blocks;
    private volatile List<GuideQuery> queries;
    private final Outline outline;

    private GuideDocument(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
        this.outline = new Outline(lines);
        this.blocks = parseBlocks(lines, outline);
    }

    /**
     * The guide's lines as its headings divide them, read once: for each line, whether it is inside a fenced block
     * (or a fence), whether it is a section's heading ({@code ##} or {@code ###}; {@code ####} is a sub-part of its step,
     * as « 1. Ajouter les volumes » of Étape 1.5), and the step it belongs to.
     */
    private static final class Outline {
        private final boolean[] code;
        private final String[] heading;
        private final String[] step;
        private final String[] section;

        Outline(List<String> lines) {
            code = new boolean[lines.size()];
            heading = new String[lines.size()];
            step = new String[lines.size()];
            section = new String[lines.size()];
            boolean inCode = false;
            String h2 = "";
            String current = "";
            String sectionHeading = "";
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                boolean fence = l.startsWith("```");
                code[i] = inCode || fence;
                inCode = fence != inCode;
                Matcher h = HEADING.matcher(l);
                if (!code[i] && h.matches() && h.group(1).length() < 4) {
                    heading[i] = h.group(2).trim();
                    h2 = h.group(1).length() == 2 ? heading[i] : h2;
                    current = stepOf(heading[i], h2);
                    sectionHeading = heading[i];
                }
                step[i] = current;
                section[i] = sectionHeading;
            }
        }

        boolean inCode(int line) {
            return code[line];
        }

        boolean isSection(int line) {
            return heading[line] != null;
        }

        String heading(int line) {
            return heading[line];
        }

        String step(int line) {
            return step[line];
        }

        /** The heading of the section the line is in ({@code ##} or {@code ###}). */
        String section(int line) {
            return section[line];
        }
    }

    public static GuideDocument load(Path file) {
        try {
            return new GuideDocument(file, Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the guide " + file
                    + " (set harness.guide to the guide's Markdown file)", e);
        }
    }

    public Path file() {
        return file;
    }

    public List<CodeBlock> blocks() {
        return blocks;
    }

    /** The sections after Phase 4, by heading, with the step ids the features and errata use. */
    static final java.util.Map<String, String> SECTIONS = java.util.Map.ofEntries(
            java.util.Map.entry("Vue d'ensemble", "overview"),
            java.util.Map.entry("Commandes de reconnaissance", "reconnaissance"),
            java.util.Map.entry("Queries de monitoring", "monitoring-queries"),
            java.util.Map.entry("Alertes Prometheus", "monitoring-alerts"),
            java.util.Map.entry("CronJob de monitoring", "monitoring-cronjob"),
            java.util.Map.entry("Rollback du Slave", "rollback-slave"),
            java.util.Map.entry("Rollback du Master", "rollback-master"),
            java.util.Map.entry("Problème : Le slave ne démarre pas", "troubleshooting-slave-start"),
            java.util.Map.entry("Problème : Lag de réplication élevé", "troubleshooting-lag"),
            java.util.Map.entry("Problème : Slot de réplication sature le disque", "troubleshooting-slot-disk"),
            java.util.Map.entry("Versions compatibles", "versions"),
            java.util.Map.entry("Stratégie de répartition lecture/écriture", "app-routing"),
            java.util.Map.entry("Commandes de diagnostic", "diagnostics"));

    /** A step of the guide the harness certifies: its id ({@code 1.3}, {@code 4.2}, {@code rollback-slave}) and its title. */
    public record Step(String id, String title) {

        /** How the report names it: « Étape 1.3 », Phase 4's « Test 2 : … », a section's own title. */
        public String displayName() {
            return Character.isDigit(id.charAt(0)) && !id.startsWith("4.") ? "Étape " + id : title;
        }
    }

    /**
     * The guide's steps in its order, each titled as the guide titles it: the Étapes (« Backup de sécurité »), Phase 4's
     * Tests (« Test 1 : Réplication des données ») and the sections the features certify ({@link #SECTIONS}).
     */
    public List<Step> steps() {
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!outline.isSection(i)) {
                continue;
            }
            String heading = outline.heading(i);
            String id = outline.step(i);
            boolean certified = SECTIONS.containsKey(heading) || ETAPE.matcher(heading).find() || !id.equals(heading);
            if (certified && out.stream().noneMatch(s -> s.id().equals(id))) {
                int colon = heading.indexOf(" : ");
                out.add(new Step(id, heading.startsWith("Étape ") && colon > 0 ? heading.substring(colon + 3) : heading));
            }
        }
        return out;
    }

    /** The step of this id; an error naming the guide when it has none. */
    public Step step(String id) {
        return steps().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(file + " has no step " + id));
    }

    /**
     * The step id of a heading: {@code 1.6} for "Étape 1.6 : ...", {@code 4.2} for Phase 4's "Test 2 : ...",
     * {@code rollback-slave} for "Rollback du Slave" (see {@link #SECTIONS}); otherwise the heading itself.
     */
    static String stepOf(String heading, String phase) {
        if (SECTIONS.containsKey(heading)) {
            return SECTIONS.get(heading);
        }
        Matcher etape = ETAPE.matcher(heading);
        if (etape.find()) {
            return etape.group(1);
        }
        Matcher test = TEST.matcher(heading);
        if (test.find() && phase.startsWith("Phase 4")) {
            return "4." + test.group(1);
        }
        return heading;
    }

    /** The fenced blocks, each with the step and the section heading the outline puts it under. */
    private static List<CodeBlock> parseBlocks(List<String> lines, Outline outline) {
        List<CodeBlock> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("```")) {
                String lang = l.substring(3).trim();
                int start = i + 1;
                StringBuilder body = new StringBuilder();
                for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    body.append(lines.get(i)).append('\n');
                }
                out.add(new CodeBlock(outline.step(start - 1), outline.section(start - 1), lang, body.toString(), start));
            }
        }
        return out;
    }

    /** A variable that an {@code oc set env} command of the guide sets, with its value as printed. */
    public record EnvAssignment(String step, String name, String value, int line) {
    }

    private static final Pattern SET_ENV = Pattern.compile("(?m)^(?:oc|kubectl) set env (?:.*\\\\\\n)*.*$");
    private static final Pattern ASSIGNMENT = Pattern.compile("\\b([A-Z][A-Z0-9_]*)=\"([^\"]*)\"");

    /** The variables the {@code oc set env} commands of a step's bash blocks set, in order (continued lines included). */
    public List<EnvAssignment> envAssignments(String step) {
        List<EnvAssignment> out = new ArrayList<>();
        for (CodeBlock b : blocks) {
            if (!b.step().equals(step) || !b.language().equals("bash")) {
                continue;
            }
            Matcher cmd = SET_ENV.matcher(b.text());
            while (cmd.find()) {
                Matcher a = ASSIGNMENT.matcher(cmd.group());
                while (a.find()) {
                    out.add(new EnvAssignment(step, a.group(1), a.group(2),
                            b.line() + 1 + lineOffset(b.text(), cmd.start() + a.start())));
                }
            }
        }
        return out;
    }

    /** The value an {@code oc set env} of the step gives a variable; an error naming the guide when it is absent. */
    public EnvAssignment envAssignment(String step, String name) {
        List<EnvAssignment> found = envAssignments(step);
        return found.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(file + ": step " + step + " sets no variable " + name
                        + " with `oc set env` (it sets " + found.stream().map(EnvAssignment::name).toList() + ")"));
    }

    /** The one fenced block of a language in a step; an error naming the guide when there is none or several. */
    public CodeBlock block(String step, String language) {
        List<CodeBlock> found = blocks.stream().filter(b -> b.step().equals(step) && b.language().equals(language)).toList();
        if (found.size() != 1) {
            throw new IllegalStateException(file + ": step " + step + " has " + found.size() + " ```" + language
                    + " blocks, expected one");
        }
        return found.get(0);
    }

    /** Every psql command of the guide's bash blocks, in order (parsed once). */
    public List<GuideQuery> queries() {
        List<GuideQuery> q = queries;
        if (q == null) {
            q = List.copyOf(parseQueries());
            queries = q;
        }
        return q;
    }

    private List<GuideQuery> parseQueries() {
        List<GuideQuery> out = new ArrayList<>();
        for (CodeBlock b : blocks) {
            if (!b.language().equals("bash")) {
                continue;
            }
            List<GuideQuery> found = new ArrayList<>();
            Matcher c = PSQL_C.matcher(b.text());
            while (c.find()) {
                found.add(new GuideQuery(b.step(), 0, c.group(1), c.group(2), b.line() + 1 + lineOffset(b.text(), c.start())));
            }
            Matcher hd = PSQL_HEREDOC.matcher(b.text());
            while (hd.find()) {
                found.add(new GuideQuery(b.step(), 0, hd.group(1), hd.group(3), b.line() + 1 + lineOffset(b.text(), hd.start())));
            }
            found.sort((x, y) -> Integer.compare(x.line(), y.line()));
            int base = (int) out.stream().filter(q -> q.step().equals(b.step())).count();
            for (int k = 0; k < found.size(); k++) {
                GuideQuery q = found.get(k);
                out.add(new GuideQuery(q.step(), base + k + 1, q.target(), q.sql(), q.line()));
            }
        }
        return out;
    }

    /**
     * The one psql command of {@code step} whose SQL contains {@code text}: a query is found by what it says, not by
     * its position, so that a reordered or added command in the guide cannot silently swap the query a check runs.
     * An error names the step, the text, and where the step's commands start when none or more than one match.
     */
    public GuideQuery query(String step, String text) {
        List<GuideQuery> inStep = queries().stream().filter(q -> q.step().equals(step)).toList();
        List<GuideQuery> found = inStep.stream().filter(q -> q.sql().contains(text)).toList();
        if (found.size() != 1) {
            throw new IllegalStateException(file + ": step " + step + " has " + found.size() + " psql commands containing « "
                    + text + " », expected exactly one (its commands start at lines "
                    + inStep.stream().map(q -> Integer.toString(q.line())).toList() + ")");
        }
        return found.get(0);
    }

    /** The prose of a step's section (code blocks left out), as the guide prints it. */
    public String prose(String step) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (!outline.inCode(i) && !outline.isSection(i) && outline.step(i).equals(step)) {
                out.append(lines.get(i)).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * A number the guide promises in a step's prose, found by {@code pattern} (its group 1): the features quote
     * the guide, and a quote that differs from the guide fails (every word of a feature is a check).
     */
    public long promise(String step, String what, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(prose(step));
        if (!m.find()) {
            throw new IllegalStateException(file + ": step " + step + " promises no " + what + " (looked for /" + pattern + "/)");
        }
        return Long.parseLong(m.group(1).replace(",", "").replace(" ", ""));
    }

    /** Test 3's promise (« en < 5 secondes »): how soon the replica has the rows after their commit. */
    public java.time.Duration test3Delay() {
        return java.time.Duration.ofSeconds(promise("4.3", "delay", "en < (\\d+) secondes"));
    }

    /** The checklist items of "Checklist de déploiement", verbatim, with their sub-heading. */
    public List<String[]> checklist() {
        List<String[]> items = new ArrayList<>();
        boolean inChecklist = false;
        String sub = "";
        for (String l : lines) {
            Matcher h = HEADING.matcher(l);
            if (h.matches()) {
                if (h.group(1).length() == 2) {
                    inChecklist = h.group(2).startsWith("Checklist");
                } else if (inChecklist) {
                    sub = h.group(2).trim();
                }
                continue;
            }
            if (inChecklist && l.startsWith("- [ ] ")) {
                items.add(new String[] {sub, l.substring(6)});
            }
        }
        return items;
    }

    private static int lineOffset(String text, int index) {
        int n = 0;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
