package io.github.pgreplication.harness.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.backend.Endpoint;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pieces of the application examples that need no server: URLs, identities, statements, the lag summary. */
class ClientsTest {

    @Test
    void aGuideUrlIsSplitAndNeverPrintsItsPassword() {
        GuideUrl url = GuideUrl.parse("DATABASE_URL_READ", "postgresql://user:pass@postgresql-slave:5432/dbname", 1196);
        assertThat(url).extracting(GuideUrl::user, GuideUrl::password, GuideUrl::host, GuideUrl::port, GuideUrl::database)
                .containsExactly("user", "pass", "postgresql-slave", 5432, "dbname");
        assertThat(url.toString()).doesNotContain("pass@").contains("user:****@postgresql-slave:5432/dbname");
        ClientUrl client = new ClientUrl(url, "postgresql-slave", new Endpoint("127.0.0.1", 40001),
                new ApplicationLogin("user", "dbname", "s3cretValue"));
        assertThat(client.libpqUrlWithoutPassword()).isEqualTo("postgresql://user@127.0.0.1:40001/dbname");
        assertThat(client.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:40001/dbname");
        assertThat(client.toString() + client.login()).doesNotContain("s3cretValue");
    }

    @Test
    void aUrlThatIsNoLibpqUriIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> GuideUrl.parse("DATABASE_URL_WRITE", "mysql://user:pass@db/x", 12))
                .hasMessageContaining("DATABASE_URL_WRITE (line 12)").hasMessageContaining("scheme mysql");
        assertThatThrownBy(() -> GuideUrl.parse("DATABASE_URL_WRITE", "postgresql://postgresql:5432/dbname", 12))
                .hasMessageContaining("no user:password@host/dbname");
    }

    @Test
    void anIdentityIsParsedOrRefusedQuotingTheText() {
        assertThat(ServerIdentity.parse("true 172.18.0.3 5432 1796000000.123456"))
                .isEqualTo(new ServerIdentity(true, "172.18.0.3", 5432, "1796000000.123456"));
        assertThatThrownBy(() -> ServerIdentity.parse("INSERT 0 1")).hasMessageContaining("'INSERT 0 1'");
    }

    @Test
    void statementsTakeOnlyAClientNameAndAUuid() {
        String marker = RoutingSql.newMarker();
        assertThat(RoutingSql.insert("psql", marker)).contains("('psql', '" + marker + "') RETURNING pg_is_in_recovery()");
        assertThatThrownBy(() -> RoutingSql.select("x'; DROP TABLE app_routing; --")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoutingSql.insert("Robert'); --", marker)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLagIsSummarisedWithTheReadsThatMissedTheRow() {
        ServerIdentity replica = new ServerIdentity(true, "127.0.0.1", 5433, "1");
        List<TypeOrmRun.ReadAfterWrite> reads = List.of(
                new TypeOrmRun.ReadAfterWrite(1, new RoutedRead("typeorm", "replication.slaves", "m1", replica, true), true, 1, 3.0),
                new TypeOrmRun.ReadAfterWrite(2, new RoutedRead("typeorm", "replication.slaves", "m2", replica, true), false, 4, 9.0),
                new TypeOrmRun.ReadAfterWrite(3, new RoutedRead("typeorm", "replication.slaves", "m3", replica, true), false, 2, 5.0));
        TypeOrmRun run = new TypeOrmRun("postgres", "postgresql:5432", List.of("postgresql-slave:5432"), List.of(), reads,
                Optional.empty(), "1.1.1", "8.23.1", "v20");
        assertThat(ApplicationLag.of(run)).extracting(ApplicationLag::rounds, ApplicationLag::firstReadMissed,
                ApplicationLag::medianMs, ApplicationLag::maxMs).containsExactly(3, 2, 5.0, 9.0);
    }

    @Test
    void theMultiHostUrlListsTheServicesInOrder() {
        assertThat(JdbcClient.multiHostUrl(List.of(new Endpoint("127.0.0.1", 1), new Endpoint("127.0.0.1", 2)),
                "preferSecondary", "dbname")).isEqualTo("jdbc:postgresql://127.0.0.1:1,127.0.0.1:2/dbname?targetServerType=preferSecondary");
    }
}
