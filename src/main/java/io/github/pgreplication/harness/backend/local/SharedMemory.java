package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.run.HostTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The shared memory a server's processes map, which a SIGKILL leaves on the host: its System V segment (PostgreSQL
 * keeps one, never marked for removal, to tell at its next start whether old processes still use its data directory)
 * and its dynamic shared memory under {@code /dev/shm} ({@code PostgreSQL.<handle>}). A server that stops cleanly
 * removes both; a killed one leaves them until a server starts again on the same data directory, which a deleted
 * pod's never does (seen here: five 56-byte segments and ten files of a verify's template runs, whose masters were
 * killed at the end of their grace). A pod's IPC ends with the pod; so do these, read from {@code /proc/<pid>/maps}
 * before the kill and released after it.
 */
final class SharedMemory {

    /** System V segments by id, and POSIX shared memory files, mapped by a server's processes. */
    record Held(Set<Long> systemV, Set<Path> posix) {

        boolean isEmpty() {
            return systemV.isEmpty() && posix.isEmpty();
        }
    }

    private static final Path DEV_SHM = Path.of("/dev/shm");

    private SharedMemory() {
    }

    /** What these processes map now; a process gone or whose maps cannot be read adds nothing. */
    static Held mappedBy(Stream<ProcessHandle> processes) {
        List<String> lines = new ArrayList<>();
        processes.forEach(p -> {
            try {
                lines.addAll(Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "maps")));
            } catch (IOException | SecurityException gone) {
                // ended already, or not ours to read: nothing of it to release
            }
        });
        return parse(lines);
    }

    /**
     * The shared memory in lines of {@code /proc/<pid>/maps}: a System V segment is a path {@code /SYSV<key>}, its
     * inode the segment's id; PostgreSQL's dynamic shared memory a file {@code /dev/shm/PostgreSQL.<handle>}.
     */
    static Held parse(List<String> mapsLines) {
        Set<Long> systemV = new LinkedHashSet<>();
        Set<Path> posix = new LinkedHashSet<>();
        for (String line : mapsLines) {
            String[] f = line.trim().split("\\s+", 6);
            if (f.length < 6) {
                continue;
            }
            String path = f[5];
            if (path.startsWith("/SYSV")) {
                systemV.add(Long.parseLong(f[4]));
            } else if (path.startsWith("/dev/shm/PostgreSQL.")) {
                Path file = Path.of(path.replace(" (deleted)", ""));
                if (file.getParent().equals(DEV_SHM)) {
                    posix.add(file);
                }
            }
        }
        return new Held(Set.copyOf(systemV), Set.copyOf(posix));
    }

    /**
     * Removes what a killed server left: each segment ({@code ipcrm -m}: gone once no process maps it) and each file.
     * Returns what it removed, for the log.
     */
    static List<String> release(Held held) {
        List<String> released = new ArrayList<>();
        for (long id : held.systemV()) {
            try {
                if (HostTool.require("ipcrm", "util-linux").run(Path.of("/"), Duration.ofSeconds(10), "-m", Long.toString(id))
                        .succeeded()) {
                    released.add("System V segment " + id);
                }
            } catch (RuntimeException e) {
                // no ipcrm, or it hung: the segment stays, and the run's check of what it left says so
            }
        }
        for (Path file : held.posix()) {
            try {
                if (Files.deleteIfExists(file)) {
                    released.add(file.toString());
                }
            } catch (IOException e) {
                // not ours to delete: the run's check of what it left says so
            }
        }
        return released;
    }
}
