package io.github.pgreplication.harness.clients;

import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.run.Secrets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * pgjdbc as a Java application uses it: one connection per URL, autocommit, the driver's defaults otherwise.
 * Also pgjdbc's own multi-host routing: one URL naming both Services, and {@code targetServerType} choosing.
 */
public final class JdbcClient implements SqlClient {

    public static final String NAME = "pgjdbc";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RoutedWrite write(ClientUrl url) {
        String marker = RoutingSql.newMarker();
        try (Connection c = connect(url.jdbcUrl(), url.login()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(RoutingSql.insert(NAME, marker))) {
            rs.next();
            return new RoutedWrite(NAME, url.guide().variable(), marker, ServerIdentity.parse(rs.getString(1)));
        } catch (SQLException e) {
            throw failed("write through " + url, e);
        }
    }

    @Override
    public RoutedRead read(ClientUrl url, String marker) {
        try (Connection c = connect(url.jdbcUrl(), url.login()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(RoutingSql.select(marker))) {
            rs.next();
            return new RoutedRead(NAME, url.guide().variable(), marker, ServerIdentity.parse(rs.getString(1)), rs.getLong(2) > 0);
        } catch (SQLException e) {
            throw failed("read through " + url, e);
        }
    }

    /** An INSERT through the URL: refused with pgjdbc's SQLState, or not. */
    @Override
    public Refusal tryWrite(ClientUrl url) {
        try (Connection c = connect(url.jdbcUrl(), url.login()); Statement st = c.createStatement()) {
            st.executeQuery(RoutingSql.insert(NAME, RoutingSql.newMarker())).close();
            return new Refusal(NAME, url.guide().variable(), false, null, null, "the INSERT succeeded");
        } catch (SQLException e) {
            return new Refusal(NAME, url.guide().variable(), true, e.getSQLState(), null, Secrets.redact(e.getMessage()));
        }
    }

    /**
     * pgjdbc's multi-host URL over the Services' endpoints, in the given order ({@code jdbc:postgresql://a,b/db}),
     * with {@code targetServerType}: the server that answered.
     */
    public ServerIdentity multiHost(List<Endpoint> services, String targetServerType, ApplicationLogin login) {
        String url = multiHostUrl(services, targetServerType, login.database());
        try (Connection c = connect(url, login); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + ServerIdentity.SQL)) {
            rs.next();
            return ServerIdentity.parse(rs.getString(1));
        } catch (SQLException e) {
            throw failed("connect with " + url, e);
        }
    }

    public static String multiHostUrl(List<Endpoint> services, String targetServerType, String database) {
        return "jdbc:postgresql://" + services.stream().map(e -> e.host() + ":" + e.port()).collect(Collectors.joining(","))
                + "/" + database + "?targetServerType=" + targetServerType;
    }

    private static Connection connect(String jdbcUrl, ApplicationLogin login) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", login.user());
        p.setProperty("password", login.password());
        p.setProperty("ApplicationName", "pg-replication-harness pgjdbc");
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(jdbcUrl, p);
    }

    private static AssertionError failed(String what, SQLException e) {
        return new AssertionError("pgjdbc could not " + what + ": SQLSTATE " + e.getSQLState() + " "
                + Secrets.redact(e.getMessage()), e);
    }
}
