package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cucumber.java.ParameterType;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.clients.ApplicationLogin;
import io.github.pgreplication.harness.procedure.ApplicationRouting;
import io.github.pgreplication.harness.procedure.TypedSetEnv;
import io.github.pgreplication.harness.clients.JdbcClient;
import io.github.pgreplication.harness.clients.PsqlClient;
import io.github.pgreplication.harness.clients.Refusal;
import io.github.pgreplication.harness.clients.RoutedRead;
import io.github.pgreplication.harness.clients.RoutedWrite;
import io.github.pgreplication.harness.clients.ServerIdentity;
import io.github.pgreplication.harness.clients.SqlClient;
import io.github.pgreplication.harness.clients.TypeOrmClient;
import io.github.pgreplication.harness.clients.TypeOrmRun;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** « Stratégie de répartition lecture/écriture »: the guide's application examples, run by real clients. */
public class ApplicationRoutingSteps {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(120);
    private final PairWorld world;
    private ApplicationRouting app;
    private RoutedWrite written;
    private RoutedRead read;
    private Refusal refusal;
    private PsqlClient.Result psqlResult;
    private TypeOrmRun typeorm;
    private ServerIdentity answered;
    private TypedSetEnv typedSetEnv;
    private TypedSetEnv.SetEnv setEnv;

    public ApplicationRoutingSteps(PairWorld world) {
        this.world = world;
    }

    @ParameterType("psql|pgjdbc")
    public SqlClient client(String name) {
        return name.equals(PsqlClient.NAME) ? psql() : new JdbcClient();
    }

    private PsqlClient psql() {
        return new PsqlClient(world.context().waits().scaled(CLIENT_TIMEOUT));
    }

    @Given("the role {string} and the database {string} of the guide's URLs exist on the master, with a password of this run")
    public void applicationLogin(String role, String database) {
        app = new ApplicationRouting(world.pair(), world.context());
        assertThat(app.prepare()).extracting(ApplicationLogin::user, ApplicationLogin::database).containsExactly(role, database);
    }

    @When("{client} writes a row through {word}")
    public void writes(SqlClient client, String variable) {
        written = client.write(app.resolve(variable));
    }

    @When("{client} tries to write a row through {word}")
    public void triesToWrite(SqlClient client, String variable) {
        refusal = client.tryWrite(app.resolve(variable));
    }

    @When("{client} reads that row through {word} once the replica has replayed it")
    public void readsOnceReplayed(SqlClient client, String variable) {
        app.caughtUp("the replica has replayed the row " + client.name() + " wrote");
        read = client.read(app.resolve(variable), written.marker());
    }

    @When("{client} reads that row through {word} changed to name the master's Service {master-service}")
    public void readsMisrouted(SqlClient client, String variable, Named service) {
        read = client.read(app.misrouted(variable, service.name()), written.marker());
    }

    @Then("the write was answered by the master {master-service}, which holds the row")
    public void writeOnMaster(Named service) {
        app.answeredByMaster(service.name(), written.server(), "the write through " + written.url());
        app.onMaster(written);
    }

    @Then("the read was answered by the replica {replica-service}, in recovery, and returned the row")
    public void readOnReplica(Named service) {
        app.answeredByReplica(service.name(), read.server(), "the read through " + read.url());
        assertThat(read.seen()).as("the row %s read through %s", read.marker(), read.url()).isTrue();
    }

