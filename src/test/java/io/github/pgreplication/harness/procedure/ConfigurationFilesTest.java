package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.guide.PgConf;
import io.github.pgreplication.harness.procedure.ConfigurationFiles.DroppedSetting;
import io.github.pgreplication.harness.procedure.ConfigurationFiles.ExistingSettings;
import io.github.pgreplication.harness.procedure.ConfigurationFiles.ReplicaHba;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which settings of the existing postgresql.conf Étape 1.5 dropped, and what the report says of both files. */
class ConfigurationFilesTest {

    private static final PgConf EXISTING = PgConf.parse("""
            TimeZone = 'Europe/Paris'
            default_text_search_config = 'pg_catalog.french'
            shared_buffers = 128MB
            listen_addresses = '*'
            work_mem = 8MB
            custom.unknown = 'x'
            """);

    @Test
    void aSettingIsDroppedWhenItsValueChangedAndNeitherMasterConfNorTheHostSetsIt() {
        Map<String, String> before = ConfigurationFiles.lowerCase(Map.of("TimeZone", "Europe/Paris",
                "default_text_search_config", "pg_catalog.french", "shared_buffers", "128MB", "listen_addresses", "*",
                "work_mem", "8MB"));
        Map<String, String> now = ConfigurationFiles.lowerCase(Map.of("TimeZone", "GMT",
                "default_text_search_config", "pg_catalog.simple", "shared_buffers", "256MB", "listen_addresses", "localhost",
                "work_mem", "8MB"));
        List<DroppedSetting> dropped = ConfigurationFiles.dropped(EXISTING, Set.of("shared_buffers"),
                Set.of("listen_addresses"), before, now);
        // master.conf's own shared_buffers, the host's listen_addresses, the unchanged work_mem and a setting the
        // server did not show before the guide are not dropped; the name keeps the file's spelling.
        assertThat(dropped).containsExactly(new DroppedSetting("TimeZone", "Europe/Paris", "GMT"),
                new DroppedSetting("default_text_search_config", "pg_catalog.french", "pg_catalog.simple"));
    }

    @Test
    void theNoteListsEachDroppedSettingBeforeAndAfterOrSaysNone() {
        assertThat(new ExistingSettings(List.of()).note().text()).isEqualTo("Settings of the existing master's "
                + "PGDATA/postgresql.conf that master.conf does not set, changed by Étape 1.5: none.");
        assertThat(new ExistingSettings(List.of(new DroppedSetting("TimeZone", "Europe/Paris", "GMT"),
                new DroppedSetting("lc_messages", "fr_FR.UTF-8", "C"))).note().text())
                .endsWith("changed by Étape 1.5: TimeZone `Europe/Paris` → `GMT`, lc_messages `fr_FR.UTF-8` → `C`.");
    }

    @Test
    void theHbaNoteSaysWhichFileTheReplicaReadsAndItsOpenRules() {
        var copied = new ReplicaHba("/data/pg_hba.conf", true, List.of("line 100: host all all all scram-sha-256"));
        assertThat(copied.note().step()).isEqualTo("2.3");
        assertThat(copied.note().text()).isEqualTo("The replica reads the pg_hba.conf of its data directory, copied by "
                + "pg_basebackup from the master's (not the guide's); rules admitting every address: line 100: host all "
                + "all all scram-sha-256.");
        assertThat(new ReplicaHba("/etc/postgresql/pg_hba.conf", false, List.of()).note().text())
                .isEqualTo("The replica reads the pg_hba.conf mounted from its ConfigMap; rules admitting every address: none.");
    }
}
