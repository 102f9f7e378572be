package io.github.pgreplication.harness.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * What the offline stand-in for the sclorg PostgreSQL image promises (images/sclorg-postgresql/CONTRACT.md, each item
 * with where sclorg documents it), checked on the image {@code images/build-sclorg-image.sh 15} builds: one test per
 * promise, named as the promise, on real containers, volumes and JDBC connections. Skipped only where no Docker
 * engine answers, or where the build skips the containers ({@code -Pno-containers}); a missing image is a failure.
 * The tests run at the same time, each with its own volume and containers, all labelled as the harness labels its
 * own (the leftover check of {@code .ci/run} sees them) and removed after each test.
 */
@Execution(ExecutionMode.CONCURRENT)
class SclorgImageContractIT {

    static final String IMAGE = "pg-replication-harness/sclorg-postgresql:15";
    private static final String DATA = "/var/lib/pgsql/data";
    private static final String PGDATA = DATA + "/userdata";
    private static final String APP_SRC = "/opt/app-root/src";
    /** An OpenShift-like arbitrary UID, with GID 0 as the restricted SCC gives it. */
    private static final String ARBITRARY = "1000680000:0";
    private static final ExposedPort POSTGRES = ExposedPort.tcp(5432);
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration ONE_SHOT = Duration.ofSeconds(60);
    /** The first lines of sclorg's usage text, which a missing variable prints (common.sh, usage). */
    private static final String USAGE = """
            For general container run, you must either specify the following environment
            variables:
              POSTGRESQL_USER  POSTGRESQL_PASSWORD  POSTGRESQL_DATABASE
            Or the following environment variable:
              POSTGRESQL_ADMIN_PASSWORD
            Or both.""";

