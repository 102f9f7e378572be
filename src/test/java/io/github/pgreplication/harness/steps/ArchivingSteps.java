package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.procedure.WalArchiving;
import java.sql.SQLException;

/** Étape 1.3's WAL archiving (« optionnel mais recommandé »): what the manifests turn on must work on the pair. */
public class ArchivingSteps {

    private final PairWorld world;

    public ArchivingSteps(PairWorld world) {
        this.world = world;
    }

    private WalArchiving archiving() {
        return new WalArchiving(world.pair(), world.context());
    }

    @Then("the master {master} runs with the archive_mode its master.conf sets")
    public void archiveModeAsConfigured(Named master) throws SQLException {
        assertThat(archiving().archiveModeAsConfigured()).isNotBlank();
    }

    @Then("when that archive_mode is on, the WAL segment the master {master} leaves at a switch is archived without failure")
    public void archivedWhenOn(Named master) throws SQLException {
        archiving().archivedWhenOn().ifPresent(a -> assertThat(a.archived()).as(a.toString()).isPositive());
    }

    @When("the master {master} restarts with archive_mode on and an archive_command that fails")
    public void archiveCommandFails(Named master) throws SQLException {
        archiving().failEveryArchive();
    }

    @Then("the WAL archiving check fails because the archiver reports a failure")
    public void archivingCheckFails() {
        assertThatThrownBy(() -> archiving().switchAndAwaitArchived()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("gave up early").hasMessageMatching("(?s).*now: \\{[^}]*failed_count=[1-9].*");
    }
}
