package io.github.pgreplication.harness.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.guide.ManifestSet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

    @Test
    void theGuidesAlertsReadThreeMetrics() {
        AlertRules rules = AlertRules.of(ManifestSet.load(Path.of("manifests/published")), "postgresql-replication-alerts");
        assertThat(rules.alerts()).hasSize(3);
        assertThat(rules.metricNames()).containsExactly("pg_replication_connected", "pg_replication_lag_seconds",
                "pg_replication_slot_active");
        assertThat(rules.ruleFile()).startsWith("---\ngroups:").contains("PostgreSQLReplicationLagHigh");
    }

    @Test
    void metricNamesSkipFunctionsKeywordsLabelsAndDurations() {
        assertThat(AlertRules.metricNames(
                "sum by (instance) (rate(pg_stat_x_total{job=\"pg\"}[5m])) > 3 and on(instance) up == 1 unless absent(pg_up)"))
                .containsExactly("pg_stat_x_total", "pg_up", "up");
    }

    @Test
    void aChangedCopyLeavesTheOriginalAlone() {
        AlertRules rules = AlertRules.of(ManifestSet.load(Path.of("manifests/published")), "postgresql-replication-alerts");
        AlertRules changed = rules.withExprReplaced("> 30", "> 300");
        assertThat(changed.ruleFile()).contains("> 300");
        assertThat(rules.ruleFile()).doesNotContain("> 300");
    }
}
