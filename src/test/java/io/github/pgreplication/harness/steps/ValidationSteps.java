package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.procedure.GuideChecks;

/** Phase 4: the guide's four tests. */
public class ValidationSteps {

    private final PairWorld world;
    private Runnable pending;

    public ValidationSteps(PairWorld world) {
        this.world = world;
    }

    @When("the guide's Test 1 writes its rows on the master {string}")
    public void test1Writes(String master) {
        // Writing and waiting are one check (the wait starts at the write's LSN); it runs in the Then step.
        pending = () -> world.pair().figure("4.1", "Test 1: rows visible on the replica after the write",
                world.checks().rowsReplicate(GuideChecks.FIVE_SECONDS), "ms");
    }

    @Then("the replica {string} shows the same rows within {int} seconds")
    public void sameRows(String replica, int seconds) {
        pending.run();
    }

    @When("the guide's Test 2 INSERT runs on the replica {string}")
    public void test2(String replica) {
        world.detail = world.checks().insertRefusedOnReplica();
    }

    @Then("it is refused with SQLSTATE {string}")
    public void refusedWith(String sqlstate) {
        assertThat(world.detail).startsWith("SQLSTATE " + sqlstate);
    }

    @When("the guide's Test 3 inserts 10,000 rows on the master {string}")
    public void test3(String master) {
        pending = () -> world.pair().figure("4.3", "Test 3: commit of 10,000 rows to replayed on the replica",
                world.checks().bulkInsertReplicates(world.run().settings().test3Budget()), "ms");
    }

    @Then("the replica {string} has replayed them within 5 seconds of the commit, and its COUNT\\(*) matches")
    public void test3Within(String replica) {
        pending.run();
    }

    @Then("an application connects through the Service {string} to a writable master")
    public void writableMaster(String service) {
        world.checks().applicationsConnect();
    }

    @Then("an application connects through the Service {string} to a read-only replica")
    public void readOnlyReplica(String service) {
        world.checks().applicationsConnect();
    }
}
