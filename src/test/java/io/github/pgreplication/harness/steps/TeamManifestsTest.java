package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.run.RunDirectory;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Manifests a team could really have, certified as a reviewer would expect: harmless differences pass, and
 * changes that break replication quietly (the pods start, nothing crashes) are refused, by the scenario whose
 * check they break. Each variant is the corrected manifests with one change, certified on real servers (local
 * backend) with Phases 3 and 4 (or the Phase whose check it breaks), as a team's directory is: only unrecorded
 * deviations fail (errata expect any).
 *
 * <p>A backend adapts values for its host (the local one replaces listen_addresses, the port, the socket directory,
 * pg_hba.conf's pod network, the paths, the Services' names and ports) and does not play the whole of Kubernetes (a
 * controller, its claims, its probes). A team's mistake in one of these would be overwritten or never met, and
 * certified: each is judged for a pod on a cluster before anything starts, and refused by the preflight on every
 * backend, naming the guide's step, the file, the resource and the key. Those run on the local and the containers
 * backends: nothing starts, so each costs the preflight's time.
 */
class TeamManifestsTest {

    private static final List<String> FEATURES = List.of("features/phase-3-replication.feature",
            "features/phase-4-validation.feature");
    private static final String MASTER_CONF = "postgresql-master-config.yaml";
    private static final String SLAVE_CONF = "postgresql-slave-config.yaml";
    private static final String SLAVE = "postgresql-slave-deployment.yaml";
    /** Every file of the manifests that holds the change's text. */
    private static final String EVERY_FILE = "*";

    /** Who refuses a variant, if anyone. */
    enum Refusal {
        /** Nobody: it certifies. */
        NONE,
        /** The scenario whose check it breaks. */
        SCENARIO,
        /** The preflight, before anything starts, on every backend. */
        PREFLIGHT
    }

    /** One change to one file of the corrected manifests (or to each file holding it), and what the certification must say of it. */
    enum Variant {
        /** Annotations, a label and resource limits of a team's own: nothing the guide relies on. */
        RESOURCES_AND_LABELS(SLAVE, "  labels:\n    app: postgresql\n    role: slave\nspec:",
                "  labels:\n    app: postgresql\n    role: slave\n    team: orders\n  annotations:\n    owner: orders-dba\nspec:"),
        /** A team's memory tuning on the master: Étape 1.6 checks the values the manifests set, not the guide's. */
        MASTER_TUNING(MASTER_CONF, "shared_buffers = 256MB", "shared_buffers = 128MB\n    work_mem = 8MB"),
        /** The team's own pod network in both pg_hba.conf, as the guide asks (« ajuster le CIDR selon votre cluster »). */
        OWN_POD_CIDR(EVERY_FILE, "10.128.0.0/14", "10.42.0.0/16"),
        /** The replica's images pulled only when absent from the node. */
        IMAGE_PULL_POLICY(SLAVE, "image: postgres:15 # ⚠️ MÊME VERSION QUE LE MASTER",
                "image: postgres:15 # ⚠️ MÊME VERSION QUE LE MASTER\n          imagePullPolicy: IfNotPresent"),
        /** A minute for the replica's server to stop when its pod is deleted. */
        GRACE_PERIOD(SLAVE, "    spec:\n      # ===== Init Container",
                "    spec:\n      terminationGracePeriodSeconds: 60\n      # ===== Init Container"),
        /** The team's own requests and limits for the replica. */
        RESOURCES(SLAVE, "              memory: \"2Gi\"\n              cpu: \"1000m\"",
                "              memory: \"1Gi\"\n              cpu: \"500m\""),
        /** A label of the team's own on the replica's pods: the Service's selector still picks them. */
        POD_LABELS(SLAVE, "      labels:\n        app: postgresql\n        role: slave\n    spec:",
                "      labels:\n        app: postgresql\n        role: slave\n        team: orders\n    spec:"),
        /**
         * The replica replays ten minutes late: it streams, it answers reads, and Test 1 never sees its rows. What
         * it breaks cannot happen within any budget the run has, so the run waits a fifth of its timeouts for it
         * (Test 1's 5 seconds become 1): 8 s instead of 18.
         */
        REPLAY_DELAYED(SLAVE_CONF, "hot_standby = on", "hot_standby = on\n    recovery_min_apply_delay = '10min'",
                Refusal.SCENARIO, "Test 1", 0.2),
        /** No WAL sender on the master: it starts, and pg_basebackup is refused a replication connection. */
        NO_WAL_SENDERS(MASTER_CONF, "max_wal_senders = 10", "max_wal_senders = 0", Refusal.SCENARIO, "Étape 3.1", 1.0),
        /**
         * The replica's Service selects the master's pod: reads meant for the replica would go to the master. The
         * preflight refuses it before anything starts, naming the file's resource and key.
         */
        REPLICA_SERVICE_ON_MASTER("postgresql-slave-service.yaml", "  selector:\n    app: postgresql\n    role: slave",
                "  selector:\n    name: postgresql", Refusal.PREFLIGHT, "no Service selects the replica's pod labels", 1.0),

