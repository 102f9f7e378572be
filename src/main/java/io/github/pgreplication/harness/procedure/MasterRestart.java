package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.ShellScript;
import io.github.pgreplication.harness.guide.ImageContract;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The master's pod stopped and started again as a rollout does it (Étape 1.5's « redémarrage du pod », « Rollback du
 * Master »), with or without an application's session open, and how its server ended, as the server's own log says.
 * A pod's stop sends the image's stop signal: the sclorg image's SIGTERM asks for a smart shutdown, which waits for
 * every session to end, so with one open the server is killed when the pod's grace period ends and the next one
 * recovers from a crash; the official image's SIGINT asks for a fast shutdown, which ends the sessions.
 */
public final class MasterRestart {

    /**
     * What the server's log says of one stop: the request it got, whether it logged « database system is shut down »,
     * how the next one began.
     */
    public record Restart(boolean sessionOpen, Duration stopTook, Optional<String> request, boolean shutDownLogged,
                          Optional<String> nextStart, Optional<Duration> serverStop, String logExcerpt) {

        /**
         * Whether the server shut down: it logged so, or the next one found it shut down (« database system was shut
         * down at »). In a container the server's last line can be lost: the logging collector ends with the container
         * when postgres, its PID 1, exits (seen in CI on the containers backend).
         */
        public boolean shutDown() {
            return shutDownLogged || nextStart.map(l -> l.contains("was shut down at")).orElse(false);
        }

        /** Whether the next server recovered from a crash of this one (« was interrupted », « not properly shut down »). */
        public boolean recoveredFromACrash() {
            return nextStart.map(l -> l.contains("interrupted") || l.contains("not properly shut down")).orElse(false);
        }

        /**
         * How long the server took to end once it got its request, as its own log says when it can (the stamps of
         * the request and of « database system is shut down », or the next start's « was shut down at »), else the
         * pod's whole stop, which holds it: the harness's scale, the controller's and the kubelet's work (46 s once in
         * CI, under load, for a server that shut down in 0.1 s).
         */
        public Duration serverEnded() {
            return serverStop.orElse(stopTook);
        }

        @Override
        public String toString() {
            return (sessionOpen ? "with" : "without") + " a session open: the pod stopped in " + stopTook.toMillis()
                    + " ms; the server ended " + serverStop.map(d -> d.toMillis() + " ms after its request, by its log's stamps")
                            .orElse("at an instant its log's stamps do not say")
                    + "; request " + request.orElse("none logged") + "; " + (shutDownLogged ? "shutdown logged" : "no shutdown logged")
                    + "; next start: " + nextStart.orElse("none logged") + "\nlog:\n" + logExcerpt;
        }
    }

    private static final String[] REQUESTS = {"received smart shutdown request", "received fast shutdown request",
            "received immediate shutdown request"};

    private static final String LOG_FILES = "SELECT string_agg(pg_read_file(current_setting('log_directory') || '/' || name), "
            + "'' ORDER BY modification, name) FROM pg_ls_logdir()";

    /** The session's {@code application_name}, by which the master's {@code pg_stat_activity} shows it open. */
    static final String APPLICATION_NAME = "pgrh-application-session";
    private static final Duration SESSION_OPENS = Duration.ofSeconds(30);

    private final GuidePair pair;
    private final RunContext context;

    public MasterRestart(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
    }

