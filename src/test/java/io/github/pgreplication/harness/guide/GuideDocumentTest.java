package io.github.pgreplication.harness.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The guide's text: the SQL the features run is the guide's own, and the published manifests are its blocks. */
class GuideDocumentTest {

    private final GuideDocument guide = GuideDocument.load(Path.of("guide/postgresql-master-slave-openshift.fr.md"));

    @Test
    void extractsEveryPsqlCommandByStep() {
        assertThat(guide.queries().stream().filter(q -> q.step().equals("1.6"))).hasSize(3);
        assertThat(guide.query("1.6", "SHOW wal_level").sql()).isEqualTo("SHOW wal_level; SHOW max_wal_senders; SHOW wal_keep_size;");
        assertThat(guide.query("3.3", "pg_wal_lsn_diff").sql()).contains("replay_time").startsWith("\nSELECT");
        assertThat(guide.query("4.1", "CREATE TABLE").sql()).startsWith("CREATE TABLE IF NOT EXISTS test_replication").contains("('Test 3');");
        assertThat(guide.query("4.1", "SELECT * FROM test_replication").target()).isEqualTo("SLAVE_POD");
        assertThat(guide.query("4.2", "Should fail").sql()).contains("INSERT INTO test_replication (message) VALUES ('Should fail');");
        assertThat(guide.query("4.3", "generate_series(").sql()).contains("generate_series(1, 10000)");
    }

    @Test
    void readsTheApplicationExamplesOfTheReadWriteSplit() {
        assertThat(guide.envAssignments("app-routing")).extracting(GuideDocument.EnvAssignment::name)
                .containsExactly("DATABASE_URL_WRITE", "DATABASE_URL_READ");
        assertThat(guide.envAssignment("app-routing", "DATABASE_URL_READ").value())
                .isEqualTo("postgresql://user:pass@postgresql-slave:5432/dbname");
        assertThat(guide.envAssignment("app-routing", "DATABASE_URL_WRITE").line()).isEqualTo(1195);
        assertThat(guide.block("app-routing", "javascript").text()).startsWith("{\n  type: 'postgres',")
                .contains("slaves: [{");
    }

    @Test
    void theChecklistIsReadVerbatim() {
        assertThat(guide.checklist()).hasSize(26);
        assertThat(guide.checklist().get(0)).containsExactly("Avant le déploiement",
                "Backup complet de la base de données (`pg_dumpall`)");
    }

    @Test
    void theCopyOfTheGuideIsTheSharedOne() throws IOException {
        Path shared = Path.of("../shared/guide/postgresql-master-slave-openshift.fr.md");
        if (Files.exists(shared)) { // beside a clone, as in CI: the copy must not drift from the specification
            assertThat(Files.readString(Path.of("guide/postgresql-master-slave-openshift.fr.md"))).isEqualTo(Files.readString(shared));
        }
    }

    @Test
    void everyPublishedManifestIsTheGuidesBlockByteForByte() throws IOException {
        String text = Files.readString(guide.file());
        Matcher m = Pattern.compile("\\*\\*Resource : `([^`]+)`\\*\\*\\s*\\n\\s*\\n```yaml\\n(.*?)```", Pattern.DOTALL).matcher(text);
        int n = 0;
        while (m.find()) {
            assertThat(Files.readString(Path.of("manifests/published", m.group(1)))).as(m.group(1)).isEqualTo(m.group(2));
            n++;
        }
        assertThat(n).isEqualTo(10);
    }

    @Test
    void aQueryIsFoundByWhatItSaysAndOnlyWhenExactlyOneCommandSaysIt() {
        assertThat(guide.query("1.6", "FROM pg_roles").index()).isEqualTo(1);
        assertThatThrownBy(() -> guide.query("1.6", "FROM pg_")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("step 1.6 has 2 psql commands containing « FROM pg_ », expected exactly one");
        assertThatThrownBy(() -> guide.query("3.1", "FROM pg_roles")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("step 3.1 has 0 psql commands");
    }
}
