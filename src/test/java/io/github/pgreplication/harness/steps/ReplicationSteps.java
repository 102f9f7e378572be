package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import java.util.Map;

/** Phase 3 on the master. */
public class ReplicationSteps {

    private final PairWorld world;

    public ReplicationSteps(PairWorld world) {
        this.world = world;
    }

    @Then("the guide's query of Étape 3.1 on the master shows one replica streaming, async, as {string}")
    public void streaming(String user) {
        assertThat(world.checks().streaming()).containsEntry("usename", user);
    }

    @Then("once the replica has caught up, sent_lsn equals replay_lsn")
    public void noLag() {
        world.checks().noLagOnceCaughtUp();
    }

    @Then("the guide's query of Étape 3.2 on the master shows the slot {string} active")
    public void slotActive(String slot) throws Exception {
        assertThat(world.checks().slotActive()).containsEntry("slot_name", slot);
        for (Map<String, Object> s : world.pair().probe().slots()) {
            world.pair().figure("3.2", "WAL retained by slot " + s.get("slot_name") + " (current LSN - restart_lsn)",
                    ((Number) s.get("retained_bytes")).doubleValue(), "bytes");
        }
    }

    @Then("the guide's query of Étape 3.3 on the master shows a lag below 10 MB and 5 seconds")
    public void lagAcceptable() {
        Map<String, Object> row = world.checks().lagAcceptable();
        world.pair().figure("3.3", "lag_mb (guide's query)", ((Number) row.get("lag_mb")).doubleValue(), "MB");
        world.pair().figure("3.3", "lag_seconds (guide's query, corrected)", ((Number) row.get("lag_seconds")).doubleValue(), "s");
    }

    @Then("the lag in bytes and seconds is recorded")
    public void lagRecorded() throws Exception {
        for (Map<String, Object> r : world.pair().probe().lag()) {
            world.pair().figure("3.3", "lag in bytes (pg_wal_lsn_diff of current and replay LSN)", ((Number) r.get("lag_bytes")).doubleValue(), "bytes");
            Object ms = r.get("replay_lag_ms");
            world.pair().figure("3.3", "replay_lag (NULL when idle, shown as 0)", ms == null ? 0 : ((Number) ms).doubleValue(), "ms");
        }
        assertThat(world.pair().probe().lag()).isNotEmpty();
    }
}
