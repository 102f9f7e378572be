package io.github.pgreplication.harness.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.guide.GuideDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One failing and one passing fixture per rule. Each fixture is manifests/corrected with one edit (or none):
 * a rule must find its defect in the failing one and nothing in the passing one. A rule that finds more than one
 * kind of defect has a fixture for each other kind too, with the message it must give.
 */
class RulesTest {

    /**
     * An edit of one file of the fixture: {@code from} must be there, and becomes {@code to}; a null file keeps the
     * fixture as is, a null {@code from} deletes the file, and file {@code *} replaces the regex in every file.
     */
    record Edit(String file, String from, String to) {
        static final Edit NONE = new Edit(null, null, null);
    }

    record Fixture(String rule, Edit failing, Edit passing) {
        @Override
        public String toString() {
            return rule;
        }
    }

    /** Another defect a rule finds, beside its failing fixture's: the edit that makes it and the message's words. */
    record Defect(String rule, Edit edit, String message) {
        @Override
        public String toString() {
            return rule + " " + message;
        }
    }

    static final String STRONG = "Zq8vT3nWc7LpR2xYk9MdF4hJs6GbA5eU";
    static final Path GUIDE = Path.of("guide/postgresql-master-slave-openshift.fr.md");
    /** The parameters the fixtures' configurations use, plus none other: what "PostgreSQL 15 knows" in the test. */
    static final Set<String> KNOWN = Set.of("listen_addresses", "max_connections", "shared_buffers", "wal_level",
            "max_wal_senders", "max_replication_slots", "wal_keep_size", "max_slot_wal_keep_size", "hot_standby",
            "archive_mode", "archive_command", "log_destination", "logging_collector", "log_directory", "log_filename",
            "log_statement", "log_replication_commands", "log_connections", "log_disconnections");

