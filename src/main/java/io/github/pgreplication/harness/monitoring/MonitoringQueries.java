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
 * « Utilisation » does ({@code psql -U postgres -f}), verbatim first, then corrected where an erratum says so.
 */
public final class MonitoringQueries {

    private final GuidePair pair;
    private final RunContext context;

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
        return out;
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
