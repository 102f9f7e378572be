package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.GuideQuery;
import io.github.pgreplication.harness.node.PgNode;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Evidence;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The guide's SQL run verbatim on a node, as {@code psql -c} or a heredoc runs it: every statement in order, with the
 * slot's and the replication role's names as the manifests under test spell them (an adaptation the report lists),
 * and a failure as a deviation carrying its SQLSTATE, for the errata ledger to judge.
 */
final class GuideSql {

    private GuideSql() {
    }

    /** Runs {@code q}; what it did goes to {@code ran} (the pair's {@link GuidePair#ran}). */
    static List<List<Map<String, Object>>> run(GuideQuery q, PgNode node, PairManifests manifests, Evidence evidence,
                                               Ran ran) {
        evidence.executed(q.item());
        try (Connection c = node.connect()) {
            List<List<Map<String, Object>>> results = Sql.script(c, adapt(q, manifests, evidence));
            ran.ran(q.item(), "no error", true, Evidence.table(results));
            return results;
        } catch (SQLException e) {
            ran.ran(q.item(), "SQLSTATE " + e.getSQLState(), false, e.getMessage());
            throw Deviation.sql(q.item(), e).raise();
        }
    }

    static String adapt(GuideQuery q, PairManifests manifests, Evidence evidence) {
        String sql = manifests.names().adaptSql(q.sql(), manifests.guideNames());
        if (!sql.equals(q.sql())) {
            evidence.adaptation("The guide's SQL names the slot and the replication role as the manifests under test do: "
                    + String.join("; ", manifests.names().renamedFrom(manifests.guideNames())));
        }
        return sql;
    }

    /** Where what a part of the guide did is recorded. */
    @FunctionalInterface
    interface Ran {
        void ran(String item, String status, boolean succeeded, String output);
    }
}
