package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.ContainerExited;
import io.github.pgreplication.harness.guide.ImageContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The sclorg PostgreSQL image's {@code container-entrypoint} and {@code run-postgresql}, played with local binaries
 * (images/sclorg-postgresql/CONTRACT.md): the args replace {@code run-postgresql}, which is the only command played;
 * at every start, PGDATA made in the volume's {@code userdata/}, the {@code postgresql-pre-start/} hooks, the
 * environment checked (the image's usage text otherwise), {@code $HOME/openshift-custom-postgresql.conf} written from
 * the environment and an include of each {@code postgresql-cfg/*.conf}; on a cluster with no {@code postgresql.conf},
 * initdb, that file included, {@code md5} from every host; then a temporary server on the socket only: on a fresh
 * cluster the {@code postgresql-init/} hooks and the application's user and database, at every start the extensions
 * and the {@code postgresql-start/} hooks, the image's {@code set_passwords.sh} among them (a user's file of the same
 * name replaces it); then {@code postgres} with the image's configuration and the args after {@code run-postgresql}.
 */
final class SclorgEntrypoint extends EntrypointPlayer {

    /** The contract this class plays with local binaries. */
    static final ImageContract CONTRACT = ImageContract.SCLORG;
    /** The image's own scripts ({@code CONTAINER_SCRIPTS_PATH}), where its hooks are. */
    static final String CONTAINER_SCRIPTS = "/usr/share/container-scripts/postgresql";
    /** The image's entrypoint, by its path in the image. */
    private static final String ENTRYPOINT = "/usr/bin/container-entrypoint";
    private static final String CONFIG_FILE = "openshift-custom-postgresql.conf";
    /**
     * The logs as the image's package sets them in its sample postgresql.conf, which initdb copies (contract 17;
     * images/build-sclorg-image.sh sets the same in the stand-in): the logging collector's daily files under
     * PGDATA/log. Debian's sample, which initdb copies here, has the collector off.
     */
    private static final String SAMPLE_LOGS = "\n# The image's logs, as its package's sample sets them:\n"
            + "logging_collector = on\nlog_directory = 'log'\nlog_filename = 'postgresql-%a.log'\nlog_rotation_age = 1d\n"
            + "log_rotation_size = 0\nlog_truncate_on_rotation = on\n";
    /** The image's start hook {@code start/set_passwords.sh}: the passwords from the environment, at every start. */
    private static final String SET_PASSWORDS = """
            # shellcheck shell=bash
            # The image's own start hook (images/sclorg-postgresql/CONTRACT.md, 9): the passwords of POSTGRESQL_USER and
            # of postgres are those of the environment again; psql reads each from the environment (\\getenv).
            if [ -n "${POSTGRESQL_USER+set}" ]; then
            	psql -X -q -v ON_ERROR_STOP=1 -v role="$POSTGRESQL_USER" <<'SQL'
            \\getenv secret POSTGRESQL_PASSWORD
            ALTER ROLE :"role" WITH PASSWORD :'secret';
            SQL
            fi
            if [ -n "${POSTGRESQL_ADMIN_PASSWORD+set}" ]; then
            	psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
            \\getenv secret POSTGRESQL_ADMIN_PASSWORD
            ALTER ROLE postgres WITH PASSWORD :'secret';
            SQL
            fi
            """;
    /** The image's own programs a pod's probes or an {@code oc exec} may run, as the offline stand-in has them. */
    private static final List<String> IMAGE_PROGRAMS = List.of("/usr/libexec/check-container");

    /**
     * Each program of the image a pod may run, by its path in the image, with its text: the offline stand-in's own
     * (images/sclorg-postgresql/root/), which {@code SclorgImageContractIT} pins, so that both play one contract.
     */
    static Map<String, String> imagePrograms() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String program : IMAGE_PROGRAMS) {
            Path file = Path.of("images", "sclorg-postgresql", "root").resolve(program.substring(1)).toAbsolutePath();
            try {
                out.put(program, Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException("the sclorg image's " + program + " is played by the offline stand-in's "
                        + file + ", which cannot be read", e);
            }
        }
        return out;
    }

    /** sclorg's usage text (common.sh, usage), which run-postgresql prints on stderr before it exits 1. */
    static final String USAGE = """
            For general container run, you must either specify the following environment
            variables:
              POSTGRESQL_USER  POSTGRESQL_PASSWORD  POSTGRESQL_DATABASE
            Or the following environment variable:
              POSTGRESQL_ADMIN_PASSWORD
            Or both.
            """;

    SclorgEntrypoint(LocalBackend backend) {
        super(backend, CONTRACT);
    }

    @Override
    List<String> prepareServer(LocalPod pod, List<String> serverAdaptations, Duration timeout) {
        List<String> command = CONTRACT.serverCommand(backend.rewrittenArgs(pod));
        if (!command.get(0).equals(CONTRACT.command())) {
            List<String> asGiven = CONTRACT.serverCommand(pod.plan().args());
            if (asGiven.get(0).startsWith("-")) {
                // container-entrypoint's `exec "$@"`: bash's exec takes the pod's first args as its own options
                // (`-c`: an empty environment) and the next one as the program, which is not there: the container
                // exits as the image's does.
                List<String> entrypoint = new ArrayList<>(List.of("/bin/bash", "-c", "exec \"$@\"", ENTRYPOINT));
                entrypoint.addAll(asGiven);
                ContainerResult r = backend.runInPod(pod, CONTRACT.entrypoint(), entrypoint, timeout, false);
                throw new ContainerExited(pod.name(), r.exitCode(), r.output());
            }
            throw new IllegalArgumentException(pod.plan().source() + ": container " + pod.plan().containerName() + " of "
                    + CONTRACT.description() + " has args " + pod.plan().args() + ": its " + CONTRACT.entrypoint()
                    + " runs them as they are (exec \"$@\"), in place of " + CONTRACT.command() + ", so `" + command.get(0)
                    + "` is run as a program and no server is started the image's way; the local backend plays "
                    + CONTRACT.command() + " only");
        }
        Path pgdata = userdata(pod);
        Map<String, String> env = new LinkedHashMap<>(pod.env);
        env.put("PGDATA", pgdata.toString());
        Path configFile = pod.paths.host(CONTRACT.home().orElseThrow()).resolve(CONFIG_FILE);
        env.put("POSTGRESQL_CONFIG_FILE", configFile.toString());
        sourceHooks(pod, "pre-start", CONTRACT.preStartHooks().orElseThrow(), env, timeout);
        checkEnvironment(pod);
        env.putIfAbsent("POSTGRESQL_MAX_CONNECTIONS", "100");
        env.putIfAbsent("POSTGRESQL_MAX_PREPARED_TRANSACTIONS", "0");
        env.putIfAbsent("POSTGRESQL_SHARED_BUFFERS", "32MB");
        env.putIfAbsent("POSTGRESQL_EFFECTIVE_CACHE_SIZE", "128MB");
        writeConfiguration(pod, env, configFile);

        boolean fresh = !Files.exists(pgdata.resolve("postgresql.conf"));
        if (fresh) {
            EntrypointSteps.initdb(backend, pod, CONTRACT.superuser(env), Optional.empty(), CONTRACT.superuserPasswordEnv(),
                    List.of(), timeout);
            EntrypointSteps.append(pgdata.resolve("postgresql.conf"), SAMPLE_LOGS + "\n# The image's configuration, "
                    + "rewritten at each start:\ninclude '" + configFile + "'\n");
            EntrypointSteps.append(pgdata.resolve("pg_hba.conf"), "\n# The image's rules: a password (md5, which also "
                    + "accepts SCRAM) from every host.\nhost all all all md5\nhost replication all all md5\n");
        } else {
            checkMajor(pod, pgdata);
            includeThisPodsConfiguration(pgdata.resolve("postgresql.conf"), configFile);
        }
        LocalProcess server = EntrypointSteps.temporaryServer(backend, pod, List.of("postgres"), serverAdaptations, timeout);
        try {
            if (fresh) {
                sourceHooks(pod, "init", CONTRACT.initHooks().orElseThrow(), env, timeout);
                createApplicationUser(pod, env, timeout);
            }
            for (String extension : env.getOrDefault("POSTGRESQL_EXTENSIONS", "").trim().split("\\s+")) {
                if (!extension.isEmpty()) {
                    backend.runInPod(pod, "extension " + extension, List.of(backend.binaries().tool("psql").toString(),
                            "-X", "-v", "ON_ERROR_STOP=1", "--set", "extension=" + extension,
                            "-c", "CREATE EXTENSION IF NOT EXISTS :\"extension\""), timeout, true);
                }
            }
            writeImageHook(pod, "start/set_passwords.sh", SET_PASSWORDS);
            sourceHooks(pod, "start", CONTRACT.startHooks().orElseThrow(), env, timeout);
        } finally {
            server.stop();
        }
        EntrypointSteps.append(pod.log, "Starting server...\n");
        return command.subList(1, command.size());
    }

    /**
     * The include of the image's configuration names {@code $HOME/openshift-custom-postgresql.conf}, one path in every
     * container of the image; played here, each pod's HOME is a directory of its own, so the include written when the
     * cluster was made names another pod's: it is pointed at this pod's at each start (a host adaptation).
     */
    private static void includeThisPodsConfiguration(Path postgresqlConf, Path configFile) {
        try {
            String text = Files.readString(postgresqlConf);
            String fixed = text.replaceAll("(?m)^include '[^']*/" + CONFIG_FILE.replace(".", "\\.") + "'$",
                    java.util.regex.Matcher.quoteReplacement("include '" + configFile + "'"));
            if (!fixed.equals(text)) {
                Files.writeString(postgresqlConf, fixed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + postgresqlConf, e);
        }
    }

    /** run-postgresql's {@code unset_env_vars}: the users' names and passwords leave the environment before postgres runs. */
    @Override
    Map<String, String> serverEnvironment(LocalPod pod) {
        Map<String, String> env = new LinkedHashMap<>(pod.env);
        ImageContract.ApplicationUser app = CONTRACT.applicationUser().orElseThrow();
        List.of(app.userEnv(), app.passwordEnv(), app.databaseEnv(), CONTRACT.superuserPasswordEnv()).forEach(env::remove);
        return env;
    }

    /** run-postgresql's PGDATA: {@code userdata/} of the volume, mode 0700; data left directly in the volume moved into it. */
    private Path userdata(LocalPod pod) {
        Path pgdata = pod.pgdata();
        Path volume = pgdata.getParent();
        try {
            Files.createDirectories(pgdata);
            backend.user().own(pgdata);
            if (Files.exists(volume.resolve("PG_VERSION"))) {
                EntrypointSteps.append(pod.log, "=> moving the data found directly in " + volume + " into " + pgdata + "\n");
                try (Stream<Path> found = Files.list(volume)) {
                    for (Path p : found.filter(p -> !p.equals(pgdata)).toList()) {
                        Files.move(p, pgdata.resolve(p.getFileName()));
                    }
                }
            }
            Files.setPosixFilePermissions(pgdata, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pgdata;
    }

    /** common.sh's check_env_vars: the application's three variables all or none, and those or the admin password. */
    private void checkEnvironment(LocalPod pod) {
        Map<String, String> env = pod.env;
        if (env.containsKey("POSTGRESQL_MIGRATION_REMOTE_HOST")) {
            refuse(pod, "error: POSTGRESQL_MIGRATION_REMOTE_HOST is set, but this stand-in does not implement the migration\n");
        }
        ImageContract.ApplicationUser app = CONTRACT.applicationUser().orElseThrow();
        List<String> appVars = List.of(app.userEnv(), app.passwordEnv(), app.databaseEnv());
        long given = appVars.stream().filter(env::containsKey).count();
        if (given != 0 && given != appVars.size()) {
            refuse(pod, USAGE);
        }
        if (given != 0 && env.get(app.userEnv()).length() > 63) {
            refuse(pod, "error: PostgreSQL username too long (maximum 63 characters)\n" + USAGE);
        }
        if (given != 0 && env.get(app.databaseEnv()).length() > 63) {
            refuse(pod, "error: Database name too long (maximum 63 characters)\n" + USAGE);
        }
        if (given == 0 && !env.containsKey(CONTRACT.superuserPasswordEnv())) {
            refuse(pod, USAGE);
        }
    }

    private static void refuse(LocalPod pod, String stderr) {
        EntrypointSteps.append(pod.log, stderr);
        throw new IllegalStateException(pod.name() + ": " + CONTRACT.command() + " exits with status 1 at every start:\n" + stderr);
    }

    /** common.sh's generate_postgresql_config: the environment's settings, then an include of each postgresql-cfg/*.conf. */
    private void writeConfiguration(LocalPod pod, Map<String, String> env, Path configFile) {
        StringBuilder conf = new StringBuilder("# Written by run-postgresql at each start, from the environment: edit the "
                + "environment or add a file to postgresql-cfg/ instead of this file.\n");
        conf.append("listen_addresses = '*'\n");
        conf.append("max_connections = ").append(env.get("POSTGRESQL_MAX_CONNECTIONS")).append('\n');
        conf.append("max_prepared_transactions = ").append(env.get("POSTGRESQL_MAX_PREPARED_TRANSACTIONS")).append('\n');
        conf.append("shared_buffers = ").append(env.get("POSTGRESQL_SHARED_BUFFERS")).append('\n');
        conf.append("effective_cache_size = ").append(env.get("POSTGRESQL_EFFECTIVE_CACHE_SIZE")).append('\n');
        String logDestination = env.getOrDefault("POSTGRESQL_LOG_DESTINATION", "");
        if (!logDestination.isEmpty()) {
            Path log = Path.of(logDestination);
            conf.append("log_destination = 'stderr'\nlogging_collector = on\n")
                    .append("log_directory = '").append(log.getParent()).append("'\n")
                    .append("log_filename = '").append(log.getFileName()).append("'\n");
        }
        if (env.containsKey("POSTGRESQL_LIBRARIES")) {
            conf.append("shared_preload_libraries = '").append(env.get("POSTGRESQL_LIBRARIES")).append("'\n");
        }
        for (Path cfg : files(pod.paths.host(CONTRACT.configDirectory().orElseThrow()), ".conf")) {
            conf.append("include '").append(cfg).append("'\n");
        }
        try {
            Files.createDirectories(configFile.getParent());
            Files.writeString(configFile, conf.toString());
            backend.user().own(configFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cluster of another major stops the start: the image holds one major and upgrades nothing. */
    private void checkMajor(LocalPod pod, Path pgdata) {
        try {
            String found = Files.readString(pgdata.resolve("PG_VERSION")).trim();
            if (!found.equals(Integer.toString(backend.binaries().major()))) {
                refuse(pod, "error: the data directory " + pgdata + " is of PostgreSQL " + found + ", and this image runs "
                        + "PostgreSQL " + backend.binaries().major() + "; this stand-in does not upgrade data directories "
                        + "(POSTGRESQL_UPGRADE)\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void createApplicationUser(LocalPod pod, Map<String, String> env, Duration timeout) {
        ImageContract.ApplicationUser app = CONTRACT.applicationUser().orElseThrow();
        if (!env.containsKey(app.userEnv())) {
            return;
        }
        backend.runInPod(pod, "createuser", List.of(backend.binaries().tool("createuser").toString(),
                env.get(app.userEnv())), timeout, true);
        backend.runInPod(pod, "createdb", List.of(backend.binaries().tool("createdb").toString(),
                "--owner=" + env.get(app.userEnv()), env.get(app.databaseEnv())), timeout, true);
    }

    private void writeImageHook(LocalPod pod, String name, String text) {
        Path file = pod.paths.host(CONTAINER_SCRIPTS + "/" + name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            backend.user().own(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * common.sh's process_extending_files: every {@code *.sh} of the user's directory and of the image's, once per
     * name, in the order of the names, the user's where both have one, sourced in one shell; a failure stops the start.
     */
    private void sourceHooks(LocalPod pod, String imageDir, String userDir, Map<String, String> env, Duration timeout) {
        Map<String, Path> byName = new TreeMap<>();
        files(pod.paths.host(CONTAINER_SCRIPTS + "/" + imageDir), ".sh").forEach(f -> byName.put(f.getFileName().toString(), f));
        files(pod.paths.host(userDir), ".sh").forEach(f -> byName.put(f.getFileName().toString(), f));
        if (byName.isEmpty()) {
            return;
        }
        ContainerResult r = EntrypointSteps.source(backend, pod, imageDir + " hooks", new ArrayList<>(byName.values()), env, timeout);
        if (!r.succeeded()) {
            throw new IllegalStateException(pod.name() + ": a hook of " + userDir + " or " + CONTAINER_SCRIPTS + "/" + imageDir
                    + " failed (exit " + r.exitCode() + "); " + CONTRACT.command() + " stops there and the container exits.\n"
                    + r.tail(20));
        }
    }

    private static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix) && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
