package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.OsUser;
import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * initdb once per run for each way a pod asks for it, then a copy of its output into each empty volume, as
 * PostgreSQL's own test suite does with its initdb template ({@code Cluster.pm}, {@code INITDB_TEMPLATE}). The
 * copy is what initdb would have written but for the superuser's password, which differs from pair to pair
 * (a random Secret per pair); it is set afterwards in single-user mode, as initdb's {@code --pwfile} sets it.
 * An initdb on this machine's tmpfs takes about 0.8 s; a copy and the password, 0.2 s. The template lives in a
 * directory of its own, owned by this JVM (swept as a run directory when a killed JVM left it), and is deleted
 * with the run that made it.
 */
final class InitdbTemplates {

    /** What initdb's output depends on: the binaries, the arguments, and the environment it reads (locale, zone). */
    private record Key(Path initdb, List<String> args, Map<String, String> environment) {
    }

    /** A template: its data directory and what initdb printed making it. */
    private record Template(Path pgdata, String output) {
    }

    private static final Map<Key, Template> TEMPLATES = new ConcurrentHashMap<>();

    private InitdbTemplates() {
    }

    /** Whether a pod's initdb can come from a template: no password-file or WAL-directory argument of its own. */
    static boolean applies(List<String> initdbArgs, Map<String, String> env) {
        return env.get("POSTGRES_INITDB_WALDIR") == null
                && initdbArgs.stream().noneMatch(a -> a.startsWith("--pwfile") || a.startsWith("-X") || a.startsWith("--waldir")
                        || a.startsWith("--pwprompt") || a.equals("-W") || a.startsWith("-D") || a.startsWith("--pgdata"));
    }

    /**
     * Fills {@code pgdata} (empty or absent) with the template of {@code initdbArgs}, made now if this run has none
     * yet; returns what initdb printed, with the template's path replaced by {@code pgdata}.
     */
    static String copyInto(Path pgdata, Path initdb, List<String> initdbArgs, Map<String, String> env, OsUser user,
                           Path parent, ResourceManager resources, Duration timeout, Optional<Path> cache) {
        Key key = new Key(initdb, List.copyOf(initdbArgs), initdbEnvironment(env));
        // made at most once per key: a pod asking for the same key meanwhile waits for it
        Template t = TEMPLATES.computeIfAbsent(key, k -> kept(k, cache)
                .orElseGet(() -> keep(k, make(k, env, user, parent, resources, timeout), cache)));
        RunDirectory.copyTree(t.pgdata(), pgdata); // the template's owner (the server user) and modes kept
        return t.output().replace(t.pgdata().toString(), pgdata.toString());
    }

