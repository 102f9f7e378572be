package io.github.pgreplication.harness.settings;

import io.github.pgreplication.harness.lint.Severity;
import io.github.pgreplication.harness.errata.ErrataExpectation;
import io.github.pgreplication.harness.guide.MasterProfile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every setting of the harness, in one typed place (as Strimzi's {@code Environment}).
 * Each is read from a system property ({@code harness.x.y}) and then from the environment
 * ({@code HARNESS_X_Y}); the README's "Settings" table lists them.
 */
public final class HarnessSettings {

    private final Path projectDir;

    public HarnessSettings(Path projectDir) {
        this.projectDir = projectDir.toAbsolutePath().normalize();
    }

    /** Settings of the current process, relative to the working directory (the project root under Maven). */
    public static HarnessSettings current() {
        return new HarnessSettings(Path.of(""));
    }

    public Path projectDir() {
        return projectDir;
    }

    /** How the containers backend finds its PostgreSQL images. */
    public enum ImageSource {
        /** The project's images built offline from Debian (images/build-postgres-image.sh) when present, else official. */
        AUTO,
        /** Only the offline-built images; a clear error when absent. */
        OFFLINE,
        /** The official {@code postgres:<major>} images, pulled from a registry. */
        OFFICIAL
    }

    /** {@code harness.backend}: where the pair runs: {@code local} (PostgreSQL processes) or {@code containers}. */
    public String backend() {
        return get("harness.backend").orElse("local");
    }

    // ----- the Kubernetes backend (harness.backend=kubernetes) ---------------------------------------------

    /** {@code harness.cluster}: where the Kubernetes backend's cluster comes from: offline, kubeconfig or k3s. */
    public String cluster() {
        return get("harness.cluster").orElse("offline");
    }

    /** {@code harness.kubeconfig}: the kubeconfig file (kubeconfig: else $KUBECONFIG or ~/.kube/config; offline: the cluster's). */
    public Optional<Path> kubeconfig() {
        return get("harness.kubeconfig").map(this::resolve);
    }

    /** {@code harness.kube.context}: the kubeconfig's context to use; empty: its current context. */
    public Optional<String> kubeContext() {
        return get("harness.kube.context");
    }

    /**
     * {@code harness.kube.namespace}: the one namespace (an OpenShift project) the run's pairs share, as a tenant who was
     * given it: the harness creates no namespace, suffixes each pair's object names and removes only its own objects.
     * Empty: a namespace per pair, created and deleted by the harness.
     */
    public Optional<String> kubeNamespace() {
        return get("harness.kube.namespace");
    }

    /** {@code harness.kube.pod-cidr}: the cluster's pod network, put in pg_hba.conf; empty: the node's podCIDR if any. */
    public Optional<String> kubePodCidr() {
        return get("harness.kube.pod-cidr");
    }

    /** {@code harness.k3s.image}: the rancher/k3s image for harness.cluster=k3s. */
    public String k3sImage() {
        return get("harness.k3s.image").orElse("rancher/k3s:v1.31.4-k3s1");
    }

    /** {@code harness.manifests}: the manifests directory under test. */
    public Path manifestsDir() {
        return resolve(get("harness.manifests").orElse(master().corrected().toString()));
    }

    /** {@code harness.manifests.corrected}: where the corrected version of an erratum's item is taken from. */
    public Path correctedManifestsDir() {
        return resolve(get("harness.manifests.corrected").orElse(master().corrected().toString()));
    }

    /**
     * {@code harness.master}: the existing master's profile ({@code official-image}, {@code openshift-template}). It
     * picks the manifests directories when none is given; without it, a run of one profile's own directory is of that
     * profile, and any other directory of the official image's. The preflight checks that the directory's master
     * runs this profile's image.
     */
    public MasterProfile master() {
        Optional<String> explicit = get("harness.master");
        if (explicit.isPresent()) {
            return MasterProfile.parse(explicit.get());
        }
        Optional<Path> dir = get("harness.manifests").map(this::resolve);
        return Arrays.stream(MasterProfile.values()).filter(p -> dir.isPresent()
                && (dir.get().equals(resolve(p.corrected().toString())) || dir.get().equals(resolve(p.published().toString()))))
                .findFirst().orElse(MasterProfile.OFFICIAL_IMAGE);
    }

    /** Whether {@code harness.master} is set (a directory of a team's then declares its master's profile by it). */
    public boolean masterGiven() {
        return get("harness.master").isPresent();
    }

    /** {@code harness.errata}: the reviewed errata file. */
    public Path errataFile() {
        return resolve(get("harness.errata").orElse("manifests/guide-errata.yaml"));
    }

    /** {@code harness.guide}: the guide (Markdown) whose SQL the features run verbatim. */
    public Path guideFile() {
        return resolve(get("harness.guide").orElse("guide/postgresql-master-slave-openshift.fr.md"));
    }

    /** {@code harness.reports}: where reports are written. */
    public Path reportsDir() {
        return resolve(get("harness.reports").orElse("reports"));
    }

    /** {@code harness.pg.bin}: PostgreSQL's bin directory; empty means "find it" (pg_config, then /usr/lib/postgresql). */
    public Optional<Path> pgBin() {
        return get("harness.pg.bin").map(Path::of);
    }

    /**
     * {@code harness.pg.major}: run the guide's {@code postgres:<N>} images as this major instead (containers
     * backend): the certification before a major upgrade. Empty: the major the manifests name.
     */
    public Optional<Integer> pgMajor() {
        return get("harness.pg.major").map(Integer::parseInt);
    }

    /** {@code harness.images}: {@code auto}, {@code offline} or {@code official} (containers backend). */
    public ImageSource imageSource() {
        return ImageSource.valueOf(get("harness.images").orElse("auto").toUpperCase(Locale.ROOT));
    }

    /** Under which security the containers backend runs its containers and makes its claims. */
    public enum ContainersSecurity {
        /**
         * As OpenShift's default SCC, restricted-v2, runs a pod that sets nothing: an arbitrary UID with GID 0 and the
         * fsGroup as a supplementary group, every capability dropped, no privilege escalation; each claim's root made
         * as a provisioned disk's (root's, the fsGroup's, setgid, holding lost+found).
         */
        OPENSHIFT,
        /** Each image's own user, with Docker's default capabilities; each claim an empty directory. */
        IMAGE
    }

    /** {@code harness.containers.security}: {@code openshift} (the default) or {@code image}. */
    public ContainersSecurity containersSecurity() {
        String value = get("harness.containers.security").orElse("openshift");
        return Arrays.stream(ContainersSecurity.values()).filter(v -> v.name().equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("harness.containers.security must be openshift or image, got '"
                        + value + "'"));
    }

    /** {@code harness.images.repository}: the repository of the offline-built images. */
    public String offlineImageRepository() {
        return get("harness.images.repository").orElse("pg-replication-harness/postgres");
    }

    /** {@code harness.lint.fail-on}: the lowest lint severity that fails the run: error, warning, info. */
    public Severity lintThreshold() {
        return Severity.parse(get("harness.lint.fail-on").orElse("error"));
    }

    /** {@code harness.manifests.published}: the guide's manifests as published, linted beside the corrected ones. */
    public Path publishedManifestsDir() {
        return resolve(get("harness.manifests.published").orElse(master().published().toString()));
    }

    /** {@code harness.compat.binaries}: where Maven copies the server-only binaries of each major (postgres-N.jar). */
    public Path compatBinariesDir() {
        return resolve(get("harness.compat.binaries").orElse("target/postgres-binaries"));
    }

    /**
     * {@code harness.initdb.cache}: where the local backend keeps its initdb templates between runs, one per
     * binaries, arguments and environment (as PostgreSQL's test suite keeps one per build); {@code none}: one per run.
     */
    public Optional<Path> initdbCache() {
        String v = get("harness.initdb.cache").orElse("target/initdb-templates");
        return "none".equals(v) ? Optional.empty() : Optional.of(resolve(v));
    }

    /** {@code harness.clients.node}: the Node.js client of the application examples, installed by the build's npm ci. */
    public Path nodeClientDir() {
        return resolve(get("harness.clients.node").orElse("target/clients/node"));
    }

    /**
     * {@code harness.volumes}: the directory under which the local backend puts its run directories (the pods'
     * claims, data directories, sockets); empty: /dev/shm when it is a tmpfs with room, else java.io.tmpdir.
     */
    public Optional<Path> volumesDir() {
        return get("harness.volumes").map(this::resolve);
    }

    /** {@code harness.run-as}: the unprivileged OS user servers run as when the harness runs as root. */
    public String runAsUser() {
        return get("harness.run-as").orElse("postgres");
    }

    /** {@code harness.timeout.scale}: multiplies every timeout (slow machines, debuggers). */
    public double timeoutScale() {
        double scale = Double.parseDouble(get("harness.timeout.scale").orElse("1"));
        if (!(scale > 0)) {
            throw new IllegalArgumentException("harness.timeout.scale must be a positive number, got " + scale);
        }
        return scale;
    }

    /**
     * {@code harness.errata.expect}: {@code all}, {@code text-only} or {@code any}. By default it follows the
     * manifests directory: {@code published} expects all errata, {@code corrected} the guide-text ones only.
     */
    public ErrataExpectation errataExpectation() {
        Optional<String> explicit = get("harness.errata.expect");
        if (explicit.isPresent()) {
            return ErrataExpectation.valueOf(explicit.get().trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        String dir = manifestsDir().getFileName().toString();
        if (dir.equals("published")) {
            return ErrataExpectation.ALL;
        }
        if (manifestsDir().equals(correctedManifestsDir())) {
            return ErrataExpectation.TEXT_ONLY;
        }
        return ErrataExpectation.ANY;
    }

    private Path resolve(String path) {
        Path p = Path.of(path);
        return (p.isAbsolute() ? p : projectDir.resolve(p)).normalize();
    }

    private static Optional<String> get(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
