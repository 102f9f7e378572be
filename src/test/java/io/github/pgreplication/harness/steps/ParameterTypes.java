package io.github.pgreplication.harness.steps;

import io.cucumber.java.ParameterType;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.guide.GuideNames.Role;
import java.time.Duration;

/**
 * The words of the features that name things, turned into what they name. A quoted name is looked up in the
 * manifests under test (and the guide's own names, which the features use): an unknown name fails the step,
 * listing what exists. A name of a role ({@code {master}}, {@code {replica-service}}, ...) must also name the thing
 * of that role: the replica's pod where the step says the master fails the step, saying what it names instead. Once the
 * scenario has its pair, a name is the pair's (in the one namespace a tenant was given, the pair's names are suffixed). A
 * name of a kind only ({@code {pod}}, {@code {service}}, ...) is for a step that accepts either role. Durations and
 * counts become values the assertions use.
 */
public class ParameterTypes {

    private static final String QUOTED = "\"([^\"]*)\"";

    private final PairWorld world;

    public ParameterTypes(PairWorld world) {
        this.world = world;
    }

    @ParameterType(name = "pod", value = QUOTED)
    public Named pod(String name) {
        return resolve("pod", name);
    }

    @ParameterType(name = "service", value = QUOTED)
    public Named service(String name) {
        return resolve("Service", name);
    }

    @ParameterType(name = "secret", value = QUOTED)
    public Named secret(String name) {
        return resolve("Secret", name);
    }

    @ParameterType(name = "slot", value = QUOTED)
    public Named slot(String name) {
        return resolve("slot", name);
    }

    @ParameterType(name = "sqlrole", value = QUOTED)
    public Named sqlRole(String name) {
        return resolve("role", name);
    }

    @ParameterType(name = "configmap", value = QUOTED)
    public Named configMap(String name) {
        return resolve("ConfigMap", name);
    }

    @ParameterType(name = "cronjob", value = QUOTED)
    public Named cronJob(String name) {
        return resolve("CronJob", name);
    }

    @ParameterType(name = "rule", value = QUOTED)
    public Named prometheusRule(String name) {
        return resolve("PrometheusRule", name);
    }

    @ParameterType(name = "claim", value = QUOTED)
    public Named claim(String name) {
        return resolve("PVC", name);
    }

    @ParameterType(name = "container", value = QUOTED)
    public Named container(String name) {
        return resolve("container", name);
    }

    @ParameterType(name = "master", value = QUOTED)
    public Named master(String name) {
        return resolve(Role.MASTER_POD, name);
    }

    @ParameterType(name = "replica", value = QUOTED)
    public Named replica(String name) {
        return resolve(Role.REPLICA_POD, name);
    }

    @ParameterType(name = "master-service", value = QUOTED)
    public Named masterService(String name) {
        return resolve(Role.MASTER_SERVICE, name);
    }

    @ParameterType(name = "replica-service", value = QUOTED)
    public Named replicaService(String name) {
        return resolve(Role.REPLICA_SERVICE, name);
    }

    @ParameterType(name = "init-container", value = QUOTED)
    public Named initContainer(String name) {
        return resolve(Role.INIT_CONTAINER, name);
    }

    @ParameterType(name = "replica-claim", value = QUOTED)
    public Named replicaClaim(String name) {
        return resolve(Role.REPLICA_CLAIM, name);
    }

    @ParameterType(name = "replication-role", value = QUOTED)
    public Named replicationRole(String name) {
        return resolve(Role.REPLICATION_ROLE, name);
    }

    @ParameterType(name = "monitoring-queries", value = QUOTED)
    public Named monitoringQueries(String name) {
        return resolve(Role.MONITORING_QUERIES, name);
    }

    @ParameterType(name = "monitoring-cronjob", value = QUOTED)
    public Named monitoringCronJob(String name) {
        return resolve(Role.MONITORING_CRONJOB, name);
    }

    @ParameterType(name = "alerts", value = QUOTED)
    public Named alerts(String name) {
        return resolve(Role.ALERTS, name);
    }

    @ParameterType(name = "admin-secret", value = QUOTED)
    public Named adminSecret(String name) {
        return resolve(Role.ADMIN_SECRET, name);
    }

    @ParameterType(name = "replication-secret", value = QUOTED)
    public Named replicationSecret(String name) {
        return resolve(Role.REPLICATION_SECRET, name);
    }

    @ParameterType(name = "replication-slot", value = QUOTED)
    public Named replicationSlot(String name) {
        return resolve(Role.SLOT, name);
    }

    /** {@code 5 seconds}, {@code 1 second}, {@code 1000 ms}, {@code 2 minutes}. */
    @ParameterType(name = "duration", value = "(\\d+) (ms|seconds?|minutes?)")
    public Duration duration(String amount, String unit) {
        long n = Long.parseLong(amount);
        return unit.equals("ms") ? Duration.ofMillis(n) : unit.startsWith("second") ? Duration.ofSeconds(n)
                : Duration.ofMinutes(n);
    }

    /** A count as the guide writes it: {@code 10,000} or {@code 10000}. */
    @ParameterType(name = "count", value = "(\\d{1,3}(?:,\\d{3})+|\\d+)")
    public long count(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    /** A name of the features that must name the thing of {@code role}: its kind resolved, then its role checked. */
    private Named resolve(Role role, String name) {
        return resolve(role.kind(), name).as(role);
    }

    private Named resolve(String kind, String name) {
        return world.names().resolve(kind, name, RunHolder.current().guideNames());
    }
}