    static Stream<Fixture> fixtures() {
        String slave = "postgresql-slave-deployment.yaml";
        String slaveConf = "postgresql-slave-config.yaml";
        String masterConf = "postgresql-master-config.yaml";
        return Stream.of(
                new Fixture("PGR001", new Edit(slave, "subPath: slave.conf", "subPath: slaves.conf"), Edit.NONE),
                new Fixture("PGR002", new Edit(slave, "key: replication-password", "key: replication-pass"), Edit.NONE),
                new Fixture("PGR003", new Edit("postgresql-slave-service.yaml", "role: slave", "role: replica"), Edit.NONE),
                new Fixture("PGR004", new Edit(slave, "        role: slave\n    spec:", "        role: standby\n    spec:"), Edit.NONE),
                new Fixture("PGR005", new Edit(slave, "image: postgres:15 # ⚠️", "image: postgres:16 # ⚠️"), Edit.NONE),
                new Fixture("PGR006", new Edit(slaveConf, "max_connections = 100", "max_connections = 50"), Edit.NONE),
                new Fixture("PGR007", new Edit(slaveConf, "hot_standby = on", "hot_standby = off"), Edit.NONE),
                new Fixture("PGR008", new Edit(masterConf, "wal_level = replica", "wal_level = minimal"), Edit.NONE),
                new Fixture("PGR009", new Edit(masterConf, "host    replication     replicator      10.128.0.0/14           md5\n"
                        + "    host    replication     replicator      127.0.0.1/32            md5", "# no replication line"), Edit.NONE),
                new Fixture("PGR010", new Edit(masterConf, "127.0.0.1/32            md5", "127.0.0.1/32            trust"), Edit.NONE),
                new Fixture("PGR011", new Edit(masterConf, "all             all             10.128.0.0/14",
                        "all             all             0.0.0.0/0"), Edit.NONE),
                new Fixture("PGR012", new Edit("postgresql-replication-secret.yaml", "replication-password: <GÉNÉRER_MOT_DE_PASSE_FORT>",
                        "replication-password: password"), new Edit("*", "password: <[^>\n]+>", "password: " + STRONG)),
                new Fixture("PGR013", Edit.NONE, new Edit("*", "image: postgres:15", "image: postgres:15.8")),
                new Fixture("PGR014", Edit.NONE, new Edit("postgresql-master-deploymentconfig.yaml", null, null)),
                new Fixture("PGR015", new Edit(masterConf, "max_slot_wal_keep_size = 5GB", "# no cap"), Edit.NONE),
                new Fixture("PGR016", new Edit(masterConf, "wal_keep_size = 1GB ", "wal_keep_segments = 64 "), Edit.NONE),
                new Fixture("PGR017", new Edit("postgresql-monitoring-cronjob.yaml", "automountServiceAccountToken: false",
                        "serviceAccountName: postgresql-monitor"), Edit.NONE),
                new Fixture("PGR018", new Edit(slave, "    spec:\n      # ===== Init Container",
                        "    spec:\n      securityContext:\n        runAsUser: 999\n      # ===== Init Container"), Edit.NONE),
                new Fixture("PGR019", new Edit("postgresql-master-init.yaml", "\n    EOSQL\n", "\n    EOSQ\n"), Edit.NONE),
                new Fixture("PGR020", new Edit("postgresql-master-init.yaml", "PASSWORD :'repl_password';",
                        "PASSWORD '${REPLICATION_PASSWORD}';"), Edit.NONE),
                new Fixture("PGR021", new Edit(slaveConf, "until pg_isready -q -h \"${MASTER_SERVICE}\" -U postgres; do",
                        "until PGPASSWORD=${POSTGRESQL_ADMIN_PASSWORD} psql -h ${MASTER_SERVICE} -U postgres -c '\\q' 2>/dev/null; do"),
                        Edit.NONE),
                new Fixture("PGR022", new Edit(masterConf, "logging_collector = off", "logging_collector = on"), Edit.NONE),
                new Fixture("PGR023", new Edit(masterConf, "archive_mode = off", "archive_mode = on"), Edit.NONE),
                new Fixture("PGR024", new Edit(slave, "            - \"-c\"\n            - \"hba_file=/etc/postgresql/pg_hba.conf\"\n", ""),
                        Edit.NONE),
                new Fixture("PGR025", new Edit(masterConf, "listen_addresses = '*'", "listen_addresses = 'localhost'"), Edit.NONE),
                new Fixture("PGR026", new Edit(masterConf, "max_connections = 100", "port = 5433\n    max_connections = 100"),
                        Edit.NONE),
                new Fixture("PGR027", new Edit(slaveConf, "max_connections = 100",
                        "unix_socket_directories = '/var/run/pg'\n    max_connections = 100"), Edit.NONE),
                // A team's own pod network passes, wherever the guide's 10.128.0.0/14 was.
                new Fixture("PGR028", new Edit(masterConf, "replicator      10.128.0.0/14", "replicator      10.128.0.12/32"),
                        new Edit("*", "10\\.128\\.0\\.0/14", "10.42.0.0/16")),
                new Fixture("PGR029", new Edit(slave, "            - name: PGDATA\n              value: /var/lib/postgresql/data/pgdata\n"
                        + "            - name: POSTGRES_USER", "            - name: PGDATA\n              value: /pgdata\n"
                        + "            - name: POSTGRES_USER"), Edit.NONE),
                new Fixture("PGR030", new Edit("postgresql-slave-service.yaml", "targetPort: 5432", "targetPort: 5433"), Edit.NONE),
                new Fixture("PGR031", new Edit(slave, "value: postgresql # Nom du service du master",
                        "value: postgresql-master # Nom du service du master"), Edit.NONE),
                new Fixture("PGR032", new Edit(slave, "  replicas: 1\n", "  replicas: 2\n"), Edit.NONE),
                new Fixture("PGR033", new Edit(slave, "  strategy:\n    type: Recreate\n", ""), Edit.NONE),
                new Fixture("PGR034", new Edit(slave, "    matchLabels:\n      app: postgresql\n      role: slave",
                        "    matchLabels:\n      app: postgresql\n      role: replica"), Edit.NONE),
                new Fixture("PGR035", new Edit(slave, "- pg_isready -U postgres\n            initialDelaySeconds: 10",
                        "- pg_isready -U postgres -p 5433\n            initialDelaySeconds: 10"), Edit.NONE),
                // The template's master (the sclorg image) with the guide's args and init script mount: both rules fire;
                // on the official image's master (manifests/corrected as it is) neither does.
                new Fixture("PGR036", new Edit("postgresql-master-deploymentconfig.yaml", "image: postgres:15",
                        "image: registry.redhat.io/rhel9/postgresql-15"), Edit.NONE),
                new Fixture("PGR037", new Edit("postgresql-master-deploymentconfig.yaml", "image: postgres:15",
                        "image: registry.redhat.io/rhel9/postgresql-15"), Edit.NONE),
                new Fixture("PGR038", new Edit(slave, "            - name: PGDATA\n              value: /var/lib/postgresql/data/pgdata\n"
                        + "            - name: POSTGRES_USER", "            - name: PGDATA\n              value: /var/lib/postgresql/data\n"
                        + "            - name: POSTGRES_USER"), Edit.NONE));
    }

