package io.github.pgreplication.harness.clients;

import java.util.List;

/**
 * The replication lag an application sees through a read/write split: for each row written through the master
 * and read at once through the replica, the milliseconds until the replica returned it (including the read's own
 * round trip), and how many first reads did not see the row yet.
 */
public record ApplicationLag(int rounds, int firstReadMissed, double medianMs, double maxMs, List<Double> samplesMs) {

    public static ApplicationLag of(TypeOrmRun run) {
        List<Double> ms = run.reads().stream().map(TypeOrmRun.ReadAfterWrite::appearedAfterMs).sorted().toList();
        if (ms.isEmpty()) {
            throw new AssertionError("TypeORM read nothing back");
        }
        double median = ms.size() % 2 == 1 ? ms.get(ms.size() / 2) : (ms.get(ms.size() / 2 - 1) + ms.get(ms.size() / 2)) / 2;
        int missed = (int) run.reads().stream().filter(r -> !r.firstReadSawIt()).count();
        return new ApplicationLag(ms.size(), missed, median, ms.get(ms.size() - 1), ms);
    }
}