    /**
     * Stops the master's pod and starts it again (its template as it last ran), an application's session held open
     * across the stop when {@code sessionOpen}; then reads what the server's log files hold after a line the harness
     * wrote there just before the stop, for how the stopped server ended.
     */
    public Restart run(boolean sessionOpen) throws SQLException {
        String marker = "pgrh: the master pod stops now, " + java.util.UUID.randomUUID();
        Session session = sessionOpen ? (pair.backend().runsOnACluster() ? fromAPod() : fromThisHost()) : null;
        long start;
        try {
            if (sessionOpen) {
                context.waits().until("the application's session open on the master (pg_stat_activity, application_name "
                        + APPLICATION_NAME + ")", SESSION_OPENS, Duration.ofMillis(200), () -> sessionsOpen() == 1,
                        () -> "sessions of " + APPLICATION_NAME + ": " + sessionsOpen() + "; the application's client: "
                                + session.client().get());
            }
            psql("DO $$BEGIN RAISE LOG '" + marker + "'; END$$");
            start = System.nanoTime();
            pair.stopMaster();
        } finally {
            closeQuietly(session);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        pair.startMaster();
        String log = psql(LOG_FILES);
        int at = log.lastIndexOf(marker);
        if (at < 0) {
            throw new AssertionError("the master's server log has no line `" + marker + "`, written before its stop; its last "
                    + "lines:\n" + String.join("\n", log.lines().skip(Math.max(0, log.lines().count() - 15)).toList()));
        }
        Restart r = ending(sessionOpen, took, log.substring(at + marker.length()));
        pair.scenarioFigure("1.5", "master pod stop, " + (sessionOpen ? "an application's session open" : "no session open"),
                took.toMillis(), "ms");
        r.serverStop().ifPresent(d -> pair.scenarioFigure("1.5", "master server's end after its request, by its log"
                + (r.shutDownLogged() ? "" : " (to the second: its last line lost, the next start's « was shut down at »)")
                + ", " + (sessionOpen ? "an application's session open" : "no session open"), d.toMillis(), "ms"));
        return r;
    }

    /**
     * How the first stop {@code log} records ended (the log written since the stop was asked for: the next start may
     * stop a temporary server of its own, as the sclorg image's does): its request, its « database system is shut
     * down », the next start's first « database system was … » line (which says whether it found the last one shut
     * down).
     */
    static Restart ending(boolean sessionOpen, Duration took, String log) {
        List<String> lines = log.lines().toList();
        int at = -1;
        String request = null;
        for (int i = 0; i < lines.size() && at < 0; i++) {
            for (String r : REQUESTS) {
                if (lines.get(i).contains(r)) {
                    at = i;
                    request = r.substring("received ".length());
                }
            }
        }
        boolean shutDown = false;
        String next = null;
        Optional<LocalDateTime> ended = Optional.empty();
        for (int i = Math.max(at, 0) + 1; at >= 0 && i < lines.size() && next == null; i++) {
            String l = lines.get(i);
            if (l.contains("database system is shut down")) {
                shutDown = true;
                ended = stamp(l, LINE_STAMP);
            } else if (l.contains("database system was ")) {
                next = l.substring(l.indexOf("database system was "));
                if (ended.isEmpty() && next.startsWith("database system was shut down at")) {
                    ended = stamp(next, SHUT_DOWN_AT);
                }
            }
        }
        Optional<LocalDateTime> asked = at < 0 ? Optional.empty() : stamp(lines.get(at), LINE_STAMP);
        Optional<LocalDateTime> end = ended;
        Optional<Duration> serverStop = asked.flatMap(a -> end.map(e -> Duration.between(
                e.getNano() == 0 ? a.withNano(0) : a, e)));
        List<String> excerpt = at < 0 ? lines.subList(Math.max(0, lines.size() - 15), lines.size())
                : lines.subList(at, Math.min(lines.size(), at + 15));
        return new Restart(sessionOpen, took, Optional.ofNullable(request), shutDown, Optional.ofNullable(next),
                serverStop, String.join("\n", excerpt));
    }

    /** A line's stamp as PostgreSQL's default {@code log_line_prefix} ({@code %m [%p] }) writes it. */
    private static final Pattern LINE_STAMP = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?) ");
    /** The instant the next start says the last server shut down at (to the second). */
    private static final Pattern SHUT_DOWN_AT = Pattern.compile("was shut down at (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})");

    private static Optional<LocalDateTime> stamp(String line, Pattern p) {
        Matcher m = p.matcher(line);
        return m.find() ? Optional.of(LocalDateTime.parse(m.group(1).replace(' ', 'T'))) : Optional.empty();
    }

