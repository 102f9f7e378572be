package io.github.pgreplication.harness.reports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How long each scenario of a run took, from the run's {@code cucumber.json} (its hooks and steps added up). Cucumber
 * writes that file after the run's own pages, so the index reads it, beside each run.json, when it is built.
 */
final class ScenarioDurations {

    /** A scenario's feature file, name and duration. */
    record Timed(String feature, String name, long millis) {
    }

    private ScenarioDurations() {
    }

    /** The scenarios of a cucumber.json in its order; none when it is absent or not complete (still being written). */
    static List<Timed> of(Path cucumberJson) {
        if (!Files.isRegularFile(cucumberJson)) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(cucumberJson.toFile());
        } catch (RuntimeException e) {
            return List.of();
        }
        List<Timed> out = new ArrayList<>();
        for (JsonNode feature : root) {
            String uri = feature.path("uri").asString("");
            String file = uri.substring(uri.lastIndexOf('/') + 1);
            for (JsonNode element : feature.path("elements")) {
                long nanos = 0;
                for (String part : new String[] {"before", "steps", "after"}) {
                    for (JsonNode step : element.path(part)) {
                        nanos += step.path("result").path("duration").asLong(0);
                    }
                }
                out.add(new Timed(file, element.path("name").asString(""), nanos / 1_000_000));
            }
        }
        return out;
    }
}
