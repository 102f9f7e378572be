package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.guide.GuideNames.Role;
import io.github.pgreplication.harness.procedure.WalArchiving;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Étape 1.3's WAL archiving (« optionnel mais recommandé »): what the manifests turn on must work on the pair. */
public class ArchivingSteps {

    private final PairWorld world;

    public ArchivingSteps(PairWorld world) {
        this.world = world;
    }

    private WalArchiving archiving() {
        return new WalArchiving(world.pair(), world.context());
    }

    @Then("the master {pod} runs with the archive_mode its master.conf sets")
    public void archiveModeAsConfigured(Named master) throws SQLException {
        master.as(Role.MASTER_POD);
        archiving().archiveModeAsConfigured();
    }

    @Then("when that archive_mode is on, the WAL segment the master {pod} leaves at a switch is archived without failure")
    public void archivedWhenOn(Named master) throws SQLException {
        master.as(Role.MASTER_POD);
        WalArchiving archiving = archiving();
        if (!archiving.turnedOnByTheManifests()) {
            world.context().evidence().note("1.3", "archive_mode is off in the master.conf under test: no WAL archiving "
                    + "to check (the guide calls it « optionnel mais recommandé »)");
            return;
        }
        WalArchiving.Archived archived = archiving.switchAndAwaitArchived();
        assertThat(archived.archived()).as(archived.toString()).isPositive();
        world.context().evidence().note("1.3", "WAL archiving, turned on by the master.conf under test: " + archived);
    }

    @When("the master {pod} restarts with archive_mode on and an archive_command that fails")
    public void archiveCommandFails(Named master) throws SQLException {
        master.as(Role.MASTER_POD);
        try (Connection c = world.pair().masterNode().connect(); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET archive_mode = 'on'");
            s.execute("ALTER SYSTEM SET archive_command = 'false'");
        }
        world.pair().stopMaster();
        world.pair().startMaster();
    }

    @Then("the WAL archiving check fails because the archiver reports a failure")
    public void archivingCheckFails() {
        assertThatThrownBy(() -> archiving().switchAndAwaitArchived()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("gave up early").hasMessageContaining("failed_count=1");
    }
}
