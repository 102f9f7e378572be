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
                        + "image (…/postgres:<major>), the sclorg PostgreSQL image of OpenShift's postgresql-persistent template "
                        + "(…/postgresql-<major>-<os>, …/sclorg-postgresql:<major>), and of no other image");
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
        assertThat(official.initScripts()).contains("/docker-entrypoint-initdb.d");
        assertThat(official.runOnceOnFreshData()).isEqualTo("/docker-entrypoint-initdb.d");
        assertThat(official.initHooks()).isEmpty();
        assertThat(official.startHooks()).isEmpty();
        assertThat(official.configDirectory()).isEmpty();
        assertThat(official.applicationUser()).isEmpty();
        assertThat(official.entrypoint()).isEqualTo("docker-entrypoint.sh");
        assertThat(official.socketDirectory()).isEqualTo("/var/run/postgresql");
        assertThat(official.skipsInitialisation()).contains("PostgreSQL Database directory appears to contain a database; "
                + "Skipping initialization");
        assertThat(official.superuserPasswordEnv()).isEqualTo("POSTGRES_PASSWORD");
    }

    @Test
    void theSclorgImageIsKnownUnderTheNamesOfItsRegistriesAndThisProjectsStandIn() {
        for (String image : List.of("quay.io/sclorg/postgresql-15-c9s", "quay.io/sclorg/postgresql-16-c10s:latest",
                "registry.redhat.io/rhel9/postgresql-15", "registry.redhat.io/rhel8/postgresql-13@sha256:0123",
                "centos/postgresql-12-centos7", "pg-replication-harness/sclorg-postgresql:15")) {
            assertThat(ImageContract.of(image)).as(image).isEqualTo(ImageContract.SCLORG);
        }
        for (String image : List.of("bitnami/postgresql:15", "postgresql-exporter:1", "sclorg/postgresql-container")) {
            assertThatThrownBy(() -> ImageContract.of(image)).as(image).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theSclorgEntrypointRunsTheArgsAsTheyAreInPlaceOfRunPostgresql() {
        ImageContract sclorg = ImageContract.SCLORG;
        assertThat(sclorg.entrypoint()).isEqualTo("container-entrypoint");
        assertThat(sclorg.command()).isEqualTo("run-postgresql");
        assertThat(sclorg.serverCommand(List.of())).containsExactly("run-postgresql");
        assertThat(sclorg.serverCommand(List.of("-c", "max_connections=50"))).as("an option is run as a program")
                .containsExactly("-c", "max_connections=50");
        assertThat(sclorg.serverCommand(List.of("run-postgresql", "-c", "x=y"))).containsExactly("run-postgresql", "-c", "x=y");
    }

    @Test
    void theSclorgImageKeepsItsClusterInUserdataOfTheVolumeWhateverPgdataSays() {
        ImageContract sclorg = ImageContract.SCLORG;
        assertThat(sclorg.pgdata(Map.of())).isEqualTo("/var/lib/pgsql/data/userdata");
        assertThat(sclorg.pgdata(Map.of("PGDATA", "/elsewhere"))).isEqualTo("/var/lib/pgsql/data/userdata");
        assertThat(sclorg.home()).contains("/var/lib/pgsql");
        assertThat(sclorg.socketDirectory()).isEqualTo("/var/run/postgresql");
    }

    @Test
    void theSclorgImageHasHooksAndAConfigDirectoryButNoInitScriptsDirectory() {
        ImageContract sclorg = ImageContract.SCLORG;
        assertThat(sclorg.initScripts()).as("no /docker-entrypoint-initdb.d").isEmpty();
        assertThat(sclorg.initHooks()).contains("/opt/app-root/src/postgresql-init");
        assertThat(sclorg.startHooks()).contains("/opt/app-root/src/postgresql-start");
        assertThat(sclorg.preStartHooks()).contains("/opt/app-root/src/postgresql-pre-start");
        assertThat(sclorg.configDirectory()).contains("/opt/app-root/src/postgresql-cfg");
        assertThat(sclorg.runOnceOnFreshData()).isEqualTo("/opt/app-root/src/postgresql-init");
        assertThat(sclorg.skipsInitialisation()).as("run-postgresql says nothing when it finds data").isEmpty();
    }

    @Test
    void theSclorgSuperuserIsPostgresWithTheAdminPasswordAndTheApplicationUserIsNamedByTheEnv() {
        ImageContract sclorg = ImageContract.SCLORG;
        assertThat(sclorg.superuser(Map.of("POSTGRES_USER", "other", "POSTGRESQL_USER", "app"))).isEqualTo("postgres");
        assertThat(sclorg.superuserPasswordEnv()).isEqualTo("POSTGRESQL_ADMIN_PASSWORD");
        assertThat(sclorg.applicationUser()).contains(new ImageContract.ApplicationUser("POSTGRESQL_USER",
                "POSTGRESQL_PASSWORD", "POSTGRESQL_DATABASE"));
        assertThat(sclorg.database(Map.of("POSTGRESQL_DATABASE", "appdb"))).isEqualTo("appdb");
        assertThat(sclorg.database(Map.of())).isEqualTo("postgres");
    }
}
