package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.settings.HarnessSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guide's checks of Phases 3 and 4 outside Cucumber, on one real pair (local backend, the corrected manifests):
 * each passes on the healthy pair, then fails, saying what it saw, once replay is paused on the replica.
 */
class GuideChecksTest {

    private static CertificationRun run;
    private static GuidePair pair;
    private static GuideChecks checks;

    @BeforeAll
    static void pair() throws Exception {
        run = new CertificationRun(new HarnessSettings(Path.of("")));
        pair = run.disposablePair("GuideChecksTest");
        checks = new GuideChecks(pair, run.context());
    }

    @AfterAll
    static void release() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void theChecksPassOnAHealthyPairAndFailWithWhatTheySawOnceReplayIsPaused() {
        assertThat(checks.streaming()).containsEntry("state", "streaming").containsEntry("sync_state", "async");
        assertThat(checks.slotActive()).containsEntry("slot_name", pair.names().slot());
        assertThat(checks.rowsReplicate(GuideChecks.FIVE_SECONDS)).isPositive();
        assertThat(checks.insertRefusedOnReplica()).startsWith("SQLSTATE 25006");

        pair.replicaNode().safeSql("SELECT pg_wal_replay_pause()");
        assertThatThrownBy(() -> checks.rowsReplicate(Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("not reached within")
                .hasMessageContaining("pg_stat_replication on the master: [WalSender[pid=");
        pair.replicaNode().safeSql("SELECT pg_wal_replay_resume()");
        assertThat(checks.rowsReplicate(GuideChecks.FIVE_SECONDS)).as("after replay resumed").isPositive();
    }
}
