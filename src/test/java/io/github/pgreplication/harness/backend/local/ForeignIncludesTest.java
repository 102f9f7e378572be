package io.github.pgreplication.harness.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.backend.ContainerExited;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's server reads no file of another pod's image, however many includes away (ForeignIncludes). */
class ForeignIncludesTest {

    @TempDir
    Path run;

    @Test
    void aReplicaReadingTheMastersPostgresqlConfStopsAtTheSclorgImagesInclude() throws IOException {
        Path master = Files.createDirectories(run.resolve("pods/postgresql-2/fs/var/lib/pgsql"));
        Files.writeString(master.resolve("openshift-custom-postgresql.conf"), "listen_addresses = '*'\n");
        Path replica = Files.createDirectories(run.resolve("pods/postgresql-slave-1"));
        Path pgdata = Files.createDirectories(run.resolve("volumes/postgresql-slave-data"));
        // what pg_basebackup copied from the template's master, and the corrected slave.conf that includes it
        Files.writeString(pgdata.resolve("postgresql.conf"), "max_connections = 100\ninclude '"
                + master.resolve("openshift-custom-postgresql.conf") + "'\n");
        Path slaveConf = Files.writeString(replica.resolve("slave.conf"), "include_if_exists = '" + pgdata.resolve("postgresql.conf")
                + "'\nhot_standby = on\n");
        LocalPod pod = new LocalPod("postgresql-slave-1", null, replica, new PathMap(), Map.of("PGDATA", pgdata.toString()),
                replica.resolve("log"), 0);

        assertThatThrownBy(() -> ForeignIncludes.check(pod, ForeignIncludes.configFile(List.of("-c", "config_file=" + slaveConf), pgdata),
                replica)).isInstanceOfSatisfying(ContainerExited.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("could not open configuration file \"/var/lib/pgsql/openshift-custom-postgresql.conf\"");
        // Without config_file the server reads PGDATA's postgresql.conf: the same include, the same stop.
        assertThat(ForeignIncludes.configFile(List.of("-c", "port=5432"), pgdata)).isEqualTo(pgdata.resolve("postgresql.conf"));
        // The master's own include of its own home is its own.
        assertThatCode(() -> ForeignIncludes.check(pod, pgdata.resolve("postgresql.conf"), run.resolve("pods/postgresql-2")))
                .doesNotThrowAnyException();
    }
}
