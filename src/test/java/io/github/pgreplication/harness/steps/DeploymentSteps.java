package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.guide.VolumeKind;
import io.github.pgreplication.harness.procedure.ClaimFilesystem;
import io.github.pgreplication.harness.procedure.ReplicaRestart;
import java.sql.SQLException;
import java.time.Duration;

/** Standing pairs up, and what Phases 1 and 2 left behind. */
public class DeploymentSteps {

    private final PairWorld world;

    public DeploymentSteps(PairWorld world) {
        this.world = world;
    }

    @Given("the guide has been applied to the existing master {master} and the replica {replica}")
    public void guideApplied(Named master, Named replica) throws SQLException {
        world.shared();
    }

    @Given("a disposable pair deployed from the manifests under test")
    public void disposablePair() throws SQLException {
        world.disposable(world.scenarioName); // a pair of its own: it breaks it, or takes it apart
    }

    @Given("a master {master} that already holds data, as before the guide")
    public void existingMasterOnly(Named master) throws SQLException {
        world.bareMaster("Étape 1.5 as published");
    }

    @When("only Étape 1.5 is applied to it, as published")
    public void onlyStep15() {
        world.pair().rolloutMasterOnly();
    }

    @Then("the pg_dumpall backup of the master {master} was taken and is not empty")
    public void backupTaken(Named master) {
        assertThat(world.pair().backupSize()).as("bytes of pg_dumpall's output (Étape 1.1)").isGreaterThan(1000);
    }

    @Then("the master {master} still holds all its existing data")
    public void dataIntact(Named master) throws SQLException {
        assertThat(world.pair().currentDataChecksum()).isEqualTo(world.pair().existingDataChecksum());
    }

    @Then("the init container {init-container} of {replica} exited {int}")
    public void initContainerExited(Named container, Named deployment, int exit) {
        assertThat(world.pair().setupSlaveRun().exitCode()).as(world.pair().setupSlaveRun().tail(20)).isEqualTo(exit);
    }

    @Then("its output shows pg_basebackup completing the base backup")
    public void basebackupCompleted() {
        assertThat(world.pair().setupSlaveRun().output()).contains("pg_basebackup: base backup completed",
                "Configuration du slave terminée avec succès");
    }

    @Then("its output contains no password")
    public void noPasswordInOutput() {
        assertThat(world.pair().setupSlaveRun().output()).doesNotContain(world.pair().adminPassword(),
                world.pair().master().plan().env().get("REPLICATION_PASSWORD"));
    }

    @Given("the pair's claims are provisioned volumes, each a filesystem of its own")
    public void claimsProvisioned() {
        world.requireClaims(VolumeKind.PROVISIONED);
    }

    @Then("the replica's claim {replica-claim} is a filesystem of its own, its root holding lost+found")
    public void replicaClaimIsAFilesystem(Named claim) {
        assertThat(world.pair().replicaClaim()).as("the replica's claim, read in its pod").extracting(ClaimFilesystem::kind,
                c -> c.root().contains("lost+found")).containsExactly(VolumeKind.PROVISIONED, true);
    }

    @Then("the replica's PGDATA is a subdirectory of that claim")
    public void replicaDataInASubdirectory() {
        ClaimFilesystem claim = world.pair().replicaClaim();
        String pgdata = world.pair().replica().plan().env().get("PGDATA");
        assertThat(pgdata).as("PGDATA under the claim's mount %s", claim.mountPath()).startsWith(claim.mountPath() + "/");
        assertThat(claim.root()).as("the claim's root").contains(pgdata.substring(claim.mountPath().length() + 1));
    }

    @Then("the replica {replica} is in recovery")
    public void replicaInRecovery(Named replica) throws SQLException {
        assertThat(world.pair().replicaNode().inRecovery()).isTrue();
    }

    @Then("the Service {service} selects the replica's pod")
    public void serviceSelectsReplica(Named service) {
        assertThat(world.pair().backend().service(service.name())).isEqualTo(world.pair().replica().endpoint());
    }

    @When("the master's pod is stopped and the replica's pod is recreated on its claim, its init container given {duration}")
    public void replicaRestartsWithoutItsMaster(Duration initTimeout) {
        new ReplicaRestart(world.pair(), world.context()).whileTheMasterIsDown(initTimeout);
    }

    @Then("the replica {replica} answers read-only queries, in recovery, with the existing data it had")
    public void replicaAnswersAlone(Named replica) throws SQLException {
        assertThat(world.pair().replicaNode().inRecovery()).as("the replica in recovery").isTrue();
        assertThat(new ReplicaRestart(world.pair(), world.context()).replicaDataChecksum())
                .isEqualTo(world.pair().existingDataChecksum());
    }
}
