package io.github.pgreplication.harness.run;

import java.util.ArrayList;
import java.util.List;

/**
 * What a run measured and saw, kept for the report: figures with their unit and the backend that produced
 * them, and notes (observations that are not errata). Text is redacted as it comes in.
 */
public final class Evidence {

    /** A measured figure. */
    public record Figure(String step, String name, double value, String unit, String pair, String backend) {
    }

    /** An observation a reviewer should read. */
    public record Note(String step, String text) {
    }

    /**
     * A part of the guide run as written (a query, a command line): its item ({@code guide-text#3.3/1},
     * {@code command#<step>/<the guide's line>}), how it ended ({@code exit 0}, {@code SQLSTATE 42703}) and what it printed.
     */
    public record Execution(String item, String status, boolean succeeded, String output) {
    }

    private static final int OUTPUT_LIMIT = 4000;

    private final List<Figure> figures = new ArrayList<>();
    private final List<Note> notes = new ArrayList<>();
    private final java.util.Set<String> executed = new java.util.LinkedHashSet<>();
    private final java.util.Set<String> adaptations = new java.util.LinkedHashSet<>();
    private final java.util.Map<String, Execution> executions = new java.util.LinkedHashMap<>();

    /** A change the run made to an item of the guide for the manifests or the host (listed in the report). */
    public synchronized void adaptation(String text) {
        adaptations.add(Secrets.redact(text));
    }

    public synchronized List<String> adaptations() {
        return List.copyOf(adaptations);
    }

    /** An item of the guide (a query, a script, a manifest's check) that this run executed, for the coverage figure. */
    public synchronized void executed(String item) {
        executed.add(item);
    }

    public synchronized java.util.Set<String> executedItems() {
        return java.util.Set.copyOf(executed);
    }

    /**
     * What a part of the guide did when run as written: its latest run, unless one failed (the page shows the failure).
     */
    public synchronized void ran(String item, String status, boolean succeeded, String output) {
        String text = Secrets.redact(output == null ? "" : output.strip());
        if (text.length() > OUTPUT_LIMIT) {
            text = text.substring(0, OUTPUT_LIMIT) + "\n… (" + (text.length() - OUTPUT_LIMIT) + " more characters)";
        }
        Execution e = new Execution(item, Secrets.redact(status), succeeded, text);
        executions.merge(item, e, (old, neu) -> old.succeeded() ? neu : old);
    }

    public synchronized List<Execution> executions() {
        return List.copyOf(executions.values());
    }

    /** Rows of each statement of a script as a plain table: a header of the columns, a line per row (20 at most). */
    public static String table(List<List<java.util.Map<String, Object>>> results) {
        StringBuilder out = new StringBuilder();
        for (List<java.util.Map<String, Object>> rows : results) {
            if (rows.isEmpty()) {
                out.append("(no row)\n");
                continue;
            }
            out.append(String.join(" | ", rows.get(0).keySet())).append('\n');
            rows.stream().limit(20).forEach(r -> out.append(String.join(" | ",
                    r.values().stream().map(String::valueOf).toList())).append('\n'));
            if (rows.size() > 20) {
                out.append("(").append(rows.size()).append(" rows)\n");
            }
        }
        return out.toString();
    }

    public synchronized void figure(String step, String name, double value, String unit, String pair, String backend) {
        figures.add(new Figure(step, name, value, unit, pair, backend));
    }

    public synchronized void note(String step, String text) {
        Note n = new Note(step, Secrets.redact(text));
        if (!notes.contains(n)) {
            notes.add(n);
        }
    }

    public synchronized List<Figure> figures() {
        return List.copyOf(figures);
    }

    public synchronized List<Note> notes() {
        return List.copyOf(notes);
    }
}
