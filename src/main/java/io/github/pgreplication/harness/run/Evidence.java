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

    private final List<Figure> figures = new ArrayList<>();
    private final List<Note> notes = new ArrayList<>();
    private final java.util.Set<String> executed = new java.util.LinkedHashSet<>();
    private final java.util.Set<String> adaptations = new java.util.LinkedHashSet<>();

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
