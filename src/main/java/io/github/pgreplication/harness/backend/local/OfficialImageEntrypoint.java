package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.guide.ImageContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The contract of the official {@code postgres} image's {@code docker-entrypoint.sh}, played with local
 * binaries: on an empty data directory, {@code initdb} with POSTGRES_USER / POSTGRES_PASSWORD /
 * POSTGRES_INITDB_ARGS, a {@code host all all all <auth>} line appended to pg_hba.conf, a temporary server
 * on its socket only, POSTGRES_DB, and the {@code /docker-entrypoint-initdb.d} scripts, once; on a data
 * directory that already holds {@code PG_VERSION}, none of that: "Skipping initialization", then
 * {@code exec postgres "$@"}. This is what decides whether the guide's init-master.sh ever runs.
 */
final class OfficialImageEntrypoint extends EntrypointPlayer {

    /** The contract this class plays with local binaries. */
    static final ImageContract CONTRACT = ImageContract.OFFICIAL;
    private static final String LOGS_AS = "/usr/local/bin/" + CONTRACT.entrypoint() + ": ";
    private static final String INIT_SCRIPTS = CONTRACT.initScripts().orElseThrow();

    OfficialImageEntrypoint(LocalBackend backend) {
        super(backend, CONTRACT);
    }

    /** Initialises the data directory if it is empty, then {@code exec postgres "$@"}: refuses args that name another program. */
    @Override
    List<String> prepareServer(LocalPod pod, List<String> serverAdaptations, Duration timeout) {
        initialiseIfEmpty(pod, serverAdaptations, timeout);
        List<String> server = CONTRACT.serverCommand(backend.rewrittenArgs(pod));
        if (!server.get(0).equals(CONTRACT.command())) {
            throw new IllegalArgumentException(pod.plan().source() + ": args start with " + server.get(0)
                    + "; the official image then runs that command instead of postgres, which the local backend does not");
        }
        return server.subList(1, server.size());
    }

    /** Initialises the data directory if it is empty, exactly once; writes what the image would log. */
    void initialiseIfEmpty(LocalPod pod, List<String> serverAdaptations, Duration timeout) {
        Path pgdata = pod.pgdata();
        if (Files.exists(pgdata.resolve("PG_VERSION"))) {
            append(pod.log, "\n" + CONTRACT.skipsInitialisation().orElseThrow() + "\n\n");
            return;
        }
        String user = CONTRACT.superuser(pod.env);
        String password = pod.env.get(CONTRACT.superuserPasswordEnv());
        if (password == null || password.isEmpty()) {
            throw new IllegalStateException(pod.name() + ": the official image refuses to initialise without "
                    + "POSTGRES_PASSWORD (Error: Database is uninitialized and superuser password is not specified)");
        }
        List<String> extra = new ArrayList<>();
        String extraArgs = pod.env.getOrDefault("POSTGRES_INITDB_ARGS", "");
        if (!extraArgs.isBlank()) {
            extra.addAll(List.of(extraArgs.trim().split("\\s+")));
        }
        EntrypointSteps.initdb(backend, pod, user, Optional.of(password), CONTRACT.superuserPasswordEnv(), extra, timeout);
        // pg_setup_hba_conf: scram-sha-256 from PostgreSQL 14 on (password_encryption's default), md5 before.
        String auth = backend.binaries().major() >= 14 ? "scram-sha-256" : "md5";
        append(pgdata.resolve("pg_hba.conf"), "\nhost all all all " + auth + "\n");

        List<Path> initFiles = initFiles(pod);
        if (!initFiles.isEmpty() || !"postgres".equals(CONTRACT.database(pod.env))) {
            runInitFiles(pod, serverAdaptations, initFiles, timeout);
        }
    }

    private List<Path> initFiles(LocalPod pod) {
        Path dir = pod.paths.host(INIT_SCRIPTS);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void runInitFiles(LocalPod pod, List<String> serverAdaptations, List<Path> files, Duration timeout) {
        // docker_temp_server_start: the container's own args, listening on the socket only.
        LocalProcess server = EntrypointSteps.temporaryServer(backend, pod, CONTRACT.serverCommand(backend.rewrittenArgs(pod)),
                serverAdaptations, timeout);
        try {
            String db = CONTRACT.database(pod.env);
            if (!"postgres".equals(db)) {
                backend.runInPod(pod, "create database", List.of(backend.binaries().tool("psql").toString(),
                        "-v", "ON_ERROR_STOP=1", "--dbname", "postgres", "--set", "db=" + db,
                        "-c", "CREATE DATABASE :\"db\""), timeout, true);
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                ContainerResult r;
                if (name.endsWith(".sh")) {
                    append(pod.log, LOGS_AS + "running " + name + "\n");
                    // Executable: run it; otherwise the entrypoint sources it (here: in a bash of its own).
                    List<String> cmd = Files.isExecutable(f) ? List.of("/bin/bash", f.toString())
                            : List.of("/bin/bash", "-c", ". \"$0\"", f.toString());
                    r = backend.runInPod(pod, name, cmd, timeout, false);
                } else if (name.endsWith(".sql")) {
                    append(pod.log, LOGS_AS + "running " + name + "\n");
                    r = backend.runInPod(pod, name, List.of(backend.binaries().tool("psql").toString(),
                            "-v", "ON_ERROR_STOP=1", "--no-psqlrc", "-f", f.toString()), timeout, false);
                } else {
                    append(pod.log, LOGS_AS + "ignoring " + name + "\n");
                    continue;
                }
                if (!r.succeeded()) {
                    throw new IllegalStateException(pod.name() + ": " + INIT_SCRIPTS + "/" + name + " failed (exit "
                            + r.exitCode() + "); the image's entrypoint stops there and the container exits.\n" + r.tail(20));
                }
            }
        } finally {
            server.stop();
        }
    }

    static void append(Path file, String text) {
        EntrypointSteps.append(file, text);
    }
}
