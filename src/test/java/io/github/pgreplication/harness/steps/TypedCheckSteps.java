package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.procedure.ExistingData;
import io.github.pgreplication.harness.procedure.ServerSettings;
import io.github.pgreplication.harness.procedure.Troubleshooting;
import io.github.pgreplication.harness.procedure.TypedBackup;
import io.github.pgreplication.harness.procedure.TypedChecks;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/** Étape 1.6's and Phase 3's blocks as their reader types them, and what they printed (issue 22). */
public class TypedCheckSteps {

    private final PairWorld world;
    private TypedChecks.Step16 step16;
    private TypedChecks.Printed printed;
    private TypedBackup.Backup backup;
    private TypedChecks.Version version;

    public TypedCheckSteps(PairWorld world) {
        this.world = world;
    }

    private TypedChecks typed() {
        return new TypedChecks(world.pair(), world.context());
    }

    /** Étape 1.6 comes before Phase 2: its second check expects the slot unused, as no replica uses it yet. */
    @Given("a master {master} of its own, holding data, to which Phase 1 has been applied, with no replica yet")
    public void afterPhase1(Named master) throws SQLException {
        world.bareMaster(world.scenarioName).applyPhase1();
        assertThat(world.pair().replica()).as("the pair's replica").isNull();
    }

    @When("Étape 1.6's blocks run as written in a shell, POD_NAME set by the guide's own line")
    public void step16Typed() {
        step16 = typed().step16();
    }

    @Then("its oc wait said condition met for the pod of the master {master} alone, which was running and answering")
    public void waited(Named master) {
        assertThat(step16.podsMet()).as("the pods `oc wait` said ready: " + step16.waited()).containsExactly(world.pair().master().name());
        assertThat(step16.masterReady()).as("the master's pod running, its server answering").isTrue();
    }

    @Then("its POD_NAME named the pod of the master {master}")
    public void podName(Named master) {
        assertThat(step16.podName()).isEqualTo(world.pair().master().name());
    }

    @Then("its first check printed one row: the role {sqlrole} with rolreplication {string}")
    public void roleRow(Named role, String replication) {
        assertThat(step16.role().table().rows()).extracting(r -> r.get("rolname") + " | " + r.get("rolreplication"))
                .as(step16.role().run().toString()).containsExactly(role.name() + " | " + replication);
    }

    @Then("its second check printed a row with slot_name {slot}, slot_type {string} and active {string}")
    public void slotRow(Named slot, String type, String active) {
        assertThat(step16.slots().table().rows()).extracting(r -> List.of(r.get("slot_name"), r.get("slot_type"), r.get("active")))
                .as(step16.slots().run().toString()).contains(List.of(slot.name(), type, active));
    }

    /** As Étape 1.6's query 3 through JDBC: the guide's master.conf values, and the values of the master.conf under test. */
    @Then("its third check printed {string}, {string}, {string}")
    public void walSettings(String a, String b, String c) {
        TypedChecks.Printed wal = step16.wal().printed();
        List<ServerSettings.Shown> shown = world.pair().manifests().shownAgainstMasterConf(wal.results());
        assertThat(shown).extracting(ServerSettings.Shown::guideValue).as(wal.run().toString()).containsExactly(a, b, c);
        assertThat(shown).allMatch(ServerSettings.Shown::asConfigured);
    }

    /** E35: a psql before 15 prints only the last result of a {@code -c} of several statements. */
    @Then("as written its third check printed all three where the pod's psql is of PostgreSQL {int} or later, only the last before, where the corrected line printed them")
    public void walAsWritten(int major) {
        TypedChecks.Wal wal = step16.wal();
        List<String> all = TypedChecks.WAL_SETTINGS;
        assertThat(wal.asWritten().columns()).as("psql " + wal.psqlMajor() + ": " + wal.asWritten().run())
                .isEqualTo(wal.psqlMajor() >= major ? all : all.subList(2, 3));
        assertThat(wal.corrected().map(TypedChecks.Printed::columns)).as("what the corrected line printed (psql "
                + wal.psqlMajor() + ")").isEqualTo(wal.psqlMajor() >= major ? Optional.empty() : Optional.of(all));
    }

    @When("Étape 3.1's block runs as written in a shell, MASTER_POD set by its own line")
    public void step31Typed() {
        printed = typed().step31();
    }

    @When("Étape {word}'s block runs as written in a shell, MASTER_POD set by the guide's own line of Étape 3.1")
    public void step3xTyped(String step) {
        printed = typed().afterMasterPod(step);
    }

    @Then("it printed one row: usename {replication-role}, application_name {string}, state {string} and sync_state {string}")
    public void streamingRow(Named user, String application, String state, String sync) {
        assertThat(printed.table().rows()).extracting(r -> List.of(r.get("usename"), r.get("application_name"), r.get("state"),
                r.get("sync_state"))).as(printed.run().toString()).containsExactly(List.of(user.name(), application, state, sync));
    }

