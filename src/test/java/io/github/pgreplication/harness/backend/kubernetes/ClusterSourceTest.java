package io.github.pgreplication.harness.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.settings.HarnessSettings;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The cluster sources fail at once, with one clear message, where their cluster cannot be had. */
class ClusterSourceTest {

    @AfterEach
    void clear() {
        for (String p : new String[] {"harness.cluster", "harness.kubeconfig", "harness.k3s.image"}) {
            System.clearProperty(p);
        }
    }

    @Test
    void anUnknownClusterSourceIsRefusedNamingTheThreeKnownOnes() {
        System.setProperty("harness.cluster", "minikube");
        assertThatThrownBy(() -> Cluster.of(HarnessSettings.current()))
                .hasMessageContaining("harness.cluster=minikube").hasMessageContaining("offline")
                .hasMessageContaining("kubeconfig").hasMessageContaining("k3s");
    }

    @Test
    void theOfflineClusterNotRunningSaysHowToStartIt() {
        System.setProperty("harness.cluster", "offline");
        System.setProperty("harness.kubeconfig", "/nonexistent/admin.kubeconfig");
        assertThatThrownBy(() -> Cluster.of(HarnessSettings.current()))
                .hasMessageContaining("/nonexistent/admin.kubeconfig").hasMessageContaining("k8s/offline/start.sh");
    }

    @Test
    void aMissingKubeconfigIsNamed() {
        System.setProperty("harness.cluster", "kubeconfig");
        System.setProperty("harness.kubeconfig", "/nonexistent/config");
        assertThatThrownBy(() -> Cluster.of(HarnessSettings.current())).hasMessageContaining("/nonexistent/config");
    }

    /** No registry here: k3s fails at once, before any pull, when its image is not on the engine. */
    @Test
    void k3sWithoutItsImageFailsAtOnceWithoutPulling() {
        Assumptions.assumeTrue(dockerAnswers(), "no Docker engine");
        String image = "rancher/k3s:v0.0.0-absent-on-purpose";
        System.setProperty("harness.cluster", "k3s");
        System.setProperty("harness.k3s.image", image);
        long start = System.nanoTime();
        assertThatThrownBy(() -> Cluster.of(HarnessSettings.current()))
                .hasMessageContaining(image).hasMessageContaining("not on this Docker engine");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    /** Asked with the CLI: Testcontainers' client would start Ryuk, which pulls an image. */
    private static boolean dockerAnswers() {
        try {
            Process p = new ProcessBuilder("docker", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void theHostLabelIsAValidLabelValue() {
        assertThat(Namespaces.host()).matches("([A-Za-z0-9][-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?|[A-Za-z0-9]");
    }
}
