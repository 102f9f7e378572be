package io.github.pgreplication.harness.monitoring;

import io.github.pgreplication.harness.guide.GuideNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.ManifestSet;
import io.github.pgreplication.harness.procedure.GuidePair;
import io.github.pgreplication.harness.procedure.RunContext;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * The PrometheusRule against what is really exported: prometheus-postgres-exporter scrapes the live master
 * and replica (with the query file of ConfigMap {@code postgresql-exporter-queries} when the manifests have
 * one), and every metric the alerts read must be among the exported names.
 */
public final class ExporterCheck implements AutoCloseable {

    static final String QUERIES_KEY = "queries.yaml";
    private final GuidePair pair;
    private final RunContext context;
    private PostgresExporter onMaster;
    private PostgresExporter onReplica;
    private Endpoint master;

    public ExporterCheck(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /**
     * Starts the exporter the manifests under test describe; on erratum E07, the corrected one. Returns the missing
     * names; the exporter's version goes in the report.
     */
    public Set<String> start() {
        String item = "prometheusrule/" + pair.manifests().guideNames().get(GuideNames.Role.ALERTS) + "#exported-metrics";
        context.evidence().executed(item);
        master = pair.backend().service(pair.model().masterServiceName());
        Set<String> notExported = context.ledger().verbatim(item, () -> {
            Set<String> missing = startWith(pair.model().manifests());
            if (!missing.isEmpty()) {
                throw Deviation.result(item, "every metric exported", "not exported: " + String.join(", ", missing)).raise();
            }
            return missing;
        }, () -> {
            close();
            Set<String> missing = startWith(pair.manifests().corrected().manifests());
            if (!missing.isEmpty()) {
                throw new AssertionError("with the corrected manifests, still not exported: " + missing);
            }
            return missing;
        });
        context.evidence().note("monitoring-alerts", "Exporter: " + exporterVersion() + ".");
        return notExported;
    }

    private Set<String> startWith(ManifestSet set) {
        // The exporter's own query file: the ConfigMap with a queries.yaml, whatever its name.
        Optional<String> queries = set.ofKind("ConfigMap").stream().map(r -> (ConfigMap) r.resource())
                .filter(cm -> cm.getData() != null && cm.getData().containsKey(QUERIES_KEY))
                .map(cm -> cm.getData().get(QUERIES_KEY)).findFirst();
        Endpoint replica = pair.backend().service(pair.manifests().replicaService().getMetadata().getName());
        onMaster = PostgresExporter.start(master, "postgres", pair.adminPassword(), queries, context.waits());
        onReplica = PostgresExporter.start(replica, "postgres", pair.adminPassword(), queries, context.waits());
        Set<String> missing = new TreeSet<>(AlertRules.of(set, set.requireSingle("PrometheusRule", "the replication alerts").name()).metricNames());
        missing.removeAll(onMaster.names());
        missing.removeAll(onReplica.names());
        return missing;
    }

    public String exporterVersion() {
        return onMaster.version();
    }

    /** The value of a metric as the master's exporter reports it, if exported. */
    public OptionalDouble onMaster(String metric) {
        return onMaster.scrape().stream().filter(s -> s.name().equals(metric))
                .mapToDouble(PostgresExporter.Sample::value).findFirst();
    }

    /** Waits until the master's exporter shows {@code m1} = {@code v1} and {@code m2} = {@code v2}; an error after {@code within}. */
    public void awaitOnMaster(Duration within, String m1, int v1, String m2, int v2) {
        context.waits().until("the exporter shows " + m1 + " = " + v1 + " and " + m2 + " = " + v2, within,
                Duration.ofMillis(100), () -> onMaster(m1).equals(OptionalDouble.of(v1)) && onMaster(m2).equals(OptionalDouble.of(v2)),
                () -> m1 + " = " + onMaster(m1) + ", " + m2 + " = " + onMaster(m2));
    }

    @Override
    public void close() {
        for (PostgresExporter e : new PostgresExporter[] {onMaster, onReplica}) {
            if (e != null) {
                e.close();
            }
        }
        onMaster = null;
        onReplica = null;
    }
}
