package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.run.Evidence;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What « Troubleshooting » reports of each problem, and the one value it pastes into SQL. No server. */
class TroubleshootingTest {

    @Test
    void aWaitingInitContainerIsNotedWithItsLastLineSayingSoNotTheKillOfItsTimeout() {
        ContainerResult init = new ContainerResult("setup-slave.sh", -1, "Attente du master...\n"
                + "Master non disponible, nouvelle tentative dans 5s...\n"
                + "/run/pods/postgresql-slave-2-setup-slave/fs/scripts/setup-slave.sh: line 9:    41 Killed    sleep 5\n",
                Duration.ofSeconds(6), true);
        Evidence.Note note = Troubleshooting.stillWaitingNote(init, Duration.ofSeconds(6), "Master non disponible");
        assertThat(note.step()).isEqualTo("troubleshooting-slave-start");
        assertThat(note.text()).isEqualTo("Master unreachable: after 6 s the init container was still waiting; its last "
                + "line: « Master non disponible, nouvelle tentative dans 5s... ». The pod stays in Init, not "
                + "CrashLoopBackOff, so the guide's symptom list does not name it.");
    }

    @Test
    void aWrongPasswordIsNotedWithTheExitTheTimeAndWhatPgBasebackupSaid() {
        ContainerResult init = new ContainerResult("setup-slave.sh", 1, "Attente du master...\n"
                + "pg_basebackup: error: connection to server failed: FATAL:  password authentication failed for user "
                + "\"replicator\"\n", Duration.ofMillis(412), false);
        assertThat(new Troubleshooting.WrongPassword(init, "28P01", null).note().text()).isEqualTo("Wrong replication "
                + "password: setup-slave.sh exits 1 after 412 ms; pg_basebackup says « pg_basebackup: error: connection to "
                + "server failed: FATAL:  password authentication failed for user \"replicator\" ».");
        ContainerResult silent = new ContainerResult("setup-slave.sh", 2, "", Duration.ofMillis(5), false);
        assertThat(new Troubleshooting.WrongPassword(silent, "28P01", null).note().text()).endsWith("pg_basebackup says « ? ».");
    }

    @Test
    void theLagAndTheRemedyAreNoted() {
        assertThat(new Troubleshooting.Lag(121, 3.5).note().text())
                .isEqualTo("With replay paused, the guide's lag query showed lag_mb = 121 and lag_seconds = 3.5.");
        Evidence.Note remedy = new Troubleshooting.WalAfterRemedy(0, 1 << 30).note();
        assertThat(remedy.step()).isEqualTo("troubleshooting-slot-disk");
        assertThat(remedy.text()).contains("wal_keep_size = 1GB keeps 1 GB", "beyond wal_keep_size + max_wal_size");
    }

    @Test
    void theCapOnASlotsWalIsAPlainSizeOrNothingReachesTheServer() {
        // No pair: a value that is not a plain size is refused before any connection, so ALTER SYSTEM never sees it.
        Troubleshooting t = new Troubleshooting(null, null);
        for (String bad : new String[] {"64MB'; DROP ROLE replicator; --", "64 MB", "-1", "64mb", ""}) {
            assertThatThrownBy(() -> t.capSlotWal(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a size: " + bad);
        }
    }
}
