package io.github.pgreplication.harness.reports;

import java.util.List;

/**
 * A scenario's result, as the report shows it; {@code evidence}: where a failed scenario's evidence is, relative to the
 * reports directory ({@code evidence/<scenario>-<id>/}), empty when none was collected.
 */
public record ScenarioOutcome(String feature, String name, List<String> tags, String status, String message, String evidence) {

    /** A scenario without failure evidence. */
    public ScenarioOutcome(String feature, String name, List<String> tags, String status, String message) {
        this(feature, name, tags, status, message, "");
    }

    public boolean passed() {
        return "PASSED".equals(status);
    }

    /** Not run, and not passed: a scenario whose backend cannot host it (a {@code @cluster} one off a cluster, say). */
    public boolean skipped() {
        return "SKIPPED".equals(status);
    }
}
