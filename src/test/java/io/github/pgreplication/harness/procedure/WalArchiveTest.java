package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Where master.conf's archive_command writes, as the pod sees it, and what the report says of the archive. */
class WalArchiveTest {

    @Test
    void theArchiveDirectoryOfTheGuidesArchiveCommand() {
        assertThat(WalArchive.archiveDirectory("test ! -f /var/lib/postgresql/archive/%f && cp %p /var/lib/postgresql/archive/%f"))
                .isEqualTo("/var/lib/postgresql/archive");
        assertThat(WalArchive.archiveDirectory("cp %p /run/pods/postgresql-1/fs/archive/%f")).isEqualTo("/run/pods/postgresql-1/fs/archive");
    }

    @Test
    void anArchiveCommandOfAnotherShapeIsRefusedShowingIt() {
        assertThatThrownBy(() -> WalArchive.archiveDirectory("pgbackrest archive-push %p"))
                .isInstanceOf(AssertionError.class).hasMessageEndingWith(": pgbackrest archive-push %p");
    }

    @Test
    void theNoteSaysTheArchiveModeAndTheFilesBeforeAndAfter() {
        var note = new WalArchive.ArchiveAcrossRestart("on", 3, 0).note();
        assertThat(note.step()).isEqualTo("1.3");
        assertThat(note.text()).isEqualTo("WAL archive across a recreation of the master's pod: archive_mode = on; 3 archived "
                + "file(s) before, 0 after.");
    }
}
