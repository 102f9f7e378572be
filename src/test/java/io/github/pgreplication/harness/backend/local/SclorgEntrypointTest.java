package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.ContainerExited;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sclorg image's contract (images/sclorg-postgresql/CONTRACT.md) as the local backend plays it, through the Backend
 * API, on the promises SclorgImageContractIT checks on the image itself: the cluster in the volume's {@code userdata/},
 * the application's user and database, the admin password, {@code postgresql-cfg/}, the init hooks once and the start
 * hooks at every start, the passwords reset from the environment, no {@code /docker-entrypoint-initdb.d}, the usage
 * text without a password, args that replace {@code run-postgresql}. Always run: missing binaries fail it.
 */
class SclorgEntrypointTest {

    private static final String IMAGE = "pg-replication-harness/sclorg-postgresql:15";
    private static final String APP_SRC = "/opt/app-root/src";
    private static final Duration START = Duration.ofSeconds(120);
    private static final String CLAIM = "sclorg-data";

    private final HarnessSettings settings = HarnessSettings.current();
    private final String adminPassword = Secrets.newPassword();
    private final String appPassword = Secrets.newPassword();
    private ResourceManager resources;
    private Backend backend;

    @BeforeEach
    void startBackend() {
        List<String> problems = LocalBackend.preflight(settings, Set.of());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the local backend cannot run here: " + problems);
        }
        resources = new ResourceManager("sclorg entrypoint on the local backend");
        backend = resources.track("local backend", new LocalBackend(settings, resources, new Waits(settings.timeoutScale())));
        backend.claim(CLAIM);
    }

    @AfterEach
    void close() {
        if (resources != null) {
            resources.close();
        }
    }

    @Test
    void aFreshClusterIsInitialisedOnceWithItsUsersConfigurationAndHooksAndRestartsWithTheStartHooksOnly() throws SQLException, IOException {
        ContainerPlan plan = plan(env(), List.of());
        PostgresPod pod = backend.startPod(plan, START);

        try (Connection app = appdb(pod, "app", appPassword)) {
            assertThat(value(app, "SELECT current_user || '@' || current_database()")).isEqualTo("app@appdb");
            assertThat(value(app, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'appdb'")).isEqualTo("app");
            assertThat(value(app, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user")).isEqualTo("false");
        }
        try (Connection admin = Sql.connect(pod.endpoint(), "postgres", adminPassword)) {
            assertThat(value(admin, "SHOW data_directory")).endsWith("/volumes/" + CLAIM + "/userdata");
            assertThat(value(admin, "SHOW max_connections")).as("POSTGRESQL_MAX_CONNECTIONS").isEqualTo("42");
            assertThat(value(admin, "SHOW shared_buffers")).as("the image's default").isEqualTo("32MB");
            assertThat(value(admin, "SHOW work_mem")).as("postgresql-cfg/extra.conf").isEqualTo("7MB");
            assertThat(value(admin, "SELECT count(*)::text FROM init_runs")).isEqualTo("1");
            assertThat(value(admin, "SELECT count(*)::text FROM start_runs")).isEqualTo("1");
            assertThat(value(admin, "SELECT to_regclass('official_init')::text")).as("/docker-entrypoint-initdb.d is not run")
                    .isNull();
            assertThat(serverEnvironment(value(admin, "SHOW data_directory"))).as("run-postgresql's unset_env_vars")
                    .doesNotContainKeys("POSTGRESQL_USER", "POSTGRESQL_PASSWORD", "POSTGRESQL_DATABASE",
                            "POSTGRESQL_ADMIN_PASSWORD").containsEntry("POSTGRESQL_MAX_CONNECTIONS", "42");
            execute(admin, "ALTER ROLE app PASSWORD 'changed-by-sql'");
        }

        backend.deletePod(pod);
        PostgresPod again = backend.startPod(plan, START);

        try (Connection admin = Sql.connect(again.endpoint(), "postgres", adminPassword)) {
            assertThat(value(admin, "SELECT count(*)::text FROM init_runs")).as("init hooks on a fresh cluster only").isEqualTo("1");
            assertThat(value(admin, "SELECT count(*)::text FROM start_runs")).as("start hooks at every start").isEqualTo("2");
        }
        try (Connection app = appdb(again, "app", appPassword)) {
            assertThat(value(app, "SELECT current_user")).as("the password of the environment again").isEqualTo("app");
        }
    }

    @Test
    void withoutAnyPasswordRunPostgresqlPrintsTheUsageAndTheContainerExits() {
        Map<String, String> env = env();
        env.remove("POSTGRESQL_PASSWORD");
        env.remove("POSTGRESQL_ADMIN_PASSWORD");

        assertThatThrownBy(() -> backend.startPod(plan(env, List.of()), START)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("run-postgresql exits with status 1")
                .hasMessageContaining("For general container run, you must either specify the following environment");
    }

    @Test
    void argsOfOptionsReplaceRunPostgresqlAndTheContainerExitsAsTheImageDoes() {
        // container-entrypoint's `exec "$@"`: bash's exec takes -c as its own option, and work_mem=8MB as the program.
        assertThatThrownBy(() -> backend.startPod(plan(env(), List.of("-c", "work_mem=8MB")), START))
                .isInstanceOfSatisfying(ContainerExited.class, e -> assertThat(e.exitCode()).isEqualTo(127))
                .hasMessageContaining("container-entrypoint: line 1:")
                .hasMessageContaining("exec: work_mem=8MB: not found");
    }

    @Test
    void argsAfterRunPostgresqlGoToTheServer() throws SQLException {
        PostgresPod pod = backend.startPod(plan(env(), List.of("run-postgresql", "-c", "work_mem=9MB")), START);

        try (Connection admin = Sql.connect(pod.endpoint(), "postgres", adminPassword)) {
            assertThat(value(admin, "SHOW work_mem")).isEqualTo("9MB");
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POSTGRESQL_USER", "app");
        env.put("POSTGRESQL_PASSWORD", appPassword);
        env.put("POSTGRESQL_DATABASE", "appdb");
        env.put("POSTGRESQL_ADMIN_PASSWORD", adminPassword);
        env.put("POSTGRESQL_MAX_CONNECTIONS", "42");
        return env;
    }

    private ContainerPlan plan(Map<String, String> env, List<String> args) {
        List<MountPlan> mounts = List.of(
                new MountPlan("/var/lib/pgsql/data", "data", new MountSource.Claim(CLAIM)),
                configMap(APP_SRC + "/postgresql-init", "init-hooks", Map.of("record.sh",
                        "psql -X -v ON_ERROR_STOP=1 -c 'CREATE TABLE init_runs (at timestamptz DEFAULT now()); "
                                + "INSERT INTO init_runs DEFAULT VALUES'\n")),
                configMap(APP_SRC + "/postgresql-start", "start-hooks", Map.of("record.sh",
                        "psql -X -v ON_ERROR_STOP=1 -c 'CREATE TABLE IF NOT EXISTS start_runs (at timestamptz DEFAULT now()); "
                                + "INSERT INTO start_runs DEFAULT VALUES'\n")),
                configMap(APP_SRC + "/postgresql-cfg", "cfg", Map.of("extra.conf", "work_mem = 7MB\n")),
                configMap("/docker-entrypoint-initdb.d", "official-init", Map.of("official.sh",
                        "psql -X -c 'CREATE TABLE official_init (n int)'\n")));
        return new ContainerPlan("sclorg-db", "postgresql", IMAGE, List.of(), args, env, mounts, Optional.empty(),
                Optional.empty(), Map.of("app", "sclorg-db"), "sclorg entrypoint test");
    }

    private static MountPlan configMap(String path, String name, Map<String, String> files) {
        return new MountPlan(path, name, new MountSource.ConfigMapFiles(name, files, 0644, false));
    }

    private static Connection appdb(PostgresPod pod, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection(pod.endpoint().jdbcUrl("appdb"), p);
    }

    /** The environment of the server whose postmaster.pid is in {@code pgdata}. */
    private static Map<String, String> serverEnvironment(String pgdata) throws IOException {
        String pid = Files.readAllLines(Path.of(pgdata, "postmaster.pid")).get(0).trim();
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : new String(Files.readAllBytes(Path.of("/proc", pid, "environ")), StandardCharsets.UTF_8).split("\0")) {
            if (e.contains("=")) {
                env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
            }
        }
        return env;
    }

    private static String value(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
