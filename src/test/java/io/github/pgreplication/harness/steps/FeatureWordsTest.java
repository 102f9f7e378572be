package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every word of a feature is a check: a feature naming a pod the manifests do not have, the replica where the
 * master is meant, a delay the guide does not promise or a count its SQL does not insert fails, saying why,
 * before anything is deployed. Runs the real glue through Cucumber on src/test/resources/wrong-words.
 */
class FeatureWordsTest {

    @Test
    void wrongNamesDurationsAndCountsFailTheirStep() {
        Map<String, String> failures = FeatureRun.outcomes("src/test/resources/wrong-words/wrong-words.feature",
                FeatureWordsTest::messages);

        assertThat(failures).hasSize(4);
        assertThat(failure(failures, "a pod the manifests do not have"))
                .contains("no pod \"postgresql-primary\"", "\"postgresql\"", "\"postgresql-slave\"");
        assertThat(failure(failures, "the replica named where the master is meant"))
                .contains("\"postgresql-slave\" is the replica (Deployment), not the master (DeploymentConfig)");
        assertThat(failure(failures, "a delay the guide does not promise"))
                .contains("the seconds the guide promises for Test 3", "expected: 5.0", "but was: 7.0");
        assertThat(failure(failures, "a count the guide's SQL does not insert"))
                .contains("the rows of Test 3's generate_series in the guide", "10000", "1000");
    }

    /** The outcome of the scenario of that name (the display name also carries the feature's). */
    private static String failure(Map<String, String> failures, String scenario) {
        return failures.entrySet().stream().filter(e -> e.getKey().endsWith(scenario)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no scenario " + scenario + " in " + failures.keySet()));
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }
}