    @Then("it printed a row with slot_name {slot}, slot_type {string} and active {string}")
    public void slotInUse(Named slot, String type, String active) {
        assertThat(printed.table().rows()).extracting(r -> List.of(r.get("slot_name"), r.get("slot_type"), r.get("active")))
                .as(printed.run().toString()).contains(List.of(slot.name(), type, active));
    }

    @Then("it exited {int} and printed no table, only psql's error {string}")
    public void refused(int exit, String error) {
        assertThat(printed.run().exitCode()).as(printed.run().toString()).isEqualTo(exit);
        assertThat(printed.tables()).isEmpty();
        assertThat(printed.errors()).containsExactly(error);
    }

    @Then("that error is the one erratum {word} records for Étape {word}")
    public void recordedError(String erratum, String step) {
        assertThat(typed().recordedFor(step, erratum).whatHappens()).contains("ERROR: " + printed.errors().get(0));
    }

    @When("the guide's check « Slot de réplication inexistant » runs as written in a shell, MASTER_POD set by the guide's own line of Étape 3.1")
    public void slotMissingTyped() {
        printed = typed().afterMasterPod("troubleshooting-slave-start", "pg_replication_slots");
    }

    @Then("it printed a table with a column slot_name and no row")
    public void noSlotRow() {
        assertThat(printed.table().columns()).as(printed.run().toString()).contains("slot_name");
        assertThat(printed.table().rows()).as(printed.run().toString()).isEmpty();
    }

    @When("the guide's diagnostic of « Slot de réplication sature le disque » runs as written in a shell, MASTER_POD set by the guide's own line of Étape 3.1")
    public void slotDiskTyped() {
        printed = typed().afterMasterPod("troubleshooting-slot-disk", "pg_size_pretty");
    }

    @Then("it printed a row with slot_name {slot}, active {string} and a retained_wal of at least {int} MB")
    public void retainedRow(Named slot, String active, int mb) {
        Map<String, Object> row = printed.table().asResult().stream().filter(r -> slot.name().equals(r.get("slot_name")))
                .findFirst().orElseThrow(() -> new AssertionError("no row of " + slot.name() + ": " + printed.run()));
        assertThat(row.get("active")).as(printed.run().toString()).isEqualTo(active);
        assertThat(TypedChecks.sizeInBytes(row.get("retained_wal"))).as(printed.run().toString()).isGreaterThanOrEqualTo(mb * 1024L * 1024L);
    }

    @When("the guide's remedy runs as written in a shell, MASTER_POD set by the guide's own line of Étape 3.1, and the master checkpoints")
    public void remedyTyped() throws SQLException {
        printed = new Troubleshooting(world.pair(), world.context()).dropSlotAsTypedAndCheckpoint();
    }

    @Then("it exited 0 and printed pg_drop_replication_slot's one empty row, and the master has no slot {slot}")
    public void slotDropped(Named slot) throws SQLException {
        assertThat(printed.run().exitCode()).as(printed.run().toString()).isZero();
        assertThat(printed.table().asResult()).as(printed.run().toString()).containsExactly(Map.of("pg_drop_replication_slot", ""));
        assertThat(world.pair().masterNode().slot(slot.name())).as("the master's slot " + slot.name()).isEmpty();
    }

    @When("Étape 1.1's database backup runs as written in a shell, POD_NAME set by the reconnaissance's own line")
    public void backupTyped() {
        backup = new TypedBackup(world.pair(), world.context()).run();
    }

    @Then("it exited 0 and wrote backup-database.sql, a whole pg_dumpall holding every row of the master's table {word}")
    public void backupWhole(String table) {
        assertWholeDump(backup, table, world);
    }

    /** The backup line exited 0 and its file is a whole pg_dumpall holding every row of the existing data's table. */
    static void assertWholeDump(TypedBackup.Backup backup, String table, PairWorld world) {
        assertThat(backup.run().exitCode()).as(backup.run().toString()).isZero();
        assertThat(backup.complete()).as("backup-database.sql (" + backup.bytes() + " bytes) ends as pg_dumpall ends a whole dump").isTrue();
        assertThat(table).as("the existing data's table").isEqualTo(ExistingData.TABLE);
        assertThat(backup.rowsByTable()).as("rows copied by table").containsEntry("public." + table,
                ExistingData.rows(world.pair().existingDataChecksum()));
    }

    @When("the reconnaissance's version check runs as written in a shell")
    public void versionTyped() {
        version = typed().reconnaissanceVersion();
    }

    @Then("its POD_NAME named the pod of the master {master}, whose psql is of the major version its server runs")
    public void versionChecked(Named master) {
        assertThat(version.typed().podFound()).isEqualTo(world.pair().master().name());
        world.pair().backend().clientToolsOfAnotherMajor(world.pair().master()).ifPresent(why -> {
            throw new TestAbortedException(why + ", so whether a reader's psql is of its server's major is not checked (`psql "
                    + "--version`: " + version.typed().psqlVersion() + ", the server: " + version.server() + "): not run, and not passed");
        });
        assertThat(version.sameMajor()).as("`psql --version`: %s; the server: %s", version.typed().psqlVersion(), version.server()).isTrue();
    }
}
