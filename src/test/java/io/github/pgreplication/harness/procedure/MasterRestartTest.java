package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * How a stop ended, read from what the server's log gained since the stop was asked for, as the sclorg image's server
 * writes it (lines seen on its stand-in).
 */
class MasterRestartTest {

    private static final String CLEAN = """
            2026-12-06 18:30:00.729 UTC [1] LOG:  received smart shutdown request
            2026-12-06 18:30:00.731 UTC [1] LOG:  background worker "logical replication launcher" (PID 7) exited with exit code 1
            2026-12-06 18:30:00.733 UTC [3] LOG:  shutting down
            2026-12-06 18:30:00.740 UTC [1] LOG:  database system is shut down
            2026-12-06 18:30:02.001 UTC [9] LOG:  database system was shut down at 2026-12-06 18:30:00 UTC
            """;

    private static final String KILLED = """
            2026-12-06 18:30:00.729 UTC [1] LOG:  received smart shutdown request
            2026-12-06 18:30:31.925 UTC [32] LOG:  database system was interrupted; last known up at 2026-12-06 18:29:57 UTC
            2026-12-06 18:30:32.074 UTC [32] LOG:  database system was not properly shut down; automatic recovery in progress
            2026-12-06 18:30:32.490 UTC [22] LOG:  received fast shutdown request
            2026-12-06 18:30:32.528 UTC [22] LOG:  database system is shut down
            2026-12-06 18:30:32.763 UTC [51] LOG:  database system was shut down at 2026-12-06 18:30:32 UTC
            """;

    @Test
    void aServerKilledAfterItsSmartShutdownRequestLeavesTheNextOneACrashToRecoverFrom() {
        // the next start stops a temporary server of its own (a fast request): the stop read is the first, the smart one
        MasterRestart.Restart r = MasterRestart.ending(true, Duration.ofSeconds(30), KILLED);
        assertThat(r.request()).hasValue("smart shutdown request");
        assertThat(r.shutDown()).isFalse();
        assertThat(r.recoveredFromACrash()).isTrue();
    }

    @Test
    void aServerThatShutDownLeavesTheNextOneACleanStart() {
        MasterRestart.Restart r = MasterRestart.ending(false, Duration.ofMillis(200), CLEAN);
        assertThat(r.request()).hasValue("smart shutdown request");
        assertThat(r.shutDown()).isTrue();
        assertThat(r.recoveredFromACrash()).isFalse();
        assertThat(r.nextStart()).hasValueSatisfying(l -> assertThat(l).startsWith("database system was shut down at"));
    }

    @Test
    void theServersEndIsTimedByItsOwnLogNotByThePodsWholeStop() {
        // seen in CI under load: the server shut down 0.1 s after its request, the pod was gone 46 s after the scale
        MasterRestart.Restart r = MasterRestart.ending(false, Duration.ofSeconds(46), CLEAN);
        assertThat(r.serverStop()).hasValue(Duration.ofMillis(11));
        assertThat(r.serverEnded()).isEqualTo(Duration.ofMillis(11));
    }

    @Test
    void aLostLastLineLeavesTheNextStartsSecondToTimeTheEnd() {
        MasterRestart.Restart r = MasterRestart.ending(false, Duration.ofSeconds(46), CLEAN.replace(
                "2026-12-06 18:30:00.740 UTC [1] LOG:  database system is shut down\n", ""));
        assertThat(r.serverStop()).hasValue(Duration.ZERO);
    }

    @Test
    void aKilledServerOrALogWithoutStampsLeavesThePodsStopToTimeTheEnd() {
        assertThat(MasterRestart.ending(true, Duration.ofSeconds(30), KILLED).serverEnded()).isEqualTo(Duration.ofSeconds(30));
        String unstamped = CLEAN.lines().map(l -> l.substring(l.indexOf("LOG:"))).reduce("", (a, l) -> a + l + "\n");
        MasterRestart.Restart r = MasterRestart.ending(false, Duration.ofSeconds(46), unstamped);
        assertThat(r.serverStop()).isEmpty();
        assertThat(r.serverEnded()).isEqualTo(Duration.ofSeconds(46));
    }

    @Test
    void aServerWhoseLastLineWasLostWithItsContainerShutDownWhenTheNextOneFindsItSo() {
        // seen in CI: the container ended with postgres, its PID 1, before the logging collector wrote the last line
        MasterRestart.Restart r = MasterRestart.ending(false, Duration.ofMillis(200), CLEAN.replace(
                "2026-12-06 18:30:00.740 UTC [1] LOG:  database system is shut down\n", ""));
        assertThat(r.shutDownLogged()).isFalse();
        assertThat(r.shutDown()).isTrue();
        assertThat(r.recoveredFromACrash()).isFalse();
    }
}
