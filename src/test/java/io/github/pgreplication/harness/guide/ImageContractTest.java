package io.github.pgreplication.harness.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The image contracts, found from an image's repository, and what the official one promises. */
class ImageContractTest {

    @Test
    void theOfficialImageIsKnownUnderEveryNameItIsPulledOrBuiltBy() {
        for (String image : List.of("postgres:15", "docker.io/library/postgres:15.8-bookworm", "registry.example/mirror/postgres:17",
                "pg-replication-harness/postgres:15", "postgres@sha256:0123")) {
            assertThat(ImageContract.of(image)).as(image).isEqualTo(ImageContract.OFFICIAL);
        }
    }

    @Test
    void anImageOfNoKnownContractIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> ImageContract.of("bitnami/postgresql:15")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image bitnami/postgresql:15: the harness knows the contract of the official postgres "
                        + "image (…/postgres:<major>)");
    }

    @Test
    void theOfficialEntrypointRunsPostgresWithOptionArgsAndDefaultsItsSuperuserDatabaseAndData() {
        ImageContract official = ImageContract.OFFICIAL;
        assertThat(official.serverCommand(List.of("-c", "config_file=/etc/postgresql/master.conf")))
                .containsExactly("postgres", "-c", "config_file=/etc/postgresql/master.conf");
        assertThat(official.serverCommand(List.of("postgres", "-c", "x=y"))).containsExactly("postgres", "-c", "x=y");
        assertThat(official.serverCommand(List.of())).containsExactly("postgres");
        assertThat(official.superuser(Map.of())).isEqualTo("postgres");
        assertThat(official.database(Map.of("POSTGRES_USER", "app"))).isEqualTo("app");
        assertThat(official.pgdata(Map.of())).isEqualTo("/var/lib/postgresql/data");
        assertThat(official.pgdata(Map.of("PGDATA", "/data/pgdata"))).isEqualTo("/data/pgdata");
        assertThat(official.initScripts()).isEqualTo("/docker-entrypoint-initdb.d");
        assertThat(official.superuserPasswordEnv()).isEqualTo("POSTGRES_PASSWORD");
    }
}
