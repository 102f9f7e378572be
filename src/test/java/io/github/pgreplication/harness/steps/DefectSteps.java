package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.procedure.ConfigurationFiles;
import io.github.pgreplication.harness.procedure.GuidePair;
import io.github.pgreplication.harness.procedure.HarmlessFindings;
import io.github.pgreplication.harness.procedure.HarmlessFindings.HotStandby;
import io.github.pgreplication.harness.procedure.HarmlessFindings.PasswordThroughMd5;
import io.github.pgreplication.harness.procedure.HarmlessFindings.PsqlOnError;
import io.github.pgreplication.harness.procedure.InitMasterScript;
import io.github.pgreplication.harness.procedure.InitMasterScript.InitRun;
import io.github.pgreplication.harness.procedure.InitMasterScript.SecretValue;
import io.github.pgreplication.harness.procedure.InitMasterScript.ValueRun;
import io.github.pgreplication.harness.procedure.RunContext;
import io.github.pgreplication.harness.procedure.ServerLogs;
import io.github.pgreplication.harness.procedure.SetupSlaveScript;
import io.github.pgreplication.harness.procedure.SetupSlaveScript.PrintablePasswordRun;
import io.github.pgreplication.harness.procedure.WalArchive;
import io.github.pgreplication.harness.run.Evidence;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BiFunction;

/** The guide's scripts and settings under real inputs: Secret values, failing commands, what the settings write. */
public class DefectSteps {

    private final PairWorld world;
    private ValueRun init;
    private InitRun initWithSecret;
    private ContainerResult setup;
    private PrintablePasswordRun printable;

    public DefectSteps(PairWorld world) {
        this.world = world;
    }

    /** The procedure class {@code procedure} on the scenario's pair. */
    private <T> T on(BiFunction<GuidePair, RunContext, T> procedure) {
        return procedure.apply(world.pair(), world.context());
    }

    private void note(Evidence.Note note) {
        world.context().evidence().note(note.step(), note.text());
    }

    @When("init-master.sh runs in the master pod with a REPLICATION_PASSWORD holding a single quote")
    public void initWithQuote() {
        init = on(InitMasterScript::new).initMasterWith(SecretValue.QUOTE);
    }

    @When("init-master.sh runs in the master pod with a REPLICATION_PASSWORD that closes its quote and adds SUPERUSER")
    public void initWithInjection() {
        init = on(InitMasterScript::new).initMasterWith(SecretValue.INJECTION);
    }

    @When("init-master.sh runs in the master pod with an empty REPLICATION_PASSWORD")
    public void initWithEmpty() {
        init = on(InitMasterScript::new).initMasterWith(SecretValue.EMPTY);
    }

    @Then("the role {replication-role} exists with exactly that password, or the script failed and left no role")
    public void roleWithThatPasswordOrFailure(Named replicationRole) {
        InitRun run = init.run();
        note(init.note());
        assertThat(run.roleExists()).as(replicationRole.name() + " after exit "
                + run.result().exitCode() + ":\n" + run.result().tail(10)).isEqualTo(run.result().succeeded());
        if (run.result().succeeded()) {
            assertThat(on(InitMasterScript::new).replicationLoginSqlState(run.value()))
                    .as("a replication login with the Secret's value").isNull();
        }
    }

    @Then("the role {replication-role} is not a superuser")
    public void notSuperuser(Named replicationRole) {
        note(init.note());
        assertThat(init.run().superuser()).as(replicationRole.name() + " is a superuser").isFalse();
    }

    @Then("the role {replication-role} has a password, or the script failed and left no role")
    public void hasPasswordOrFailure(Named replicationRole) {
        note(init.note());
        assertPasswordOrCleanFailure(replicationRole.name());
    }

    /** The script made the role with a password, or failed saying why and left no role. */
    private void assertPasswordOrCleanFailure(String role) {
        if (init.run().result().succeeded()) {
            assertThat(init.run().roleExists() && !init.run().noPassword()).as(role + " has a password").isTrue();
        } else {
            assertThat(init.run().roleExists()).as(role + " after exit " + init.run().result().exitCode()).isFalse();
            assertThat(init.run().result().output()).as("the script says why").contains("REPLICATION_PASSWORD");
        }
    }

