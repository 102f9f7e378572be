package io.github.pgreplication.harness.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.run.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceFilesTest {

    @Test
    void everyFileIsRedactedOfSecretsAndPasswordVerifiersAndStaysUnderItsDirectory(@TempDir Path dir) throws IOException {
        String password = Secrets.newPassword();
        EvidenceFiles files = new EvidenceFiles(dir);
        files.write("pod-1/postgresql.log", "password " + password + "\n"
                + "ALTER ROLE postgres PASSWORD 'SCRAM-SHA-256$4096:3Trv3ME32BM73AKP+LF71g==$IQdy8H/Gwdiss53s=:ba9FWRzTwAFx+G1yT0Xo=';\n"
                + "ALTER ROLE old PASSWORD 'md5" + "0123456789abcdef0123456789abcdef';\n");
        files.write("../outside.txt", "refused");
        List<Path> written = files.done();

        assertThat(written).containsExactly(dir.resolve("pod-1/postgresql.log"), dir.resolve("problems.txt"));
        assertThat(Files.readString(dir.resolve("pod-1/postgresql.log"))).isEqualTo("password ****\n"
                + "ALTER ROLE postgres PASSWORD 'SCRAM-SHA-256$****';\nALTER ROLE old PASSWORD 'md5****';\n");
        assertThat(dir.resolveSibling("outside.txt")).doesNotExist();
        assertThat(Files.readString(dir.resolve("problems.txt"))).contains("../outside.txt");
    }

    @Test
    void aPodsDescriptionNamesItsEnvWithoutItsValues() {
        String password = Secrets.newPassword();
        ContainerPlan plan = new ContainerPlan("postgresql", "postgresql", "postgres:15", List.of(), List.of("-c", "x=1"),
                Map.of("POSTGRES_PASSWORD", password, "PGDATA", "/var/lib/postgresql/data"),
                List.of(new MountPlan("/var/lib/postgresql/data", "data", new MountSource.Claim("postgresql"))),
                Optional.empty(), Optional.empty(), Map.of("name", "postgresql"), "master.yaml:1");

        String text = EvidenceFiles.describe("postgresql-1", plan);

        assertThat(text).contains("Pod:            postgresql-1", "Image:          postgres:15", "[-c, x=1]",
                "POSTGRES_PASSWORD=****", "PGDATA=****", "/var/lib/postgresql/data from volume data: PersistentVolumeClaim postgresql")
                .doesNotContain(password, "/var/lib/postgresql/data\n");
    }
}