    /** Sets the superuser's password as initdb's --pwfile would, in single-user mode, the server stopped. */
    static void setPassword(Path postgres, Path pgdata, String superuser, String password, Map<String, String> env,
                            OsUser user, Path workDir, Duration timeout) {
        Path sql = workDir.resolve("superuser-password.sql");
        try {
            Files.writeString(sql, "ALTER ROLE \"" + superuser.replace("\"", "\"\"") + "\" PASSWORD '"
                    + password.replace("'", "''") + "';\n", StandardCharsets.UTF_8);
            user.own(sql);
            String out = run(user, List.of("/bin/sh", "-c", "exec \"$0\" --single -j -D \"$1\" postgres < \"$2\"",
                    postgres.toString(), pgdata.toString(), sql.toString()), env, workDir, timeout, "superuser password");
            if (out.contains("ERROR:") || out.contains("FATAL:")) {
                throw new IllegalStateException("setting the superuser's password in single-user mode failed: "
                        + Secrets.redact(out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(sql);
        }
    }

    /** Deletes a file of the run now, if it can; the run directory goes at the end anyway. */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the run directory is deleted at the end anyway
        }
    }

    /**
     * The template an earlier run kept for this key (initdb's output does not change while the binaries, arguments
     * and environment do not), as PostgreSQL's test suite keeps its initdb template for a build's test runs.
     */
    private static Optional<Template> kept(Key key, Optional<Path> cache) {
        Optional<Path> dir = cache.map(c -> c.resolve(digest(key)));
        if (dir.isEmpty() || !Files.isRegularFile(dir.get().resolve("initdb.out"))
                || !Files.isRegularFile(dir.get().resolve("data").resolve("PG_VERSION"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Template(dir.get().resolve("data"),
                    Files.readString(dir.get().resolve("initdb.out"), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Optional.empty(); // unreadable: made again
        }
    }

    /**
     * Keeps a copy of a template for later runs: written beside, then renamed, so a run never sees half of one. The
     * kept copy is the one this JVM's pods copy from then on, never the run directory it was made in: that one goes
     * with the resources of the backend that made it, while another backend of the same JVM (the contract's checks run
     * side by side) may still be copying from the template.
     */
    private static Template keep(Key key, Template made, Optional<Path> cache) {
        if (cache.isEmpty()) {
            return made;
        }
        Path dir = cache.get().resolve(digest(key));
        Path partial = cache.get().resolve(digest(key) + ".partial-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            RunDirectory.copyTree(made.pgdata(), partial.resolve("data"));
            Files.writeString(partial.resolve("initdb.out"), made.output().replace(made.pgdata().toString(),
                    dir.resolve("data").toString()), StandardCharsets.UTF_8);
            Files.move(partial, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // another run kept the same template first, or the cache is not writable: this run's template serves
            RunDirectory.deleteTree(partial);
        }
        return kept(key, cache).orElse(made);
    }

    /** What the key names, and the binaries' identity (a rebuilt or upgraded initdb or postgres makes a new key). */
    private static String digest(Key key) {
        StringBuilder id = new StringBuilder(key.toString());
        for (Path binary : List.of(key.initdb(), key.initdb().resolveSibling("postgres"))) {
            try {
                id.append('|').append(binary.toRealPath()).append(':').append(Files.size(binary)).append(':')
                        .append(Files.getLastModifiedTime(binary).toMillis());
            } catch (IOException e) {
                id.append('|').append(binary).append(":?");
            }
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(id.toString().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Template make(Key key, Map<String, String> env, OsUser user, Path parent, ResourceManager resources,
                                 Duration timeout) {
        RunDirectory dir = RunDirectory.create(parent, user);
        resources.track("initdb template " + dir.root(), () -> {
            TEMPLATES.remove(key);
            dir.close();
        });
        Path pgdata = dir.root().resolve("data");
        List<String> cmd = new ArrayList<>(List.of(key.initdb().toString(), "--pgdata=" + pgdata));
        cmd.addAll(key.args());
        String output = run(user, cmd, env, dir.root(), timeout, "initdb of the template");
        return new Template(pgdata, output);
    }

    private static Map<String, String> initdbEnvironment(Map<String, String> env) {
        Map<String, String> read = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.equals("LANG") || k.equals("LANGUAGE") || k.startsWith("LC_") || k.equals("TZ") || k.equals("PGTZ")
                    || k.equals("POSTGRES_INITDB_ARGS")) {
                read.put(k, v);
            }
        });
        return read;
    }

    private static String run(OsUser user, List<String> command, Map<String, String> env, Path workDir, Duration timeout,
                              String what) {
        Path out = workDir.resolve("template-" + System.nanoTime() + ".out");
        try {
            Files.createFile(out);
            LocalProcess p = LocalProcess.start(what, user, command, env, workDir, out, true, Duration.ofSeconds(5));
            OptionalInt exit = p.waitFor(timeout);
            if (exit.isEmpty()) {
                p.kill();
            }
            p.close();
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (exit.isEmpty() || exit.getAsInt() != 0) {
                throw new IllegalStateException(what + " failed (" + (exit.isEmpty() ? "timed out after " + timeout
                        : "exit " + exit.getAsInt()) + "):\n" + Secrets.redact(output));
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(out);
        }
    }
}
