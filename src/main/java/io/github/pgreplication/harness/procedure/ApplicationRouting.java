package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.backend.kind.BackendKind;
import io.github.pgreplication.harness.clients.ApplicationLag;
import io.github.pgreplication.harness.clients.ApplicationLogin;
import io.github.pgreplication.harness.clients.ClientUrl;
import io.github.pgreplication.harness.clients.GuideUrl;
import io.github.pgreplication.harness.clients.RoutedWrite;
import io.github.pgreplication.harness.clients.RoutingSql;
import io.github.pgreplication.harness.clients.ServerIdentity;
import io.github.pgreplication.harness.clients.TypeOrmClient;
import io.github.pgreplication.harness.clients.TypeOrmRun;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Secrets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.core.Utils;

/**
 * The guide's « Stratégie de répartition lecture/écriture » on a live pair: its two URLs and its TypeORM
 * configuration, read from the guide's text; the application's role and database that these name, created on the
 * master with a password of this run; where each Service is reached from this host; and the checks that a
 * client's write landed on the master and its read was served by the replica, by the identity of the server
 * that answered. The checks throw {@link AssertionError}; the negative scenario proves they can.
 */
public final class ApplicationRouting {

    /** The guide section's id, as its features are tagged ({@code @guide-app-routing}). */
    public static final String STEP = "app-routing";
    public static final String WRITE = "DATABASE_URL_WRITE";
    public static final String READ = "DATABASE_URL_READ";
    static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final GuidePair pair;
    private final RunContext context;
    private final GuideUrl write;
    private final GuideUrl read;
    private final String typeOrmConfig;
    private final Map<String, Endpoint> services = new LinkedHashMap<>();
    private ApplicationLogin login;
    private ServerIdentity master;
    private ServerIdentity replica;

    public ApplicationRouting(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
        GuideDocument guide = context.guide();
        this.write = url(guide, WRITE);
        this.read = url(guide, READ);
        this.typeOrmConfig = guide.block(STEP, "javascript").text();
    }

    private static GuideUrl url(GuideDocument guide, String variable) {
        GuideDocument.EnvAssignment a = guide.envAssignment(STEP, variable);
        return GuideUrl.parse(variable, a.value(), a.line());
    }

    public GuideUrl url(String variable) {
        return switch (variable) {
            case WRITE -> write;
            case READ -> read;
            default -> throw new IllegalArgumentException("the guide sets " + WRITE + " and " + READ + ", not " + variable);
        };
    }

    public String typeOrmConfig() {
        return typeOrmConfig;
    }

    public String masterService() {
        return pair.model().masterServiceName();
    }

    public String replicaService() {
        return pair.manifests().replicaService().getMetadata().getName();
    }

