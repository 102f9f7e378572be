package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.node.ReplicationSlot;
import io.github.pgreplication.harness.procedure.ExistingData;
import io.github.pgreplication.harness.procedure.Rollbacks;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.guide.GuideNames.Role;
import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.procedure.Troubleshooting;
import io.github.pgreplication.harness.procedure.WalTraffic;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** « Troubleshooting »: each problem caused, diagnosed and solved the guide's way. */
public class TroubleshootingSteps {

    private final PairWorld world;
    private Troubleshooting troubleshooting;
    private ContainerResult init;
    private long walBefore;

    public TroubleshootingSteps(PairWorld world) {
        this.world = world;
    }

    private Troubleshooting t() {
        if (troubleshooting == null) {
            troubleshooting = new Troubleshooting(world.pair(), world.context());
        }
        return troubleshooting;
    }

    @When("the replica is recreated from scratch, its init container given {duration}")
    public void recreateWithTimeout(Duration given) {
        init = t().recreateFromScratch(given);
    }

    @Then("the init container is still waiting after {duration}, its output saying {string}")
    public void stillWaiting(Duration after, String text) {
        assertThat(init.took()).as("the init container ran for the time it was given").isGreaterThanOrEqualTo(after);
        long seconds = after.toSeconds();
        assertThat(init.timedOut()).as("the init container is still running (it waits for the master):\n" + init.tail(10)).isTrue();
        assertThat(init.output()).contains(text);
        world.context().evidence().note("troubleshooting-slave-start", "Master unreachable: after " + seconds + " s the init "
                + "container was still waiting; its last line: « " + init.tail(1).strip() + " ». The pod stays in Init, not "
                + "CrashLoopBackOff, so the guide's symptom list does not name it.");
    }

    @Then("the init container completes and the replica streams again within {duration}")
    public void completesAndStreams(Duration within) {
        assertThat(init.succeeded()).as("setup-slave.sh:\n" + init.tail(15)).isTrue();
        world.pair().awaitStreaming(within);
    }

    @When("the replica is recreated from scratch with a wrong password in the Secret {secret}")
    public void recreateWithWrongPassword(Named secret) {
        init = t().recreateWithReplicationPassword(secret.as(Role.REPLICATION_SECRET).name(), Troubleshooting.wrongPassword());
    }

