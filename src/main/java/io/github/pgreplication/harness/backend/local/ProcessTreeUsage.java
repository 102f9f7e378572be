package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.OcTarget;
import io.github.pgreplication.harness.run.HostTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code oc top pod} reads of a local pod: its server's process tree, as the kernel accounts it. CPU: each live
 * process's user and system time, its reaped children's included ({@code /proc/PID/stat}'s utime, stime, cutime and
 * cstime), so the backends that ended are counted in the postmaster's. Memory: the sum of the processes' proportional
 * set sizes ({@code /proc/PID/smaps_rollup}'s Pss), the shared buffers counted once, as a container's working set
 * counts them once.
 */
final class ProcessTreeUsage {

    private static long ticksPerSecond;

    private ProcessTreeUsage() {
    }

    /** The usage of the tree rooted at {@code root}; empty when it has ended. */
    static Optional<OcTarget.Usage> of(long root) {
        Optional<ProcessHandle> handle = ProcessHandle.of(root);
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        List<Long> pids = Stream.concat(Stream.of(handle.get()), handle.get().descendants()).map(ProcessHandle::pid).toList();
        long ticks = 0;
        long pssKib = 0;
        for (long pid : pids) {
            Optional<String> stat = read(pid, "stat");
            Optional<String> smaps = read(pid, "smaps_rollup");
            if (stat.isEmpty() || smaps.isEmpty()) {
                continue; // ended between the listing and the read
            }
            String[] fields = stat.get().substring(stat.get().lastIndexOf(')') + 2).trim().split(" ");
            for (int f = 11; f <= 14; f++) { // utime, stime, cutime, cstime: fields 14 to 17 of proc(5), from the state's
                ticks += Long.parseLong(fields[f]);
            }
            pssKib += smaps.get().lines().filter(l -> l.startsWith("Pss:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).sum();
        }
        return Optional.of(new OcTarget.Usage(Duration.ofNanos(ticks * 1_000_000_000L / ticksPerSecond()), pssKib * 1024));
    }

    private static Optional<String> read(long pid, String file) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty(); // ended: « no such file », or ESRCH for one that ended while read
        }
    }

    /** The kernel's clock ticks per second, in which /proc/PID/stat counts CPU time ({@code getconf CLK_TCK}). */
    private static synchronized long ticksPerSecond() {
        if (ticksPerSecond == 0) {
            HostTool.Result r = HostTool.require("getconf", "libc-bin").run(Path.of("/"), Duration.ofSeconds(10), "CLK_TCK");
            if (!r.succeeded() || !r.output().strip().matches("\\d+")) {
                throw new IllegalStateException("getconf CLK_TCK answered " + r.output().strip() + " (exit " + r.exitCode()
                        + ")");
            }
            ticksPerSecond = Long.parseLong(r.output().strip());
        }
        return ticksPerSecond;
    }
}