        // ----- A setting the local backend overrides for the host, set to a value that works in no pod.
        /** The master listens on its pod's loopback: no replica, no Service reaches it. */
        MASTER_ON_LOOPBACK(MASTER_CONF, "listen_addresses = '*'", "listen_addresses = 'localhost'", Refusal.PREFLIGHT,
                "Étape 1.3, postgresql-master-config.yaml:1, ConfigMap/postgresql-master-config, key 'data.master.conf line "
                        + "6': listen_addresses = 'localhost' (master.conf line 6): the server of DeploymentConfig/postgresql "
                        + "container postgresql listens on its pod's loopback only", 1.0),
        /** The replica listens on one fixed address, which its pod never has. */
        REPLICA_ON_A_FIXED_ADDRESS(SLAVE_CONF, "listen_addresses = '*'", "listen_addresses = '10.128.4.2'", Refusal.PREFLIGHT,
                "Étape 2.2, postgresql-slave-config.yaml:1, ConfigMap/postgresql-slave-config, key 'data.slave.conf line 6': "
                        + "listen_addresses = '10.128.4.2' (slave.conf line 6): a fixed address", 1.0),
        /** The replica's server on another port than the one its container, its Service and its probes say. */
        REPLICA_PORT(SLAVE_CONF, "max_connections = 100", "port = 5433\n    max_connections = 100", Refusal.PREFLIGHT,
                "Étape 2.2, postgresql-slave-config.yaml:1, ConfigMap/postgresql-slave-config, key 'data.slave.conf line 7': "
                        + "port = 5433 (slave.conf line 7): container postgresql of Deployment/postgresql-slave declares "
                        + "containerPort [5432], where the server does not listen", 1.0),
        /** The replica's socket in a directory its image does not have. */
        SOCKET_DIRECTORY_ABSENT(SLAVE_CONF, "max_connections = 100",
                "unix_socket_directories = '/var/run/pg'\n    max_connections = 100", Refusal.PREFLIGHT,
                "Étape 2.2, postgresql-slave-config.yaml:1, ConfigMap/postgresql-slave-config, key 'data.slave.conf line 7': "
                        + "unix_socket_directories = '/var/run/pg' (slave.conf line 7): /var/run/pg is no directory of the "
                        + "image", 1.0),
        /** The replica's socket in /tmp, where its probes, which give no host, do not look. */
        SOCKET_WHERE_PROBES_DO_NOT_LOOK(SLAVE_CONF, "max_connections = 100",
                "unix_socket_directories = '/tmp'\n    max_connections = 100", Refusal.PREFLIGHT,
                "Étape 2.3, postgresql-slave-deployment.yaml:1, Deployment/postgresql-slave, key "
                        + "'spec.template.spec.containers[postgresql].livenessProbe': `pg_isready -U postgres` looks for the "
                        + "server's socket in /var/run/postgresql", 1.0),

