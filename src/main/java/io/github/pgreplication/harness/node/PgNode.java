package io.github.pgreplication.harness.node;

import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Waits;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One server of a pair, as PostgreSQL's {@code Cluster.pm} has a node: reached where clients reach it (its Service),
 * as its superuser; its SQL ({@link #safeSql}), its WAL position ({@link #lsn}), what it says of replication as typed
 * rows, and {@link #waitForCatchup} of a named standby. It follows the pod it names across restarts: the pair
 * supplies where the server is now and its log.
 */
public final class PgNode {

    /** Opens connections to where the node's clients reach it (a Service): fresh on each call, so a restart is followed. */
    @FunctionalInterface
    public interface Route {
        Endpoint endpoint();
    }

    private final String name;
    private final Route route;
    private final String superuser;
    private final Supplier<String> password;
    private final Supplier<String> logTail;
    private final Waits waits;
    private final Optional<String> slot;

    public PgNode(String name, Route route, String superuser, Supplier<String> password, Supplier<String> logTail,
                  Waits waits) {
        this(name, route, superuser, password, logTail, waits, Optional.empty());
    }

    /**
     * A standby whose slot is known from its manifests ({@code pg_basebackup -S}, which writes primary_slot_name): its
     * master finds its walsender by that slot without asking the standby, which may run under a cluster's controller
     * where the harness has no route to it.
     */
    public PgNode(String name, Route route, String superuser, Supplier<String> password, Supplier<String> logTail,
                  Waits waits, Optional<String> slot) {
        this.slot = slot;
        this.name = name;
        this.route = route;
        this.superuser = superuser;
        this.password = password;
        this.logTail = logTail;
        this.waits = waits;
    }

    public String name() {
        return name;
    }

    /** A connection as the superuser, through the node's route. */
    public Connection connect() throws SQLException {
        return Sql.connect(route.endpoint(), superuser, password.get());
    }

    /** A connection as another role, to another database, through the node's route (an application's login, say). */
    public Connection connect(String user, String userPassword, String database) throws SQLException {
        return Sql.connect(route.endpoint(), user, userPassword, database);
    }

    /**
     * Cluster.pm's {@code safe_psql}: runs {@code sql} (several statements, without parameters, as psql would; one
     * statement with its parameters bound otherwise) and returns the first column of the last statement's first row as
     * text (null for a command, no row, or NULL). An error names the node, the query and the SQLSTATE.
     */
    public String safeSql(String sql, Object... params) {
        try (Connection c = connect()) {
            if (params.length > 0) {
                Object v = Sql.scalar(c, sql, params);
                return v == null ? null : v.toString();
            }
            List<List<Map<String, Object>>> results = Sql.script(c, sql);
            List<Map<String, Object>> last = results.isEmpty() ? List.of() : results.get(results.size() - 1);
            Object v = last.isEmpty() ? null : last.get(0).values().iterator().next();
            return v == null ? null : v.toString();
        } catch (SQLException e) {
            throw new AssertionError(name + ": `" + sql + "` failed with SQLSTATE " + e.getSQLState() + ": " + e.getMessage(), e);
        }
    }

    /** The node's WAL position: written on a primary ({@code pg_current_wal_lsn}), replayed on a standby. */
    public String lsn() {
        return safeSql("SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text");
    }

    /** The server's major version: {@code server_version_num} / 10000 (15 for 15.8). */
    public int majorVersion() {
        return Integer.parseInt(safeSql("SHOW server_version_num")) / 10000;
    }

    public boolean inRecovery() {
        return Boolean.parseBoolean(safeSql("SELECT pg_is_in_recovery()::text"));
    }

    /** The walsenders of this node ({@code pg_stat_replication}). */
    public List<WalSender> walSenders() throws SQLException {
        List<WalSender> out = new ArrayList<>();
        try (Connection c = connect()) {
            for (Map<String, Object> r : Sql.rows(c, "SELECT pid, usename, application_name, client_addr::text AS client_addr, "
                    + "state, sync_state, sent_lsn::text AS sent_lsn, write_lsn::text AS write_lsn, flush_lsn::text AS flush_lsn, "
                    + "replay_lsn::text AS replay_lsn FROM pg_stat_replication ORDER BY pid")) {
                out.add(new WalSender(((Number) r.get("pid")).intValue(), text(r, "usename"), text(r, "application_name"),
                        text(r, "client_addr"), text(r, "state"), text(r, "sync_state"), text(r, "sent_lsn"),
                        text(r, "write_lsn"), text(r, "flush_lsn"), text(r, "replay_lsn")));
            }
        }
        return out;
    }

    /** The replication slots of this node, with the WAL each retains. */
    public List<ReplicationSlot> slots() throws SQLException {
        List<ReplicationSlot> out = new ArrayList<>();
        try (Connection c = connect()) {
            for (Map<String, Object> r : Sql.rows(c, "SELECT slot_name, slot_type, active, restart_lsn::text AS restart_lsn, "
                    + "wal_status, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained_bytes "
                    + "FROM pg_replication_slots ORDER BY slot_name")) {
                out.add(new ReplicationSlot(text(r, "slot_name"), text(r, "slot_type"), Boolean.TRUE.equals(r.get("active")),
                        text(r, "restart_lsn"), text(r, "wal_status"), number(r, "retained_bytes")));
            }
        }
        return out;
    }

    /** The slot named {@code slotName}, if this node has it. */
    public Optional<ReplicationSlot> slot(String slotName) throws SQLException {
        return slots().stream().filter(s -> slotName.equals(s.slotName())).findFirst();
    }

    /** Each standby's lag as this node measures it. */
    public List<ReplicaLag> lags() throws SQLException {
        List<ReplicaLag> out = new ArrayList<>();
        try (Connection c = connect()) {
            for (Map<String, Object> r : Sql.rows(c, "SELECT application_name, state, "
                    + "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag_bytes, "
                    + "(EXTRACT(EPOCH FROM replay_lag) * 1000)::bigint AS replay_lag_ms FROM pg_stat_replication ORDER BY pid")) {
                out.add(new ReplicaLag(text(r, "application_name"), text(r, "state"), number(r, "lag_bytes"),
                        number(r, "replay_lag_ms")));
            }
        }
        return out;
    }

    /**
     * The walsender that serves {@code standby}: the one holding the slot the standby streams through
     * ({@code primary_slot_name}). Empty while none does, and for a standby that names no slot: its master cannot
     * tell it apart from another standby (they are all {@code walreceiver}).
     */
    public Optional<WalSender> walSenderOf(PgNode standby) throws SQLException {
        Optional<String> slot = standby.primarySlotName();
        if (slot.isEmpty()) {
            return Optional.empty();
        }
        try (Connection c = connect()) {
            Object pid = Sql.scalar(c, "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?", slot.get());
            if (pid == null) {
                return Optional.empty();
            }
            int active = ((Number) pid).intValue();
            return walSenders().stream().filter(w -> w.pid() == active).findFirst();
        }
    }

    /**
     * The slot this node, a standby, streams through: the one its manifests give it, else its own
     * {@code primary_slot_name}; empty when it names none.
     */
    public Optional<String> primarySlotName() throws SQLException {
        if (slot.isPresent()) {
            return slot;
        }
        try (Connection c = connect()) {
            Object slot = Sql.scalar(c, "SELECT setting FROM pg_settings WHERE name = 'primary_slot_name'");
            return slot == null || slot.toString().isBlank() ? Optional.empty() : Optional.of(slot.toString());
        }
    }

    /**
     * Cluster.pm's {@code wait_for_catchup(standby, 'replay', target)}: waits until {@code standby} has replayed
     * this node's WAL up to {@code targetLsn}. The standby is the one named, never any walsender: this node's
     * walsender on the standby's slot reports the replay position; for a standby that names no slot, the standby's
     * own walreceiver streams and its replay position is read on it. On timeout: what both sides last said.
     */
    public void waitForCatchup(PgNode standby, String targetLsn, String description, Duration timeout) {
        StandbyProbe probe = new StandbyProbe(standby);
        waits.until(description + " (" + standby.name() + " replayed " + name + "'s WAL to " + targetLsn + ")", timeout,
                Duration.ofMillis(5), () -> probe.replayed(targetLsn), () -> lastSeen(standby));
    }

    /** Waits until {@code standby} streams from this node with a replay position known (until then every lag is NULL). */
    public void waitForStreaming(PgNode standby, String description, Duration timeout) {
        StandbyProbe probe = new StandbyProbe(standby);
        waits.until(description, timeout, Duration.ofMillis(20), () -> probe.replayed(null), () -> lastSeen(standby));
    }

    /**
     * One standby, as this node sees it during a wait: its slot is read once, when the standby first answers; then
     * each poll is one query, on this node through the slot's walsender, or on the standby when it names no slot.
     */
    private final class StandbyProbe {
        private final PgNode standby;
        private Optional<String> slot;

        StandbyProbe(PgNode standby) {
            this.standby = standby;
        }

        /** Streaming, and replayed to {@code targetLsn} (any replay position known, when null). */
        boolean replayed(String targetLsn) throws SQLException {
            if (slot == null) {
                slot = standby.primarySlotName();
            }
            String target = targetLsn == null ? "0/0" : targetLsn;
            if (slot.isEmpty()) {
                try (Connection c = standby.connect()) {
                    return Boolean.TRUE.equals(Sql.scalar(c, "SELECT status = 'streaming' AND pg_last_wal_replay_lsn() >= "
                            + "?::pg_lsn FROM pg_stat_wal_receiver", target));
                }
            }
            try (Connection c = connect()) {
                return Boolean.TRUE.equals(Sql.scalar(c, "SELECT r.state = 'streaming' AND r.replay_lsn >= ?::pg_lsn "
                        + "FROM pg_stat_replication r JOIN pg_replication_slots s ON s.active_pid = r.pid "
                        + "WHERE s.slot_name = ?", target, slot.get()));
            }
        }
    }

    /** What a timeout shows: this node's pg_stat_replication and slots, as PostgreSQL's TAP tests print them, and the standby's log. */
    public String lastSeen(PgNode standby) {
        StringBuilder sb = new StringBuilder("pg_stat_replication on ").append(name).append(": ");
        try {
            List<WalSender> senders = walSenders();
            sb.append(senders.isEmpty() ? "(no row: no standby connected)" : senders.toString());
            sb.append("\npg_replication_slots on ").append(name).append(": ").append(slots());
        } catch (SQLException | RuntimeException e) {
            sb.append("(unreadable: ").append(e.getMessage()).append(')');
        }
        if (standby != null) {
            sb.append('\n').append(standby.logTail());
        }
        return sb.toString();
    }

    /** The last lines of the node's log, for a diagnosis. */
    public String logTail() {
        try {
            return logTail.get();
        } catch (RuntimeException e) {
            return "(" + name + "'s log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private static String text(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : v.toString();
    }

    private static Long number(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : ((Number) v).longValue();
    }
}
