package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.procedure.HarmlessFindings.HotStandby;
import io.github.pgreplication.harness.procedure.HarmlessFindings.PasswordThroughMd5;
import io.github.pgreplication.harness.procedure.HarmlessFindings.PsqlOnError;
import io.github.pgreplication.harness.run.Evidence;
import org.junit.jupiter.api.Test;

/** What the report says of the findings that prove harmless: observations, each under its step of the guide. */
class HarmlessFindingsTest {

    @Test
    void psqlsExitStatusesAreNotedWithTheErrorItPrinted() {
        Evidence.Note note = new PsqlOnError(0, 1, "ERROR:  relation \"guide_defects_no_such_table\" does not exist").note();
        assertThat(note.step()).isEqualTo("4.1");
        assertThat(note.text()).contains("it printed « ERROR:  relation \"guide_defects_no_such_table\" does not exist » "
                + "and exited 0; `psql -c` with the same INSERT exited 1.").endsWith("Observation, not an erratum.");
    }

    @Test
    void hotStandbyOnTheMasterReadsAsTheScenarioSaysIt() {
        HotStandby seen = new HotStandby("on", false);
        assertThat(seen.seen()).isEqualTo("on, pg_is_in_recovery() = false");
        assertThat(seen.note().text()).startsWith("master.conf sets hot_standby = on on the master: it runs with "
                + "hot_standby on, pg_is_in_recovery() = false.").endsWith("Harmless.");
    }

    @Test
    void theStoredFormOfThePasswordIsNamedInTheNote() {
        Evidence.Note note = new PasswordThroughMd5(15, "SCRAM-SHA-256", null).note();
        assertThat(note.step()).isEqualTo("1.3");
        assertThat(note.text()).startsWith("pg_hba.conf says md5 while PostgreSQL 15 stores the replicator's password as "
                + "SCRAM-SHA-256 (password_encryption's default since 14");
    }

    @Test
    void beforeFourteenTheNoteSaysTheExchangeIsMd5() {
        Evidence.Note note = new PasswordThroughMd5(13, "md5", null).note();
        assertThat(note.text()).startsWith("pg_hba.conf says md5 while PostgreSQL 13 stores the replicator's password as "
                + "md5 (password_encryption's default before 14): the md5 line runs an md5 exchange").doesNotContain("SCRAM exchange");
    }
}
