package io.github.pgreplication.harness.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

/** What pg_isready reports, from what the server answered (PQping's rules). */
class ServerPingTest {

    private static PSQLException fromServer(String sqlState) {
        return new PSQLException(new ServerErrorMessage("SFATAL\0C" + sqlState + "\0Mfrom the server\0"));
    }

    @Test
    void aServerStartingUpIsNotAccepting() {
        assertThat(ServerPing.answer(fromServer("57P03"))).isEqualTo(ServerPing.Answer.STARTING_UP);
    }

    @Test
    void anyOtherAnswerOfTheServerMeansItAcceptsConnections() {
        assertThat(ServerPing.answer(fromServer("28000"))).isEqualTo(ServerPing.Answer.ACCEPTING); // pg_hba refused
        assertThat(ServerPing.answer(fromServer("28P01"))).isEqualTo(ServerPing.Answer.ACCEPTING);
        assertThat(ServerPing.answer(new PSQLException("The server requested SCRAM-based authentication, but no "
                + "password was provided.", PSQLState.CONNECTION_REJECTED))).isEqualTo(ServerPing.Answer.ACCEPTING);
    }

    @Test
    void noAnswerIsNotAccepting() {
        assertThat(ServerPing.answer(new PSQLException("refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT)))
                .isEqualTo(ServerPing.Answer.NO_ANSWER);
        assertThat(ServerPing.answer(new SQLException("EOF", "08006"))).isEqualTo(ServerPing.Answer.NO_ANSWER);
    }

    @Test
    void aPortThatClosesEveryConnectionIsNoServer() throws Exception {
        // what Docker's userland proxy does while the container's server is not listening yet
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    s.accept().close();
                } catch (java.io.IOException closed) {
                    // the socket closed with the test
                }
            });
            t.start();
            assertThat(ServerPing.ping(new Endpoint("127.0.0.1", s.getLocalPort()))).isEqualTo(ServerPing.Answer.NO_ANSWER);
            t.join(5000);
        }
    }
}
