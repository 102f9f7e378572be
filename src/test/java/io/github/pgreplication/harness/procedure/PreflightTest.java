package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.settings.HarnessSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is found before anything starts, every problem in one message. */
class PreflightTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        Stream.of("harness.manifests", "harness.backend", "harness.timeout.scale").forEach(System::clearProperty);
    }

    private static List<String> problems(Map<String, String> settings) {
        settings.forEach(System::setProperty);
        return Preflight.problems(HarnessSettings.current());
    }

    @Test
    void theCorrectedManifestsOnTheLocalBackendHaveNoProblem() {
        assertThat(problems(Map.of())).isEmpty();
    }

    @Test
    void aMissingDirectoryAndAnUnknownBackendAreBothReportedAtOnce() {
        assertThatThrownBy(() -> {
            System.setProperty("harness.manifests", dir.resolve("nowhere").toString());
            System.setProperty("harness.backend", "k3s");
            Preflight.check(HarnessSettings.current());
        }).isInstanceOf(Preflight.Failed.class)
                .hasMessageStartingWith("The certification cannot start; nothing was started. 2 problems:")
                .hasMessageContaining("nowhere: no such manifests directory")
                .hasMessageContaining("harness.backend=k3s is not available");
    }

    @Test
    void malformedYamlAMissingDeploymentAndABadScaleAreEachNamed() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("manifests/corrected"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Files.writeString(dir.resolve("postgresql-slave-pvc.yaml"), "kind: PersistentVolumeClaim\nmetadata:\n name: x\n spec: [\n");
        assertThat(problems(Map.of("harness.manifests", dir.toString(), "harness.timeout.scale", "-1")))
                .anySatisfy(p -> assertThat(p).contains("postgresql-slave-pvc.yaml", "document at line 1", "malformed YAML"))
                .anySatisfy(p -> assertThat(p).startsWith("harness.timeout.scale"));
        Files.writeString(dir.resolve("postgresql-slave-pvc.yaml"), Files.readString(Path.of(
                "manifests/corrected/postgresql-slave-pvc.yaml")));
        Files.delete(dir.resolve("postgresql-slave-deployment.yaml"));
        System.clearProperty("harness.timeout.scale");
        assertThat(problems(Map.of("harness.manifests", dir.toString())))
                .singleElement().asString().contains("expected exactly one Deployment (the replica, Étape 2.3), found 0");
    }
}
