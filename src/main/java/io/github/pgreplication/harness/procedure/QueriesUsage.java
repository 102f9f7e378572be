package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.LoadedResource;
import io.github.pgreplication.harness.guide.ManifestSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The monitoring queries' « Utilisation », as its reader types it: {@code oc exec $MASTER_POD -- psql -U postgres -f
 * /path/to/replication-status.sql}, with {@code MASTER_POD} set by Étape 3.1's own line. The file is read inside the
 * master's pod, where the ConfigMap that holds the query is mounted by no container of the guide (erratum E33).
 */
public final class QueriesUsage {

    /** The errata item of the « Utilisation » line. */
    public static final String ITEM = "guide-text#monitoring-queries/psql-f-path";
    /** The ConfigMap's key the « Utilisation » line reads. */
    public static final String KEY = "replication-status.sql";
    private static final String STEP = "monitoring-queries";
    private static final String FILE_DIR = "PGRH_QUERIES";

    /** The line as run, the line run in its place where E33 reproduced (empty otherwise), and what it printed. */
    public record Usage(ClusterCommands.CommandRun asWritten, ClusterCommands.CommandRun printed) {
    }

    private final GuidePair pair;
    private final RunContext context;

    public QueriesUsage(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
    }

    /** The pod templates of the manifests under test that mount a ConfigMap, as {@code Kind/name} (none: empty). */
    public static List<String> mountedBy(ManifestSet manifests, String configMap) {
        List<String> owners = new ArrayList<>();
        for (LoadedResource r : manifests.resources()) {
            if (mounts(ManifestSet.convert(r.resource(), Map.class), configMap)) {
                owners.add(r.ref());
            }
        }
        return owners;
    }

    /** The ConfigMap holding the monitoring queries, by the pair's name. */
    public String configMap() {
        return pair.names().get(GuideNames.Role.MONITORING_QUERIES);
    }

    /**
     * Runs the line as written. Through the ledger, it must print the replication status; as published psql finds no
     * such file in the master's pod and exits 1 (E33), and the corrected line gives psql the ConfigMap's query on its
     * standard input ({@code oc exec -i … -f - <}), the file saved where the reader's shell runs (the corrected
     * ConfigMap's query, so that E04's correction holds too).
     */
    public Usage run() {
        ClusterCommands commands = new ClusterCommands(pair, context);
        List<String> pods = List.of(commands.masterPodLine());
        context.evidence().executed(ITEM);
        ClusterCommands.CommandRun[] asWritten = new ClusterCommands.CommandRun[1];
        ClusterCommands.CommandRun printed = context.ledger().verbatim(ITEM, () -> {
            ClusterCommands.CommandRun r = only(commands.run(STEP, b -> b.text().contains("psql"), Map.of(), pods,
                    UnaryOperator.identity()));
            asWritten[0] = r;
            if (!r.succeeded()) {
                throw Deviation.exit(ITEM, r.exitCode(), r.output() + "; the ConfigMap " + configMap()
                        + " is mounted by " + describe(mountedBy(pair.model().manifests(), configMap()))).raise();
            }
            return r;
        }, () -> {
            String to = "oc exec -i $MASTER_POD -- psql -U postgres -f - < " + KEY;
            context.ledger().catalog().requireCorrection(ITEM, to);
            GuideModel corrected = pair.manifests().corrected();
            String sql = corrected.manifests().configMapValue(corrected.names().get(GuideNames.Role.MONITORING_QUERIES), KEY);
            List<String> setUp = new ArrayList<>(pods);
            setUp.add(FILE_DIR + "=$(mktemp -d) && trap 'rm -rf \"$" + FILE_DIR + "\"' EXIT && cd \"$" + FILE_DIR + "\"");
            setUp.add("cat > " + KEY + " <<'PGRH_EOF'\n" + sql.strip() + "\nPGRH_EOF");
            context.evidence().adaptation("The monitoring queries' « Utilisation » as corrected (E33): the ConfigMap's "
                    + KEY + " saved in the reader's working directory, as a reader who copied it has it.");
            ClusterCommands.CommandRun r = only(commands.corrected(STEP, b -> b.text().contains("psql"), setUp, line -> to));
            if (!r.succeeded()) {
                throw new AssertionError("the corrected « Utilisation » (`" + to + "`) exited " + r.exitCode() + ": "
                        + r.output());
            }
            return r;
        });
        return new Usage(asWritten[0], printed);
    }

    private static ClusterCommands.CommandRun only(ClusterCommands.SectionRun run) {
        if (run.commands().size() != 1) {
            throw new IllegalStateException("the « Utilisation » block has " + run.commands().size() + " commands, not 1");
        }
        return run.commands().get(0);
    }

    private static String describe(List<String> owners) {
        return owners.isEmpty() ? "no container of the manifests" : String.join(", ", owners);
    }

    private static boolean mounts(Object node, String configMap) {
        if (node instanceof Map<?, ?> map) {
            Object volumes = map.get("volumes");
            if (volumes instanceof List<?> list) {
                for (Object v : list) {
                    if (v instanceof Map<?, ?> volume && volume.get("configMap") instanceof Map<?, ?> cm
                            && configMap.equals(cm.get("name"))) {
                        return true;
                    }
                }
            }
            return map.values().stream().anyMatch(v -> mounts(v, configMap));
        }
        if (node instanceof List<?> list) {
            return list.stream().anyMatch(v -> mounts(v, configMap));
        }
        return false;
    }
}
