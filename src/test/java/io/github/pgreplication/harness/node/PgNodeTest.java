package io.github.pgreplication.harness.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.procedure.GuidePair;
import io.github.pgreplication.harness.run.Waits;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node object on a real pair (local backend, the corrected manifests): its SQL, its LSN, its typed rows, and a
 * catch-up that waits on the standby it names, never on any walsender.
 */
class PgNodeTest {

    private static CertificationRun run;
    private static GuidePair pair;

    @BeforeAll
    static void pair() throws Exception {
        run = new CertificationRun(new HarnessSettings(Path.of("")));
        pair = run.disposablePair("PgNodeTest");
    }

    @AfterAll
    static void release() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void safeSqlAnswersAndNamesTheQueryAndTheSqlstateWhenItFails() {
        assertThat(pair.masterNode().safeSql("SELECT 1 + 1")).isEqualTo("2");
        assertThatThrownBy(() -> pair.masterNode().safeSql("SELECT * FROM no_such_table"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the master: `SELECT * FROM no_such_table` failed with SQLSTATE 42P01");
    }

    @Test
    void theMastersWalsenderAndSlotAreTypedAndBelongToTheNamedStandby() throws Exception {
        PgNode master = pair.masterNode();
        PgNode replica = pair.replicaNode();
        String slot = pair.names().slot();
        assertThat(replica.inRecovery()).isTrue();
        assertThat(replica.primarySlotName()).contains(slot);
        assertThat(master.slot(slot)).hasValueSatisfying(s -> {
            assertThat(s.slotType()).isEqualTo("physical");
            assertThat(s.active()).isTrue();
        });
        assertThat(master.walSenderOf(replica)).hasValueSatisfying(w -> {
            assertThat(w.usename()).isEqualTo(pair.names().replicationRole());
            assertThat(w.streamingWithReplay()).isTrue();
        });
    }

    @Test
    void catchUpWaitsOnTheStandbyItNamesNotOnAnyWalsender() {
        PgNode master = pair.masterNode();
        master.safeSql("CREATE TABLE IF NOT EXISTS pg_node_test (n int); INSERT INTO pg_node_test VALUES (1)");
        String target = master.lsn();
        master.waitForCatchup(pair.replicaNode(), target, "the replica replays the insert", Duration.ofSeconds(10));
        assertThat(pair.replicaNode().safeSql("SELECT count(*) FROM pg_node_test")).isEqualTo("1");

        // A node that streams from nobody (the master itself, asked as a standby): the replica's walsender, which has
        // replayed the target, must not satisfy a wait on it.
        PgNode notAStandby = new PgNode("the master asked as a standby", () -> pair.backend().service(
                pair.model().masterServiceName()), "postgres", () -> pair.master().plan().env().get("POSTGRES_PASSWORD"),
                () -> "(its log)", new Waits(1));
        assertThatThrownBy(() -> master.waitForCatchup(notAStandby, target, "a standby that does not stream",
                Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("a standby that does not stream (the master asked as a standby replayed the master's WAL to "
                        + target + "): not reached within 500 ms")
                .hasMessageContaining("pg_stat_replication on the master: [WalSender[pid=");
    }
}