    private final Waits waits = new Waits(HarnessSettings.current().timeoutScale());
    private final String run = "sclorg-contract-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> labels = Map.of("io.github.pgreplication.harness.run", run,
            "io.github.pgreplication.harness.pid", Long.toString(ProcessHandle.current().pid()),
            "io.github.pgreplication.harness.host", hostName());
    private DockerClient docker;
    private ResourceManager resources;
    private int volumes;

    @BeforeAll
    static void dockerAndTheImage() {
        Assumptions.assumeFalse(Boolean.getBoolean("harness.contract.skip-containers"),
                "the build skips the containers (-Pno-containers): the sclorg stand-in image is not checked");
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine answers: the sclorg stand-in image is not checked on this machine");
        try {
            DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException("no image " + IMAGE + ": build it with `images/build-sclorg-image.sh 15` "
                    + "(needs debootstrap and a Debian mirror)", e);
        }
    }

    @BeforeEach
    void open() {
        docker = DockerClientFactory.instance().client();
        resources = new ResourceManager("sclorg image contract " + run);
    }

    @AfterEach
    void removeEverything() {
        if (resources != null) {
            resources.close();
        }
    }

    // ----- the image's configuration ----------------------------------------------------------------------------

    @Test
    void theEntrypointIsContainerEntrypointAndTheCommandRunPostgresql() {
        ContainerConfig config = image().getConfig();

        assertThat(config.getEntrypoint()).containsExactly("container-entrypoint");
        assertThat(config.getCmd()).containsExactly("run-postgresql");
        assertThat(config.getExposedPorts()).extracting(ExposedPort::toString).containsExactly("5432/tcp");
        assertThat(config.getUser()).isEqualTo("26");
        assertThat(config.getVolumes()).as("no VOLUME: OpenShift mounts the claim").isNullOrEmpty();
        assertThat(config.getWorkingDir()).isEqualTo(APP_SRC);
    }

    @Test
    void theEnvironmentIsTheSclorgImagesWithPostgresqlsBinariesOnThePath() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : image().getConfig().getEnv()) {
            env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }

        assertThat(env).containsEntry("POSTGRESQL_VERSION", "15").containsEntry("HOME", "/var/lib/pgsql")
                .containsEntry("PGUSER", "postgres").containsEntry("APP_DATA", "/opt/app-root")
                .containsEntry("APP_ROOT", "/opt/app-root")
                .containsEntry("CONTAINER_SCRIPTS_PATH", "/usr/share/container-scripts/postgresql");
        assertThat(env.get("PATH")).startsWith("/opt/app-root/src/bin:/opt/app-root/bin:")
                .contains(":/usr/lib/postgresql/15/bin:");
        assertThat(env).as("PGDATA is run-postgresql's to set, as in the sclorg image").doesNotContainKey("PGDATA");
    }

    @Test
    void containerEntrypointRunsItsArgumentsAsTheyAre() {
        OneShot r = oneShot(List.of("printf", "%s|", "given", "two words"), Map.of(), null);

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).isEqualTo("given|two words|");
    }

    @Test
    void theUserIsPostgresUid26Gid26InGroupRoot() {
        OneShot r = oneShot(List.of("id"), Map.of(), null);

        assertThat(r.output().strip()).isEqualTo("uid=26(postgres) gid=26(postgres) groups=26(postgres),0(root)");
    }

    @Test
    void homeTheVolumesMountPointAndTheSocketDirectoryAreWritableByGroup0() {
        OneShot r = oneShot(List.of("stat", "-c", "%n %u:%g %A", "/var/lib/pgsql", DATA, "/run/postgresql",
                "/opt/app-root/src"), Map.of(), null);

        assertThat(r.output().strip().lines()).containsExactly(
                "/var/lib/pgsql 26:0 drwxrwxr-x",
                DATA + " 26:0 drwxrwxr-x",
                "/run/postgresql 26:0 drwxrwsr-x",
                "/opt/app-root/src 26:0 drwxr-xr-x");
    }

    @Test
    void thereIsNoDockerEntrypointInitdbD() {
        OneShot r = oneShot(List.of("sh", "-c", "if [ -e /docker-entrypoint-initdb.d ]; then echo present; else echo absent; fi"),
                Map.of(), null);

        assertThat(r.output().strip()).isEqualTo("absent");
    }

    // ----- the environment --------------------------------------------------------------------------------------

    @Test
    void anEmptyVolumeIsInitialisedIntoUserdataWithTheEnvironmentsUserDatabaseAndPasswordsUnderUid26() throws SQLException {
        Credentials cred = Credentials.random();
        Pod pod = start(volume(), null, cred.env(), UnaryOperator.identity());

        try (Connection c = connect(pod, "appdb", "app", cred.password())) {
            assertThat(Sql.scalar(c, "SELECT current_user || '@' || current_database()")).isEqualTo("app@appdb");
            assertThat(Sql.scalar(c, "SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'appdb'"))
                    .as("the database's owner").isEqualTo("app");
        }
        try (Connection c = connect(pod, "postgres", "postgres", cred.adminPassword())) {
            assertThat(Sql.scalar(c, "SHOW data_directory")).isEqualTo(PGDATA);
            assertThat(Sql.scalar(c, "SELECT rolsuper FROM pg_roles WHERE rolname = 'app'")).isEqualTo(false);
        }
        assertThatThrownBy(() -> connect(pod, "appdb", "app", cred.adminPassword()).close())
                .as("a wrong password from the network").hasMessageContaining("password authentication failed");
        assertThat(pod.exec("stat", "-c", "%u", PGDATA, "/proc/1")).as("PGDATA's owner and the server's UID")
                .isEqualTo("26\n26\n");
        assertThat(pod.exec("psql", "-tAc", "SELECT current_user")).as("the socket needs no password")
                .isEqualTo("postgres\n");
    }

    @Test
    void itStartsUnderAnArbitraryUidWithGid0WhichTheServerAndTheHooksKnowAsPostgres() throws SQLException {
        Credentials cred = Credentials.random();
        Pod pod = start(volume(), ARBITRARY, cred.env(), c -> c.withCopyToContainer(script(
                "psql -X -v ON_ERROR_STOP=1 -c \"CREATE TABLE IF NOT EXISTS whoami AS SELECT '$(whoami)'::text AS name, "
                        + "'$(id -u):$(id -g)'::text AS ids\""), APP_SRC + "/postgresql-start/10-whoami.sh"));

        try (Connection c = connect(pod, "appdb", "app", cred.password())) {
            assertThat(Sql.scalar(c, "SELECT 40 + 2")).isEqualTo(42);
        }
        try (Connection c = connect(pod, "postgres", "postgres", cred.adminPassword())) {
            assertThat(Sql.rows(c, "SELECT name, ids FROM whoami")).containsExactly(
                    Map.of("name", "postgres", "ids", "1000680000:0"));
            assertThat(Sql.scalar(c, "SELECT pg_catalog.pg_get_userbyid(10)")).as("the superuser initdb made")
                    .isEqualTo("postgres");
        }
        assertThat(pod.exec("stat", "-c", "%u:%g", PGDATA, "/proc/1")).isEqualTo("1000680000:0\n1000680000:0\n");
    }

    @Test
    void aUserWithoutItsPasswordStopsTheStartWithTheUsageTextAndExitStatus1() {
        OneShot r = oneShot(List.of(), Map.of("POSTGRESQL_USER", "app", "POSTGRESQL_DATABASE", "appdb",
                "POSTGRESQL_ADMIN_PASSWORD", Secrets.newPassword()), null);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains(USAGE);
        assertThat(r.output()).as("nothing was initialised").doesNotContain("initdb").doesNotContain("Starting server");
    }

    @Test
    void neitherTheUserNorTheAdminPasswordStopsTheStartWithTheUsageText() {
        OneShot r = oneShot(List.of(), Map.of(), null);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains(USAGE);
    }

    @Test
    void theAdminPasswordAloneIsEnough() throws SQLException {
        String admin = Secrets.newPassword();
        Pod pod = start(volume(), ARBITRARY, Map.of("POSTGRESQL_ADMIN_PASSWORD", admin), UnaryOperator.identity());

        try (Connection c = connect(pod, "postgres", "postgres", admin)) {
            assertThat(Sql.scalar(c, "SELECT count(*) FROM pg_roles WHERE rolcanlogin")).as("postgres alone")
                    .isEqualTo(1L);
        }
    }

    @Test
    void thePostgresqlVariablesSetTheServersSettings() throws SQLException {
        Credentials cred = Credentials.random();
        Map<String, String> env = new LinkedHashMap<>(cred.env());
        env.putAll(Map.of("POSTGRESQL_MAX_CONNECTIONS", "42", "POSTGRESQL_MAX_PREPARED_TRANSACTIONS", "7",
                "POSTGRESQL_SHARED_BUFFERS", "24MB", "POSTGRESQL_EFFECTIVE_CACHE_SIZE", "96MB"));
        Pod pod = start(volume(), ARBITRARY, env, UnaryOperator.identity());

        try (Connection c = connect(pod, "postgres", "postgres", cred.adminPassword())) {
            assertThat(settings(c, "max_connections", "max_prepared_transactions", "shared_buffers",
                    "effective_cache_size", "listen_addresses")).containsExactly("42", "7", "24MB", "96MB", "*");
        }
    }

    @Test
    void withNoneOfThemAndAMemoryLimitSharedBuffersIsAQuarterOfItAndTheCacheSizeAHalf() throws SQLException {
        Credentials cred = Credentials.random();
        Pod pod = start(volume(), ARBITRARY, cred.env(), c -> c.withCreateContainerCmdModifier(
                cmd -> cmd.getHostConfig().withMemory(512L * 1024 * 1024)));

        try (Connection c = connect(pod, "postgres", "postgres", cred.adminPassword())) {
            assertThat(settings(c, "max_connections", "max_prepared_transactions", "shared_buffers",
                    "effective_cache_size")).containsExactly("100", "0", "128MB", "256MB");
        }
    }

    @Test
    void aConfFileInPostgresqlCfgChangesASetting() throws SQLException {
        Credentials cred = Credentials.random();
        Pod pod = start(volume(), ARBITRARY, cred.env(), c -> c
                .withCopyToContainer(Transferable.of("work_mem = '7MB'\n", 0644), APP_SRC + "/postgresql-cfg/90-contract.conf")
                .withCopyToContainer(Transferable.of("work_mem = '9MB'\n", 0644), APP_SRC + "/postgresql-cfg/not-a-conf.txt"));

        try (Connection c = connect(pod, "postgres", "postgres", cred.adminPassword())) {
            assertThat(Sql.scalar(c, "SHOW work_mem")).isEqualTo("7MB");
            assertThat(Sql.scalar(c, "SELECT sourcefile FROM pg_settings WHERE name = 'work_mem'"))
                    .isEqualTo(APP_SRC + "/postgresql-cfg/90-contract.conf");
        }
    }

    // ----- hooks, restarts, passwords ---------------------------------------------------------------------------

    @Test
    void initHooksRunOnceOnTheFirstInitialisationAndStartHooksAtEveryStart() throws SQLException {
        Credentials cred = Credentials.random();
        String volume = volume();
        UnaryOperator<GenericContainer<?>> hooks = c -> c
                .withCopyToContainer(script("""
                        { pg_isready -q && echo server-up || echo no-server; pwd; echo "$PGDATA"; } > "$HOME/pre-start.out"
                        """), APP_SRC + "/postgresql-pre-start/10-record.sh")
                .withCopyToContainer(script("""
                        psql -X -v ON_ERROR_STOP=1 -v who="$POSTGRESQL_USER" -v dir="$(pwd)" <<'SQL'
                        CREATE TABLE hook_runs (n serial, kind text, app_user_exists boolean, dir text);
                        INSERT INTO hook_runs (kind, app_user_exists, dir)
                          SELECT 'init', EXISTS (SELECT FROM pg_roles WHERE rolname = :'who'), :'dir';
                        SQL
                        """), APP_SRC + "/postgresql-init/10-record.sh")
                .withCopyToContainer(script("""
                        psql -X -v ON_ERROR_STOP=1 -v who="$POSTGRESQL_USER" -v dir="$(pwd)" <<'SQL'
                        INSERT INTO hook_runs (kind, app_user_exists, dir)
                          SELECT 'start', EXISTS (SELECT FROM pg_roles WHERE rolname = :'who'), :'dir';
                        SQL
                        """), APP_SRC + "/postgresql-start/10-record.sh");

        Pod first = start(volume, ARBITRARY, cred.env(), hooks);
        assertThat(first.exec("cat", "/var/lib/pgsql/pre-start.out"))
                .as("the pre-start hook: no server yet, in the working directory, PGDATA set")
                .isEqualTo("no-server\n" + APP_SRC + "\n" + PGDATA + "\n");
        assertThat(hookRuns(first, cred)).containsExactly(
                "init app_user_exists=false " + APP_SRC, // on the running server, before the user is made
                "start app_user_exists=true " + APP_SRC);
        first.stop();

        Pod second = start(volume, ARBITRARY, cred.env(), hooks);
        assertThat(hookRuns(second, cred)).as("after a second start on the same volume").containsExactly(
                "init app_user_exists=false " + APP_SRC,
                "start app_user_exists=true " + APP_SRC,
                "start app_user_exists=true " + APP_SRC);
    }

    @Test
    void aUsersHookOfTheSameNameReplacesTheImagesOwn() throws SQLException {
        Credentials cred = Credentials.random();
        String volume = volume();
        start(volume, ARBITRARY, cred.env(), UnaryOperator.identity()).stop();

        Credentials changed = cred.withNewPasswords();
        Pod pod = start(volume, ARBITRARY, changed.env(), c -> c.withCopyToContainer(
                script("echo 'the passwords stay as they are'"), APP_SRC + "/postgresql-start/set_passwords.sh"));

        assertThat(pod.logs()).contains("the passwords stay as they are");
        try (Connection c = connect(pod, "appdb", "app", cred.password())) {
            assertThat(Sql.scalar(c, "SELECT 1")).as("the first start's password, not reset").isEqualTo(1);
        }
    }

    @Test
    void aScriptInDockerEntrypointInitdbDIsNotRun() throws SQLException {
        Credentials cred = Credentials.random();
        Pod pod = start(volume(), ARBITRARY, cred.env(), c -> c
                .withCopyToContainer(script("touch /tmp/initdb-d-ran; psql -c 'CREATE TABLE initdb_d_ran ()'"),
                        "/docker-entrypoint-initdb.d/10-mark.sh")
                .withCopyToContainer(Transferable.of("CREATE TABLE initdb_d_sql_ran ();\n", 0644),
                        "/docker-entrypoint-initdb.d/20-mark.sql"));

        try (Connection c = connect(pod, "postgres", "postgres", cred.adminPassword())) {
            assertThat(Sql.scalar(c, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'initdb_d%'")).isEqualTo(0L);
        }
        assertThat(pod.exec("sh", "-c", "ls /tmp/initdb-d-ran 2>&1 || true")).contains("No such file");
        assertThat(pod.logs()).doesNotContain("docker-entrypoint-initdb.d");
    }

    @Test
    void aSecondStartOnExistingDataDoesNotInitialiseAgainAndSetsThePasswordsFromTheEnvironment() throws SQLException {
        Credentials cred = Credentials.random();
        String volume = volume();
        Pod first = start(volume, ARBITRARY, cred.env(), UnaryOperator.identity());
        assertThat(first.logs()).contains("The files belonging to this database system will be owned by user \"postgres\"");
        try (Connection c = connect(first, "appdb", "app", cred.password())) {
            Sql.script(c, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('from the first start');");
            Sql.script(c, "ALTER ROLE app PASSWORD 'changed-with-sql'");
        }
        first.stop();

        Credentials changed = cred.withNewPasswords();
        Pod second = start(volume, ARBITRARY, changed.env(), UnaryOperator.identity());

        assertThat(second.logs()).as("no initdb on existing data").doesNotContain("The files belonging to this database")
                .contains("Starting server...");
        try (Connection c = connect(second, "appdb", "app", changed.password())) {
            assertThat(Sql.scalar(c, "SELECT v FROM kept")).isEqualTo("from the first start");
        }
        try (Connection c = connect(second, "postgres", "postgres", changed.adminPassword())) {
            assertThat(Sql.scalar(c, "SELECT 1")).isEqualTo(1);
        }
        for (String stale : List.of(cred.password(), "changed-with-sql")) {
            assertThatThrownBy(() -> connect(second, "appdb", "app", stale).close())
                    .hasMessageContaining("password authentication failed");
        }
        assertThatThrownBy(() -> connect(second, "postgres", "postgres", cred.adminPassword()).close())
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void postgresRunsAsPid1WithRunPostgresqlsArgumentsAndWithoutThePasswordsInItsEnvironment() throws SQLException {
        Credentials cred = Credentials.random();
        Pod pod = start(volume(), ARBITRARY, cred.env(),
                c -> c.withCommand("run-postgresql", "-c", "work_mem=3MB"));

        assertThat(pod.exec("sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline")).isEqualTo("postgres -c work_mem=3MB ");
        String environ = pod.exec("sh", "-c", "tr '\\0' '\\n' < /proc/1/environ");
        assertThat(environ.lines()).contains("PGDATA=" + PGDATA)
                .noneMatch(l -> l.matches("POSTGRESQL_(USER|PASSWORD|DATABASE|ADMIN_PASSWORD)=.*"));
        try (Connection c = connect(pod, "postgres", "postgres", cred.adminPassword())) {
            assertThat(Sql.scalar(c, "SHOW work_mem")).isEqualTo("3MB");
        }
    }

    @Test
    void checkContainerIsReadyOnlyWhenTheServerAnswersOnTcpAndLiveAlways() {
        OneShot noServer = oneShot(List.of("sh", "-c",
                "/usr/libexec/check-container; echo ready=$?; /usr/libexec/check-container --live; echo live=$?"),
                Map.of(), null);
        assertThat(noServer.output().lines()).containsExactly("ready=2", "live=0");

        Pod pod = start(volume(), ARBITRARY, Credentials.random().env(), UnaryOperator.identity());
        assertThat(pod.exec("sh", "-c", "/usr/libexec/check-container; echo ready=$?; /usr/libexec/check-container --live; "
                + "echo live=$?")).isEqualTo("ready=0\nlive=0\n");
    }

    // ----- helpers ------------------------------------------------------------------------------------------------

    /** The three variables of the template's Secret, and the admin password, all random. */
    record Credentials(String password, String adminPassword) {
        static Credentials random() {
            return new Credentials(Secrets.newPassword(), Secrets.newPassword());
        }

        Credentials withNewPasswords() {
            return random();
        }

        Map<String, String> env() {
            return Map.of("POSTGRESQL_USER", "app", "POSTGRESQL_PASSWORD", password, "POSTGRESQL_DATABASE", "appdb",
                    "POSTGRESQL_ADMIN_PASSWORD", adminPassword);
        }
    }

    /** A container that ran to its end: exit status and output (stdout and stderr). */
    record OneShot(int exit, String output) {
    }

    /** A running container of the image. */
    final class Pod {
        private final GenericContainer<?> container;
        private final AutoCloseable release;

        Pod(GenericContainer<?> container, AutoCloseable release) {
            this.container = container;
            this.release = release;
        }

        /** The port published on 127.0.0.1, as the engine chose it. */
        Endpoint endpoint() {
            Ports.Binding[] bound = docker.inspectContainerCmd(container.getContainerId()).exec().getNetworkSettings()
                    .getPorts().getBindings().get(POSTGRES);
            return new Endpoint("127.0.0.1", Integer.parseInt(bound[0].getHostPortSpec()));
        }

        String logs() {
            return container.getLogs();
        }

        /** docker exec, as the container's user; its stdout, or a failure with both streams. */
        String exec(String... command) {
            try {
                var r = container.execInContainer(command);
                assertThat(r.getExitCode()).as("%s: %s%s", Arrays.toString(command), r.getStdout(), r.getStderr()).isZero();
                return r.getStdout();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** As a pod is deleted: SIGTERM (the server's smart shutdown), then the container is removed. */
        void stop() {
            docker.stopContainerCmd(container.getContainerId()).withTimeout(60).exec();
            resources.releaseNow(release);
        }
    }

    private InspectImageResponse image() {
        return docker.inspectImageCmd(IMAGE).exec();
    }

    private String volume() {
        String name = run + "-data-" + (++volumes);
        docker.createVolumeCmd().withName(name).withLabels(labels).exec();
        resources.track("volume " + name, () -> docker.removeVolumeCmd(name).exec());
        return name;
    }

    private static Transferable script(String text) {
        return Transferable.of(text.getBytes(StandardCharsets.UTF_8), 0755);
    }

    /**
     * A container of the image with the volume at /var/lib/pgsql/data, as the given user (null: the image's), ready
     * when the template's readiness probe, /usr/libexec/check-container, passes.
     */
    private Pod start(String volume, String user, Map<String, String> env, UnaryOperator<GenericContainer<?>> more) {
        Duration limit = waits.scaled(START);
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withEnv(env)
                .withLabels(labels)
                // The port is exposed and published here rather than with withExposedPorts: Testcontainers waits for
                // its mapping, and when the container exits first it logs the whole inspection, environment and
                // passwords included.
                .withCreateContainerCmdModifier((CreateContainerCmd cmd) -> {
                    if (user != null) {
                        cmd.withUser(user);
                    }
                    cmd.withExposedPorts(POSTGRES);
                    cmd.getHostConfig().withBinds(new Bind(volume, new Volume(DATA)))
                            .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), POSTGRES));
                })
                .waitingFor(new AbstractWaitStrategy() {
                    @Override
                    protected void waitUntilReady() {
                        waits.until("/usr/libexec/check-container passes", START, Duration.ofMillis(200),
                                () -> waitStrategyTarget.execInContainer("/usr/libexec/check-container").getExitCode() == 0,
                                () -> !waitStrategyTarget.isRunning(), waitStrategyTarget::getLogs);
                    }
                }.withStartupTimeout(limit));
        c = more.apply(c);
        GenericContainer<?> container = c;
        AutoCloseable release = resources.track("container of " + volume, container::stop);
        try {
            container.start();
        } catch (ContainerLaunchException e) {
            throw new AssertionError("the container on " + volume + " did not become ready: " + e.getMessage() + "\n"
                    + Secrets.redact(container.getLogs()), e);
        }
        return new Pod(container, release);
    }

    /** A container run to its end with the image's entrypoint: the command (none: the image's CMD) and env. */
    private OneShot oneShot(List<String> command, Map<String, String> env, String user) {
        CreateContainerCmd create = docker.createContainerCmd(IMAGE).withLabels(labels)
                .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        if (!command.isEmpty()) {
            create.withCmd(command);
        }
        if (user != null) {
            create.withUser(user);
        }
        String id = create.exec().getId();
        resources.track("one-shot container " + id, () -> docker.removeContainerCmd(id).withForce(true)
                .withRemoveVolumes(true).exec());
        docker.startContainerCmd(id).exec();
        int exit;
        try (WaitContainerResultCallback wait = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())) {
            exit = wait.awaitStatusCode(waits.scaled(ONE_SHOT).toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder out = new StringBuilder();
        try (ResultCallback.Adapter<Frame> logs = docker.logContainerCmd(id).withStdOut(true).withStdErr(true)
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                        synchronized (out) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }
                })) {
            logs.awaitCompletion(waits.scaled(ONE_SHOT).toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        synchronized (out) {
            return new OneShot(exit, Secrets.redact(out.toString()));
        }
    }

    /** A connection to a database of the pod's server (Sql.connect opens the database postgres only). */
    private static Connection connect(Pod pod, String database, String user, String password) throws SQLException {
        return DriverManager.getConnection(pod.endpoint().jdbcUrl(database) + "?sslmode=disable&connectTimeout=10",
                user, password);
    }

    private static List<String> settings(Connection c, String... names) throws SQLException {
        List<String> values = new ArrayList<>();
        for (String name : names) {
            values.add(String.valueOf(Sql.scalar(c, "SELECT current_setting(?)", name)));
        }
        return values;
    }

    private static List<String> hookRuns(Pod pod, Credentials cred) throws SQLException {
        try (Connection c = connect(pod, "postgres", "postgres", cred.adminPassword())) {
            return Sql.rows(c, "SELECT kind, app_user_exists, dir FROM hook_runs ORDER BY n").stream()
                    .map(r -> r.get("kind") + " app_user_exists=" + r.get("app_user_exists") + " " + r.get("dir"))
                    .toList();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
