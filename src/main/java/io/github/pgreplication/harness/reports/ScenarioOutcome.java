package io.github.pgreplication.harness.reports;

import java.util.List;

/** A scenario's result, as the report shows it. */
public record ScenarioOutcome(String feature, String name, List<String> tags, String status, String message) {

    public boolean passed() {
        return "PASSED".equals(status);
    }

    /** Not run, and not passed: a scenario whose backend cannot host it (a {@code @cluster} one off a cluster, say). */
    public boolean skipped() {
        return "SKIPPED".equals(status);
    }
}
