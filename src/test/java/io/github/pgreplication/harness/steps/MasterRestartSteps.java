package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.procedure.MasterRestart;
import java.sql.SQLException;
import java.time.Duration;

/** The master's pod restarted as a rollout does it, with an application's session open or none, and how its server ended. */
public class MasterRestartSteps {

    private final PairWorld world;
    private MasterRestart.Restart restart;

    public MasterRestartSteps(PairWorld world) {
        this.world = world;
    }

    @When("an application holds a session open on the master while its pod is stopped and started again, as a rollout does")
    public void withSession() throws SQLException {
        restart = new MasterRestart(world.pair(), world.context()).run(true);
    }

    @When("the master's pod is stopped and started again with no session open")
    public void withoutSession() throws SQLException {
        restart = new MasterRestart(world.pair(), world.context()).run(false);
    }

    @Then("the master's server got a {word} shutdown request, and its pod stopped only when its grace period of {int} seconds ended")
    public void stoppedAtGraceEnd(String mode, int grace) {
        assertThat(restart.request()).as("%s", restart).contains(mode + " shutdown request");
        assertThat(restart.stopTook()).as("%s", restart).isGreaterThanOrEqualTo(Duration.ofSeconds(grace).minusMillis(500));
    }

    @Then("the master's server got a {word} shutdown request, and ended before its pod's grace period of {int} seconds did")
    public void endedBeforeGraceEnd(String mode, int grace) {
        assertThat(restart.request()).as("%s", restart).contains(mode + " shutdown request");
        assertThat(restart.serverEnded()).as("%s", restart).isLessThan(Duration.ofSeconds(grace));
    }

    @Then("the server never shut down: the next one recovered from a crash")
    public void killed() {
        assertThat(restart.shutDown()).as("%s", restart).isFalse();
        assertThat(restart.recoveredFromACrash()).as("%s", restart).isTrue();
    }

    @Then("the server shut down, and the next one started without recovery")
    public void clean() {
        assertThat(restart.shutDown()).as("%s", restart).isTrue();
        assertThat(restart.recoveredFromACrash()).as("%s", restart).isFalse();
        assertThat(restart.nextStart()).as("%s", restart).hasValueSatisfying(l -> assertThat(l).contains("was shut down at"));
    }
}
