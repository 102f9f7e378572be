package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.guide.GuideNames.Role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.procedure.BackgroundWriter;
import io.github.pgreplication.harness.procedure.ReplicaDeployment;
import io.github.pgreplication.harness.procedure.Rollbacks;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/** « Procédure de rollback ». */
public class RollbackSteps {

    private final PairWorld world;
    private BackgroundWriter writer;
    private BackgroundWriter.Stats writes;
    private Rollbacks.SlaveRollback slaveRollback;
    private Rollbacks.TypedSlaveRollback typedRollback;

    public RollbackSteps(PairWorld world) {
        this.world = world;
    }

    private Rollbacks rollbacks() {
        return new Rollbacks(world.pair(), world.context());
    }

    @Given("an application writes a row on the master every {int} ms")
    public void applicationWrites(int ms) throws SQLException {
        writer = world.companion(BackgroundWriter.start(world.pair(), Duration.ofMillis(ms)));
    }

    @When("the replica is rolled back as the guide says: deployment, service, PVC, then the slot")
    public void rollbackSlave() throws SQLException {
        Rollbacks.SlaveRollbackUnderWrites outcome = rollbacks().rollbackSlave(writer);
        slaveRollback = outcome.rollback();
        writes = outcome.writes();
    }

    @Then("no write of the application failed during the rollback and every row it wrote is on the master")
    public void noWriteFailed() throws SQLException {
        assertThat(writes.failures()).as("failed writes").isEmpty();
        assertThat(writes.succeeded()).as("writes during the rollback").isPositive();
        assertThat(writer.rowsOnMaster()).isEqualTo(writes.succeeded());
    }

    @Then("the check that no write of the application failed fails, naming the SQLSTATE of the lost writes")
    public void noFailedWriteCheckFails() {
        writes = writer.stop();
        // Class 57 (57P01 terminated by the shutdown, 57P03 shutting down) or class 08 (no connection while down).
        assertThatThrownBy(this::noWriteFailed).isInstanceOf(AssertionError.class)
                .hasMessageMatching("(?s).*SQLSTATE (08\\w{3}|57P0\\d).*");
    }

    @Then("the existing data is unchanged")
    public void dataUnchanged() throws SQLException {
        assertThat(world.pair().currentDataChecksum()).isEqualTo(world.pair().existingDataChecksum());
    }

    @Then("the slot {slot} is gone and the WAL it retained is released at the next checkpoint")
    public void slotGone(Named slot) throws SQLException {
        assertThat(world.pair().masterNode().slot(slot.name())).isEmpty();
        assertThat(slaveRollback.walBytesAfterCheckpoint()).isLessThanOrEqualTo(slaveRollback.walBytesBeforeCheckpoint());
    }

    @Then("the guide's slot drop fails with SQLSTATE {word} while the replica {replica} is streaming")
    public void dropWhileStreaming(String sqlstate, Named replica) {
        world.checks().streaming();
        assertThatThrownBy(() -> rollbacks().dropSlotNow()).isInstanceOfSatisfying(Deviation.Exception.class,
                d -> assertThat(d.deviation().sqlstate()).isEqualTo(sqlstate));
    }

    @When("the master is rolled back to the DeploymentConfig saved in Étape 1.1")
    public void rollbackMaster() {
        rollbacks().rollbackMaster();
    }

    @Then("the master runs with exactly the settings it had before the guide")
    public void settingsRestored() throws SQLException {
        Map<String, String> changed = rollbacks().settingsChangedSinceBeforeGuide();
        if (!changed.isEmpty()) {
            throw new AssertionError("the master's settings differ from those before the guide: " + changed);
        }
    }

    @Then("the check that the master runs with its settings from before the guide fails, naming {string}")
    public void settingsCheckFails(String setting) {
        assertThatThrownBy(this::settingsRestored).isInstanceOf(AssertionError.class).hasMessageContaining(setting);
    }

    @Then("the ConfigMaps the guide created are reported as no longer used")
    public void configMapsUnused() {
        assertThat(rollbacks().configMapsNoLongerUsed()).containsExactlyInAnyOrder(world.pair().names().get(Role.MASTER_CONFIG),
                world.pair().names().get(Role.MASTER_INIT));
    }

    @Then("the replication slot and the role are gone once the slave is rolled back too")
    public void slotAndRoleGone() {
        rollbacks().slotAndRoleGone();
    }

    @When("the replica's Deployment {replica} stands in the pair's project, oc get naming it and its one pod: on a cluster run by the cluster's own controller in place of the harness's pod, elsewhere the harness's pod of its template standing for it")
    public void replicaAsItsDeployment(Named replica) {
        var standing = new ReplicaDeployment(world.pair(), world.context()).standInThePairsProject();
        assertThat(standing.deployment()).isEqualTo("deployment.apps/" + standing.name());
        assertThat(standing.pods()).as("the pods of the Deployment's selector").singleElement().asString().startsWith("pod/");
    }

    @When("the guide's « Rollback du Slave » block runs as written in the pair's project, MASTER_POD set by its own line")
    public void rollbackSlaveTyped() {
        typedRollback = rollbacks().rollbackSlaveAsTyped();
    }

    @Then("each of its commands exited 0")
    public void typedRollbackExits() {
        assertThat(typedRollback.run().commands()).allMatch(c -> c.succeeded(), typedRollback.run().commands().toString());
    }

    @Then("oc get lists no Deployment, Service, claim or pod of the replica, and the master has no slot {slot}")
    public void nothingLeftOfTheReplica(Named slot) {
        Rollbacks.requireNothingLeft(typedRollback, slot.name());
    }

    @When("the guide's « Rollback du Slave » block runs in the pair's project without its oc delete pvc line, MASTER_POD set by its own line")
    public void rollbackSlaveTypedWithoutClaimDeletion() {
        typedRollback = rollbacks().rollbackSlaveAsTypedWithout("oc delete pvc");
    }

    @Then("the check that oc get lists nothing of the replica fails, naming its claim {replica-claim}")
    public void nothingLeftFails(Named claim) {
        // Only the claim is certain: on a cluster the block's `oc delete pvc` is what waits for the replica's pod to go
        // (the claim's pvc-protection finalizer); without it the slot's line may run while the pod still streams, and
        // the slot stays too (seen in CI's restricted profile). Off a cluster the pod is gone at once and the slot dropped.
        assertThatThrownBy(() -> Rollbacks.requireNothingLeft(typedRollback, world.pair().names().slot()))
                .hasMessageContaining("persistentvolumeclaim/" + claim.name());
    }
}
