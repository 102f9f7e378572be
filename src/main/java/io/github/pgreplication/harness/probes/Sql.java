package io.github.pgreplication.harness.probes;

import io.github.pgreplication.harness.backend.Endpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * JDBC for the harness: connections to a Service as a user, rows as ordered maps, parameters always bound
 * (never concatenated), and a guide text run as psql would run it (several statements, several results).
 */
public final class Sql {

    private Sql() {
    }

    public static Connection connect(Endpoint endpoint, String user, String password) throws SQLException {
        return connect(endpoint, user, password, "postgres");
    }

    /** A connection to {@code database}. */
    public static Connection connect(Endpoint endpoint, String user, String password, String database) throws SQLException {
        Properties p = login(user, password);
        p.setProperty("ApplicationName", "pg-replication-harness");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(endpoint.jdbcUrl(database), p);
    }

    private static Properties login(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "10");
        p.setProperty("sslmode", "disable");
        return p;
    }

    /**
     * A physical replication connection, as pg_basebackup opens one: it authenticates against the
     * {@code replication} lines of pg_hba.conf, so a refused login shows its SQLSTATE (28P01, 28000).
     */
    public static Connection connectReplication(Endpoint endpoint, String user, String password) throws SQLException {
        Properties p = login(user, password);
        p.setProperty("replication", "true");
        p.setProperty("assumeMinServerVersion", "10");
        p.setProperty("preferQueryMode", "simple");
        return DriverManager.getConnection(endpoint.jdbcUrl("postgres"), p);
    }

    /** Rows of a parameterised query. */
    public static List<Map<String, Object>> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return read(rs);
            }
        }
    }

    public static Object scalar(Connection c, String sql, Object... params) throws SQLException {
        List<Map<String, Object>> rows = rows(c, sql, params);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    /**
     * Runs a text of the guide as {@code psql -c} or a heredoc would: every statement, in order, returning one
     * result (rows, or an empty list for a command) per statement.
     */
    public static List<List<Map<String, Object>>> script(Connection c, String text) throws SQLException {
        List<List<Map<String, Object>>> results = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            boolean isResultSet = st.execute(text);
            while (true) {
                if (isResultSet) {
                    try (ResultSet rs = st.getResultSet()) {
                        results.add(read(rs));
                    }
                } else if (st.getUpdateCount() == -1) {
                    break;
                } else {
                    results.add(List.of());
                }
                isResultSet = st.getMoreResults();
            }
        }
        return results;
    }

    static List<Map<String, Object>> read(ResultSet rs) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                Object v = rs.getObject(i);
                row.put(md.getColumnLabel(i), v == null ? null : (v instanceof org.postgresql.util.PGobject pg ? pg.getValue() : v));
            }
            rows.add(row);
        }
        return rows;
    }
}
