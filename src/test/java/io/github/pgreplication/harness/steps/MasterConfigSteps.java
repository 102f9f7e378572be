package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.procedure.TypedMasterConfig;
import io.github.pgreplication.harness.procedure.TypedMasterConfig.SavedFile;
import java.sql.SQLException;
import java.util.List;
import org.opentest4j.TestAbortedException;

/** The master's DeploymentConfig, where the cluster runs it: Étape 1.1's whole block and « Rollback du Master », typed. */
public class MasterConfigSteps {

    /** Why the scenario is not run where the cluster serves no DeploymentConfig. */
    static final String NO_DEPLOYMENT_CONFIGS = "the cluster serves no DeploymentConfig (apps.openshift.io): the guide's "
            + "dc/ lines cannot act on the master here, so this scenario is not run, and not passed";

    private final PairWorld world;
    private TypedMasterConfig typed;
    private TypedMasterConfig.Backups backups;
    private TypedMasterConfig.Rollback rollback;

    public MasterConfigSteps(PairWorld world) {
        this.world = world;
    }

    @Given("a master {master} that already holds data, as before the guide, run by its DeploymentConfig on the cluster")
    public void masterAsConfig(Named master) throws SQLException {
        if (!world.bareMaster(world.scenarioName).masterRunsAsDeploymentConfig()) {
            throw new TestAbortedException(NO_DEPLOYMENT_CONFIGS);
        }
        typed = world.companion(new TypedMasterConfig(world.pair(), world.context()));
    }

    @When("Étape 1.1's block runs as written in a shell, POD_NAME set by the reconnaissance's own line, its files kept for the rollback")
    public void backUp() {
        backups = typed.backUp();
    }

    @Then("each of its oc get lines exited 0 and saved what its file's name says: the DeploymentConfig {master}, the Service {master-service}, the master's claim, the project's ConfigMaps and its Secrets, {secret} among them")
    public void savedFiles(Named config, Named service, Named secret) {
        assertThat(backups.files()).as(backups.run().toString()).allMatch(f -> f.exitCode() == 0).hasSize(5);
        assertThat(backups.files()).extracting(SavedFile::objects).startsWith(List.of("DeploymentConfig/" + config.name()),
                List.of("Service/" + service.name()), List.of("PersistentVolumeClaim/" + typed.masterClaim()));
        assertThat(backups.files().get(3).objects()).as(backups.files().get(3).file()).isNotEmpty().allMatch(o -> o.startsWith("ConfigMap/"));
        assertThat(backups.files().get(4).objects()).as(backups.files().get(4).file()).allMatch(o -> o.startsWith("Secret/"))
                .contains("Secret/" + secret.name());
    }

    @Then("its backup-database.sql is a whole pg_dumpall holding every row of the master's table {word}")
    public void databaseSaved(String table) {
        TypedCheckSteps.assertWholeDump(backups.database(), table, world);
    }

    @When("Phase 1 is applied to that master")
    public void phase1() throws SQLException {
        world.pair().applyPhase1();
    }

    @When("« Rollback du Master » runs as written in a shell, among Étape 1.1's files")
    public void rollBack() {
        rollback = typed.rollBack();
    }

    @Then("as written its oc apply was refused as a Conflict, while its oc rollout status said the config's current version successfully rolled out, and the config kept its version")
    public void refusedAsWritten() {
        assertThat(rollback.asWritten().command("oc apply").output()).as(rollback.asWritten().toString())
                .contains("Error from server (Conflict)", "the object has been modified");
        assertThat(rollback.asWritten().command("oc rollout status").output()).as(rollback.asWritten().toString())
                .contains("-" + rollback.versionBefore() + "\" successfully rolled out");
        assertThat(rollback.versionAfterAsWritten()).as("the config's version after the block as written").isEqualTo(rollback.versionBefore());
    }

    @Then("the corrected block rolled the saved DeploymentConfig out as a new version")
    public void correctedRolledOut() {
        assertThat(rollback.corrected()).as("the correction's run").isNotNull();
        assertThat(rollback.corrected().output()).as(rollback.corrected().tail(10)).contains("configured", "successfully rolled out");
        assertThat(rollback.versionAfter()).as("the config's version after the correction").isEqualTo(rollback.versionBefore() + 1);
    }
}
