package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.procedure.ReplicaProbes;
import io.github.pgreplication.harness.run.Evidence;
import java.sql.SQLException;
import java.time.Duration;

/** What the replica's probes tell about its replication (Étape 2.3's livenessProbe and readinessProbe). */
public class ProbeSteps {

    private final PairWorld world;

    public ProbeSteps(PairWorld world) {
        this.world = world;
    }

    private ReplicaProbes probes() {
        return new ReplicaProbes(world.pair(), world.context());
    }

    @When("the master {master} stops admitting the replication role {replication-role} and ends its replication connections")
    public void refuseReplication(Named master, Named role) throws SQLException {
        probes().refuseReplication(role.name());
    }

    @Then("for {duration} the replica receives no WAL, a row written on the master since stays unread through the Service "
            + "{replica-service}, its readiness and liveness probes exit 0, and where its pod is a cluster's, the pod stays "
            + "Ready and an endpoint of that Service")
    public void probesPassWhileRefused(Duration period, Named service) {
        boolean onCluster = world.pair().backend().runsOnACluster();
        Evidence.Note note = probes().note(period, probes().holdFor(period, service.name(), onCluster));
        world.context().evidence().note(note.step(), note.text());
    }

    @Then("the check that for {duration} the replica receives no WAL through the Service {replica-service} fails, showing "
            + "what it last saw")
    public void holdFailsWhenHealthy(Duration period, Named service) throws SQLException {
        assertThat(probes().holdFailsOnAHealthyPair(period, service.name())).contains("Last seen:", "walsenders 1");
    }
}
