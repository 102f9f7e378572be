package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken deployment fails a run in about the time of one deployment: with one wrong line in slave.conf
 * ({@code hot_standby = off}, the replica never accepts a connection), the first scenario that needs the pair
 * fails on its real stand-up with what was last seen, and the others fail at once with that diagnosis instead
 * of standing the pair up again. Real servers, on the local backend.
 */
class FailFastTest {

    @Test
    void theScenariosAfterAFailedDeploymentFailAtOnceWithItsDiagnosis(@TempDir Path manifests) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("manifests/corrected"))) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                if (f.getFileName().toString().equals("postgresql-slave-config.yaml")) {
                    assertThat(text).contains("hot_standby = on");
                    text = text.replace("hot_standby = on", "hot_standby = off");
                }
                Files.writeString(manifests.resolve(f.getFileName()), text);
            }
        }
        Map<String, String> outcomes = new LinkedHashMap<>();
        System.setProperty("harness.manifests", manifests.toString());
        System.setProperty("harness.errata.expect", "any");
        System.setProperty("harness.timeout.scale", "0.1"); // the replica's readiness gives up after 6 s instead of 60
        try {
            outcomes.putAll(FeatureRun.outcomes("features/phase-3-replication.feature", Throwable::getMessage));
        } finally {
            System.clearProperty("harness.manifests");
            System.clearProperty("harness.errata.expect");
            System.clearProperty("harness.timeout.scale");
        }
        assertThat(outcomes).hasSize(6); // phase-3-replication.feature's scenarios
        var messages = outcomes.values().stream().toList();
        assertThat(messages.get(0)).as("the first stand-up fails on the replica, saying what it last saw")
                .contains("shared pair", "not reached within").containsAnyOf("57P03", "rejecting connections")
                .doesNotContain("Not deployed again");
        assertThat(messages.subList(1, 6)).allSatisfy(m -> assertThat(m)
                .startsWith("Not deployed again: the manifests under test (" + manifests + ") already failed to deploy")
                .contains("shared pair"));
    }
}
