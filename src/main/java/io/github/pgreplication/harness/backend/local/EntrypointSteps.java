package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.ContainerResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the images' entrypoints do alike, played once for every {@link EntrypointPlayer}: initdb, a temporary server, sourced shell. */
final class EntrypointSteps {

    private EntrypointSteps() {
    }

    /**
     * initdb as {@code user} with {@code extra} arguments, from the template cache when the arguments allow it, and
     * {@code password} (if any) as the superuser's, as {@code initdb --pwfile} sets it; {@code passwordEnv} names where
     * the image took it from, for the report.
     */
    static void initdb(LocalBackend backend, LocalPod pod, String user, Optional<String> password, String passwordEnv,
                       List<String> extra, Duration timeout) {
        Path pgdata = pod.pgdata();
        if (InitdbTemplates.applies(extra, pod.env)) {
            List<String> args = new ArrayList<>(List.of("--username=" + user));
            args.addAll(extra);
            append(pod.log, InitdbTemplates.copyInto(pgdata, backend.binaries().tool("initdb"), args, pod.env,
                    backend.user(), backend.runDirectory().getParent(), backend.runResources(), timeout,
                    backend.initdbCache()));
            password.ifPresent(p -> InitdbTemplates.setPassword(backend.binaries().tool("postgres"), pgdata, user, p,
                    pod.env, backend.user(), pod.root, timeout));
            backend.adaptation("The image's initdb runs once for each binaries, arguments and environment, its output "
                    + "kept between runs (harness.initdb.cache), and each empty volume gets a copy (as PostgreSQL's own "
                    + "test suite does)" + (password.isEmpty() ? "." : ", its superuser password then set from "
                    + passwordEnv + " in single-user mode, as `initdb --pwfile` sets it."));
        } else if (password.isPresent()) {
            initdbWithPassword(backend, pod, user, password.get(), extra, timeout);
        } else {
            List<String> initdb = new ArrayList<>(List.of(backend.binaries().tool("initdb").toString(), "--username=" + user));
            initdb.addAll(extra);
            backend.runInPod(pod, "initdb", initdb, timeout, true);
        }
    }

    private static void initdbWithPassword(LocalBackend backend, LocalPod pod, String user, String password,
                                           List<String> extra, Duration timeout) {
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

    /**
     * The entrypoint's temporary server, listening on the socket only: {@code command} (its program first, played by
     * the local {@code postgres}), then the host's adaptations; returned once ready, to be stopped by the caller.
     */
    static LocalProcess temporaryServer(LocalBackend backend, LocalPod pod, List<String> command,
                                        List<String> serverAdaptations, Duration timeout) {
        List<String> temp = new ArrayList<>(command);
        temp.set(0, backend.binaries().tool("postgres").toString());
        temp.addAll(serverAdaptations);
        temp.addAll(List.of("-c", "listen_addresses="));
        LocalProcess server = backend.startServerProcess(pod, "temporary server", temp);
        try {
            backend.awaitTemporaryServer(pod, server, timeout);
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /** Sources {@code files} in one bash, in order, with {@code env}, as an entrypoint sources its scripts (here in a shell of their own). */
    static ContainerResult source(LocalBackend backend, LocalPod pod, String what, List<Path> files, Map<String, String> env,
                                  Duration timeout) {
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", "-c",
                "set -eu; for f; do echo \"=> sourcing $f ...\"; . \"$f\"; set -eu; done", "bash"));
        files.forEach(f -> cmd.add(f.toString()));
        return backend.run(pod, what, cmd, env, timeout);
    }

    static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
