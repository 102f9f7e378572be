package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.run.Secrets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** setup-slave.sh's inputs and what is read of its output, without a server. */
class SetupSlaveScriptTest {

    @Test
    void aPrintablePasswordHoldsEveryCharacterAShellOrAConninfoTreatsApartAfterARandomPrefix() {
        String password = SetupSlaveScript.printablePassword("@", ":");
        assertThat(password).matches("[A-Za-z0-9]{10} a'b\"c \\$HOME \\\\n @: \\*");
        assertThat(password).contains(" ", "'", "\"", "$", "\\", "@", ":", "*");
    }

    @Test
    void aPrintablePasswordIsNewOnEachCallAndNeverPrinted() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String password = SetupSlaveScript.printablePassword("@", ":");
            assertThat(seen.add(password)).as("a fresh password").isTrue();
            assertThat(Secrets.redact("primary_conninfo = 'password=" + password + "'"))
                    .isEqualTo("primary_conninfo = 'password=****'");
        }
    }

    private static ContainerResult output(String text, boolean timedOut) {
        return new ContainerResult("setup-slave.sh", timedOut ? -1 : 0, text, Duration.ofSeconds(20), timedOut);
    }

    @Test
    void theWaitIsReadFromItsLastLineSayingSoNotFromWhatATimeoutsKillPrintedAfter() {
        assertThat(SetupSlaveScript.lastSaying(output("Attente du master...\nMaster non disponible - attente...\n"
                + "Master non disponible - attente... 2\nTerminated\n", true), "Master non disponible"))
                .isEqualTo("Master non disponible - attente... 2");
        assertThat(SetupSlaveScript.lastSaying(output("pg_basebackup: error\n  \n", false), "Master non disponible"))
                .isEqualTo("pg_basebackup: error");
        assertThat(SetupSlaveScript.lastSaying(output("", true), "Master non disponible")).isEqualTo("(nothing)");
    }

    @Test
    void theNoteOfAPrintablePasswordNamesEveryCharacterAndWhyItIsHarmless() {
        var note = new SetupSlaveScript.PrintablePasswordRun(output("ok\n", false)).note();
        assertThat(note.step()).isEqualTo("2.2");
        assertThat(note.text()).contains("`PGPASSWORD=${REPLICATION_PASSWORD}` is an assignment", "pg_basebackup -R",
                "Harmless");
    }
}
