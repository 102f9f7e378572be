package io.github.pgreplication.harness.reports;

import java.util.List;

/**
 * One run's results as {@code run.json} holds them: what {@code index.html} is made from, so that a CI job can put the
 * runs of several jobs side by side from their artifacts alone.
 *
 * @param name     how the index names the run: its manifests, backend and server
 * @param verdict  the verdict line of the run's certification.md
 * @param page     the run's annotated guide, relative to the run's directory
 */
public record RunSummary(int format, String name, String verdict, String started, long durationMillis, String manifests,
                         String expectation, String backend, String postgres, String page, Provenance provenance,
                         List<Step> steps, List<Scenario> scenarios, List<Figure> figures, List<ErratumStatus> errata) {

    /** The version of this shape; the index refuses a run.json of another. */
    public static final int FORMAT = 1;

    public RunSummary {
        steps = List.copyOf(steps);
        scenarios = List.copyOf(scenarios);
        figures = List.copyOf(figures);
        errata = List.copyOf(errata);
    }

    /** A guide step's result ({@code passed}, {@code erratum}, {@code failed}, {@code not-run}) and why, in a few words. */
    public record Step(String id, String title, String result, String why) {
    }

    /**
     * A scenario; {@code anchor}: its id on the run's page. Its duration is in the run's cucumber.json, which Cucumber
     * writes after this file: the index reads it there.
     */
    public record Scenario(String anchor, String feature, String name, List<String> tags, String status, String message) {

        public boolean failed() {
            return !"PASSED".equals(status) && !"SKIPPED".equals(status);
        }

        public boolean ran() {
            return !"SKIPPED".equals(status);
        }
    }

    /** A figure measured; {@code promise}: the guide's words for it, {@code held}: whether the figure keeps it (null: none). */
    public record Figure(String step, String name, double value, String unit, String promise, Boolean held) {
    }

    /** An erratum and what this run saw of it: {@code REPRODUCED}, {@code NOT_REPRODUCED}, {@code not exercised}. */
    public record ErratumStatus(String id, String step, String title, String status, String detail) {
    }
}
