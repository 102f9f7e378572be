package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.probes.Sql;
import java.sql.Connection;
import java.sql.SQLException;

/** A replication login to the master's Service, as pg_basebackup makes it. */
final class ReplicationLogin {

    private ReplicationLogin() {
    }

    /** The master's answer to a replication login with these credentials: the SQLSTATE of the refusal, or null. */
    static String sqlState(GuidePair pair, String user, String password) {
        try (Connection c = Sql.connectReplication(pair.backend().service(pair.model().masterServiceName()), user, password)) {
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }
}
