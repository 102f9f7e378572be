package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.errata.ErrataCatalog;
import io.github.pgreplication.harness.errata.ErrataExpectation;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.errata.ErrataLedger.Entry;
import io.github.pgreplication.harness.errata.ErrataLedger.Status;
import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.procedure.ConfigurationFiles.DroppedSetting;
import io.github.pgreplication.harness.procedure.ConfigurationFiles.ExistingSettings;
import io.github.pgreplication.harness.procedure.ConfigurationFiles.ReplicaHba;
import io.github.pgreplication.harness.procedure.ServerLogs.PasswordInLogs;
import io.github.pgreplication.harness.procedure.ServerLogs.PasswordSearch;
import io.github.pgreplication.harness.procedure.WalArchive.ArchiveAcrossRestart;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The erratum checks of the guide's defects (E16 to E20) on what a pair showed, judged by the real errata file: what
 * the published manifests show is the recorded erratum, and the run goes on with it; what the corrected manifests
 * show conforms; a deviation the file does not record fails the run. No server: the pair's findings are given.
 */
class DefectErrataChecksTest {

    private static final ErrataCatalog CATALOG = ErrataCatalog.load(Path.of("manifests/guide-errata.yaml"));

    /** A run on the published manifests: every erratum must reproduce. */
    private final ErrataLedger published = new ErrataLedger(CATALOG, ErrataExpectation.ALL);
    /** A run on the corrected manifests: no manifest erratum may reproduce. */
    private final ErrataLedger corrected = new ErrataLedger(CATALOG, ErrataExpectation.TEXT_ONLY);

    private static String reproduced(ErrataLedger ledger) {
        Entry entry = ledger.entries().stream().filter(e -> e.status() == Status.REPRODUCED).findFirst()
                .orElseThrow(() -> new AssertionError("nothing reproduced: " + ledger.entries()));
        return entry.erratum().map(Erratum::id).orElseThrow();
    }

    @Test
    void e16TheReplicationPasswordInBothPodsLogFilesIsTheRecordedErratum() {
        PasswordSearch seen = new PasswordSearch(new PasswordInLogs(2, false), new PasswordInLogs(1, false));
        assertThat(seen.where()).isEqualTo("master: 2 file(s) of PGDATA/log; replica: 1 file(s) of PGDATA/log");
        assertThat(ServerLogs.checked(published, seen)).isSameAs(seen);
        assertThat(reproduced(published)).isEqualTo("E16");

        PasswordSearch nowhere = new PasswordSearch(new PasswordInLogs(0, false), new PasswordInLogs(0, false));
        assertThat(ServerLogs.checked(corrected, nowhere).note().text()).isEqualTo("The replication password in the pods' "
                + "server logs, searched inside each pod (PGDATA/log and the container output): master: nowhere; replica: "
                + "nowhere.");
        assertThatThrownBy(() -> ServerLogs.checked(corrected, seen)).hasMessageContaining("E16")
                .hasMessageContaining("yet it reproduces");
    }

    @Test
    void e16ThePasswordInAContainersOutputIsADeviationTheFileDoesNotRecord() {
        PasswordSearch seen = new PasswordSearch(new PasswordInLogs(0, true), new PasswordInLogs(0, false));
        assertThat(seen.where()).isEqualTo("master: the container output; replica: nowhere");
        assertThatThrownBy(() -> ServerLogs.checked(published, seen)).hasMessageStartingWith("Unrecorded deviation");
    }

    @Test
    void e17OnlyTheCollectorsRedirectionInOcLogsIsTheRecordedErratum() {
        RunContext context = new RunContext(null, published, null, null, null);
        assertThat(ServerLogs.serverMessagesInOcLogs(context, false, true))
                .isEqualTo("oc logs shows only: " + ServerLogs.REDIRECTED);
        assertThat(reproduced(published)).isEqualTo("E17");
        RunContext onCorrected = new RunContext(null, corrected, null, null, null);
        assertThat(ServerLogs.serverMessagesInOcLogs(onCorrected, true, false)).isEqualTo("oc logs shows the server's messages");
        assertThatThrownBy(() -> ServerLogs.serverMessagesInOcLogs(onCorrected, false, false))
                .hasMessageStartingWith("Unrecorded deviation").hasMessageContaining("oc logs shows no streaming message");
    }

    @Test
    void e18AnEmptyArchiveAfterThePodWasRecreatedIsTheRecordedErratum() {
        ArchiveAcrossRestart lost = new ArchiveAcrossRestart("on", 3, 0);
        assertThat(WalArchive.checked(published, lost)).isSameAs(lost);
        assertThat(reproduced(published)).isEqualTo("E18");
        ArchiveAcrossRestart kept = new ArchiveAcrossRestart("on", 3, 3);
        assertThat(WalArchive.checked(corrected, kept)).isSameAs(kept);
        assertThatThrownBy(() -> WalArchive.checked(published, kept)).hasMessageContaining("E18")
                .hasMessageContaining("did not reproduce");
    }

    @Test
    void e18AMasterThatDoesNotArchiveHasNothingToLose() {
        ArchiveAcrossRestart off = new ArchiveAcrossRestart("off", 0, 0);
        assertThat(WalArchive.checked(corrected, off)).isSameAs(off);
        assertThat(corrected.entries()).extracting(Entry::status).containsOnly(Status.NOT_REPRODUCED);
    }

    @Test
    void e19SettingsOfTheExistingPostgresqlConfDroppedAreTheRecordedErratum() {
        ExistingSettings dropped = new ExistingSettings(List.of(new DroppedSetting("TimeZone", "Europe/Paris", "GMT")));
        assertThat(ConfigurationFiles.checked(published, dropped)).isSameAs(dropped);
        assertThat(reproduced(published)).isEqualTo("E19");
        assertThat(ConfigurationFiles.checked(corrected, new ExistingSettings(List.of())).dropped()).isEmpty();
        assertThatThrownBy(() -> ConfigurationFiles.checked(corrected, dropped)).hasMessageContaining("E19");
    }

    @Test
    void e20AReplicaAdmittingEveryAddressIsTheRecordedErratum() {
        ReplicaHba open = new ReplicaHba("/data/pg_hba.conf", true, List.of("line 100: host all all all scram-sha-256"));
        assertThat(ConfigurationFiles.checked(published, open)).isSameAs(open);
        assertThat(reproduced(published)).isEqualTo("E20");
        ReplicaHba guides = new ReplicaHba("/etc/postgresql/pg_hba.conf", false, List.of());
        assertThat(ConfigurationFiles.checked(corrected, guides)).isSameAs(guides);
        assertThatThrownBy(() -> ConfigurationFiles.checked(corrected, open)).hasMessageContaining("E20");
    }
}
