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
                new Fixture("PGR021", new Edit(slaveConf, "until pg_isready -q -h \"${MASTER_SERVICE}\"; do",
                        "until PGPASSWORD=${POSTGRESQL_ADMIN_PASSWORD} psql -h ${MASTER_SERVICE} -U postgres -c '\\q' 2>/dev/null; do"),
                        Edit.NONE),
                new Fixture("PGR022", new Edit(masterConf, "logging_collector = off", "logging_collector = on"), Edit.NONE),
                new Fixture("PGR023", new Edit(masterConf, "archive_mode = off", "archive_mode = on"), Edit.NONE),
                new Fixture("PGR024", new Edit(slave, "            - \"-c\"\n            - \"hba_file=/etc/postgresql/pg_hba.conf\"\n", ""),
                        Edit.NONE));
    }

    static Stream<Defect> otherDefects() {
        String slave = "postgresql-slave-deployment.yaml";
        String cronJob = "postgresql-monitoring-cronjob.yaml";
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
                        "runAsUser 0"));
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
