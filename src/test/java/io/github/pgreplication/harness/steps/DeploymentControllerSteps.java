package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.procedure.ReplicaDeployment;
import io.github.pgreplication.harness.procedure.ReplicaLiveness;
import io.github.pgreplication.harness.procedure.SlaveStartDiagnostic;
import java.time.Duration;

/** The replica's Deployment under a cluster's own controller: its rollouts and « Recréer depuis zéro ». */
public class DeploymentControllerSteps {

    private final PairWorld world;
    private ReplicaDeployment deployment;
    private ReplicaDeployment.Rollout rollout;
    private ReplicaDeployment.Recreation recreation;
    private ReplicaDeployment.Watched watched;
    private ReplicaLiveness.Restart restart;
    private SlaveStartDiagnostic diagnostic;
    private SlaveStartDiagnostic.Diagnosed diagnosed;
    private ReplicaDeployment.ResourcesRaised raised;

    public DeploymentControllerSteps(PairWorld world) {
        this.world = world;
    }

    @When("the replica's Deployment {replica} runs under the cluster's own controller, in place of the harness's pod")
    public void underTheController(Named replica) {
        deployment = new ReplicaDeployment(world.pair(), world.context());
        deployment.applyInPlaceOfThePod();
    }

    @When("the replica's Deployment {replica} is applied on an empty claim by Étape 2.3's oc apply -f as typed, and watched with Étape 2.5's commands, each follow given {duration}")
    public void watched(Named replica, Duration follow) {
        deployment = new ReplicaDeployment(world.pair(), world.context());
        watched = deployment.deployOnAnEmptyClaimWatched(follow);
    }

    @Then("Étape 2.3's oc apply -f exited 0 saying the Deployment was created, and the cluster holds it as its file writes it")
    public void deploymentApplied() {
        var a = watched.apply();
        assertThat(a.run().exitCode()).as(a.run().toString()).isZero();
        // kubectl names it with its API group: deployment.apps/NAME created
        assertThat(a.objects()).singleElement().satisfies(o -> assertThat(a.run().output())
                .containsPattern("(?m)^deployment\\.apps/" + java.util.regex.Pattern.quote(o.substring(o.indexOf('/') + 1))
                        + " created$"));
        assertThat(a.differences()).as(a.run().guideLine()).isEmpty();
    }

    @Then("the watch shows the Deployment's pod Running with its container Ready")
    public void watchReady() {
        assertThat(ReplicaDeployment.watchSawReady(watched)).as("oc get pods -w:\n%s",
                watched.section().command("oc get pods").output()).isTrue();
    }

    @Then("the log of its init container {init-container} shows pg_basebackup's copy completed")
    public void initLog(Named container) {
        assertThat(ReplicaDeployment.log(watched, container.name()))
                .contains("pg_basebackup: base backup completed");
    }

    @Then("the log of its container {string} shows the server streaming from the master")
    public void serverLog(String container) {
        deployment.serverMessagesInOcLogs(watched, container);
    }

    @Then("it all took less than the guide's {duration} estimate")
    public void tookLess(Duration estimate) {
        assertThat(watched.took()).isLessThan(estimate);
    }

    @When("the Deployment rolls out a new revision, watched with Étape 2.5's oc get pods -w")
    public void rollOut() {
        rollout = deployment.rollOutANewRevision();
    }

    @Then("at no moment were two of its pods Ready on its claim {replica-claim}")
    public void oneAtATime(Named claim) {
        assertThat(claim.name()).isEqualTo(world.pair().manifests().replicaClaimName());
        assertThat(rollout.mostReadyAtOnce()).as("pods Ready at once during the rollout: %s\n%s", rollout.readyTogether(),
                String.join("\n", rollout.watch())).isEqualTo(1);
    }

    @When("the guide's « Recréer depuis zéro » commands run as written, each given {duration}")
    public void recreate(Duration perCommand) {
        recreation = deployment.recreateFromScratch(perCommand);
    }

    @Then("the replica's claim {replica-claim} is a new one")
    public void newClaim(Named claim) {
        assertThat(claim.name()).isEqualTo(world.pair().manifests().replicaClaimName());
        assertThat(recreation.claimAfter()).as("the claim's uid after « Recréer depuis zéro »")
                .isNotEqualTo(recreation.claimBefore());
    }

    @When("the livenessProbe of the replica's container {string} in pod {replica} gets no answer, its server's socket removed")
    public void probeFails(String container, Named replica) {
        restart = new ReplicaLiveness(world.pair(), world.context()).breakProbeAndAwaitRestart(world.pair().manifests().inPairNames(container));
    }

    @Then("the kubelet restarts that container within what its livenessProbe and the pod's grace period allow")
    public void restartedInTime() {
        assertThat(restart.took()).as("restart after %s, allowed %s by %s", restart.took(), restart.allowed(),
                restart.probe().describe()).isLessThanOrEqualTo(restart.allowed());
    }

    @When("the diagnostic of « Le slave ne démarre pas » and its « Permissions secret » check run as written, SLAVE_POD set by the guide's own line of Étape 2.5")
    public void slaveStartDiagnostic() {
        diagnostic = new SlaveStartDiagnostic(world.pair(), world.context());
        diagnosed = diagnostic.run();
    }

    @Then("its oc logs of the init container {init-container} shows pg_basebackup's copy completed")
    public void diagnosticInitLog(Named container) {
        assertThat(diagnosed.initLog().guideLine()).endsWith("-c " + container.guideName());
        assertThat(diagnosed.initLog().output()).as(diagnosed.initLog().toString()).contains("pg_basebackup: base backup completed");
    }

    @Then("its oc logs of the container {string} shows the server streaming from the master")
    public void diagnosticServerLog(String container) {
        assertThat(diagnosed.serverLog().guideLine()).endsWith("-c " + container);
        diagnostic.serverMessagesInOcLogs(diagnosed);
    }

    @Then("its oc describe pod shows the init container Completed with exit code 0, and the pod Running and Ready")
    public void diagnosticDescription() {
        assertThat(diagnosed.describesInitCompleted()).as(diagnosed.description().toString()).isTrue();
        assertThat(diagnosed.describesRunningAndReady()).as(diagnosed.description().toString()).isTrue();
    }

    @Then("its oc get secret printed the Secret {replication-secret} with every key the replica's containers read from it")
    public void diagnosticSecret(Named secret) {
        assertThat(diagnosed.secretKeys()).as("the keys of Secret " + secret.name()).containsAll(diagnostic.keysTheReplicaReads());
    }

    @When("« Augmenter les ressources du slave »'s oc edit runs as written, the reader's editor doubling the memory and cpu of its server's container, watched with Étape 2.5's oc get pods -w")
    public void raiseResources() {
        raised = deployment.raiseResourcesAsTyped();
        rollout = raised.rollout();
    }

    @Then("oc edit said the Deployment was edited, and its new pod's container has twice the memory and cpu it had")
    public void resourcesDoubled() {
        assertThat(raised.edit().succeeded() && raised.edit().output().contains("edited")).as(raised.edit().toString()).isTrue();
        assertThat(raised.before().amounts()).as("the container's resources before the edit").containsKeys("limits.cpu", "limits.memory");
        assertThat(raised.after().amounts()).as("after the edit, against %s before", raised.before())
                .isEqualTo(raised.before().times(2).amounts());
    }
}