    @When("init-master.sh of the manifests under test runs in the master pod with the Secret's password")
    public void initWithSecret() {
        initWithSecret = on(InitMasterScript::new).initMasterWithSecret();
    }

    @When("Phase 2 deploys the replica from it")
    public void phase2() {
        world.pair().applyPhase2();
    }

    @Then("the replication password is in no server log of the master nor of the replica")
    public void passwordNotLogged() {
        note(on(ServerLogs::new).passwordNotLogged(initWithSecret.value()).note());
    }

    @Then("the replica's container output, which oc logs shows, holds its server messages")
    public void serverMessagesInOcLogs() {
        note(on(ServerLogs::new).serverMessagesInContainerOutput().note());
    }

    @When("the replica is recreated from scratch with a wrong password in the Secret {admin-secret}, its init container given {duration}")
    public void recreateWithWrongAdminPassword(Named secret, Duration given) {
                setup = on(SetupSlaveScript::new).recreateWithWrongAdminPassword(given);
    }

    @Then("its init container completes and the replica streams again within {duration}")
    public void initCompletesAndStreams(Duration within) {
        assertThat(setup.succeeded()).as("setup-slave.sh:\n" + setup.tail(15)).isTrue();
        world.pair().awaitStreaming(within);
    }

    @When("the master archives WAL and its pod is recreated, the archive given {duration}")
    public void archiveAcrossRestart(Duration given) throws SQLException {
        note(on(WalArchive::new).archiveSurvivesRestart(given).note());
    }

    @Then("the master streams to the replica again within {duration}")
    public void streamsAgain(Duration within) {
        world.pair().awaitStreaming(within);
    }

    @When("the replicator's password becomes one holding spaces, quotes, a dollar, a backslash, {string} and {string}")
    public void specialPassword(String at, String colon) throws SQLException {
        printable = on(SetupSlaveScript::new).recreateWithPrintablePassword(at, colon);
    }

    @Then("setup-slave.sh completes, pg_basebackup -R writing a primary_conninfo the replica streams with, within {duration}")
    public void specialPasswordStreams(Duration within) {
        assertThat(printable.setup().succeeded()).as("setup-slave.sh:\n" + printable.setup().tail(15)).isTrue();
        world.pair().awaitStreaming(within);
        note(printable.note());
    }

    @Then("every setting of the existing master's postgresql.conf that master.conf does not set has kept its value")
    public void existingSettingsKept() throws SQLException {
        note(on(ConfigurationFiles::new).existingSettingsKept().note());
    }

    @Then("the replica admits no more clients than the guide's pg_hba.conf does")
    public void replicaHba() throws SQLException {
        note(on(ConfigurationFiles::new).replicaHba().note());
    }

    @Then("psql run as a heredoc exits {int} after an ERROR, and psql -c exits {int}")
    public void psqlExitStatuses(int heredoc, int dashC) {
        PsqlOnError r = on(HarmlessFindings::new).psqlOnError();
        note(r.note());
        assertThat(r.heredocExit()).isEqualTo(heredoc);
        assertThat(r.dashCExit()).isEqualTo(dashC);
    }

    @Then("the master runs with hot_standby {string} while it is not in recovery")
    public void hotStandbyOnMaster(String value) throws SQLException {
        HotStandby seen = on(HarmlessFindings::new).hotStandbyOnMaster();
        assertThat(seen.seen()).isEqualTo(value + ", pg_is_in_recovery() = false");
        note(seen.note());
    }

    @Then("the replicator's password is stored as {string} from PostgreSQL {int} on, as {string} before, and the md5 replication line accepts it")
    public void scramThroughMd5(String from, int major, String before) throws SQLException {
        PasswordThroughMd5 seen = on(HarmlessFindings::new).replicatorPasswordThroughMd5();
        assertThat(seen.storedAs()).as("on PostgreSQL " + seen.serverMajor()).isEqualTo(seen.serverMajor() >= major ? from : before);
        assertThat(seen.loginSqlState()).isNull();
        note(seen.note());
    }
}
