package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import io.github.pgreplication.harness.node.ReplicaLag;
import io.github.pgreplication.harness.node.ReplicationSlot;
import io.cucumber.java.en.Then;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import java.util.Map;

/** Phase 3 on the master. */
public class ReplicationSteps {

    private final PairWorld world;

    public ReplicationSteps(PairWorld world) {
        this.world = world;
    }

    @Then("the guide's query of Étape 3.1 on the master shows one replica streaming, async, as {replication-role}")
    public void streaming(Named user) {
        assertThat(world.checks().streaming()).containsEntry("usename", user.name());
    }

    @Then("once the replica has caught up, sent_lsn equals replay_lsn")
    public void noLag() {
        world.checks().noLagOnceCaughtUp();
    }

    @Then("the guide's query of Étape 3.2 on the master shows the slot {slot} active")
    public void slotActive(Named slot) throws Exception {
        assertThat(world.checks().slotActive()).containsEntry("slot_name", slot.name());
        for (ReplicationSlot s : world.pair().masterNode().slots()) {
            world.pair().figure("3.2", "WAL retained by slot " + s.slotName() + " (current LSN - restart_lsn)",
                    s.retainedBytes(), "bytes");
        }
    }

    @Then("the guide's query of Étape 3.3 on the master shows a lag below {int} MB and {duration}")
    public void lagAcceptable(int maxMb, java.time.Duration maxLag) {
        excellentIsTheGuides(maxMb, maxLag);
        lagFigures(world.checks().lagAcceptable(maxMb, maxLag.toSeconds()));
    }

    @Then("within {duration} the guide's query of Étape 3.3 on the master shows a lag below {int} MB and {duration}")
    public void lagClears(java.time.Duration within, int maxMb, java.time.Duration maxLag) {
        excellentIsTheGuides(maxMb, maxLag);
        lagFigures(world.checks().lagClears(maxMb, maxLag.toSeconds(), within));
    }

    private void excellentIsTheGuides(int maxMb, java.time.Duration maxLag) {
        assertThat(maxMb).as("the guide's « lag_mb < N : excellent »").isEqualTo(
                world.context().guide().promise("3.3", "lag in MB", "lag_mb < (\\d+)"));
        assertThat(maxLag.toSeconds()).as("the guide's « lag_seconds < N : excellent »").isEqualTo(
                world.context().guide().promise("3.3", "lag in seconds", "lag_seconds < (\\d+)"));
    }

    private void lagFigures(Map<String, Object> row) {
        world.pair().figure("3.3", "lag_mb (guide's query)", ((Number) row.get("lag_mb")).doubleValue(), "MB");
        world.pair().figure("3.3", "lag_seconds (guide's query, corrected)", ((Number) row.get("lag_seconds")).doubleValue(), "s");
    }

    @Then("the lag in bytes and seconds is recorded")
    public void lagRecorded() throws Exception {
        List<ReplicaLag> lags = world.pair().masterNode().lags();
        for (ReplicaLag r : lags) {
            world.pair().figure("3.3", "lag in bytes (pg_wal_lsn_diff of current and replay LSN)", r.lagBytes(), "bytes");
            world.pair().figure("3.3", "replay_lag (NULL when idle, shown as 0)", r.replayLagMs() == null ? 0 : r.replayLagMs(), "ms");
        }
        assertThat(lags).isNotEmpty();
    }
}