        // ----- A Service whose ports do not lead to where the server listens.
        /** The replica's Service targets a port no server listens on. */
        SERVICE_TARGET_PORT("postgresql-slave-service.yaml", "targetPort: 5432", "targetPort: 5433", Refusal.PREFLIGHT,
                "Étape 2.4, postgresql-slave-service.yaml:1, Service/postgresql-slave, key "
                        + "'spec.ports[postgresql].targetPort': port 5432 → targetPort 5433: it leads to 5433, where no server "
                        + "of Deployment/postgresql-slave listens", 1.0),
        /** The replica's Service targets a port by a name no container gives. */
        SERVICE_NAMED_TARGET_PORT("postgresql-slave-service.yaml", "targetPort: 5432", "targetPort: pgsql", Refusal.PREFLIGHT,
                "Étape 2.4, postgresql-slave-service.yaml:1, Service/postgresql-slave, key "
                        + "'spec.ports[postgresql].targetPort': port 5432 → targetPort 'pgsql': 'pgsql' names no port", 1.0),
        /** The master's Service on another port than the one the replica's scripts connect to. */
        MASTER_SERVICE_PORT("postgresql-master-existing.yaml", "      port: 5432\n      targetPort: 5432",
                "      port: 5433\n      targetPort: 5432", Refusal.PREFLIGHT,
                "Étape 2.3, postgresql-slave-deployment.yaml:1, Deployment/postgresql-slave, key "
                        + "'spec.template.spec.initContainers[setup-slave].env[MASTER_SERVICE]': MASTER_SERVICE=postgresql: "
                        + "Service postgresql has ports [5433], and container setup-slave's clients connect to 5432", 1.0),
        /** The replica looks for the master under the overview's name, which no manifest gives a Service (E21). */
        MASTER_SERVICE_NAME(SLAVE, "value: postgresql # Nom du service du master",
                "value: postgresql-master # Nom du service du master", Refusal.PREFLIGHT,
                "Étape 2.3, postgresql-slave-deployment.yaml:1, Deployment/postgresql-slave, key "
                        + "'spec.template.spec.initContainers[setup-slave].env[MASTER_SERVICE]': MASTER_SERVICE=postgresql-master:"
                        + " names no Service of the manifests", 1.0),

        // ----- A controller's spec that asks for what its claim cannot give.
        /** Two replicas of the replica's Deployment on its one ReadWriteOnce claim. */
        TWO_REPLICAS_ON_ONE_CLAIM(SLAVE, "  replicas: 1\n", "  replicas: 2\n", Refusal.PREFLIGHT,
                "Étape 2.3, postgresql-slave-deployment.yaml:1, Deployment/postgresql-slave, key 'spec.replicas': replicas: 2 "
                        + "with the claim postgresql-slave (ReadWriteOnce) mounted read-write", 1.0),
        /** The replica's claim read-only: its server cannot write its data directory. */
        READ_ONLY_CLAIM("postgresql-slave-pvc.yaml", "    - ReadWriteOnce", "    - ReadOnlyMany", Refusal.PREFLIGHT,
                "Étape 2.3, postgresql-slave-deployment.yaml:1, Deployment/postgresql-slave, key "
                        + "'spec.template.spec.containers[postgresql].env[PGDATA]': PGDATA=/var/lib/postgresql/data/pgdata: it is on "
                        + "the claim postgresql-slave `postgresql-data` mounted at /var/lib/postgresql/data, read-only", 1.0),
        /** The replica's Deployment selects pods its template does not make. */
        SELECTOR_OFF_TEMPLATE(SLAVE, "    matchLabels:\n      app: postgresql\n      role: slave",
                "    matchLabels:\n      app: postgresql\n      role: replica", Refusal.PREFLIGHT,
                "Étape 2.3, postgresql-slave-deployment.yaml:1, Deployment/postgresql-slave, key "
                        + "'spec.selector.matchLabels': selects {app=postgresql, role=replica}, which its pod template's labels",
                1.0),
        /** The replica's data directory off its claim: in a pod, lost with the pod. */
        PGDATA_OFF_THE_CLAIM(SLAVE, "            - name: PGDATA\n              value: /var/lib/postgresql/data/pgdata\n"
                + "            - name: POSTGRES_USER", "            - name: PGDATA\n              value: /pgdata\n"
                + "            - name: POSTGRES_USER", Refusal.PREFLIGHT,
                "Étape 2.3, postgresql-slave-deployment.yaml:1, Deployment/postgresql-slave, key "
                        + "'spec.template.spec.containers[postgresql].env[PGDATA]': PGDATA=/pgdata: no mount of container "
                        + "postgresql of Deployment/postgresql-slave holds it", 1.0),

