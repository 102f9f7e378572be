package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.guide.GuideNames.Role;
import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.procedure.GuideDefects;
import io.github.pgreplication.harness.procedure.GuideDefects.InitRun;
import io.github.pgreplication.harness.procedure.GuideDefects.SecretValue;
import io.github.pgreplication.harness.procedure.Troubleshooting;
import io.github.pgreplication.harness.run.Secrets;
import java.sql.SQLException;
import java.time.Duration;

/** The guide's scripts and settings under real inputs: Secret values, failing commands, what the settings write. */
public class DefectSteps {

    private final PairWorld world;
    private GuideDefects defects;
    private InitRun init;
    private ContainerResult setup;

    public DefectSteps(PairWorld world) {
        this.world = world;
    }

    private GuideDefects d() {
        if (defects == null) {
            defects = new GuideDefects(world.pair(), world.context());
        }
        return defects;
    }

    @When("init-master.sh runs in the master pod with a REPLICATION_PASSWORD holding a single quote")
    public void initWithQuote() {
        init = d().initMasterWith(SecretValue.QUOTE);
    }

    @When("init-master.sh runs in the master pod with a REPLICATION_PASSWORD that closes its quote and adds SUPERUSER")
    public void initWithInjection() {
        init = d().initMasterWith(SecretValue.INJECTION);
    }

    @When("init-master.sh runs in the master pod with an empty REPLICATION_PASSWORD")
    public void initWithEmpty() {
        init = d().initMasterWith(SecretValue.EMPTY);
    }

    @Then("the role {sqlrole} exists with exactly that password, or the script failed and left no role")
    public void roleWithThatPasswordOrFailure(Named replicationRole) {
        String role = replicationRole.as(Role.REPLICATION_ROLE).name();
        note();
        if (init.result().succeeded()) {
            assertThat(init.roleExists()).as(role + " after exit 0:\n" + init.result().tail(10)).isTrue();
            assertThat(d().replicationLoginSqlState(init.value())).as("a replication login with the Secret's value").isNull();
        } else {
            assertThat(init.roleExists()).as(role + " after exit " + init.result().exitCode()).isFalse();
        }
    }

    @Then("the role {sqlrole} is not a superuser")
    public void notSuperuser(Named replicationRole) {
        String role = replicationRole.as(Role.REPLICATION_ROLE).name();
        note();
        assertThat(init.superuser()).as(role + " is a superuser").isFalse();
    }

    @Then("the role {sqlrole} has a password, or the script failed and left no role")
    public void hasPasswordOrFailure(Named replicationRole) {
        String role = replicationRole.as(Role.REPLICATION_ROLE).name();
        note();
        if (init.result().succeeded()) {
            assertThat(init.roleExists() && !init.noPassword()).as(role + " has a password").isTrue();
        } else {
            assertThat(init.roleExists()).as(role + " after exit " + init.result().exitCode()).isFalse();
            assertThat(init.result().output()).as("the script says why").contains("REPLICATION_PASSWORD");
        }
    }

    private void note() {
        InitRun asTested = d().verbatimInit();
        String said = asTested.result().output().lines().map(String::strip)
                .filter(l -> l.startsWith("ERROR:") || l.startsWith("NOTICE:") || l.startsWith("REPLICATION_PASSWORD"))
                .map(l -> l.replaceAll("\".*", "\"…\"")).findFirst().orElse("nothing on error");
        String last = asTested.result().output().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("").strip();
        world.context().evidence().note("1.4", "init-master.sh of " + world.run().settings().manifestsDir().getFileName()
                + " (E02's correction applied where it reproduces) with a REPLICATION_PASSWORD " + describe(asTested.value())
                + ": " + asTested.outcome() + "; psql said « " + Secrets.redact(said) + " », the script's last line « "
                + Secrets.redact(last) + " »" + (asTested == init ? "." : "; the corrected script: " + init.outcome() + "."));
    }

    private static String describe(String value) {
        return value.isEmpty() ? "empty" : value.endsWith("SUPERUSER; --") ? "of the shape `…' SUPERUSER; --`"
                : "holding a single quote";
    }

    @When("init-master.sh of the manifests under test runs in the master pod with the Secret's password")
    public void initWithSecret() {
        init = d().initMasterWithSecret();
    }

    @When("Phase 2 deploys the replica from it")
    public void phase2() {
        world.pair().applyPhase2();
    }

    @Then("the replication password is in no server log of the master nor of the replica")
    public void passwordNotLogged() {
        String where = d().passwordNotLogged(init.value());
        world.context().evidence().note("2.2", "The replication password in the pods' server logs, searched inside each pod "
                + "(PGDATA/log and the container output): " + where + ".");
    }

    @Then("the replica's container output, which oc logs shows, holds its server messages")
    public void serverMessagesInOcLogs() {
        String seen = d().serverMessagesInContainerOutput();
        world.context().evidence().note("2.5", "`oc logs $SLAVE_POD -c postgresql` on the deployed replica: " + seen + ".");
    }

    @When("the replica is recreated from scratch with a wrong password in the Secret {secret}, its init container given {duration}")
    public void recreateWithWrongAdminPassword(Named secret, Duration given) {
        secret.as(Role.ADMIN_SECRET);
        setup = d().recreateWithWrongAdminPassword(given);
    }

    @Then("its init container completes and the replica streams again within {duration}")
    public void initCompletesAndStreams(Duration within) {
        assertThat(setup.succeeded()).as("setup-slave.sh:\n" + setup.tail(15)).isTrue();
        world.pair().awaitStreaming(within);
    }

