package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.probes.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Étapes 1.5 and 1.6 on the master. */
public class MasterSteps {

    private final PairWorld world;

    public MasterSteps(PairWorld world) {
        this.world = world;
    }

    @Then("the master {string} runs with {string} set to its mounted {string}")
    public void runsWithSetting(String master, String setting, String containerPath) throws SQLException {
        try (Connection c = world.pair().masterConnection()) {
            String value = (String) Sql.scalar(c, "SELECT setting FROM pg_settings WHERE name = ?", setting);
            assertThat(value).endsWith(containerPath).isEqualTo(world.pair().master().plan().mountAt(containerPath)
                    .map(m -> value).orElseThrow());
        }
    }

    @When("Étape 1.6's query {int} ran on the master {string} after Phase 1")
    public void step16Ran(int index, String master) {
        String item = world.pair().guide().query("1.6", index).item();
        world.results = world.pair().ledger().verbatim(item, () -> world.pair().step16Results(index));
    }

    @Then("it returned the row {string}")
    public void returnedRow(String expected) {
        assertThat(lastRows()).extracting(r -> r.get("rolname") + " | " + ((Boolean) r.get("rolreplication") ? "t" : "f"))
                .containsExactly(expected);
    }

    @Then("it returned a row with slot_name {string}, slot_type {string} and active {string}")
    public void returnedSlot(String name, String type, String active) {
        assertThat(lastRows()).anySatisfy(r -> assertThat(List.of(r.get("slot_name"), r.get("slot_type"),
                (Boolean) r.get("active") ? "t" : "f")).containsExactly(name, type, active));
    }

    @Then("its results were {string}, {string}, {string}")
    public void resultsWere(String a, String b, String c) {
        assertThat(world.results).extracting(r -> r.get(0).values().iterator().next()).containsExactly(a, b, c);
    }

    @Then("the master's log says the image skipped its initialisation")
    public void logSaysSkipped() {
        assertThat(world.pair().master().logTail(200)).contains("Database directory appears to contain a database; Skipping initialization");
    }

    @Then("Étape 1.6's query {int} on the master {string} returns no row")
    public void step16ReturnsNoRow(int index, String master) {
        assertThat(world.pair().runOnMaster(world.pair().guide().query("1.6", index))).isEmpty();
    }

    private List<Map<String, Object>> lastRows() {
        return world.results.get(world.results.size() - 1);
    }

}
