package io.github.pgreplication.harness.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code oc} of a cluster that is not OpenShift ({@link KubectlShell#SHIM}), against a kubectl that prints the
 * status lines a DeploymentConfig's watch would give and then stays open, as a watch does: {@code oc rollout status
 * dc/NAME} prints OpenShift's lines, ends at the rollout's end with its exit status, and stops the watch; every other
 * command is kubectl's, as typed. On the offline cluster, k8s/offline/check-deploymentconfigs.sh runs it against the
 * real API server.
 */
class OcOnKubectlTest {

    /** One status line as the shim's jsonpath prints it. */
    private static String status(int generation, int observed, int latest, String triggers, int desired, int replicas,
                                 int updated, int available, String reason, String message) {
        return String.join("|", String.valueOf(generation), String.valueOf(observed), String.valueOf(latest), triggers,
                String.valueOf(desired), String.valueOf(replicas), String.valueOf(updated), String.valueOf(available),
                reason, message);
    }

    private record Run(int exit, String out, String err, String kubectlArgs) {
    }

    private static Run oc(Path dir, List<String> lines, String... args) throws Exception {
        Path fake = dir.resolve("kubectl");
        Files.write(dir.resolve("lines"), lines);
        Files.writeString(fake, "#!/bin/bash\n"
                + "printf '%s\\n' \"$*\" >> '" + dir.resolve("args") + "'\n"
                + "cat '" + dir.resolve("lines") + "'\n"
                + "grep -q '^Error' '" + dir.resolve("lines") + "' && exit 1\n" // kubectl's refusal ends it
                + "case \" $* \" in *' --watch '*) exec tail -f /dev/null ;; esac\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Path shim = dir.resolve("oc");
        Files.writeString(shim, KubectlShell.ocOnKubectl(fake));
        List<String> command = new ArrayList<>(List.of("bash", shim.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile()).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("oc " + String.join(" ", args) + " ended").isTrue();
        return new Run(p.exitValue(), read(dir.resolve("out")), read(dir.resolve("err")), read(dir.resolve("args")));
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    @Test
    void rolloutStatusFollowsTheConfigToItsEndWithOpenShiftsLines(@TempDir Path dir) throws Exception {
        Run r = oc(dir, List.of(
                status(3, 2, 1, "ConfigChange", 1, 1, 1, 1, "NewReplicationControllerAvailable",
                        "replication controller \"postgresql-1\" successfully rolled out"),
                status(3, 3, 2, "ConfigChange", 1, 1, 0, 1, "NewReplicationControllerCreated", "x"),
                status(3, 3, 2, "ConfigChange", 1, 0, 0, 0, "ReplicationControllerUpdated", "x"),
                status(3, 3, 2, "ConfigChange", 1, 1, 1, 0, "ReplicationControllerUpdated", "x"),
                status(3, 3, 2, "ConfigChange", 1, 1, 1, 1, "NewReplicationControllerAvailable",
                        "replication controller \"postgresql-2\" successfully rolled out"),
                "never read"), "rollout", "status", "dc/postgresql");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                Waiting for latest deployment config spec to be observed by the controller loop...
                Waiting for rollout to finish: 0 out of 1 new replicas have been updated...
                Waiting for rollout to finish: 0 out of 1 new replicas have been updated...
                Waiting for rollout to finish: 0 of 1 updated replicas are available...
                replication controller "postgresql-2" successfully rolled out
                """);
        assertThat(r.kubectlArgs()).isEqualTo("get deploymentconfigs.apps.openshift.io/postgresql -o jsonpath="
                + "{.metadata.generation}|{.status.observedGeneration}|{.status.latestVersion}|{.spec.triggers[*].type}|"
                + "{.spec.replicas}|{.status.replicas}|{.status.updatedReplicas}|{.status.availableReplicas}|"
                + "{.status.conditions[?(@.type==\"Progressing\")].reason}|"
                + "{.status.conditions[?(@.type==\"Progressing\")].message}{\"\\n\"} --watch\n");
    }

    @Test
    void aFailedRolloutIsAnErrorAndExitsOne(@TempDir Path dir) throws Exception {
        Run r = oc(dir, List.of(status(2, 2, 2, "ConfigChange", 1, 2, 1, 1, "ReplicationControllerUpdated", "x"),
                status(2, 2, 2, "ConfigChange", 1, 1, 0, 1, "ProgressDeadlineExceeded",
                        "replication controller \"postgresql-2\" has failed progressing")),
                "-n", "ns", "rollout", "status", "deploymentconfig", "postgresql");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("Waiting for rollout to finish: 1 old replicas are pending termination...\n");
        assertThat(r.err()).isEqualTo("error: replication controller \"postgresql-2\" has failed progressing\n");
        assertThat(r.kubectlArgs()).startsWith("-n ns get deploymentconfigs.apps.openshift.io/postgresql ");
    }

    @Test
    void aConfigWaitingForAnImageSaysSoAndOneWithoutTriggersWantsAManualRollout(@TempDir Path dir) throws Exception {
        Run image = oc(dir, List.of(status(1, 1, 0, "ImageChange", 1, 0, 0, 0, "", "")), "rollout", "status",
                "dc/postgresql", "--watch=false");
        assertThat(image.exit()).isZero();
        assertThat(image.out()).isEqualTo("Deployment config \"postgresql\" waiting on image update\n");
        Run manual = oc(dir, List.of(status(1, 1, 0, "", 1, 0, 0, 0, "", "")), "rollout", "status", "dc/postgresql");
        assertThat(manual.exit()).isEqualTo(1);
        assertThat(manual.err()).isEqualTo("error: Deployment config \"postgresql\" waiting on manual update (use 'oc "
                + "rollout latest postgresql')\n");
    }

    @Test
    void everythingElseIsKubectlsAsTypedAndProjectSwitchesTheNamespace(@TempDir Path dir) throws Exception {
        assertThat(oc(dir, List.of(), "rollout", "status", "deployment/postgresql-slave").kubectlArgs())
                .endsWith("rollout status deployment/postgresql-slave\n");
        assertThat(oc(dir, List.of(), "get", "dc/postgresql", "-o", "yaml").kubectlArgs())
                .endsWith("get dc/postgresql -o yaml\n");
        assertThat(oc(dir, List.of(), "project", "team").kubectlArgs())
                .endsWith("config set-context --current --namespace=team\n");
        Run kubectlError = oc(dir, List.of("Error from server (NotFound): deploymentconfigs.apps.openshift.io \"x\" not found"),
                "rollout", "status", "dc/x");
        assertThat(kubectlError.exit()).isNotZero();
        assertThat(kubectlError.err()).contains("(NotFound)");
    }
}
