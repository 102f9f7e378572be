package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import java.time.Duration;

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
    public void slotActive(Named slot) {
        assertThat(world.checks().slotActive()).containsEntry("slot_name", slot.name());
    }

    @Then("the guide's query of Étape 3.3 on the master shows a lag below {int} MB and {duration}")
    public void lagAcceptable(int maxMb, Duration maxLag) {
        excellentIsTheGuides(maxMb, maxLag);
        world.checks().lagAcceptable(maxMb, maxLag.toSeconds());
    }

    @Then("within {duration} the guide's query of Étape 3.3 on the master shows a lag below {int} MB and {duration}")
    public void lagClears(Duration within, int maxMb, Duration maxLag) {
        excellentIsTheGuides(maxMb, maxLag);
        world.checks().lagClears(maxMb, maxLag.toSeconds(), within);
    }

    private void excellentIsTheGuides(int maxMb, Duration maxLag) {
        assertThat(maxMb).as("the guide's « lag_mb < N : excellent »").isEqualTo(
                world.context().guide().promise("3.3", "lag in MB", "lag_mb < (\\d+)"));
        assertThat(maxLag.toSeconds()).as("the guide's « lag_seconds < N : excellent »").isEqualTo(
                world.context().guide().promise("3.3", "lag in seconds", "lag_seconds < (\\d+)"));
    }

    @Then("the lag in bytes and seconds is recorded")
    public void lagRecorded() {
        assertThat(world.checks().lagRecorded()).isNotEmpty();
    }
}
