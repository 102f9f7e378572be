package io.github.pgreplication.harness.reports;

import java.util.List;

/** A scenario's result, as the report shows it. */
public record ScenarioOutcome(String feature, String name, List<String> tags, String status, String message) {

    public boolean passed() {
        return "PASSED".equals(status);
    }
}
