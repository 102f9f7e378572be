package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.GuideQuery;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The master's replication role and slot after Étape 1.5: whether {@code init-master.sh} ran (Étape 1.6's first check),
 * the correction when it did not, and Étape 1.6's three checks as they were right after Phase 1.
 */
final class MasterInit {

    private MasterInit() {
    }

    /**
     * Étape 1.6's first check decides whether Phase 1 worked: the {@code replicator} role. The official image
     * runs /docker-entrypoint-initdb.d only on an empty data directory, so on the existing master it never runs.
     */
    static void ensureReplicationRole(GuidePair pair, ErrataLedger ledger, GuideDocument guide, String initScriptPath) {
        GuideQuery roleCheck = guide.query("1.6", "FROM pg_roles");
        ledger.verbatim("procedure#1.5/init-master-runs", () -> {
            List<Map<String, Object>> rows = pair.runOnMaster(roleCheck);
            if (rows.isEmpty()) {
                throw Deviation.result("procedure#1.5/init-master-runs", "`replicator | t` (Étape 1.6, check 1)",
                        "no row").raise();
            }
            return null;
        }, () -> {
            runInitScriptByHand(pair, ledger, initScriptPath);
            return null;
        });
    }

    /** The correction: run the mounted init script in the master pod, as `oc exec $POD_NAME -- <script>` would. */
    private static void runInitScriptByHand(GuidePair pair, ErrataLedger ledger, String initScriptPath) {
        String item = pair.manifests().configMapItem(GuideNames.Role.MASTER_INIT, "init-master.sh");
        ledger.verbatim(item, () -> {
            ContainerResult r = pair.backend().exec(pair.master(), List.of(initScriptPath), Map.of(), GuidePair.SCRIPT);
            if (!r.succeeded()) {
                throw Deviation.exit(item, r.exitCode(), r.tail(10)).raise();
            }
            return r;
        }, () -> {
            GuideModel corrected = pair.manifests().corrected();
            String script = corrected.manifests().configMapValue(corrected.names().get(GuideNames.Role.MASTER_INIT),
                    "init-master.sh");
            ContainerResult r = pair.backend().exec(pair.master(), List.of("/bin/bash", "-c", script, "init-master.sh"),
                    Map.of(), GuidePair.SCRIPT);
            if (!r.succeeded()) {
                throw new AssertionError("the corrected init-master.sh failed too (exit " + r.exitCode() + "):\n" + r.tail(20));
            }
            return r;
        });
    }

    /** Étape 1.6's three checks, kept as they were at this point of the guide (before any replica exists). */
    static final class Step16 {
        private final Map<Integer, Object> results = new HashMap<>();

        /** The guide's « Vérifications obligatoires », by the number it gives them, each found by what it queries. */
        private static final List<String> CHECKS = List.of("FROM pg_roles", "FROM pg_replication_slots", "SHOW wal_level");

        /** Étape 1.6's check {@code number} (1 to 3, as the guide numbers them). */
        static GuideQuery query(GuideDocument guide, int number) {
            if (number < 1 || number > CHECKS.size()) {
                throw new IllegalArgumentException("Étape 1.6 has checks 1 to " + CHECKS.size() + ", not " + number);
            }
            return guide.query("1.6", CHECKS.get(number - 1));
        }

        static Step16 record(GuidePair pair, GuideDocument guide) {
            Step16 s = new Step16();
            for (int i = 1; i <= CHECKS.size(); i++) {
                GuideQuery q = query(guide, i);
                try {
                    s.results.put(i, pair.run(q, false));
                } catch (Deviation.Exception d) {
                    s.results.put(i, d);
                }
            }
            return s;
        }

        /** The results of query {@code index}, or the deviation it raised, thrown again. */
        List<List<Map<String, Object>>> results(int index) {
            Object r = results.get(index);
            if (r instanceof Deviation.Exception d) {
                throw d;
            }
            @SuppressWarnings("unchecked")
            List<List<Map<String, Object>>> rows = (List<List<Map<String, Object>>>) r;
            return rows;
        }
    }
}
