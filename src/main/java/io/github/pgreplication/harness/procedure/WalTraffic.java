package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.node.PgNode;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Evidence;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * WAL on the master, fast: a one-row write followed by {@code pg_switch_wal()} moves the WAL position to the
 * next 16 MB segment, which the master writes in full to pg_wal and streams to the replica. This is how
 * the scenarios create real lag and real retained WAL in seconds instead of minutes of load.
 */
public final class WalTraffic {

    /** What advancing the master's WAL did: the bytes it advanced, and the milliseconds it took. */
    public record Advanced(long bytes, long millis) {
    }

    private WalTraffic() {
    }

    /** Advances the master's WAL position by at least {@code megabytes}, the report noting how, and how long it took. */
    public static Advanced advance(PgNode master, long megabytes, Evidence evidence) throws SQLException {
        try (Connection c = master.connect()) {
            long start = System.nanoTime();
            long bytes = advance(c, megabytes);
            long millis = (System.nanoTime() - start) / 1_000_000;
            evidence.note("WAL", "The scenarios create WAL with a one-row write and pg_switch_wal() per 16 MB segment: "
                    + bytes / (1024 * 1024) + " MB took " + millis + " ms here.");
            return new Advanced(bytes, millis);
        }
    }

    /** Advances the master's WAL position by at least {@code megabytes}; returns the bytes it advanced. */
    public static long advance(Connection master, long megabytes) throws SQLException {
        String start = (String) Sql.scalar(master, "SELECT pg_current_wal_lsn()::text");
        long target = megabytes * 1024 * 1024;
        Sql.script(master, "CREATE TABLE IF NOT EXISTS harness_wal_traffic (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())");
        long advanced = 0;
        while (advanced < target) {
            Sql.scalar(master, "INSERT INTO harness_wal_traffic DEFAULT VALUES RETURNING id");
            Sql.scalar(master, "SELECT pg_switch_wal()::text");
            advanced = ((Number) Sql.scalar(master, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ?::pg_lsn)::bigint", start))
                    .longValue();
        }
        return advanced;
    }

    /** The bytes of WAL in the master's pg_wal directory. */
    public static long walDirectoryBytes(Connection master) throws SQLException {
        return ((Number) Sql.scalar(master, "SELECT COALESCE(sum(size), 0)::bigint FROM pg_ls_waldir()")).longValue();
    }

    /**
     * The WAL segments in pg_wal older than what {@code wal_keep_size} keeps: only a replication slot can hold
     * them. Segments a checkpoint recycles are renamed to future names, so they are not counted.
     */
    public static long walOlderThanKeepSize(Connection master) throws SQLException {
        // The oldest LSN wal_keep_size keeps, spelt X/Y: PostgreSQL 13 has no pg_lsn - numeric (14 added it).
        return ((Number) Sql.scalar(master, """
                WITH kept AS (
                  SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint
                         - pg_size_bytes(current_setting('wal_keep_size')) AS from_byte)
                SELECT COALESCE(sum(size), 0)::bigint FROM pg_ls_waldir(), kept
                WHERE name ~ '^[0-9A-F]{24}$' AND from_byte > 0
                  AND name < pg_walfile_name((to_hex(from_byte >> 32) || '/' || to_hex(from_byte & 4294967295))::pg_lsn)
                """)).longValue();
    }

    /** A {@code CHECKPOINT} on the master node. */
    public static void checkpoint(PgNode master) throws SQLException {
        try (Connection c = master.connect()) {
            checkpoint(c);
        }
    }

    /** A {@code CHECKPOINT}: the moment the master removes or recycles the WAL nothing retains any longer. */
    public static void checkpoint(Connection master) throws SQLException {
        Sql.script(master, "CHECKPOINT");
    }
}
