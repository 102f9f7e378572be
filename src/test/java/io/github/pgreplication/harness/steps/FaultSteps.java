package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.probes.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import io.github.pgreplication.harness.procedure.WalTraffic;

/** Breaking a disposable pair on purpose, and the checks that must then fail. */
public class FaultSteps {

    private final PairWorld world;

    public FaultSteps(PairWorld world) {
        this.world = world;
    }

    @When("the replica {string} is promoted with pg_promote\\()")
    public void promote(String replica) throws SQLException {
        onReplica("SELECT pg_promote()");
    }

    @When("replay is paused on the replica {string} with pg_wal_replay_pause\\()")
    public void pauseReplay(String replica) throws SQLException {
        onReplica("SELECT pg_wal_replay_pause()");
    }

    @When("replay is resumed on the replica {string} and it catches up within {int} seconds")
    public void resumeReplay(String replica, int seconds) throws SQLException {
        onReplica("SELECT pg_wal_replay_resume()");
        world.checks().catchUp("the replica has caught up after replay resumed", world.checks().lsn(), Duration.ofSeconds(seconds));
    }

    @When("the master's WAL advances by {int} MB")
    public void walAdvances(int megabytes) throws SQLException {
        try (Connection c = world.pair().masterConnection()) {
            long start = System.nanoTime();
            long bytes = WalTraffic.advance(c, megabytes);
            world.pair().evidence().note("WAL", "The scenarios create WAL with a one-row write and pg_switch_wal() per 16 MB "
                    + "segment: " + bytes / (1024 * 1024) + " MB took " + (System.nanoTime() - start) / 1_000_000 + " ms here.");
        }
    }

    @When("the master checkpoints")
    public void checkpoint() throws SQLException {
        try (Connection c = world.pair().masterConnection()) {
            WalTraffic.checkpoint(c);
        }
    }

    @When("the master pod {string} is stopped")
    public void stopMaster(String master) {
        world.pair().stopMaster();
    }

    @When("the master pod {string} is started again")
    public void startMaster(String master) {
        world.pair().startMaster();
    }

    @io.cucumber.java.en.Given("the guide's Test 1 has passed on it")
    public void test1Passed() {
        world.checks().rowsReplicate(io.github.pgreplication.harness.procedure.GuideChecks.FIVE_SECONDS);
    }

    @When("the replica pod {string} is deleted")
    public void deleteReplica(String replica) {
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

    @Then("the Test 1 check fails within {int} second(s), showing pg_stat_replication and the replica's log")
    public void test1Fails(int seconds) {
        assertThatThrownBy(() -> world.checks().rowsReplicate(Duration.ofSeconds(seconds)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("not reached within")
                .hasMessageContaining("pg_stat_replication on the master: [{")
                // the replica's server messages: from its log file as published, from its container output once
                // logging_collector is off (erratum E17)
                .hasMessageContaining("LOG:  ");
    }

    @Then("the Test 3 check with a budget of {int} ms fails, showing what it last saw")
    public void test3Fails(int budgetMs) {
        assertThatThrownBy(() -> world.checks().bulkInsertReplicates(Duration.ofMillis(budgetMs)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Test 3")
                .hasMessageContaining("pg_stat_replication on the master");
    }

    private void onReplica(String sql) throws SQLException {
        try (Connection c = world.pair().replicaConnection()) {
            Sql.scalar(c, sql);
        }
    }
}
