package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.errata.Erratum;

/** The errata file against what this run saw. */
public class ErrataSteps {

    private final PairWorld world;

    public ErrataSteps(PairWorld world) {
        this.world = world;
    }

    @Then("every erratum this run expects has reproduced")
    public void everyExpectedErratumReproduced() {
        // Only the errata whose proving scenarios ran: a run narrowed with cucumber.filter.tags expects no others.
        var tags = world.run().scenarioTags();
        assertThat(world.run().ledger().missing()).filteredOn(e -> tags.contains("@erratum-" + e.id()))
                .extracting(Erratum::id).as("errata of " + world.run().ledger().catalog().path() + " that this run ("
                        + world.run().ledger().expectation() + ") must see reproduced but did not").isEmpty();
    }

    @Then("no deviation outside the errata file was seen")
    public void noUnrecordedDeviation() {
        assertThat(world.run().ledger().entries()).filteredOn(e -> e.status() == ErrataLedger.Status.UNRECORDED)
                .isEmpty();
    }
}
