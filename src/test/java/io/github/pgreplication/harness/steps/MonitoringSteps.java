package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.guide.GuideNames.Role;
import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.monitoring.AlertRules;
import io.github.pgreplication.harness.monitoring.CronJobCheck;
import io.github.pgreplication.harness.monitoring.CronJobRights;
import io.github.pgreplication.harness.monitoring.ExporterCheck;
import io.github.pgreplication.harness.monitoring.MonitoringQueries;
import io.github.pgreplication.harness.monitoring.Promtool;
import io.github.pgreplication.harness.procedure.QueriesUsage;
import io.github.pgreplication.harness.run.HostTool;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import org.opentest4j.TestAbortedException;

/** « Monitoring et maintenance »: the queries, the CronJob, the PrometheusRule with promtool and the exporter. */
public class MonitoringSteps {

    private final PairWorld world;
    private final MonitoringWorld monitoring;

    public MonitoringSteps(PairWorld world, MonitoringWorld monitoring) {
        this.world = world;
        this.monitoring = monitoring;
    }

    @When("the queries of the ConfigMap {monitoring-queries} run on the master")
    public void runQueries(Named configMap) {
        monitoring.queries = new MonitoringQueries(world.pair(), world.context());
        monitoring.queries.runAll();
    }

    @Then("the ConfigMap {monitoring-queries} is mounted by no container of the manifests under test")
    public void queriesMountedNowhere(Named configMap) {
        assertThat(QueriesUsage.mountedBy(world.pair().model().manifests(), configMap.name())).isEmpty();
    }

    @When("its « Utilisation » line runs as written in a shell, MASTER_POD set by the guide's own line")
    public void usageAsTyped() {
        monitoring.usage = new QueriesUsage(world.pair(), world.context()).run();
    }

    @Then("what it printed shows the replica streaming")
    public void usagePrinted() {
        assertThat(monitoring.usage.printed().output()).as(monitoring.usage.toString()).contains("| streaming ");
    }

    @Then("{string} shows the replica streaming with lag_mb below {int}")
    public void replicationStatus(String file, int maxMb) {
        MonitoringQueries.ReplicationStatus status = monitoring.queries.replicationStatus(file);
        assertThat(status.state()).isEqualTo("streaming");
        assertThat(status.lagMb()).isLessThan(maxMb);
    }

    @Then("{string} shows the slot {slot} active, with the WAL it retains")
    public void slots(String file, Named slot) {
        MonitoringQueries.SlotStatus status = monitoring.queries.slot(file, slot.name());
        assertThat(status.active()).isTrue();
        assertThat(status.retainedWal()).matches("\\d+ (bytes|kB|MB|GB)");
    }

    @Then("{string} lists the database {string} with its size")
    public void databaseSize(String file, String database) {
        assertThat(monitoring.queries.rows(file)).anySatisfy(r -> {
            assertThat(r).containsEntry("datname", database);
            assertThat(r.get("size")).asString().matches("\\d+ (bytes|kB|MB|GB)");
        });
    }

    @Then("{string} counts at least {int} connection(s)")
    public void connections(String file, int min) {
        assertThat(((Number) monitoring.queries.single(file).get("total_connections")).longValue()).isGreaterThanOrEqualTo(min);
    }

    @Then("the ServiceAccount and the rights the CronJob {monitoring-cronjob} needs are in the manifests")
    public void cronJobPrerequisites(Named cronJob) throws SQLException {
        world.shared();
        new CronJobCheck(world.pair(), world.context()).prerequisitesOrCorrection();
    }

    @Then("the cluster admits the Job of the CronJob {monitoring-cronjob}, made from its template, and runs it to a verdict")
    public void cronJobAdmitted(Named cronJob) throws SQLException {
        world.shared();
        new CronJobCheck(world.pair(), world.context()).admittedOnTheCluster();
    }

    @Given("the run's credentials hold the edit role in their namespace, and not admin's")
    public void editTenant() throws SQLException {
        world.shared();
        if (!new CronJobRights(world.pair(), world.context()).editAndNoMore()) {
            throw new TestAbortedException("this scenario holds where the run's credentials hold edit and no more in their "
                    + "namespace (a tenant: harness.kube.namespace, k8s/offline/tenant.sh edit): not run, and not passed");
        }
    }

