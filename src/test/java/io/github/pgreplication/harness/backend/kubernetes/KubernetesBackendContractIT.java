package io.github.pgreplication.harness.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.BackendContract;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.DeploymentPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The backend contract on a Kubernetes cluster: only when asked for ({@code -Dharness.backend=kubernetes}, with
 * {@code harness.cluster} naming a cluster that is up); it never starts one. Asked for and unreachable, it fails
 * with the preflight's message. Also, on the cluster only: the evidence a failure leaves.
 */
class KubernetesBackendContractIT extends BackendContract {

    @Override
    protected void assumeAvailable() {
        Assumptions.assumeTrue("kubernetes".equals(settings.backend()),
                "harness.backend is not kubernetes: the Kubernetes backend is checked only when asked for");
        requireNone("Kubernetes", KubernetesBackend.preflight(settings));
    }

    @Override
    protected Backend create(HarnessSettings settings, ResourceManager resources, Waits waits) {
        return new KubernetesBackend(settings, resources, waits);
    }

    @Override
    protected String image() {
        return "postgres:" + settings.pgMajor().orElse(15);
    }

    /**
     * The evidence of the pair's namespace, written only when asked: the full log of every container, an init
     * container of a Deployment's pod included, and the kept log of a pod already gone; each pod's description; the
     * events; the objects, Secrets by name only. A password the containers print, or a Secret holds, is in no file.
     */
    @Test
    void collectEvidenceWritesEveryContainersLogAndNoSecretValue() throws IOException {
        // Beside the contract's reports, to be read after the run; the previous run's replaced.
        Path dir = settings.reportsDir().resolve("kubernetes-evidence");
        RunDirectory.deleteTree(dir);
        String password = Secrets.newPassword();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POSTGRES_USER", "postgres");
        env.put("POSTGRES_PASSWORD", password);
        env.put("PGDATA", "/var/lib/postgresql/data/pgdata"); // a subdirectory of the claim's mount (lost+found)
        Map<String, String> labels = Map.of("app", "evidence");
        backend.applySecret("evidence-secret", Map.of("password", password));
        ContainerResult gone = backend.runToCompletion(plan("evidence-job", "init", labels, env, List.of(),
                "echo init-marker; echo password=$POSTGRES_PASSWORD"), Duration.ofSeconds(60));
        assertThat(gone.succeeded()).as("%s: exit %s, output:%n%s", gone.what(), gone.exitCode(), gone.output()).isTrue();
        backend.claim("evidence-data");
        PostgresPod server = backend.startPod(new ContainerPlan("evidence-db", "postgresql", image(), List.of(), List.of(),
                env, List.of(new MountPlan("/var/lib/postgresql/data", "data", new MountSource.Claim("evidence-data"))),
                Optional.empty(), Optional.empty(), Map.of("app", "evidence-db"), "evidence test"), Duration.ofSeconds(120));
        Map<String, String> deployed = Map.of("app", "evidence-deploy");
        backend.applyDeployment(new DeploymentPlan("evidence-deploy", deployed, 1, Optional.of("Recreate"),
                List.of(plan("evidence-deploy", "setup", deployed, env, List.of(),
                        "echo deploy-init-marker; echo password=$POSTGRES_PASSWORD")),
                List.of(plan("evidence-deploy", "main", deployed, env, List.of(),
                        "echo deploy-main-marker; trap 'exit 0' TERM; sleep 3600 & wait"))));
        // its init container has ended once its main container runs
        waits.until("the Deployment's main container wrote its first line", Duration.ofSeconds(120), Duration.ofMillis(500),
                () -> backend.clusterShell().orElseThrow().run("kubectl logs deployment/evidence-deploy -c main",
                        Duration.ofSeconds(30)).output().contains("deploy-main-marker"),
                () -> backend.clusterShell().orElseThrow().run("kubectl get pods -o wide", Duration.ofSeconds(30)).output());

        List<Path> files = ((KubernetesBackend) backend).collectEvidence(dir);

        List<String> names = files.stream().map(f -> dir.relativize(f).toString()).toList();
        assertThat(names).contains("events.txt", "objects/secrets.txt", "objects/deployments.yaml",
                "objects/persistentvolumeclaims.yaml", "logs/" + gone.what() + ".kept.log", "pods/" + server.name() + ".yaml",
                "logs/" + server.name() + ".postgresql.log").doesNotContain("errors.txt");
        assertThat(Files.readString(dir.resolve("logs/" + gone.what() + ".kept.log"))).contains("init-marker", "password=");
        assertThat(names).filteredOn(n -> n.matches("logs/evidence-deploy-.*\\.setup\\.log")).singleElement()
                .satisfies(n -> assertThat(Files.readString(dir.resolve(n))).contains("deploy-init-marker", "password="));
        assertThat(names).filteredOn(n -> n.matches("logs/evidence-deploy-.*\\.main\\.log")).singleElement()
                .satisfies(n -> assertThat(Files.readString(dir.resolve(n))).contains("deploy-main-marker"));
        assertThat(names).filteredOn(n -> n.matches("pods/evidence-deploy-.*\\.yaml")).singleElement()
                .satisfies(n -> assertThat(Files.readString(dir.resolve(n))).contains("initContainers", "status:"));
        assertThat(Files.readString(dir.resolve("objects/secrets.txt"))).contains("evidence-secret");
        assertThat(Files.readString(dir.resolve("objects/deployments.yaml"))).contains("evidence-deploy");
        String base64 = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
        for (Path f : files) {
            assertThat(f).startsWith(dir);
            assertThat(Files.readString(f)).as("%s", dir.relativize(f)).doesNotContain(password).doesNotContain(base64);
        }
        assertThat(server.isRunning()).as("collecting the evidence leaves the pods alone").isTrue();
    }

    private ContainerPlan plan(String pod, String container, Map<String, String> labels, Map<String, String> env,
                               List<MountPlan> mounts, String script) {
        return new ContainerPlan(pod, container, image(), List.of("/bin/sh", "-c", script), List.of(), env, mounts,
                Optional.empty(), Optional.empty(), labels, "evidence test " + pod + "/" + container);
    }
}
