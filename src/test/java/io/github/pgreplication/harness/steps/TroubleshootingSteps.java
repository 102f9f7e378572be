package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.procedure.ClusterCommands;
import io.github.pgreplication.harness.procedure.LagChecks;
import io.github.pgreplication.harness.procedure.Troubleshooting;
import io.github.pgreplication.harness.procedure.Troubleshooting.Lag;
import io.github.pgreplication.harness.procedure.Troubleshooting.SlotRetention;
import io.github.pgreplication.harness.procedure.Troubleshooting.WalAfterRemedy;
import io.github.pgreplication.harness.procedure.Troubleshooting.WrongPassword;
import io.github.pgreplication.harness.run.Evidence;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** « Troubleshooting »: each problem caused, diagnosed and solved the guide's way. */
public class TroubleshootingSteps {

    private final PairWorld world;
    private Troubleshooting troubleshooting;
    private ContainerResult init;
    private WrongPassword wrong;
    private SlotRetention retention;
    private List<ClusterCommands.CommandRun> lagChecks;

    public TroubleshootingSteps(PairWorld world) {
        this.world = world;
    }

    private Troubleshooting t() {
        if (troubleshooting == null) {
            troubleshooting = new Troubleshooting(world.pair(), world.context());
        }
        return troubleshooting;
    }

    private void note(Evidence.Note note) {
        world.context().evidence().note(note.step(), note.text());
    }

    @When("the replica is recreated from scratch, its init container given {duration}")
    public void recreateWithTimeout(Duration given) {
        init = t().recreateFromScratch(given);
    }

    @Then("the init container is still waiting after {duration}, its output saying {string}")
    public void stillWaiting(Duration after, String text) {
        assertThat(init.took()).as("the init container ran for the time it was given").isGreaterThanOrEqualTo(after);
        assertThat(init.timedOut()).as("the init container is still running (it waits for the master):\n" + init.tail(10)).isTrue();
        assertThat(init.output()).contains(text);
        note(Troubleshooting.stillWaitingNote(init, after, text));
    }

    @Then("the init container completes and the replica streams again within {duration}")
    public void completesAndStreams(Duration within) {
        assertThat(init.succeeded()).as("setup-slave.sh:\n" + init.tail(15)).isTrue();
        world.pair().awaitStreaming(within);
    }

    @When("the replica is recreated from scratch with a wrong password in the Secret {replication-secret}")
    public void recreateWithWrongPassword(Named secret) {
        wrong = t().recreateWithWrongReplicationPassword(secret.name());
    }

    @Then("the init container fails and the master refuses the replication login with SQLSTATE {word}")
    public void wrongPasswordRefused(String sqlstate) {
        assertThat(wrong.init().succeeded()).as("setup-slave.sh with a wrong password:\n" + wrong.init().tail(10)).isFalse();
        assertThat(wrong.init().timedOut()).as("it fails, it does not hang").isFalse();
        assertThat(wrong.wrongLoginSqlState()).isEqualTo(sqlstate);
        assertThat(wrong.deployedLoginSqlState()).as("the deployed password").isNull();
        note(wrong.note());
    }

    @When("the replica is recreated from scratch with the Secret as deployed")
    public void recreateWithDeployedSecret() {
        init = t().recreateFromScratch(Duration.ofSeconds(120));
        assertThat(init.succeeded()).as("setup-slave.sh:\n" + init.tail(15)).isTrue();
    }

    @Then("the replica streams again within {duration}")
    public void streamsAgain(Duration within) {
        world.pair().awaitStreaming(within);
    }

    @When("the slot {replication-slot} is dropped on the master")
    public void dropSlot(Named slot) throws SQLException {
        t().dropSlot(slot.name());
    }

    @Then("the guide's diagnostic query on the master shows no slot {slot}")
    public void noSlot(Named slot) {
        assertThat(t().slotDiagnostic()).noneMatch(r -> slot.name().equals(r.get("slot_name")));
    }

    @When("the replica is recreated from scratch as the guide says")
    public void recreateAsGuideSays() {
        init = t().recreateFromScratchAsGuideSays();
    }

    @Then("the replica streams again within {duration} and holds all the master's data")
    public void streamsWithData(Duration within) throws SQLException {
        world.pair().awaitStreaming(within);
        world.checks().catchUp("the recreated replica has caught up", world.checks().lsn(), within);
        assertThat(t().replicaDataChecksum()).isEqualTo(world.pair().existingDataChecksum());
    }

    @Then("the guide's lag query of Étape 3.3 shows lag_mb above {int}")
    public void lagAbove(int mb) {
        Lag lag = t().lag();
        assertThat(lag.lagMb()).isGreaterThan(mb);
        note(lag.note());
    }

    @Given("the master's max_slot_wal_keep_size is recorded")
    public void maxSlotWalKeepSize() {
        t().maxSlotWalKeepSize();
    }

    @Given("the master's max_slot_wal_keep_size is set to {word} for this pair")
    public void capSlot(String size) throws SQLException {
        t().capSlotWal(size);
    }

    @Then("the guide's diagnostic query shows the inactive slot retaining at least {int} MB, beyond wal_keep_size")
    public void retaining(int mb) throws SQLException {
        retention = t().slotRetention();
        assertThat(retention.active()).isEqualTo(Boolean.FALSE);
        assertThat(retention.retainedBytes()).isGreaterThanOrEqualTo(mb * 1024L * 1024L);
        assertThat(retention.walOlderThanKeepSize()).as("WAL older than wal_keep_size, held by the slot").isPositive();
    }

    @Then("no WAL older than wal_keep_size is left in the master's pg_wal")
    public void walReleased() throws SQLException {
        WalAfterRemedy after = t().walAfterRemedy();
        note(after.note());
        assertThat(after.olderThanKeepSize()).as("WAL older than wal_keep_size after the remedy (before: "
                + retention.walOlderThanKeepSize() + " bytes)").isZero();
    }

    @Then("the slot {slot} has wal_status {string} and the master still accepts writes")
    public void walStatus(Named slot, String status) throws SQLException {
        assertThat(t().walStatus(slot.name())).isEqualTo(status);
        t().writeOnMaster();
    }

    @When("the guide's network and disk checks of a high lag run as written, MASTER_POD and SLAVE_POD set by the guide's own lines")
    public void lagChecksTyped() {
        lagChecks = new LagChecks(world.pair(), world.context()).run();
    }

    @Then("what they printed shows the replica's write_lag, flush_lag and replay_lag on the master")
    public void lagChecksPrinted() {
        assertThat(lagChecks).extracting(ClusterCommands.CommandRun::output).anySatisfy(o -> assertThat(o)
                .contains("write_lag", "flush_lag", "replay_lag", "(1 row)"));
    }
}
