package io.github.pgreplication.harness.backend;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.util.PSQLException;

/**
 * Whether a server accepts connections, asked from the harness's own JVM as {@code pg_isready} asks it
 * ({@code PQping}): a connection attempt as {@code postgres} with no password. A server that asks for a password,
 * refuses the role or the address, or lets the connection in is accepting connections; one that answers 57P03
 * (starting up, shutting down, in recovery not yet consistent) or does not answer is not.
 *
 * <p>It costs a few milliseconds in the JVM, against about 70 ms of CPU for each {@code pg_isready} run by
 * {@code docker exec} (measured here): the backends poll this while a server starts, and run the pod's own
 * readiness probe once it answers. Without a password the server sees the client leave before authenticating,
 * which it does not log (no « password authentication failed » in the server's log).
 */
public final class ServerPing {

    /** What a server answered. */
    public enum Answer { ACCEPTING, STARTING_UP, NO_ANSWER }

    /** The answer, and what the server or the driver said (« 57P03 the database system is starting up »). */
    public record Reply(Answer answer, String said) {

        @Override
        public String toString() {
            return answer + (said.isEmpty() ? "" : ": " + said);
        }
    }

    /** SQLSTATE cannot_connect_now: the server is starting up or shutting down. */
    private static final String CANNOT_CONNECT_NOW = "57P03";
    /** pgjdbc's SQLSTATE when the server asked for a password the client does not have. */
    private static final String PASSWORD_REQUESTED = "08004";

    private ServerPing() {
    }

    public static Answer ping(Endpoint endpoint) {
        return reply(endpoint).answer();
    }

    public static Reply reply(Endpoint endpoint) {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "2");
        p.setProperty("sslmode", "disable");
        p.setProperty("ApplicationName", "pgrh-ping");
        try (Connection ignored = DriverManager.getConnection(endpoint.jdbcUrl("postgres"), p)) {
            return new Reply(Answer.ACCEPTING, "");
        } catch (SQLException e) {
            return new Reply(answer(e), e.getSQLState() + " " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    static Answer answer(SQLException e) {
        if (e instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
            return CANNOT_CONNECT_NOW.equals(pe.getSQLState()) ? Answer.STARTING_UP : Answer.ACCEPTING;
        }
        return PASSWORD_REQUESTED.equals(e.getSQLState()) ? Answer.ACCEPTING : Answer.NO_ANSWER;
    }
}