    @Then("the replica check fails, saying the read was answered by the master {master-service}")
    public void replicaCheckFails(Named service) {
        assertThatThrownBy(() -> app.answeredByReplica(app.replicaService(), read.server(), "the read through " + read.url()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("was answered by the master");
    }

    @Then("the write is refused with SQLSTATE {string}")
    public void writeRefused(String sqlstate) {
        assertThat(refusal.refused()).as(refusal.message()).isTrue();
        assertThat(refusal.sqlstate()).as(refusal.message()).isEqualTo(sqlstate);
    }

    @Then("psql exits with status {int}, printing {string}")
    public void psqlExits(int status, String text) {
        assertThat(refusal.exitCode()).as(refusal.message()).isEqualTo(status);
        assertThat(refusal.message()).contains(text);
    }

    @Then("psql cannot connect through {word}: it exits with status {int}, printing {string}")
    public void psqlCannotConnect(String variable, int status, String text) {
        psqlResult = psql().connect(app.resolve(variable));
        assertThat(psqlResult.exitCode()).as(psqlResult.output()).isEqualTo(status);
        assertThat(psqlResult.output()).contains(text);
    }

    @When("the guide's TypeORM configuration runs in Node.js with the typeorm and pg packages, writing {int} row(s) and reading each back at once")
    public void typeOrmRuns(int rows) {
        typeorm = app.runTypeOrm(node(), rows, readTimeout());
    }

    @When("the guide's TypeORM configuration runs in Node.js with its slave's host changed to the master's Service {master-service}, writing {int} row(s) and reading each back at once")
    public void typeOrmMisrouted(Named service, int rows) {
        String master = service.name();
        typeorm = app.runTypeOrmWithSlaveOn(node(), rows, readTimeout(), master);
    }

    /**
     * How long TypeORM reads a row back before giving up on it: a second beyond the guide's promise for Test 3
     * (« en < 5 secondes »), so that a row later than promised is measured, and one that never comes is not waited
     * for longer than needed to say so.
     */
    private Duration readTimeout() {
        return world.context().waits().scaled(world.context().guide().test3Delay().plusSeconds(1));
    }

    private TypeOrmClient node() {
        return new TypeOrmClient(world.run().settings().nodeClientDir(), world.context().waits().scaled(CLIENT_TIMEOUT));
    }

    @Then("the check that every read was answered by the replica {replica-service} fails, saying a read was answered by the master")
    public void typeOrmReplicaCheckFails(Named service) {
        assertThatThrownBy(() -> everyReadOnReplica(service)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("was answered by the master");
    }

    @Then("the lag check of {duration} fails, saying the row never appeared through the replica")
    public void lagCheckFails(Duration budget) {
        assertThatThrownBy(() -> rowsAppeared(budget)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("never appeared through the replica");
    }

    @Then("TypeORM took the guide's master {string} and slave {string}")
    public void typeOrmConfig(String master, String slave) {
        assertThat(typeorm.type()).isEqualTo("postgres");
        assertThat(List.of(typeorm.guideMaster(), typeorm.guideSlaves())).containsExactly(master, List.of(slave));
    }

    @Then("every write was answered by the master {master-service}")
    public void everyWriteOnMaster(Named service) {
        typeorm.writes().forEach(w -> app.answeredByMaster(service.name(), w.server(), "TypeORM's write " + w.marker()));
        typeorm.writes().forEach(app::onMaster);
    }

    @Then("every read was answered by the replica {replica-service}, in recovery")
    public void everyReadOnReplica(Named service) {
        typeorm.reads().forEach(r -> app.answeredByReplica(service.name(), r.read().server(), "TypeORM's read of round " + r.round()));
    }

    @Then("every row appeared through the replica within {duration} of its write, the guide's promise of Test 3, kept as the replication lag an application sees")
    public void rowsAppeared(Duration budget) {
        assertThat(budget).as("the guide's promise for Test 3 (« en < N secondes »)").isEqualTo(world.context().guide().test3Delay());
        app.lagWithin(typeorm, budget);
    }

    @Then("a write sent to TypeORM's slave query runner is refused with SQLSTATE {string}")
    public void typeOrmWriteOnSlave(String sqlstate) {
        refusal = typeorm.writeOnReplica().orElseThrow(() -> new AssertionError("the script did not try a write on a slave"));
        writeRefused(sqlstate);
    }

    @When("pgjdbc connects to the Services {master-service} and {replica-service} with targetServerType={word}")
    public void multiHost(Named first, Named second, String targetServerType) {
        List<String> services = List.of(first.name(), second.name());
        answered = new JdbcClient().multiHost(app.endpoints(services), targetServerType, app.login());
    }

    @Then("the connection was answered by the master {master-service}")
    public void connectionOnMaster(Named service) {
        app.answeredByMaster(service.name(), answered, "pgjdbc's multi-host connection");
    }

    @Then("the connection was answered by the replica {replica-service}, in recovery, which pgjdbc's multi-host URL is recommended for")
    public void connectionOnReplica(Named service) {
        app.answeredByReplica(service.name(), answered, "pgjdbc's multi-host connection");
        app.recommendMultiHost();
    }

    @Then("the connection was answered by the master {master-service}, where {word} could not connect")
    public void fallbackToMaster(Named service, String variable) {
        assertThat(psqlResult.exitCode()).as("psql through %s", variable).isNotZero();
        app.answeredByMaster(service.name(), answered, "pgjdbc's multi-host connection");
        app.noteReplicaGone();
    }

    @Given("a stand-in for the reader's application runs as the Deployment {string} its oc set env names")
    public void applicationStandIn(String name) {
        typedSetEnv = new TypedSetEnv(world.pair(), world.context(), app);
        assertThat(typedSetEnv.guideName()).isEqualTo(name);
        typedSetEnv.standIn();
    }

    @When("the guide's oc set env block runs as written, the URLs' password the application role's of this run")
    public void setEnvTyped() {
        setEnv = typedSetEnv.run(UnaryOperator.identity());
    }

    @When("the guide's oc set env block runs with DATABASE_URL_READ changed to name the master's Service {master-service}")
    public void setEnvMisrouted(Named master) {
        String replica = world.pair().manifests().guideNames().replicaService();
        setEnv = typedSetEnv.run(line -> line.replace("@" + replica + ":", "@" + master.guideName() + ":"));
    }

    @Then("it exited 0 saying the Deployment's env was updated, and the application's new pod has DATABASE_URL_WRITE and DATABASE_URL_READ as the line sets them")
    public void setEnvUpdated() {
        assertThat(setEnv.setEnv().exitCode()).as(setEnv.setEnv().toString()).isZero();
        assertThat(setEnv.setEnv().output()).contains("deployment.apps/" + typedSetEnv.name() + " env updated");
        assertThat(setEnv.env()).containsAllEntriesOf(typedSetEnv.expectedEnv());
    }

    @Then("in that pod, psql through DATABASE_URL_WRITE reaches the writable master, and through DATABASE_URL_READ the read-only replica")
    public void setEnvReached() {
        TypedSetEnv.reached(setEnv, ApplicationRouting.WRITE, false);
        TypedSetEnv.reached(setEnv, ApplicationRouting.READ, true);
    }

    @Then("the check that psql through DATABASE_URL_READ in the application's pod reaches the read-only replica fails, saying it reached the writable master")
    public void setEnvCheckFails() {
        assertThatThrownBy(() -> TypedSetEnv.reached(setEnv, ApplicationRouting.READ, true))
                .hasMessageContaining("printed f/off");
    }
}
