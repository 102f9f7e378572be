package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.procedure.TypedApplies;
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
    private TypedMasterConfig.Update update;

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

    @When("Phase 1 runs as its reader types it: Étapes 1.2 to 1.4's oc apply -f lines, Étape 1.5's oc get of the config, the reader's edit of the saved file, and Étape 1.5's second block, its watch ended once a pod of the config's new version is Ready or has failed")
    public void phase1Typed() throws SQLException {
        update = typed.update();
    }

    @Then("Étapes 1.2 to 1.4's lines each exited 0 saying their objects were created, and the cluster holds the Secret and the two ConfigMaps as their files write them, pg_hba.conf's network set to this cluster's as the guide tells its reader")
    public void appliedAsWritten() {
        assertThat(update.applies()).extracting(TypedApplies.Applied::step).containsExactly("1.2", "1.3", "1.4");
        update.applies().forEach(ClusterSteps::assertCreatedAsWritten);
    }

    @Then("Étape 1.5's oc get line exited 0 and saved the DeploymentConfig {master} alone")
    public void savedConfig(Named config) {
        assertThat(update.saved().commands()).as(update.saved().toString()).singleElement().matches(c -> c.exitCode() == 0);
        assertThat(update.savedObjects()).as(update.saved().toString()).containsExactly("DeploymentConfig/" + config.name());
    }

    @Then("its dry run exited 0 saying {master} would be configured, and its oc apply exited 0 saying it was: the config's version went up by one, its template holding the four modifications")
    public void appliedUpdate(Named config) {
        String configured = "deploymentconfig.apps.openshift.io/" + config.name() + " configured";
        assertThat(update.applied().commands()).as(update.applied().toString()).extracting(c -> c.exitCode() + " " + c.output())
                .satisfies(o -> assertThat(o.get(0)).startsWith("0 ").contains(configured + " (dry run)"),
                        o -> assertThat(o.get(1)).startsWith("0 ").contains(configured).doesNotContain("(dry run)"));
        assertThat(update.versionAfter()).as("the config's version after the block").isEqualTo(update.versionBefore() + 1);
        assertThat(update.missing()).as("what of the four modifications the config does not hold").isEmpty();
    }

    @Then("its watch saw a pod of that version Running and Ready, or, where erratum E26 reproduced, its container fail, and the correction rolled out the version after it")
    public void watchSaw() {
        boolean corrected = !update.watchSawReady();
        assertThat(update.masterVersion()).as(update.applied().toString()).isEqualTo(update.versionAfter() + (corrected ? 1 : 0));
        assertThat(!corrected || update.watchSawFailure() && world.context().ledger().entries().stream().anyMatch(e ->
                e.status() == ErrataLedger.Status.REPRODUCED && e.erratum().filter(x -> x.id().equals("E26")).isPresent()))
                .as("the watch's lines of version %s: %s", update.versionAfter(), update.watchedNewPods()).isTrue();
    }

    @Then("the master is the pod of the config's latest version, no longer its pod of before the guide")
    public void masterIsTheNewPod() {
        assertThat(world.pair().master().name()).isNotEqualTo(update.podBefore()).startsWith(update.podsOf(update.masterVersion()));
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

    @Then("applied without its resourceVersion, the saved config is refused too, a DeploymentConfig taking no update without one")
    public void refusedWithoutVersion() {
        assertThat(rollback.withoutVersion()).as("the saved config applied without its resourceVersion").isNotNull()
                .matches(r -> r.exitCode() == 1, "exited 1").extracting(ContainerResult::output).asString()
                .contains("metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");
    }

    @Then("the corrected block rolled the saved DeploymentConfig out as a new version")
    public void correctedRolledOut() {
        assertThat(rollback.corrected()).as("the correction's run").isNotNull();
        assertThat(rollback.corrected().output()).as(rollback.corrected().tail(10)).contains("replaced", "successfully rolled out");
        assertThat(rollback.versionAfter()).as("the config's version after the correction").isEqualTo(rollback.versionBefore() + 1);
    }
}
