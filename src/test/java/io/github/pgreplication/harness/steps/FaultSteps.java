package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.procedure.GuideChecks;
import io.github.pgreplication.harness.procedure.WalTraffic;
import java.sql.SQLException;
import java.time.Duration;

/** Breaking a disposable pair on purpose, and the checks that must then fail. */
public class FaultSteps {

    private final PairWorld world;

    public FaultSteps(PairWorld world) {
        this.world = world;
    }

    @When("the replica {replica} is promoted with pg_promote\\()")
    public void promote(Named replica) {
        world.pair().replicaNode().safeSql("SELECT pg_promote()");
    }

    @When("replay is paused on the replica {replica} with pg_wal_replay_pause\\()")
    public void pauseReplay(Named replica) {
        world.pair().replicaNode().safeSql("SELECT pg_wal_replay_pause()");
    }

    @When("replay is resumed on the replica {replica} and it catches up within {duration}")
    public void resumeReplay(Named replica, Duration within) {
        world.pair().replicaNode().safeSql("SELECT pg_wal_replay_resume()");
        world.checks().catchUp("the replica has caught up after replay resumed", world.checks().lsn(), within);
    }

    @When("an application writes a row a second on the master until the master shows the replica's replay_lag above {duration}, rounded to whole seconds as the CronJob's query rounds it")
    public void replayLagPasses(Duration threshold) throws SQLException {
        world.checks().replayLagPasses(threshold);
    }

    @When("the master's WAL advances by {int} MB")
    public void walAdvances(int megabytes) throws SQLException {
        WalTraffic.advance(world.pair().masterNode(), megabytes, world.context().evidence());
    }

    @When("the master checkpoints")
    public void checkpoint() throws SQLException {
        WalTraffic.checkpoint(world.pair().masterNode());
    }

    @When("the master pod {master} is stopped")
    public void stopMaster(Named master) {
        world.pair().stopMaster();
    }

    @When("the master pod {master} is started again")
    public void startMaster(Named master) {
        world.pair().startMaster();
    }

    @Given("the guide's Test 1 has passed on it")
    public void test1Passed() {
        world.checks().rowsReplicate(GuideChecks.FIVE_SECONDS);
    }

    @When("the replica pod {replica} is deleted")
    public void deleteReplica(Named replica) {
        world.pair().backend().deletePod(world.pair().replica());
    }

    @Then("the Test 2 check fails because the INSERT on the replica succeeds")
    public void test2Fails() {
        assertThatThrownBy(() -> world.checks().insertRefusedOnReplica()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("the INSERT on the replica succeeded");
    }

    @Then("the Étape 3.1 check fails because no replica is connected")
    public void streamingFails() {
        assertThatThrownBy(() -> world.checks().streaming()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no replica is connected");
    }

    @Then("the Étape 3.2 check fails because the slot is not active")
    public void slotFails() {
        assertThatThrownBy(() -> world.checks().slotActive()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("active = false");
    }

    @Then("the Test 1 check fails within {duration}, showing pg_stat_replication and the replica's log")
    public void test1Fails(Duration budget) {
        assertThatThrownBy(() -> world.checks().rowsReplicate(budget))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("not reached within")
                .hasMessageContaining("pg_stat_replication on the master: [WalSender[pid=")
                // the replica's server messages: from its log file as published, from its container output once
                // logging_collector is off (erratum E17)
                .hasMessageContaining("LOG:  ");
    }

    @Then("the Test 3 check with a budget of {duration} fails, showing what it last saw")
    public void test3Fails(Duration budget) {
        assertThatThrownBy(() -> world.checks().bulkInsertReplicates(budget))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Test 3")
                .hasMessageContaining("pg_stat_replication on the master");
    }
}
