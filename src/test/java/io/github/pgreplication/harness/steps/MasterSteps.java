package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.guide.GuideNames.Named;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.procedure.ServerSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Étapes 1.5 and 1.6 on the master. */
public class MasterSteps {

    private final PairWorld world;

    public MasterSteps(PairWorld world) {
        this.world = world;
    }

    @Then("the master {master} runs with {string} set to its mounted {string}")
    public void runsWithSetting(Named master, String setting, String containerPath) throws SQLException {
        assertThat(world.pair().master().plan().mountAt(containerPath)).as("a mount at " + containerPath).isPresent();
        try (Connection c = world.pair().masterNode().connect()) {
            assertThat((String) Sql.scalar(c, "SELECT setting FROM pg_settings WHERE name = ?", setting)).endsWith(containerPath);
        }
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
        List<String> quoted = List.of(a, b, c);
        List<String> expected = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < world.results.size(); i++) {
            Map.Entry<String, Object> e = world.results.get(i).get(0).entrySet().iterator().next();
            String guide = world.pair().manifests().masterConf(e.getKey(), true).orElseThrow(() -> new AssertionError(
                    "the guide's master.conf does not set " + e.getKey()));
            assertThat(quoted.get(i)).as("the feature quotes the guide's " + e.getKey()).isEqualTo(guide);
            expected.add(world.pair().manifests().masterConf(e.getKey(), false).orElse(guide));
            shown.add(String.valueOf(e.getValue()));
        }
        for (int i = 0; i < shown.size(); i++) {
            assertThat(ServerSettings.sameValue(shown.get(i), expected.get(i)))
                    .as("SHOW gave " + shown + ", the master.conf under test sets " + expected).isTrue();
        }
    }

    @Then("the master's log says the image skipped its initialisation")
    public void logSaysSkipped() {
        assertThat(world.pair().master().logTail(200)).contains("Database directory appears to contain a database; Skipping initialization");
    }

    @Then("Étape 1.6's query {int} on the master {master} returns no row")
    public void step16ReturnsNoRow(int index, Named master) {
        assertThat(world.pair().runOnMaster(world.pair().step16Query(index))).isEmpty();
    }

    private List<Map<String, Object>> lastRows() {
        return world.results.get(world.results.size() - 1);
    }
}