        // ----- pg_hba.conf's pod network, replaced by every backend.
        /** The replication line admits one pod address, which changes whenever the replica's pod is recreated. */
        REPLICATION_FROM_ONE_ADDRESS(MASTER_CONF, "replicator      10.128.0.0/14", "replicator      10.128.0.12/32",
                Refusal.PREFLIGHT, "Étape 1.3, postgresql-master-config.yaml:1, ConfigMap/postgresql-master-config, key "
                        + "'data.pg_hba.conf line 10': `host replication replicator 10.128.0.12/32`: 10.128.0.12/32 holds 1 "
                        + "address", 1.0),

        // ----- An optional feature the guide recommends, turned on, that fails at run time.
        /** WAL archiving on, into a directory no mount of the master holds. */
        ARCHIVE_TO_NOWHERE(MASTER_CONF, "archive_mode = off\n    archive_command = 'test ! -f /var/lib/postgresql/archive/%f "
                + "&& cp %p /var/lib/postgresql/archive/%f'", "archive_mode = on\n    archive_command = 'cp %p /mnt/wal/%f'",
                Refusal.PREFLIGHT, "Étape 1.3, postgresql-master-config.yaml:1, ConfigMap/postgresql-master-config, key "
                        + "'data.master.conf line 27': archive_command's directory /mnt/wal (master.conf line 27): no mount of "
                        + "DeploymentConfig/postgresql container postgresql holds it", 1.0),
        /**
         * WAL archiving on, with an archive_command that fails in every pod (and passes the lint: it names no
         * directory): the master starts and streams, and Étape 1.3's archiving check sees the archiver fail.
         */
        ARCHIVE_COMMAND_FAILS(MASTER_CONF, "archive_mode = off\n    archive_command = 'test ! -f "
                + "/var/lib/postgresql/archive/%f && cp %p /var/lib/postgresql/archive/%f'",
                "archive_mode = on\n    archive_command = 'false'", Refusal.SCENARIO, "the master archives WAL segment", 1.0,
                List.of("features/phase-1-master.feature"));

        final String file;
        final String from;
        final String to;
        final Refusal refusal;
        /** What refuses it: the scenario that must fail (part of its name), or the preflight's words; null: it passes. */
        final String refusedBy;
        /** The run's harness.timeout.scale: 1 where the guide's budgets must hold as written. */
        final double timeoutScale;
        /** The features certified: Phases 3 and 4, or the one where the check of what it breaks is. */
        final List<String> features;

        /** A harmless difference: it certifies. */
        Variant(String file, String from, String to) {
            this(file, from, to, Refusal.NONE, null, 1.0);
        }

        Variant(String file, String from, String to, Refusal refusal, String refusedBy, double timeoutScale) {
            this(file, from, to, refusal, refusedBy, timeoutScale, FEATURES);
        }

        Variant(String file, String from, String to, Refusal refusal, String refusedBy, double timeoutScale,
                List<String> features) {
            this.features = features;
            this.file = file;
            this.from = from;
            this.to = to;
            this.refusal = refusal;
            this.refusedBy = refusedBy;
            this.timeoutScale = timeoutScale;
        }
    }

    static Stream<Variant> certified() {
        return Stream.of(Variant.values()).filter(v -> v.refusal != Refusal.PREFLIGHT);
    }