    @Then("the CronJob's ServiceAccount, a Role with what its commands need and the RoleBinding are admitted for those credentials")
    public void cronJobRightsAdmitted() {
        new CronJobRights(world.pair(), world.context()).createdByTheTenant();
    }

    @When("the CronJob {monitoring-cronjob} runs once as a Job")
    public void cronJobRuns(Named cronJob) {
        monitoring.cronJob = new CronJobCheck(world.pair(), world.context()).runOnce();
    }

    @Then("its verdict is {string}")
    public void verdict(String expected) {
        assertThat(monitoring.cronJob.jobVerdict()).as("the verdict the CronJob's container printed").isEqualTo(expected);
        assertThat(monitoring.cronJob.queryVerdict()).as("the verdict of its status query on the master").isEqualTo(expected);
    }

    @Then("promtool accepts the rules of the PrometheusRule {rule}")
    public void promtoolCheck(Named rule) {
        HostTool.Result r = new Promtool().checkRules(AlertRules.of(world.run().model().manifests(), rule.name()));
        world.context().evidence().executed("prometheusrule/" + rule.guideName() + "#promtool-check");
        assertThat(r.succeeded()).as("promtool check rules:\n" + r.output()).isTrue();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Then("promtool's unit tests {string} pass on the rules")
    public void promtoolTest(String testFile) {
        HostTool.Result r = new Promtool().testRules(alerts(), world.run().settings().projectDir().resolve(testFile));
        world.context().evidence().executed("prometheusrule/" + world.run().guideNames().get(Role.ALERTS) + "#promtool-test");
        assertThat(r.succeeded()).as("promtool test rules:\n" + r.output()).isTrue();
    }

    @Then("promtool's unit tests {string} fail on the rules with {string} changed to {string}")
    public void promtoolTestFails(String testFile, String from, String to) {
        AlertRules changed = alerts().withExprReplaced(from, to);
        HostTool.Result r = new Promtool().testRules(changed, world.run().settings().projectDir().resolve(testFile));
        assertThat(r.succeeded()).as("promtool test rules should fail:\n" + r.output()).isFalse();
        assertThat(r.output()).contains("FAILED");
    }

    @Then("promtool rejects the rules with {string} changed to {string}")
    public void promtoolCheckFails(String from, String to) {
        AlertRules changed = alerts().withExprReplaced(from, to);
        HostTool.Result r = new Promtool().checkRules(changed);
        assertThat(r.succeeded()).as("promtool check rules should fail:\n" + r.output()).isFalse();
    }

    @When("prometheus-postgres-exporter scrapes the master and the replica")
    public void exporterStarts() {
        monitoring.exporter = world.companion(new ExporterCheck(world.pair(), world.context()));
        monitoring.missing = monitoring.exporter.start();
    }

    @Then("every metric the alerts of {alerts} use is exported")
    public void everyMetricExported(Named rule) {
        assertThat(monitoring.missing).as("metrics the alerts read that are not exported").isEmpty();
    }

    @Then("on the master {string} is {int} and {string} is {int}")
    public void masterMetrics(String m1, int v1, String m2, int v2) {
        assertThat(monitoring.exporter.onMaster(m1)).as(m1).hasValue(v1);
        assertThat(monitoring.exporter.onMaster(m2)).as(m2).hasValue(v2);
    }

    @Then("within {duration} the master's {string} is {int} and {string} is {int}")
    public void masterMetricsWithin(Duration within, String m1, int v1, String m2, int v2) {
        monitoring.exporter.awaitOnMaster(within, m1, v1, m2, v2);
    }

    /** The alerts of the manifests under test (the guide's PrometheusRule, whatever its name there). */
    private AlertRules alerts() {
        return AlertRules.of(world.run().model().manifests(), world.run().model().names().get(Role.ALERTS));
    }

    /** What the monitoring steps of one scenario saw. */
    public static class MonitoringWorld {
        MonitoringQueries queries;
        QueriesUsage.Usage usage;
        CronJobCheck.Run cronJob;
        ExporterCheck exporter;
        Set<String> missing;
    }
}