    /**
     * The role and database the guide's URLs name ({@code user}, {@code dbname}), created on the master if absent,
     * the role's password set to a new random one (hashed by pgjdbc, so no statement log holds it), the table the
     * clients write, and the replica caught up. Also reads each pod's identity and each Service's endpoint, and lists
     * this section's host adaptations in the report.
     */
    public ApplicationLogin prepare() {
        if (!write.user().equals(read.user()) || !write.database().equals(read.database())) {
            throw new AssertionError("the guide's two URLs name different logins: " + write + " and " + read);
        }
        String password = Secrets.newPassword();
        String admin = pair.adminPassword();
        try (Connection c = Sql.connect(pair.master().endpoint(), "postgres", admin); Statement st = c.createStatement()) {
            if (Sql.rows(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", write.user()).isEmpty()) {
                st.execute("CREATE ROLE " + ident(write.user()) + " LOGIN");
            }
            c.unwrap(PGConnection.class).alterUserPassword(write.user(), password.toCharArray(), "scram-sha-256");
            if (Sql.rows(c, "SELECT 1 FROM pg_database WHERE datname = ?", write.database()).isEmpty()) {
                st.execute("CREATE DATABASE " + ident(write.database()) + " OWNER " + ident(write.user()));
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot create the application's role and database on the master: SQLSTATE "
                    + e.getSQLState() + " " + Secrets.redact(e.getMessage()), e);
        }
        try (Connection c = connect(pair.master().endpoint(), write.database(), "postgres", admin);
             Statement st = c.createStatement()) {
            st.execute(RoutingSql.CREATE_TABLE);
            st.execute("ALTER TABLE " + RoutingSql.TABLE + " OWNER TO " + ident(write.user()));
        } catch (SQLException e) {
            throw new AssertionError("cannot create the table " + RoutingSql.TABLE + ": SQLSTATE " + e.getSQLState() + " "
                    + e.getMessage(), e);
        }
        login = new ApplicationLogin(write.user(), write.database(), password);
        master = identity(pair.master().endpoint(), admin);
        replica = identity(pair.replica().endpoint(), admin);
        services.clear();
        // A Service's address, as its DNS name gives it to a pod: it stays when its pods go.
        // The guide's URLs and TypeORM configuration name the guide's Services; manifests may call them otherwise.
        for (var role : List.of(GuideNames.Role.MASTER_SERVICE,
                GuideNames.Role.REPLICA_SERVICE)) {
            Endpoint e = pair.backend().service(pair.names().get(role));
            services.put(pair.names().get(role), e);
            services.putIfAbsent(pair.manifests().guideNames().get(role), e);
        }
        caughtUp("the application's role, database and table are on the replica");
        adaptations().forEach(context.evidence()::adaptation);
        return login;
    }

    /** The host adaptations of this section, for the report (no port numbers: they change each run). */
    public List<String> adaptations() {
        return List.of(
                "« Stratégie de répartition lecture/écriture »: the hosts and ports of " + WRITE + " (`" + write.address()
                        + "`) and " + READ + " (`" + read.address() + "`) and of the TypeORM configuration's master and "
                        + "slaves become the endpoint of the Service each names, as the harness reaches it from this host: "
                        + BackendKind.named(pair.backend().description().name()).hostReach(),
                "« Stratégie de répartition lecture/écriture »: the URLs' placeholder login `" + write.user() + ":"
                        + write.password() + "` and database `" + write.database() + "` are a real role `" + write.user()
                        + "` and database `" + write.database() + "` created on the master, the password `"
                        + write.password() + "` replaced by a random 32-character password generated for this run",
                "« Stratégie de répartition lecture/écriture »: psql gets the URL without its password, which goes in "
                        + "PGPASSWORD (a command line is visible to every user of the host)",
                "« Stratégie de répartition lecture/écriture »: pgjdbc does not take a libpq URI: `postgresql://user:"
                        + "pass@host:port/dbname` becomes `jdbc:postgresql://host:port/dbname` with user and password as "
                        + "connection properties");
    }

    /** A guide URL as a client uses it: the Service its host names. */
    public ClientUrl resolve(String variable) {
        GuideUrl url = url(variable);
        return misrouted(variable, url.host());
    }

    /** A guide URL whose host has been changed to another Service (an application misconfigured on purpose). */
    public ClientUrl misrouted(String variable, String service) {
        requirePrepared();
        Endpoint endpoint = services.get(service);
        if (endpoint == null) {
            throw new AssertionError(variable + " names the host " + service + ", which is no Service of the pair "
                    + services.keySet());
        }
        return new ClientUrl(url(variable), service, endpoint, login);
    }

    /** Where each Service is reached from this host, as {@code host:port}, for a client outside the JVM. */
    public Map<String, String> serviceAddresses() {
        requirePrepared();
        Map<String, String> out = new LinkedHashMap<>();
        services.forEach((name, e) -> out.put(name, e.host() + ":" + e.port()));
        return out;
    }

    /** The endpoints of the Services, in the order given. */
    public List<Endpoint> endpoints(List<String> serviceNames) {
        requirePrepared();
        return serviceNames.stream().map(n -> {
            Endpoint e = services.get(n);
            if (e == null) {
                throw new AssertionError("no Service " + n + " in the pair " + services.keySet());
            }
            return e;
        }).toList();
    }

    public ApplicationLogin login() {
        requirePrepared();
        return login;
    }

    /**
     * The guide's TypeORM configuration in Node.js: {@code rounds} rows written and read back at once. The guide's
     * placeholder password is replaced by this run's; each host by where its Service is reached.
     */
    public TypeOrmRun runTypeOrm(TypeOrmClient client, int rounds, Duration readTimeout) {
        return runTypeOrm(client, rounds, readTimeout, serviceAddresses());
    }

    /**
     * The same with the guide's slave host sent to another Service ({@code service}): an application whose
     * configuration names the wrong Service, for the negative scenario.
     */
    public TypeOrmRun runTypeOrmWithSlaveOn(TypeOrmClient client, int rounds, Duration readTimeout, String service) {
        Map<String, String> addresses = serviceAddresses();
        String target = addresses.get(service);
        if (target == null) {
            throw new AssertionError("no Service " + service + " in the pair " + addresses.keySet());
        }
        addresses.put(read.host(), target);
        return runTypeOrm(client, rounds, readTimeout, addresses);
    }

    private TypeOrmRun runTypeOrm(TypeOrmClient client, int rounds, Duration readTimeout, Map<String, String> addresses) {
        requirePrepared();
        TypeOrmRun run = client.run(typeOrmConfig, addresses, Map.of(write.password(), login.password()), rounds,
                readTimeout);
        if (run.writes().size() != rounds || run.reads().size() != rounds) {
            throw new AssertionError("TypeORM wrote " + run.writes().size() + " and read " + run.reads().size()
                    + " rows, expected " + rounds + " of each");
        }
        return run;
    }

    /**
     * Every row TypeORM wrote appeared through the replica within {@code budget}; the lag kept as figures, and how
     * many reads right after a write missed it as an observation.
     */
    public ApplicationLag lagWithin(TypeOrmRun run, Duration budget) {
        ApplicationLag lag = ApplicationLag.of(run);
        run.reads().stream().filter(r -> !r.read().seen()).findFirst().ifPresent(r -> {
            throw new AssertionError("the row of round " + r.round() + " never appeared through the replica ("
                    + r.attempts() + " reads over " + r.appearedAfterMs() + " ms)");
        });
        if (lag.maxMs() > budget.toMillis()) {
            throw new AssertionError("a row written through the master took " + lag.maxMs() + " ms to appear through the "
                    + "replica; the guide's budget is " + budget.toMillis() + " ms (samples " + lag.samplesMs() + ")");
        }
        String versions = "typeorm " + run.typeormVersion() + ", pg " + run.pgVersion() + ", node " + run.nodeVersion();
        pair.figure(STEP, "TypeORM (" + versions + "): write through the master to the row read through the replica, median of "
                + lag.rounds(), lag.medianMs(), "ms");
        pair.figure(STEP, "TypeORM: the same, slowest of " + lag.rounds(), lag.maxMs(), "ms");
        pair.figure(STEP, "TypeORM: reads made right after a write that did not see it yet, of " + lag.rounds(),
                lag.firstReadMissed(), "reads");
        context.evidence().note(STEP, "Reads right after a write, through TypeORM's replication configuration: "
                + lag.firstReadMissed() + " of " + lag.rounds() + " missed the row just written (it appeared after at most "
                + lag.maxMs() + " ms). An application that reads its own writes must read them from the master "
                + "(a query runner in mode \"master\") or wait for the replica; the guide says nothing of it.");
        return lag;
    }

    /** The observation that recommends pgjdbc's multi-host URL, in the guide's names (no ports of this run). */
    public void recommendMultiHost() {
        context.evidence().note(STEP, "pgjdbc can route without a second URL: `jdbc:postgresql://" + write.address() + ","
                + read.address() + "/" + write.database() + "?targetServerType=primary` for writes and `…"
                + "?targetServerType=preferSecondary` for reads; the driver asks each server whether it is in recovery "
                + "and connects to the one the application wants.");
    }

    /** The observation of what the two ways do when the replica is gone. */
    public void noteReplicaGone() {
        context.evidence().note(STEP, "With the replica's pod gone, " + READ + " cannot connect at all (psql exits 2, "
                + "connection refused), while pgjdbc's `targetServerType=preferSecondary` over both Services falls back to "
                + "the master: an application using the guide's two URLs loses its reads with the replica.");
    }

    // ----- the checks ----------------------------------------------------------------------------------------

    /** The server that answered is the master's pod, and {@code service} is the master's Service. */
    public void answeredByMaster(String service, ServerIdentity answered, String what) {
        requirePrepared();
        if (!service.equals(masterService())) {
            throw new AssertionError(service + " is not the master's Service (" + masterService() + ")");
        }
        if (!answered.equals(master) || answered.inRecovery()) {
            throw new AssertionError(what + " was answered by " + describe(answered) + ", not by the master " + service
                    + " (" + master + ")");
        }
    }

    /** The server that answered is the replica's pod, in recovery, and {@code service} is the replica's Service. */
    public void answeredByReplica(String service, ServerIdentity answered, String what) {
        requirePrepared();
        if (!service.equals(replicaService())) {
            throw new AssertionError(service + " is not the replica's Service (" + replicaService() + ")");
        }
        if (!answered.equals(replica) || !answered.inRecovery()) {
            throw new AssertionError(what + " was answered by " + describe(answered) + ", not by the replica " + service
                    + " (" + replica + ")");
        }
    }

    private String describe(ServerIdentity answered) {
        String who = answered.equals(master) ? "the master" : answered.equals(replica) ? "the replica" : "an unknown server";
        return who + " (" + answered + ")";
    }

    /** The row is on the master, read there directly (not through a Service). */
    public void onMaster(RoutedWrite w) {
        try (Connection c = connect(pair.master().endpoint(), login.database(), "postgres", pair.adminPassword())) {
            if (Sql.rows(c, "SELECT 1 FROM " + RoutingSql.TABLE + " WHERE marker = ? AND via = ?", w.marker(), w.client())
                    .isEmpty()) {
                throw new AssertionError("the row " + w.marker() + " written by " + w.client() + " through " + w.url()
                        + " is not on the master");
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot read the master: SQLSTATE " + e.getSQLState() + " " + e.getMessage(), e);
        }
    }

    /** Waits until the replica has replayed everything the master has written so far (by LSN). */
    public void caughtUp(String description) {
        GuideChecks checks = new GuideChecks(pair, context);
        checks.catchUp(description, checks.lsn(), CATCH_UP);
    }

    private void requirePrepared() {
        if (login == null) {
            throw new IllegalStateException("the application's role and database have not been prepared (prepare())");
        }
    }

    private static ServerIdentity identity(Endpoint pod, String adminPassword) {
        try (Connection c = Sql.connect(pod, "postgres", adminPassword)) {
            return ServerIdentity.parse((String) Sql.scalar(c, "SELECT " + ServerIdentity.SQL));
        } catch (SQLException e) {
            throw new AssertionError("cannot read the identity of the server at " + pod + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(Endpoint endpoint, String database, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "10");
        p.setProperty("sslmode", "disable");
        p.setProperty("ApplicationName", "pg-replication-harness");
        return DriverManager.getConnection(endpoint.jdbcUrl(database), p);
    }

    private static String ident(String name) throws SQLException {
        return Utils.escapeIdentifier(null, name).toString();
    }
}
