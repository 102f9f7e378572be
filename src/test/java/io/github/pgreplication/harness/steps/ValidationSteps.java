package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    private TypedTests.AtTerminal atTerminal;

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

    @When("Test 4's blocks run as written at a terminal, the superuser's password typed at psql's prompt")
    public void test4Typed() {
        atTerminal = new TypedTests(world.pair(), world.context()).test4();
    }

    @Then("psql through the Service {master-service} reached the writable master, and through {replica-service} a read-only replica")
    public void test4Reached(Named master, Named replica) {
        TypedTests.reached(atTerminal, master.guideName(), false);
        TypedTests.reached(atTerminal, replica.guideName(), true);
    }

    @Then("the test pod's bash exited {int}, and the pod is gone, as --rm has it")
    public void test4PodGone(int exit) {
        assertThat(atTerminal.terminal().exitCode()).as(atTerminal.terminal().tail(20)).isEqualTo(exit);
        assertThat(atTerminal.podLeft()).as("a pod of oc run's name left behind").isFalse();
    }

    @Then("the check of Test 4 as typed fails because psql through the Service {replica-service} reached a writable server")
    public void test4Fails(Named replica) {
        assertThatThrownBy(() -> TypedTests.reached(atTerminal, replica.guideName(), true))
                .hasMessageContaining("reached a server whose in_recovery/read_only is f/off");
    }
}
