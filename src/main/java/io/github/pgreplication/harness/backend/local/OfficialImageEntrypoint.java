package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.guide.ImageContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The contract of the official {@code postgres} image's {@code docker-entrypoint.sh}, played with local
 * binaries: on an empty data directory, {@code initdb} with POSTGRES_USER / POSTGRES_PASSWORD /
 * POSTGRES_INITDB_ARGS, a {@code host all all all <auth>} line appended to pg_hba.conf, a temporary server
 * on its socket only, POSTGRES_DB, and the {@code /docker-entrypoint-initdb.d} scripts, once; on a data
 * directory that already holds {@code PG_VERSION}, none of that: "Skipping initialization", then
 * {@code exec postgres "$@"}. This is what decides whether the guide's init-master.sh ever runs.
 */
final class OfficialImageEntrypoint {

    /** The contract this class plays with local binaries. */
    static final ImageContract CONTRACT = ImageContract.OFFICIAL;
    private static final String LOGS_AS = "/usr/local/bin/" + CONTRACT.entrypoint() + ": ";

    private final LocalBackend backend;

    OfficialImageEntrypoint(LocalBackend backend) {
        this.backend = backend;
    }

    /** Initialises the data directory if it is empty, exactly once; writes what the image would log. */
    void initialiseIfEmpty(LocalPod pod, List<String> serverAdaptations, Duration timeout) {
        Path pgdata = pod.pgdata();
        if (Files.exists(pgdata.resolve("PG_VERSION"))) {
            append(pod.log, "\n" + CONTRACT.skipsInitialisation() + "\n\n");
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
        if (InitdbTemplates.applies(extra, pod.env)) {
            List<String> args = new ArrayList<>(List.of("--username=" + user));
            args.addAll(extra);
            append(pod.log, InitdbTemplates.copyInto(pgdata, backend.binaries().tool("initdb"), args, pod.env,
                    backend.user(), backend.runDirectory().getParent(), backend.runResources(), timeout,
                    backend.initdbCache()));
            InitdbTemplates.setPassword(backend.binaries().tool("postgres"), pgdata, user, password, pod.env,
                    backend.user(), pod.root, timeout);
            backend.adaptation("The image's initdb runs once for each binaries, arguments and environment, its output "
                    + "kept between runs (harness.initdb.cache), and each empty volume gets a copy (as PostgreSQL's own "
                    + "test suite does), its superuser password then set from POSTGRES_PASSWORD in single-user mode, as "
                    + "`initdb --pwfile` sets it.");
        } else {
            initdbWithPassword(pod, user, password, extra, timeout);
        }
        // pg_setup_hba_conf: scram-sha-256 from PostgreSQL 14 on (password_encryption's default), md5 before.
        String auth = backend.binaries().major() >= 14 ? "scram-sha-256" : "md5";
        append(pgdata.resolve("pg_hba.conf"), "\nhost all all all " + auth + "\n");

        List<Path> initFiles = initFiles(pod);
        if (!initFiles.isEmpty() || !"postgres".equals(CONTRACT.database(pod.env))) {
            runInitFiles(pod, serverAdaptations, initFiles, timeout);
        }
    }

    private void initdbWithPassword(LocalPod pod, String user, String password, List<String> extra, Duration timeout) {
        Path pwfile = pod.root.resolve("pwfile");
        try {
            Files.writeString(pwfile, password + "\n");
            backend.user().own(pwfile);
            List<String> initdb = new ArrayList<>(List.of(backend.binaries().tool("initdb").toString(),
                    "--username=" + user, "--pwfile=" + pwfile));
            initdb.addAll(extra);
            backend.runInPod(pod, "initdb", initdb, timeout, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            InitdbTemplates.deleteQuietly(pwfile);
        }
    }

    private List<Path> initFiles(LocalPod pod) {
        Path dir = pod.paths.host(CONTRACT.initScripts());
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
        List<String> temp = new ArrayList<>(CONTRACT.serverCommand(backend.rewrittenArgs(pod)));
        temp.set(0, backend.binaries().tool("postgres").toString());
        temp.addAll(serverAdaptations);
        temp.addAll(List.of("-c", "listen_addresses="));
        LocalProcess server = backend.startServerProcess(pod, "temporary server", temp);
        try {
            backend.awaitReady(pod, server, timeout);
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
                    throw new IllegalStateException(pod.name() + ": " + CONTRACT.initScripts() + "/" + name + " failed (exit "
                            + r.exitCode() + "); the image's entrypoint stops there and the container exits.\n" + r.tail(20));
                }
            }
        } finally {
            server.stop();
        }
    }

    static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
