package io.github.pgreplication.harness.clients;

import java.util.List;
import java.util.Optional;

/**
 * What the guide's TypeORM configuration did in Node.js: the master and slaves it read from the guide (as the
 * guide writes them), each write and the read that followed it at once, and a write sent to a slave.
 */
public record TypeOrmRun(String type, String guideMaster, List<String> guideSlaves, List<RoutedWrite> writes,
                         List<ReadAfterWrite> reads, Optional<Refusal> writeOnReplica, String typeormVersion,
                         String pgVersion, String nodeVersion) {

    /**
     * A read through TypeORM right after a write: which server answered, whether the first read already saw the
     * row, how many reads it took, and the milliseconds from the INSERT's return to the read that saw it.
     */
    public record ReadAfterWrite(int round, RoutedRead read, boolean firstReadSawIt, int attempts, double appearedAfterMs) {
    }
}