    /** Each variant the preflight refuses, on the local and the containers backends. */
    static Stream<Arguments> refusedBeforeAnything() {
        return Stream.of(Variant.values()).filter(v -> v.refusal == Refusal.PREFLIGHT)
                .flatMap(v -> Stream.of(Arguments.of(v, "local"), Arguments.of(v, "containers")));
    }

    @ParameterizedTest
    @MethodSource("certified")
    void certifiedAsAReviewerWouldExpect(Variant v) throws IOException {
        Path manifests = Files.createTempDirectory("team-manifests-");
        try {
            copyWithChange(v, manifests);
            Map<String, String> outcomes = certify(manifests, v.features, v.timeoutScale, "local");
            if (v.refusal == Refusal.NONE) {
                assertThat(outcomes).as(v + ": the scenarios of Phases 3 and 4").hasSizeGreaterThanOrEqualTo(7)
                        .doesNotContainKey(FeatureRun.RUN);
                assertThat(outcomes).as(v + ": a harmless difference certifies").allSatisfy((scenario, outcome) ->
                        assertThat(outcome).as(scenario).isEqualTo("PASSED"));
            } else {
                assertThat(outcomes).as(v + ": refused by the check of what it breaks")
                        .anySatisfy((scenario, outcome) -> {
                            assertThat(scenario + " " + outcome).contains(v.refusedBy);
                            assertThat(outcome).isNotEqualTo("PASSED");
                        });
            }
        } finally {
            RunDirectory.deleteTree(manifests);
        }
    }

    /**
     * A value that works in no pod is refused before anything starts, whatever the backend: one message, naming the
     * guide's step, the file, the resource and the key, and no scenario passes.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("refusedBeforeAnything")
    void refusedBeforeAnythingStarts(Variant v, String backend) throws IOException {
        Path manifests = Files.createTempDirectory("team-manifests-");
        try {
            copyWithChange(v, manifests);
            Map<String, String> outcomes = certify(manifests, v.features, v.timeoutScale, backend);
            assertThat(outcomes).as(v + " on " + backend + ": refused by the preflight").containsKey(FeatureRun.RUN);
            assertThat(outcomes.get(FeatureRun.RUN)).as(v + " on " + backend)
                    .startsWith("The certification cannot start; nothing was started.").contains(v.refusedBy);
            assertThat(outcomes).as(v + " on " + backend + ": no scenario passes").allSatisfy((scenario, outcome) ->
                    assertThat(outcome).as(scenario).isNotEqualTo("PASSED"));
        } finally {
            RunDirectory.deleteTree(manifests);
        }
    }

    private static void copyWithChange(Variant v, Path manifests) throws IOException {
        boolean changed = false;
        try (Stream<Path> files = Files.list(Path.of("manifests/corrected"))) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                if (f.getFileName().toString().equals(v.file)) {
                    assertThat(text).as(v.file).contains(v.from);
                }
                if ((v.file.equals(EVERY_FILE) || f.getFileName().toString().equals(v.file)) && text.contains(v.from)) {
                    text = text.replace(v.from, v.to);
                    changed = true;
                }
                Files.writeString(manifests.resolve(f.getFileName()), text);
            }
        }
        assertThat(changed).as(v + " changes the manifests").isTrue();
    }

    private static Map<String, String> certify(Path manifests, List<String> features, double timeoutScale, String backend) {
        System.setProperty("harness.manifests", manifests.toString());
        System.setProperty("harness.errata.expect", "any");
        System.setProperty("harness.timeout.scale", Double.toString(timeoutScale));
        System.setProperty("harness.backend", backend);
        try {
            // the local backend runs no @cluster scenario (each is reported not run): those of these features are not asked
            return FeatureRun.outcomes(features, "not @cluster", Throwable::getMessage);
        } finally {
            System.clearProperty("harness.manifests");
            System.clearProperty("harness.errata.expect");
            System.clearProperty("harness.timeout.scale");
            System.clearProperty("harness.backend");
        }
    }
}
