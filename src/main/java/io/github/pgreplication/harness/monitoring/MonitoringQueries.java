package io.github.pgreplication.harness.monitoring;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.procedure.GuidePair;
import io.github.pgreplication.harness.procedure.RunContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ConfigMap {@code postgresql-monitoring-queries}: each of its files run on the master as the guide's
 * « Utilisation » does ({@code psql -U postgres -f}), verbatim first, then corrected where an erratum says so. Their
 * rows are kept, for what the features read of them; the lag and the WAL a slot retains go in the report.
 */
public final class MonitoringQueries {

    /** The row of a replication status query: the replica's state and its lag in MB. */
    public record ReplicationStatus(String state, double lagMb) {
    }

    /** The row of a slot query: whether the slot is active, and the WAL it retains as the query shows it. */
    public record SlotStatus(String slotName, boolean active, String retainedWal) {
    }

    private final GuidePair pair;
    private final RunContext context;
    private Map<String, List<Map<String, Object>>> results;

    public MonitoringQueries(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /** Every query file's rows, by file name, in the ConfigMap's order. */
    public Map<String, List<Map<String, Object>>> runAll() {
        ConfigMap cm = (ConfigMap) pair.model().manifests().require("ConfigMap", pair.names().get(GuideNames.Role.MONITORING_QUERIES)).resource();
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (String key : new TreeMap<>(cm.getData()).keySet()) {
            String item = pair.manifests().configMapItem(GuideNames.Role.MONITORING_QUERIES, key);
            context.evidence().executed(item);
            out.put(key, context.ledger().verbatim(item, () -> run(item, cm.getData().get(key)),
                    () -> run(item, pair.manifests().corrected().manifests().configMapValue(pair.manifests().corrected().names().get(GuideNames.Role.MONITORING_QUERIES), key))));
        }
        results = out;
        return out;
    }

    /** The rows of the query file {@code file}, as {@link #runAll()} got them; an error when the ConfigMap has no such file. */
    public List<Map<String, Object>> rows(String file) {
        if (results == null) {
            throw new IllegalStateException("the monitoring queries have not run (runAll())");
        }
        List<Map<String, Object>> rows = results.get(file);
        if (rows == null) {
            throw new AssertionError("the ConfigMap has no query file " + file + " (it has " + results.keySet() + ")");
        }
        return rows;
    }

    /** The one row of the query file {@code file}; an error when it returned another number of rows. */
    public Map<String, Object> single(String file) {
        List<Map<String, Object>> rows = rows(file);
        if (rows.size() != 1) {
            throw new AssertionError(file + " rows: expected 1, got " + rows.size() + ": " + rows);
        }
        return rows.get(0);
    }

    /** The replica's state and lag_mb as the query file {@code file} shows them; the lag kept as a figure. */
    public ReplicationStatus replicationStatus(String file) {
        Map<String, Object> row = single(file);
        if (!(row.get("lag_mb") instanceof Number lag)) {
            throw new AssertionError(file + " shows no lag_mb: " + row);
        }
        pair.figure("monitoring", file + ": lag_mb / lag_seconds", lag.doubleValue(), "MB");
        return new ReplicationStatus(String.valueOf(row.get("state")), lag.doubleValue());
    }

    /** The slot {@code slotName} as the query file {@code file} shows it; the WAL it retains noted in the report. */
    public SlotStatus slot(String file, String slotName) {
        Map<String, Object> row = rows(file).stream().filter(r -> slotName.equals(r.get("slot_name"))).findFirst()
                .orElseThrow(() -> new AssertionError(file + " shows no slot " + slotName + ": " + rows(file)));
        context.evidence().note("monitoring", file + ": slot " + slotName + " retains " + row.get("retained_wal") + ".");
        return new SlotStatus(slotName, Boolean.TRUE.equals(row.get("active")), String.valueOf(row.get("retained_wal")));
    }

    private List<Map<String, Object>> run(String item, String sql) {
        try (Connection c = pair.masterNode().connect()) {
            List<List<Map<String, Object>>> results = Sql.script(c, sql);
            return results.isEmpty() ? List.of() : results.get(results.size() - 1);
        } catch (SQLException e) {
            throw Deviation.sql(item, e).raise();
        }
    }
}
