package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Where the Kubernetes backend's cluster comes from ({@code harness.cluster}), one per JVM, shared by every pair
 * (each pair has its own namespace):
 * <ul>
 * <li>{@code offline}: the single-node cluster of {@code k8s/offline/} (built from Debian's packages, started by
 *     {@code k8s/offline/start.sh}); its admin kubeconfig, its pod network, its locally imported images.</li>
 * <li>{@code kubeconfig}: an existing cluster or OpenShift: {@code harness.kubeconfig} (else {@code $KUBECONFIG}
 *     or {@code ~/.kube/config}) and {@code harness.kube.context}; the manifests' own images.</li>
 * <li>{@code k3s}: Testcontainers' K3s module; it needs the {@code rancher/k3s} image, so it fails at once where
 *     that image is not on the Docker engine (no pull is attempted).</li>
 * </ul>
 */
record Cluster(String kind, KubernetesClient client, Optional<String> podCidr, boolean offlineImages, String details,
               String kubeconfigYaml, Optional<String> context) {

    /** The offline cluster's admin kubeconfig, as k8s/offline/env.sh places it. */
    static final Path OFFLINE_KUBECONFIG = Path.of("/var/lib/pgrh-k8s/admin.kubeconfig");
    /** The offline cluster's kubectl, built with it (k8s/offline/env.sh: $CACHE/bin). */
    static final Path OFFLINE_KUBECTL = Path.of("/var/cache/pgrh-k8s/bin/kubectl");
    /** The offline cluster's pod network (k8s/offline/env.sh: POD_CIDR). */
    static final String OFFLINE_POD_CIDR = "10.88.0.0/16";

    private static Cluster shared;

    /** The cluster of this JVM, connected on first use and closed when the JVM exits. */
    static synchronized Cluster of(HarnessSettings settings) {
        if (shared == null) {
            shared = connect(settings);
            Cluster c = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> c.client().close(), "close-kubernetes-client"));
        }
        return shared;
    }

    /**
     * What keeps the cluster of the settings from being used, checked before anything starts: nothing is created
     * (a k3s container is not started, only its image looked for); for a kubeconfig, the API server must answer.
     */
    static List<String> preflight(HarnessSettings settings) {
        try {
            if ("k3s".equals(settings.cluster())) {
                if (!imagePresent(settings.k3sImage())) {
                    return List.of("harness.cluster=k3s: the image " + settings.k3sImage() + " is not on this "
                            + "Docker engine, and the harness does not pull it (where a registry is reachable: docker pull "
                            + settings.k3sImage() + "; here, use harness.cluster=offline)");
                }
                return List.of();
            }
            Cluster c = connect(settings);
            try {
                c.client().getKubernetesVersion();
                String credentials = c.details().replaceFirst("^.*kubeconfig ", "kubeconfig ");
                if (settings.kubeNamespace().isPresent()) {
                    String ns = settings.kubeNamespace().get();
                    if (!ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                        return List.of("harness.kube.namespace=" + ns + ": not a namespace name (a DNS-1123 label: lower-case "
                                + "letters, digits and '-', at most 63)");
                    }
                }
                return Rights.refusal(c.client(), settings.kubeNamespace(), credentials).stream().toList();
            } finally {
                c.client().close();
            }
        } catch (RuntimeException e) {
            return List.of(String.valueOf(e.getMessage()).lines().findFirst().orElse("?"));
        }
    }

    private static Cluster connect(HarnessSettings settings) {
        return switch (settings.cluster()) {
            case "offline" -> offline(settings);
            case "kubeconfig" -> kubeconfig(settings);
            case "k3s" -> k3s(settings);
            default -> throw new IllegalArgumentException("harness.cluster=" + settings.cluster() + " is not known: "
                    + "expected offline (k8s/offline/ scripts), kubeconfig (an existing cluster or OpenShift) or k3s "
                    + "(Testcontainers' K3s module)");
        };
    }

    private static Cluster offline(HarnessSettings settings) {
        Path kubeconfig = settings.kubeconfig().orElse(OFFLINE_KUBECONFIG);
        if (!Files.isReadable(kubeconfig)) {
            throw new IllegalStateException("harness.cluster=offline: no kubeconfig at " + kubeconfig + ": the offline "
                    + "cluster is not running. Build and start it with `k8s/offline/build.sh && k8s/offline/start.sh` "
                    + "(as root), stop it afterwards with `k8s/offline/stop.sh`.");
        }
        String yaml = read(kubeconfig);
        KubernetesClient client = client(yaml, kubeconfig, settings.kubeContext());
        return new Cluster("offline", client, Optional.of(settings.kubePodCidr().orElse(OFFLINE_POD_CIDR)), true,
                "single-node cluster of k8s/offline (Kubernetes built from Debian bookworm's source package, private "
                        + "containerd, CNI bridge), kubeconfig " + kubeconfig, yaml, settings.kubeContext());
    }

    private static Cluster kubeconfig(HarnessSettings settings) {
        Path kubeconfig = settings.kubeconfig().orElseGet(() -> Optional.ofNullable(System.getenv("KUBECONFIG"))
                .filter(s -> !s.isBlank()).map(s -> Path.of(s.split(File.pathSeparator)[0]))
                .orElse(Path.of(System.getProperty("user.home"), ".kube", "config")));
        if (!Files.isReadable(kubeconfig)) {
            throw new IllegalStateException("harness.cluster=kubeconfig: no readable kubeconfig at " + kubeconfig
                    + " (set harness.kubeconfig, or KUBECONFIG)");
        }
        String yaml = read(kubeconfig);
        KubernetesClient client = client(yaml, kubeconfig, settings.kubeContext());
        return new Cluster("kubeconfig", client, settings.kubePodCidr(), false, "the cluster of " + kubeconfig
                + settings.kubeContext().map(c -> ", context " + c).orElse(", its current context"), yaml, settings.kubeContext());
    }

    private static Cluster k3s(HarnessSettings settings) {
        String image = settings.k3sImage();
        // Checked with the docker CLI, never through Testcontainers' client: its first use starts Ryuk, which
        // pulls an image of its own.
        if (!imagePresent(image)) {
            throw new IllegalStateException("harness.cluster=k3s: the image " + image + " is not on this Docker engine, "
                    + "and the harness does not pull it. Where a registry is reachable: `docker pull " + image + "` (or set "
                    + "harness.k3s.image to one you have); here, use harness.cluster=offline.");
        }
        K3sContainer k3s = new K3sContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("rancher/k3s"));
        k3s.start();
        Runtime.getRuntime().addShutdownHook(new Thread(k3s::stop, "stop-k3s"));
        String yaml = k3s.getKubeConfigYaml();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();
        return new Cluster("k3s", client, settings.kubePodCidr().or(() -> Optional.of("10.42.0.0/16")), false,
                "k3s " + image + " through Testcontainers", yaml, Optional.empty());
    }

    /** {@code docker image inspect}: is the image on the local engine? An error when there is no engine to ask. */
    static boolean imagePresent(String image) {
        try {
            Process p = new ProcessBuilder("docker", "image", "inspect", "--format", "{{.Id}}", image)
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("harness.cluster=k3s: `docker image inspect " + image + "` did not answer in 30 s");
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("harness.cluster=k3s needs a Docker engine and its CLI (Testcontainers' K3s "
                    + "module): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for the image " + image, e);
        }
    }

    private static String read(Path kubeconfig) {
        try {
            return Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        }
    }

    private static KubernetesClient client(String yaml, Path kubeconfig, Optional<String> context) {
        Config config = Config.fromKubeconfig(context.orElse(null), yaml, kubeconfig.toString());
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