    static Stream<Defect> otherDefects() {
        String slave = "postgresql-slave-deployment.yaml";
        String cronJob = "postgresql-monitoring-cronjob.yaml";
        String masterConf = "postgresql-master-config.yaml";
        String slaveConf = "postgresql-slave-config.yaml";
        return Stream.of(
                new Defect("PGR001", new Edit(slave, "            - name: slave-config\n              mountPath: /scripts",
                        "            - name: scripts\n              mountPath: /scripts"),
                        "mounts volume 'scripts', which the pod does not define"),
                new Defect("PGR001", new Edit(slave, "            name: postgresql-slave-config\n",
                        "            name: postgresql-replica-config\n"),
                        "ConfigMap 'postgresql-replica-config' is not defined in the manifests"),
                new Defect("PGR001", new Edit(slave, "/scripts/setup-slave.sh\"]", "/scripts/setup-replica.sh\"]"),
                        "runs /scripts/setup-replica.sh but ConfigMap 'postgresql-slave-config' has no key 'setup-replica.sh'"),
                new Defect("PGR002", new Edit(slave, "name: postgresql-replication\n", "name: postgresql-replica\n"),
                        "Secret 'postgresql-replica' is not defined in the manifests"),
                new Defect("PGR002", new Edit(slave, "key: replication-password", "key: replication-pass"),
                        "Secret 'postgresql-replication' has no key 'replication-pass' (keys: [replication-password, replication-user])"),
                new Defect("PGR012", Edit.NONE, "placeholder <GÉNÉRER_MOT_DE_PASSE_FORT>: replace it with a strong random value"),
                new Defect("PGR012", new Edit("postgresql-replication-secret.yaml",
                        "replication-password: <GÉNÉRER_MOT_DE_PASSE_FORT>", "replication-password: password"),
                        "weak value (8 characters)"),
                new Defect("PGR015", new Edit("postgresql-master-config.yaml", "max_slot_wal_keep_size = 5GB",
                        "max_slot_wal_keep_size = -1"), "a replication slot is used and max_slot_wal_keep_size is unlimited"),
                new Defect("PGR017", new Edit(cronJob, "echo \"Checking replication status...\"",
                        "kubectl exec \"$MASTER_POD\" -- true"), "no Role or ClusterRole grants create on pods/exec"),
                new Defect("PGR017", new Edit(cronJob, "echo \"Checking replication status...\"",
                        "kubectl get pods -l role=master"), "postgres:15 has no kubectl/oc, which the script calls"),
                new Defect("PGR018", new Edit(cronJob, "              image: postgres:15\n",
                        "              image: postgres:15\n              securityContext:\n                runAsUser: 0\n"),
                        "runAsUser 0"),
                new Defect("PGR025", new Edit(masterConf, "listen_addresses = '*'", "listen_addresses = 'localhost'"),
                        "Étape 1.3: listen_addresses = 'localhost' (master.conf line 6): the server of DeploymentConfig/postgresql "
                                + "container postgresql listens on its pod's loopback only: the replica's pg_basebackup and "
                                + "walreceiver, the Services and every other pod reach it on the pod's address; use '*'"),
                new Defect("PGR025", new Edit(slaveConf, "listen_addresses = '*'", "listen_addresses = '10.128.4.2'"),
                        "Étape 2.2: listen_addresses = '10.128.4.2' (slave.conf line 6): a fixed address: a pod gets its address "
                                + "when it starts, so no pod of Deployment/postgresql-slave has it, and the server does not start "
                                + "(« could not bind ... Cannot assign requested address »); use '*'"),
                new Defect("PGR025", new Edit(masterConf, "include_if_exists '/var/lib/postgresql/data/pgdata/postgresql.conf'\n"
                        + "    listen_addresses = '*'\n", ""), "Étape 1.3: listen_addresses = 'localhost' (PostgreSQL's default: "
                        + "config_file replaces the data directory's postgresql.conf, where the official postgres image sets '*', and does "
                        + "not include it): the server of DeploymentConfig/postgresql container postgresql listens on its pod's "
                        + "loopback only: the replica's pg_basebackup and walreceiver, the Services and every other pod reach it "
                        + "on the pod's address; use '*'"),
                new Defect("PGR026", new Edit(masterConf, "max_connections = 100", "port = 5433\n    max_connections = 100"),
                        "Étape 1.3: port = 5433 (master.conf line 7): container postgresql of DeploymentConfig/postgresql "
                                + "declares containerPort [5432], where the server does not listen"),
                new Defect("PGR027", new Edit(slaveConf, "max_connections = 100",
                        "unix_socket_directories = '/var/run/pg'\n    max_connections = 100"),
                        "Étape 2.2: unix_socket_directories = '/var/run/pg' (slave.conf line 7): /var/run/pg is no directory of "
                                + "the image and no mount of container postgresql: the server does not create it, and stops "
                                + "(« could not create lock file »)"),
                new Defect("PGR028", new Edit(masterConf, "replicator      10.128.0.0/14", "replicator      10.128.0.12/32"),
                        "Étape 1.3: `host replication replicator 10.128.0.12/32`: 10.128.0.12/32 holds 1 address: a pod's address "
                                + "changes whenever it is recreated, and a cluster gives each node's pods a /24 at least; "
                                + "admit the pod network"),
                new Defect("PGR028", new Edit(masterConf, "all             all             10.128.0.0/14",
                        "all             all             203.0.113.0/24"),
                        "Étape 1.3: `host all all 203.0.113.0/24`: 203.0.113.0/24 is a public network, and a cluster's pods have "
                                + "private addresses (RFC 1918; give harness.kube.pod-cidr if your cluster's do not)"),
                new Defect("PGR028", new Edit(masterConf, "    host    replication     replicator      10.128.0.0/14           md5\n",
                        ""), "Étape 1.3: the replication lines of pg_hba.conf: they admit loopback only: the replica's "
                        + "pg_basebackup and walreceiver connect from its own pod's address, which no replication line admits"),
                new Defect("PGR029", new Edit(slave, "            - name: PGDATA\n              value: /var/lib/postgresql/data/pgdata\n"
                        + "            - name: POSTGRES_USER", "            - name: PGDATA\n              value: /pgdata\n"
                        + "            - name: POSTGRES_USER"), "Étape 2.3: PGDATA=/pgdata: no mount of container postgresql of "
                        + "Deployment/postgresql-slave holds it: the data directory is the container's own filesystem, lost "
                        + "whenever the pod is recreated; put it on the claim"),
                new Defect("PGR029", new Edit("postgresql-master-deploymentconfig.yaml", "config_file=/etc/postgresql/master.conf",
                        "config_file=/etc/postgresql/postgresql.conf"), "Étape 1.5: config_file=/etc/postgresql/postgresql.conf "
                        + "(the container's args): no mount of DeploymentConfig/postgresql container postgresql holds it: in the "
                        + "pod the server finds no file there, and does not start"),
                new Defect("PGR029", new Edit(masterConf, "archive_mode = off\n    archive_command = 'test ! -f "
                        + "/var/lib/postgresql/archive/%f && cp %p /var/lib/postgresql/archive/%f'", "archive_mode = on\n    "
                        + "archive_command = 'cp %p /mnt/wal/%f'"), "Étape 1.3: archive_command's directory /mnt/wal (master.conf "
                        + "line 27): no mount of DeploymentConfig/postgresql container postgresql holds it: in the pod it is the "
                        + "image's filesystem, where the directory is absent (every archiving fails, and WAL piles up) or lost "
                        + "with the pod"),
                new Defect("PGR029", new Edit("postgresql-master-deploymentconfig.yaml", "              value: /var/lib/postgresql/data/pgdata\n",
                        "              value: /var/lib/postgresql/archive/data\n"), "Étape 1.5: PGDATA=/var/lib/postgresql/archive/data: "
                        + "it is on the emptyDir `archive` mounted at /var/lib/postgresql/archive, which goes with the pod: the "
                        + "data directory is lost whenever the pod is recreated; put it on the claim"),
                new Defect("PGR030", new Edit("postgresql-slave-service.yaml", "targetPort: 5432", "targetPort: 5433"),
                        "Étape 2.4: port 5432 → targetPort 5433: it leads to 5433, where no server of Deployment/postgresql-slave "
                                + "listens (Deployment/postgresql-slave container postgresql listens on 5432): every connection "
                                + "through the Service is refused"),
                new Defect("PGR030", new Edit("postgresql-slave-service.yaml", "targetPort: 5432", "targetPort: pgsql"),
                        "Étape 2.4: port 5432 → targetPort 'pgsql': 'pgsql' names no port of the containers of "
                                + "Deployment/postgresql-slave (their named ports: {}): the Service has no endpoint port, and no "
                                + "client reaches the server"),
                new Defect("PGR031", new Edit(slave, "value: postgresql # Nom du service du master",
                        "value: postgresql-master # Nom du service du master"), "Étape 2.3: MASTER_SERVICE=postgresql-master: "
                        + "names no Service of the manifests (they define [postgresql, postgresql-slave]): in a pod the name does "
                        + "not resolve, and what connects to it waits for ever"),
                new Defect("PGR031", new Edit("postgresql-master-existing.yaml", "      port: 5432\n      targetPort: 5432",
                        "      port: 5433\n      targetPort: 5432"), "Étape 2.3: MASTER_SERVICE=postgresql: Service postgresql has "
                        + "ports [5433], and container setup-slave's clients connect to 5432 (libpq's default, no PGPORT): every "
                        + "connection is refused"),
                new Defect("PGR032", new Edit(slave, "  replicas: 1\n", "  replicas: 2\n"), "Étape 2.3: replicas: 2 with the "
                        + "claim postgresql-slave (ReadWriteOnce) mounted read-write: one server's data directory cannot serve 2 "
                        + "pods; a second replica is another Deployment, with its own claim"),
                new Defect("PGR033", new Edit(slave, "  strategy:\n    type: Recreate\n", ""), "Étape 2.3: strategy RollingUpdate "
                        + "(the default, none is given) with the claim postgresql-slave (ReadWriteOnce): a new revision starts "
                        + "its pod before the old one stops, and both run a server on the claim; use strategy: type: Recreate"),
                new Defect("PGR033", new Edit("postgresql-master-deploymentconfig.yaml", "type: Recreate", "type: Rolling"),
                        "Étape 1.5: strategy Rolling with the claim postgresql (ReadWriteOnce): a new revision starts its pod "
                                + "before the old one stops, and both run a server on the claim; use strategy: type: Recreate"),
                new Defect("PGR034", new Edit(slave, "    matchLabels:\n      app: postgresql\n      role: slave",
                        "    matchLabels:\n      app: postgresql\n      role: replica"), "Étape 2.3: selects {app=postgresql, "
                        + "role=replica}, which its pod template's labels {app=postgresql, role=slave} do not match: the API "
                        + "server refuses it (« selector does not match template labels »)"),
                new Defect("PGR034", new Edit("postgresql-master-deploymentconfig.yaml", "  selector:\n    name: postgresql\n",
                        "  selector:\n    name: postgres\n"), "Étape 1.5: selects {name=postgres}, which its pod template's labels "
                        + "{name=postgresql} do not match: the API server refuses it (« selector does not match template labels »)"),
                new Defect("PGR035", new Edit(slave, "- pg_isready -U postgres\n            initialDelaySeconds: 10",
                        "- pg_isready -U postgres -p 5433\n            initialDelaySeconds: 10"), "Étape 2.3: `pg_isready -U "
                        + "postgres -p 5433` asks port 5433, and the server listens on 5432: the probe always fails"),
                new Defect("PGR035", new Edit(slaveConf, "max_connections = 100", "unix_socket_directories = '/tmp'\n    "
                        + "max_connections = 100"), "Étape 2.3: `pg_isready -U postgres` looks for the server's socket in "
                        + "/var/run/postgresql (the image's clients' default), and unix_socket_directories = '/tmp': the probe "
                        + "always fails"),
                new Defect("PGR035", new Edit(slave, "          livenessProbe:\n            exec:\n              command:\n"
                        + "                - /bin/sh\n                - -c\n                - pg_isready -U postgres\n",
                        "          livenessProbe:\n            tcpSocket:\n              port: pgsql\n"),
                        "Étape 2.3: tcpSocket port 'pgsql' names no port of container postgresql"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherDefects")
    void otherDefect(Defect d, @TempDir Path dir) throws IOException {
        assertThat(findings(d.edit(), dir, d.rule())).as(d.rule() + " on " + d.edit()).extracting(Finding::message)
                .contains(d.message());
    }

    @ParameterizedTest(name = "{0} finds its defect")
    @MethodSource("fixtures")
    void failingFixture(Fixture f, @TempDir Path dir) throws IOException {
        assertThat(findings(f.failing(), dir, f.rule())).as(f.rule() + " on its failing fixture").isNotEmpty();
    }

    @ParameterizedTest(name = "{0} passes its passing fixture")
    @MethodSource("fixtures")
    void passingFixture(Fixture f, @TempDir Path dir) throws IOException {
        assertThat(findings(f.passing(), dir, f.rule())).as(f.rule() + " on its passing fixture").isEmpty();
    }

    @Test
    void everyRuleHasFixturesAndAStableUniqueId() {
        List<String> ids = Rules.all().stream().map(LintRule::id).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("PGR\\d{3}"));
        assertThat(fixtures().map(Fixture::rule)).containsExactlyElementsOf(ids);
        assertThat(Rules.all()).allSatisfy(r -> assertThat(r.rationale()).isNotBlank());
    }

    /** A rule class written in a theme's file but left out of its RULES would never run. */
    @Test
    void everyRuleClassOfEachThemeIsListed() {
        Set<Class<?>> listed = Rules.all().stream().map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> themes = listed.stream().map(Class::getEnclosingClass).collect(Collectors.toSet());
        assertThat(themes).contains(ManifestRules.class, WorkloadRules.class, ServerSettingRules.class, HbaRules.class,
                ScriptRules.class, MonitoringRules.class);
        for (Class<?> theme : themes) {
            assertThat(Stream.of(theme.getDeclaredClasses()).filter(LintRule.class::isAssignableFrom))
                    .as("the rules of " + theme.getSimpleName()).allMatch(listed::contains);
        }
    }

    private static List<Finding> findings(Edit edit, Path dir, String rule) throws IOException {
        Path fixture = dir.resolve("manifests");
        copy(Path.of("manifests/corrected"), fixture);
        apply(edit, fixture);
        LintReport r = new Linter(Rules.all(), Severity.ERROR).lint("fixture", fixture, Optional.of(GuideDocument.load(GUIDE)),
                15, Optional.of(KNOWN));
        return r.of(rule);
    }

    private static void apply(Edit e, Path fixture) throws IOException {
        if (e.file() == null) {
            return;
        }
        if (e.from() == null) {
            Files.delete(fixture.resolve(e.file()));
            return;
        }
        try (Stream<Path> files = Files.list(fixture)) {
            for (Path p : files.filter(p -> e.file().equals("*") || p.getFileName().toString().equals(e.file())).toList()) {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                if (!e.file().equals("*")) {
                    assertThat(text).as("the fixture edit's text in " + p.getFileName()).contains(e.from());
                }
                Files.writeString(p, e.file().equals("*") ? text.replaceAll(e.from(), e.to()) : text.replace(e.from(), e.to()),
                        StandardCharsets.UTF_8);
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