    @Then("the init container fails and the master refuses the replication login with SQLSTATE {word}")
    public void wrongPasswordRefused(String sqlstate) {
        assertThat(init.succeeded()).as("setup-slave.sh with a wrong password:\n" + init.tail(10)).isFalse();
        assertThat(init.timedOut()).as("it fails, it does not hang").isFalse();
        String role = world.pair().names().replicationRole();
        assertThat(t().replicationLoginSqlState(role, Troubleshooting.wrongPassword())).isEqualTo(sqlstate);
        assertThat(t().replicationLoginSqlState(role, t().deployedReplicationPassword())).as("the deployed password")
                .isNull();
        world.context().evidence().note("troubleshooting-slave-start", "Wrong replication password: setup-slave.sh exits "
                + init.exitCode() + " after " + init.took().toMillis() + " ms; pg_basebackup says « "
                + init.output().lines().filter(l -> l.contains("pg_basebackup:")).findFirst().orElse("?").strip() + " ».");
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

    @When("the slot {slot} is dropped on the master")
    public void dropSlot(Named slot) throws SQLException {
        t().dropSlot(slot.as(Role.SLOT).name());
    }

    @Then("the guide's diagnostic query on the master shows no slot {slot}")
    public void noSlot(Named slot) {
        List<Map<String, Object>> rows = t().slotDiagnostic();
        assertThat(rows).noneMatch(r -> slot.name().equals(r.get("slot_name")));
    }

    @When("the replica is recreated from scratch as the guide says")
    public void recreateAsGuideSays() {
        init = t().recreateFromScratchAsGuideSays();
    }

    @Then("the replica streams again within {duration} and holds all the master's data")
    public void streamsWithData(Duration within) throws SQLException {
        world.pair().awaitStreaming(within);
        world.checks().catchUp("the recreated replica has caught up", world.checks().lsn(), within);
        try (Connection r = world.pair().replicaNode().connect()) {
            assertThat(ExistingData.checksum(r))
                    .isEqualTo(world.pair().existingDataChecksum());
        }
    }

    @Then("the guide's lag query of Étape 3.3 shows lag_mb above {int}")
    public void lagAbove(int mb) {
        Map<String, Object> row = world.checks().lag();
        int lagMb = ((Number) row.get("lag_mb")).intValue();
        assertThat(lagMb).isGreaterThan(mb);
        world.context().evidence().note("troubleshooting-lag", "With replay paused, the guide's lag query showed lag_mb = "
                + lagMb + " and lag_seconds = " + row.get("lag_seconds") + ".");
    }

    @Given("the master's max_slot_wal_keep_size is recorded")
    public void maxSlotWalKeepSize() {
        world.context().evidence().note("troubleshooting-slot-disk", "max_slot_wal_keep_size on the master: "
                + t().maxSlotWalKeepSize() + ".");
    }

    @Given("the master's max_slot_wal_keep_size is set to {word} for this pair")
    public void capSlot(String size) throws SQLException {
        t().capSlotWal(size);
    }

    @Then("the guide's diagnostic query shows the inactive slot retaining at least {int} MB, beyond wal_keep_size")
    public void retaining(int mb) throws SQLException {
        List<Map<String, Object>> rows = t().slotDiskDiagnostic();
        String name = world.pair().names().slot();
        Map<String, Object> slot = rows.stream().filter(r -> name.equals(r.get("slot_name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no slot " + name + ": " + rows));
        assertThat(slot.get("active")).isEqualTo(Boolean.FALSE);
        long bytes = new Rollbacks(world.pair(), world.context()).retainedBySlot().orElseThrow();
        assertThat(bytes).isGreaterThanOrEqualTo(mb * 1024L * 1024L);
        try (Connection c = world.pair().masterNode().connect()) {
            walBefore = WalTraffic.walOlderThanKeepSize(c);
            world.pair().scenarioFigure("troubleshooting-slot-disk", "pg_wal, whole directory, before the remedy",
                    WalTraffic.walDirectoryBytes(c), "bytes");
        }
        assertThat(walBefore).as("WAL older than wal_keep_size, held by the slot").isPositive();
        world.pair().scenarioFigure("troubleshooting-slot-disk", "WAL retained by the inactive slot (guide's query: "
                + slot.get("retained_wal") + ")", bytes, "bytes");
        world.pair().scenarioFigure("troubleshooting-slot-disk", "WAL older than wal_keep_size, before the remedy", walBefore, "bytes");
    }

    @When("the guide's remedy drops the slot and the master checkpoints")
    public void remedy() throws SQLException {
        t().dropSlotAsGuideSays();
        try (Connection c = world.pair().masterNode().connect()) {
            WalTraffic.checkpoint(c);
        }
    }

    @Then("no WAL older than wal_keep_size is left in the master's pg_wal")
    public void walReleased() throws SQLException {
        try (Connection c = world.pair().masterNode().connect()) {
            long older = WalTraffic.walOlderThanKeepSize(c);
            long whole = WalTraffic.walDirectoryBytes(c);
            world.pair().scenarioFigure("troubleshooting-slot-disk", "WAL older than wal_keep_size, after the remedy", older, "bytes");
            world.pair().scenarioFigure("troubleshooting-slot-disk", "pg_wal, whole directory, after the remedy", whole, "bytes");
            world.context().evidence().note("troubleshooting-slot-disk", "After the guide's remedy (slot dropped, checkpoint) "
                    + "the WAL only the slot held is released, but pg_wal does not shrink to zero: wal_keep_size = 1GB keeps "
                    + "1 GB, and the checkpoint recycles old segments as future ones (up to max_wal_size). Expect the disk to "
                    + "come back only beyond wal_keep_size + max_wal_size.");
            assertThat(older).as("WAL older than wal_keep_size after the remedy (before: " + walBefore + " bytes)").isZero();
        }
    }

    @Then("the slot {slot} has wal_status {string} and the master still accepts writes")
    public void walStatus(Named slot, String status) throws SQLException {
        ReplicationSlot s = world.pair().masterNode().slot(slot.name()).orElseThrow(() -> new AssertionError("no slot " + slot));
        assertThat(s.walStatus()).isEqualTo(status);
        try (Connection c = world.pair().masterNode().connect()) {
            WalTraffic.advance(c, 1);
        }
    }
}
