package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.EvidenceFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The local backend's failure evidence (see {@code Backend.collectEvidence}). For every pod it prepared, servers and
 * containers run to completion alike, deleted or not: the container's whole log (its processes' output, kept in the
 * run directory), a description (its plan, then what this host made of it), and the server's own log files under its
 * data directory's {@code log} directory. Then a listing of the run directory (paths, sizes, modes, owners; not the
 * files' contents) and the backend's description with its host adaptations. Every text is redacted on the way.
 */
final class LocalEvidence {

    private LocalEvidence() {
    }

    /**
     * Writes it all under {@code dir}. {@code prepared}: every pod in order; {@code notDeleted}: those started and not
     * deleted since; {@code backend}: the backend's own description.
     */
    static List<Path> write(Path dir, Path runRoot, List<LocalPod> prepared, List<LocalPod> notDeleted, String backend) {
        EvidenceFiles files = new EvidenceFiles(dir);
        files.write("backend.txt", backend);
        // Each data directory's server logs with the newest pod that has it (the server after its init container)
        Map<Path, String> serverLogsWrittenWith = new HashMap<>();
        Map<LocalPod, List<String>> serverLogs = new HashMap<>();
        List<LocalPod> newestFirst = new ArrayList<>(prepared);
        Collections.reverse(newestFirst);
        newestFirst.forEach(pod -> serverLogs.put(pod, serverLogs(pod, files, serverLogsWrittenWith)));
        for (LocalPod pod : prepared) {
            String name = EvidenceFiles.fileName(pod.name());
            files.write(name + "/" + EvidenceFiles.fileName(pod.plan().containerName()) + ".log", read(pod.log, files));
            files.write(name + "/description.txt", EvidenceFiles.describe(pod.name(), pod.plan())
                    + onThisHost(pod, runRoot, notDeleted.contains(pod), serverLogs.get(pod)));
        }
        files.write("run-directory.txt", listing(runRoot, files));
        return files.done();
    }

    private static String onThisHost(LocalPod pod, Path runRoot, boolean notDeleted, List<String> serverLogs) {
        StringBuilder s = new StringBuilder("\nOn this host (local backend):\n");
        String state = pod.isRunning() ? "running, server pid " + pod.server.pid()
                : pod.server == null ? "a container run to completion (no server)"
                : notDeleted ? "not running (killed, or its server ended)" : "deleted";
        s.append("State:          ").append(state).append('\n');
        s.append("Listens on:     ").append(pod.port > 0 ? "127.0.0.1:" + pod.port + " (and its socket directory)" : "(no port)")
                .append('\n');
        s.append("Directory:      ").append(shortPath(pod.root, runRoot)).append('\n');
        s.append("Container paths played by host directories:\n");
        pod.paths.mappings().forEach((c, h) -> s.append("  ").append(c).append(" → ").append(shortPath(h, runRoot)).append('\n'));
        s.append("Args as run:    ").append(pod.plan().args().stream().map(pod.paths::rewrite)
                .map(a -> a.replace(runRoot.toString(), "$RUN")).toList()).append('\n');
        s.append("Env its processes got (values redacted): ").append(String.join(", ", pod.env.keySet())).append('\n');
        s.append("Server log files: ").append(serverLogs.isEmpty() ? "(none)" : String.join(", ", serverLogs)).append('\n');
        return s.toString();
    }

    /** The server's own log files (logging_collector), each data directory's once even when pods share it. */
    private static List<String> serverLogs(LocalPod pod, EvidenceFiles files, Map<Path, String> writtenWith) {
        String name = EvidenceFiles.fileName(pod.name());
        String pgdata = pod.env.get("PGDATA");
        if (pgdata == null) {
            return List.of();
        }
        Path logDir = Path.of(pgdata).resolve("log");
        if (!Files.isDirectory(logDir)) {
            return List.of();
        }
        String earlier = writtenWith.putIfAbsent(logDir, name);
        if (earlier != null) {
            return List.of("the same data directory's, written with " + earlier);
        }
        List<String> written = new ArrayList<>();
        try (Stream<Path> logs = Files.list(logDir)) {
            for (Path f : logs.sorted().toList()) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    String file = name + "/server-log/" + EvidenceFiles.fileName(f.getFileName().toString());
                    files.write(file, read(f, files));
                    written.add(file);
                }
            }
        } catch (IOException e) {
            files.problem(name + ": cannot list the server's log directory: " + e);
        }
        return written;
    }

    /** Every path under the run directory with its type and mode, owner, size; sorted by path. */
    private static String listing(Path runRoot, EvidenceFiles files) {
        Map<String, String> rows = new TreeMap<>();
        try {
            Files.walkFileTree(runRoot, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    rows.put(rel(runRoot, d), row(d));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    rows.put(rel(runRoot, f), row(f));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    rows.put(rel(runRoot, f), "?????????? ? ? (" + e.getClass().getSimpleName() + ")");
                    return FileVisitResult.CONTINUE; // a file gone since (a server's temporary file)
                }
            });
        } catch (IOException e) {
            files.problem("cannot list the run directory: " + e);
        }
        StringBuilder out = new StringBuilder("The run directory $RUN = " + runRoot
                + " (mode, owner, bytes, path; the files' contents are not shown):\n");
        rows.forEach((path, row) -> out.append(row).append("  ").append(path).append('\n'));
        return out.toString();
    }

    private static String row(Path p) {
        String mode;
        String owner;
        String size;
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            char type = a.isDirectory() ? 'd' : a.isSymbolicLink() ? 'l' : a.isRegularFile() ? '-' : a.isOther() ? 's' : '?';
            mode = type + PosixFilePermissions.toString(a.permissions());
            owner = a.owner().getName();
            size = Long.toString(a.size());
        } catch (IOException | UnsupportedOperationException e) {
            mode = "??????????";
            owner = "?";
            size = "?";
        }
        return mode + " " + String.format(Locale.ROOT, "%-10s %12s", owner, size);
    }

    private static String rel(Path runRoot, Path p) {
        String r = runRoot.relativize(p).toString();
        return r.isEmpty() ? "." : r;
    }

    private static String shortPath(Path p, Path runRoot) {
        return p.toString().replace(runRoot.toString(), "$RUN");
    }

    /** A file's text; bytes that are not UTF-8 are replaced, not refused. */
    private static String read(Path file, EvidenceFiles files) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            files.problem("cannot read " + file + ": " + e);
            return "(unreadable: " + e + ")\n";
        }
    }
}