    /**
     * What {@code psql -U postgres} in the master's pod prints of {@code sql}, as the guide's own checks reach the
     * server: a line of the server's log, its logging collector's files (the sclorg image's, master.conf's) read.
     */
    private String psql(String sql) {
        ContainerResult r = pair.backend().exec(pair.master(), List.of("psql", "-U", "postgres", "-AtX", "-c", sql),
                Map.of(), GuidePair.SCRIPT);
        if (!r.succeeded()) {
            throw new AssertionError("`psql -U postgres -c \"" + sql + "\"` in the master's pod exited " + r.exitCode()
                    + " (the log files: is logging_collector on?):\n" + r.tail(10));
        }
        return r.output();
    }

    /**
     * Off a cluster: the harness's JDBC session from this host, with the login the data was made with (an
     * application's), named {@link #APPLICATION_NAME}.
     */
    private Session fromThisHost() throws SQLException {
        context.evidence().adaptation("Étape 1.5's restart with an application connected: the application's session is "
                + "the harness's JDBC session from this host, with the login the data was made with.");
        Connection c = pair.connectToData(pair.masterNode());
        try (Statement st = c.createStatement()) {
            st.execute("SET application_name = '" + APPLICATION_NAME + "'");
        }
        return new Session(() -> "the harness's JDBC connection, " + (isClosed(c) ? "closed" : "open"), c::close);
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * On a cluster: psql in a stand-in application's pod, connected through the master's Service with the login the
     * data was made with, in {@code SELECT pg_sleep(3600)}; its password read from standard input, never on a command
     * line. The harness's own session could not stand for it there: it reaches the master through a port-forward of
     * its own, which the pod's stop closes before the server gets its SIGTERM (seen on the offline cluster: the smart
     * shutdown ended in 0.6 s). Closing it deletes the application.
     */
    private Session fromAPod() {
        StandInApplication app = new StandInApplication(pair, context, pair.model().masterServiceName() + "-application",
                "an application's session across the master's restart");
        context.evidence().adaptation("Étape 1.5's restart with an application connected: the application is a stand-in, a "
                + "Deployment `" + app.name() + "` of one container of `" + app.image() + "` (the servers' image, for its "
                + "psql) that sleeps; its session is a psql in its pod, through the master's Service with the login the "
                + "data was made with, running `SELECT pg_sleep(3600)`.");
        String pod;
        try {
            app.rollOut();
            pod = app.pod();
        } catch (RuntimeException | AssertionError e) {
            app.delete();
            throw e;
        }
        ImageContract.Login login = pair.dataLogin();
        String script = "oc exec -i " + pod + " -- sh -c 'IFS= read -r PGPASSWORD; export PGPASSWORD; PGAPPNAME="
                + APPLICATION_NAME + " nohup psql -h \"$1\" -U \"$2\" -d \"$3\" -c \"SELECT pg_sleep(3600)\" "
                + "</dev/null >/tmp/session.log 2>&1 &' sh " + ShellScript.quoted(pair.model().masterServiceName()) + " "
                + ShellScript.quoted(login.user()) + " " + ShellScript.quoted(login.database()) + " <<'PGRH_PASSWORD'\n" + login.password()
                + "\nPGRH_PASSWORD\n";
        ContainerResult r = app.oc(script, SESSION_OPENS);
        if (!r.succeeded()) {
            app.delete();
            throw new AssertionError("the application's psql did not start in its pod (exit " + r.exitCode() + "):\n"
                    + r.tail(10));
        }
        return new Session(() -> {
            ContainerResult out = app.oc("oc exec " + pod + " -- cat /tmp/session.log", Duration.ofSeconds(30));
            return "its psql printed: " + (out.output().isBlank() ? "nothing" : out.tail(5).strip());
        }, app::delete);
    }

    /** The sessions named {@link #APPLICATION_NAME} the master's {@code pg_stat_activity} shows. */
    private int sessionsOpen() {
        return Integer.parseInt(psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + APPLICATION_NAME
                + "'").strip());
    }

    /** An application's session held open on the master: what its client says now, and its end. */
    private record Session(java.util.function.Supplier<String> client, AutoCloseable end) {
    }

    private static void closeQuietly(Session s) {
        if (s != null) {
            try {
                s.end().close();
            } catch (Exception gone) {
                // the server is gone: so is the session
            }
        }
    }
}
