package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.procedure.GuideChecks;
import io.github.pgreplication.harness.procedure.TypedTests;
import java.time.Duration;

/** Phase 4: the guide's four tests. When steps act, Then steps check with the budgets their text gives. */
public class ValidationSteps {

    private final PairWorld world;
    private GuideChecks.Written written;
    private TypedTests.Typed typed;
    private TypedTests.ReadOnly readOnly;

    public ValidationSteps(PairWorld world) {
        this.world = world;
    }

    @When("Test 1's blocks run as written in a shell, MASTER_POD and SLAVE_POD set by the guide's own lines")
    public void test1Typed() {
        typed = new TypedTests(world.pair(), world.context()).test1();
    }

    @When("Test 3's blocks run as written in a shell, MASTER_POD and SLAVE_POD set by the guide's own lines")
    public void test3Typed() {
        typed = new TypedTests(world.pair(), world.context()).test3();
    }

    @When("Test 2's block runs as written in a shell, SLAVE_POD set by the guide's own line")
    public void test2Typed() {
        readOnly = new TypedTests(world.pair(), world.context()).test2();
    }

    @Then("its oc exec exited {int}, printing {string}, and the replica's table has as many rows as before")
    public void test2Refused(int exit, String error) {
        assertThat(readOnly.insert().exitCode()).as(readOnly.insert().toString()).isEqualTo(exit);
        assertThat(readOnly.insert().output()).contains(error);
        assertThat(readOnly.after()).isEqualTo(readOnly.before());
    }

    @Then("its heredoc wrote {count} rows on the master")
    public void heredocWrote(long rows) {
        assertThat(typed.written()).as("rows the heredoc block wrote on the master; " + typed.write().commands()).isEqualTo(rows);
    }

    @Then("the replica's oc exec printed the rows {string}, {string} and {string}")
    public void replicaPrinted(String a, String b, String c) {
        assertThat(typed.check().command("oc exec $SLAVE_POD").output()).contains(a, b, c);
    }

    @Then("the replica's oc exec counted as many rows as the master has")
    public void replicaCounted() {
        assertThat(typed.check().command("oc exec $SLAVE_POD").output().strip().lines().map(String::strip))
                .contains(Long.toString(typed.after()));
    }

    @Given("the table of Test 1 exists on the master {master} and the replica")
    public void testTable(Named master) {
        world.checks().testTableExists();
    }

    @When("the guide's Test 1 writes its rows on the master {master}")
    public void test1Writes(Named master) {
        written = world.checks().writeTest1Rows();
    }

    @Then("the replica {replica} shows the same rows within {duration}")
    public void sameRows(Named replica, Duration budget) {
        world.checks().rowsReplicated(written, budget);
    }

    @When("the guide's Test 2 INSERT runs on the replica {replica}")
    public void test2(Named replica) {
        world.detail = world.checks().insertRefusedOnReplica();
    }

    @Then("it is refused with SQLSTATE {string}")
    public void refusedWith(String sqlstate) {
        assertThat(world.detail).startsWith("SQLSTATE " + sqlstate);
    }

    @When("the guide's Test 3 inserts {count} rows on the master {master}")
    public void test3(long rows, Named master) {
        assertThat(rows).as("the rows of Test 3's generate_series in the guide").isEqualTo(GuideChecks.test3Rows(world.context().guide()));
        written = world.checks().insertTest3Rows();
    }

    @Then("the replica {replica} has replayed them within {duration} of the commit, and its COUNT\\(*) matches")
    public void test3Within(Named replica, Duration budget) {
        assertThat(budget.toMillis() / 1000.0).as("the seconds the guide promises for Test 3 (« en < N secondes »)")
                .isEqualTo(world.context().guide().test3Delay().toMillis() / 1000.0);
        world.checks().bulkReplicated(written, budget);
    }

    @Then("an application connects through the Service {master-service} to a writable master")
    public void writableMaster(Named service) {
        world.checks().connectsThrough(service.name(), false);
    }

    @Then("an application connects through the Service {replica-service} to a read-only replica")
    public void readOnlyReplica(Named service) {
        world.checks().connectsThrough(service.name(), true);
    }
}
