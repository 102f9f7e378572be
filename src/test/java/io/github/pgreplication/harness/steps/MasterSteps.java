package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.github.pgreplication.harness.procedure.SuperuserPassword;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.procedure.ServerSettings;
import java.util.List;
import java.util.Map;

/** Étapes 1.5 and 1.6 on the master. */
public class MasterSteps {

    private final PairWorld world;

    public MasterSteps(PairWorld world) {
        this.world = world;
    }

    @Then("the master {master} runs with {string} set to its mounted {string}")
    public void runsWithSetting(Named master, String setting, String containerPath) {
        assertThat(world.pair().master().plan().mountAt(containerPath)).as("a mount at " + containerPath).isPresent();
        assertThat(world.pair().masterNode().safeSql("SELECT setting FROM pg_settings WHERE name = ?", setting))
                .endsWith(containerPath);
    }

    @When("Étape 1.6's query {int} ran on the master {master} after Phase 1")
    public void step16Ran(int index, Named master) {
        String item = world.pair().step16Query(index).item();
        world.results = world.context().ledger().verbatim(item, () -> world.pair().step16Results(index));
    }

    @Then("it returned one row: the role {sqlrole} with rolreplication {string}")
    public void returnedRole(Named role, String replication) {
        assertThat(lastRows()).extracting(r -> r.get("rolname") + " | " + ((Boolean) r.get("rolreplication") ? "t" : "f"))
                .containsExactly(role.name() + " | " + replication);
    }

    @Then("it returned a row with slot_name {slot}, slot_type {string} and active {string}")
    public void returnedSlot(Named slot, String type, String active) {
        assertThat(lastRows()).anySatisfy(r -> assertThat(List.of(r.get("slot_name"), r.get("slot_type"),
                (Boolean) r.get("active") ? "t" : "f")).containsExactly(slot.name(), type, active));
    }

    /**
     * The guide's « Résultat attendu » are its master.conf's values: each quoted value must be the guide's, and
     * the server must show the value the master.conf under test sets (a team may set another wal_keep_size).
     */
    @Then("its results were {string}, {string}, {string}")
    public void resultsWere(String a, String b, String c) {
        List<ServerSettings.Shown> shown = world.pair().manifests().shownAgainstMasterConf(world.results);
        assertThat(shown).extracting(ServerSettings.Shown::guideValue).as("the feature quotes the guide's master.conf: %s", shown)
                .containsExactly(a, b, c);
        assertThat(shown).allMatch(ServerSettings.Shown::asConfigured);
    }

    @Then("the master's log says the image skipped its initialisation")
    public void logSaysSkipped() {
        assertThat(world.pair().master().logTail(200)).contains("Database directory appears to contain a database; Skipping initialization");
    }

    @Then("the master's superuser does not log in with the application user's password")
    public void superuserNotTheApplication() {
        assertThat(new SuperuserPassword(world.pair(), world.context()).applicationPasswordRefusedToTheSuperuser())
                .startsWith("28P01");
    }

    @Then("Étape 1.6's query {int} on the master {master} returns no row")
    public void step16ReturnsNoRow(int index, Named master) {
        assertThat(world.pair().runOnMaster(world.pair().step16Query(index))).isEmpty();
    }

    private List<Map<String, Object>> lastRows() {
        return world.results.get(world.results.size() - 1);
    }
}