    @When("the master archives WAL and its pod is recreated, the archive given {duration}")
    public void archiveAcrossRestart(Duration given) throws SQLException {
        GuideDefects.ArchiveAcrossRestart a = d().archiveSurvivesRestart(given);
        world.context().evidence().note("1.3", "WAL archive across a recreation of the master's pod: archive_mode = "
                + a.archiveMode() + "; " + a.before() + " archived file(s) before, " + a.after() + " after.");
    }

    @Then("the master streams to the replica again within {duration}")
    public void streamsAgain(Duration within) {
        world.pair().awaitStreaming(within);
    }

    @When("the replicator's password becomes one holding spaces, quotes, a dollar, a backslash, {string} and {string}")
    public void specialPassword(String at, String colon) throws SQLException {
        String password = Secrets.newPassword().substring(0, 10) + " a'b\"c $HOME \\n " + at + colon + " *";
        Secrets.remember(password);
        d().setReplicatorPassword(password);
        setup = new Troubleshooting(world.pair(), world.context()).recreateWithReplicationPassword(
                world.pair().names().get(Role.REPLICATION_SECRET), password);
    }

    @Then("setup-slave.sh completes, pg_basebackup -R writing a primary_conninfo the replica streams with, within {duration}")
    public void specialPasswordStreams(Duration within) {
        assertThat(setup.succeeded()).as("setup-slave.sh:\n" + setup.tail(15)).isTrue();
        world.pair().awaitStreaming(within);
        world.context().evidence().note("2.2", "A replication password holding spaces, single and double quotes, `$`, a "
                + "backslash, `@`, `:` and `*` goes through setup-slave.sh unharmed: `PGPASSWORD=${REPLICATION_PASSWORD}` "
                + "is an assignment, which bash never splits nor globs, and `pg_basebackup -R` quotes the value it writes "
                + "into primary_conninfo; the replica streamed with it. Harmless (the `-h ${MASTER_SERVICE}` and "
                + "`-D ${PGDATA}` words are unquoted too, harmless with a Service name and the image's PGDATA).");
    }

    @Then("every setting of the existing master's postgresql.conf that master.conf does not set has kept its value")
    public void existingSettingsKept() throws SQLException {
        var dropped = d().existingSettingsKept();
        world.context().evidence().note("1.5", "Settings of the existing master's PGDATA/postgresql.conf that master.conf does "
                + "not set, changed by Étape 1.5" + (dropped.isEmpty() ? ": none."
                : ": " + dropped.stream().map(x -> x.name() + " `" + x.before() + "` → `" + x.after() + "`")
                        .collect(java.util.stream.Collectors.joining(", ")) + "."));
    }

    @Then("the replica admits no more clients than the guide's pg_hba.conf does")
    public void replicaHba() throws SQLException {
        GuideDefects.ReplicaHba hba = d().replicaHba();
        world.context().evidence().note("2.3", "The replica reads " + (hba.inDataDirectory()
                ? "the pg_hba.conf of its data directory, copied by pg_basebackup from the master's (not the guide's)"
                : "the pg_hba.conf mounted from its ConfigMap") + "; rules admitting every address: "
                + (hba.openRules().isEmpty() ? "none" : String.join("; ", hba.openRules())) + ".");
    }

    @Then("psql run as a heredoc exits {int} after an ERROR, and psql -c exits {int}")
    public void psqlExitStatuses(int heredoc, int dashC) {
        GuideDefects.PsqlOnError r = d().psqlOnError();
        world.context().evidence().note("4.1", "The guide's `oc exec $MASTER_POD -- psql -U postgres <<EOF` (Test 1, Test 3) "
                + "has no ON_ERROR_STOP: with a failing INSERT it printed « " + r.heredocError() + " » and exited "
                + r.heredocExit() + "; `psql -c` with the same INSERT exited " + r.dashCExit() + ". A reader sees the "
                + "error, a script calling these commands does not; the guide's next command (SELECT on the slave) shows "
                + "the rows missing, so Test 1 and Test 3 still fail visibly. Observation, not an erratum.");
        assertThat(r.heredocExit()).isEqualTo(heredoc);
        assertThat(r.dashCExit()).isEqualTo(dashC);
    }

    @Then("the master runs with hot_standby {string} while it is not in recovery")
    public void hotStandbyOnMaster(String value) throws SQLException {
        String seen = d().hotStandbyOnMaster();
        assertThat(seen).isEqualTo(value + ", pg_is_in_recovery() = false");
        world.context().evidence().note("1.3", "master.conf sets hot_standby = on on the master: it runs with hot_standby "
                + seen + ". The setting matters only in recovery, so it is inert on the master (and ready should the master "
                + "ever be rebuilt as a standby). Harmless.");
    }

    @Then("the replicator's password is stored as {string}, and the md5 replication line accepts it")
    public void scramThroughMd5(String kind) throws SQLException {
        assertThat(d().replicatorPasswordKind()).isEqualTo(kind);
        assertThat(d().replicationLoginSqlState(new Troubleshooting(world.pair(), world.context()).deployedReplicationPassword())).isNull();
        world.context().evidence().note("1.3", "pg_hba.conf says md5 while PostgreSQL 15 stores the replicator's password "
                + "as " + kind + " (password_encryption's default since 14; `ENCRYPTED` is a no-op): an md5 line then "
                + "runs a SCRAM exchange, and the replication login succeeded. Harmless; `scram-sha-256` in pg_hba.conf "
                + "would refuse the md5 fallback outright.");
    }
}
