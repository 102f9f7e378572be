package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.probes.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application writing on the master through its Service at a fixed rate while an operator works (a
 * rollback, say): each write is one INSERT in its own transaction; failures are counted with their
 * SQLSTATE, and the connection is reopened after one, as a pool would.
 */
public final class BackgroundWriter implements AutoCloseable {

    /** What the application saw. */
    public record Stats(long succeeded, long failed, List<String> failures) {
    }

    private final GuidePair pair;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "background-writer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private Connection connection;

    private BackgroundWriter(GuidePair pair) {
        this.pair = pair;
    }

    /** Creates the application's table and starts writing one row every {@code every}. */
    public static BackgroundWriter start(GuidePair pair, Duration every) throws SQLException {
        BackgroundWriter w = new BackgroundWriter(pair);
        try (Connection c = pair.masterNode().connect()) {
            Sql.script(c, "CREATE TABLE IF NOT EXISTS application_writes (n bigint PRIMARY KEY, at timestamptz DEFAULT now())");
        }
        w.executor.scheduleAtFixedRate(w::writeOne, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return w;
    }

    private void writeOne() {
        long n = succeeded.get() + failed.get() + 1;
        try {
            if (connection == null) {
                connection = pair.masterNode().connect();
            }
            Sql.rows(connection, "INSERT INTO application_writes (n) VALUES (?) RETURNING n", n);
            succeeded.incrementAndGet();
        } catch (SQLException e) {
            failed.incrementAndGet();
            if (failures.size() < 5) {
                failures.add("write " + n + ": SQLSTATE " + e.getSQLState() + " " + e.getMessage());
            }
            closeConnection();
        }
    }

    /** Stops writing and returns what the application saw. */
    public Stats stop() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
        return new Stats(succeeded.get(), failed.get(), List.copyOf(failures));
    }

    /** The rows of the application's table on the master now. */
    public long rowsOnMaster() throws SQLException {
        try (Connection c = pair.masterNode().connect()) {
            return ((Number) Sql.scalar(c, "SELECT count(*) FROM application_writes")).longValue();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
