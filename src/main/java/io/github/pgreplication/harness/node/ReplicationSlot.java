package io.github.pgreplication.harness.node;

/** A row of {@code pg_replication_slots}, with the WAL it holds back from removal. */
public record ReplicationSlot(String slotName, String slotType, boolean active, String restartLsn, String walStatus,
                              Long retainedBytes) {
}
