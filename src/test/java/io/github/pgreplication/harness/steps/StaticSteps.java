package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.compat.ConfigChange;
import io.github.pgreplication.harness.compat.MajorOutcome;
import io.github.pgreplication.harness.lint.LintReport;
import io.github.pgreplication.harness.lint.LintVerdict;
import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.procedure.StaticChecks;
import java.util.List;

/** What is certified without a pair: the lint of the manifests, and their configurations booted on each major. */
public class StaticSteps {

    private final PairWorld world;
    private LintReport report;
    private MajorOutcome outcome;

    public StaticSteps(PairWorld world) {
        this.world = world;
    }

    private CertificationRun run() {
        return world.run();
    }

    private StaticChecks checks() {
        return new StaticChecks(run());
    }

    @When("the lint runs on the manifests under test")
    public void lintUnderTest() {
        report = checks().lint("under-test", run().settings().manifestsDir());
    }

    @Then("every finding at or above the threshold is a recorded erratum of the manifests under test")
    public void findingsRecorded() {
        assertThat(LintVerdict.problems(report, run().ledger().catalog().all(), run().ledger())).as(report.text()).isEmpty();
    }

    @Then("the lint of the guide as published differs from that of the corrected manifests only where an erratum says so")
    public void sideBySide() {
        LintReport published = checks().lint("published", run().settings().publishedManifestsDir());
        LintReport corrected = checks().lint("corrected", run().settings().correctedManifestsDir());
        assertThat(LintVerdict.unexplainedDifferences(published, corrected, run().ledger().catalog().all())).isEmpty();
        assertThat(corrected.failing()).as("the corrected manifests:\n" + corrected.text()).isEmpty();
    }

    @When("the guide's master and replica configurations boot on PostgreSQL {int}")
    public void boot(int major) {
        outcome = checks().boot(major);
    }

    @Then("on PostgreSQL {int} they work, or the way they fail is a recorded erratum")
    public void worksOrErratum(int major) {
        checks().worksOrErratum(major, outcome);
    }

    @When("they boot on PostgreSQL {int} as erratum {word}'s correction has them: {string} instead of {string}, and no {string}")
    public void bootAsCorrected(int major, String erratum, String line, String replaced, String removed) {
        outcome = checks().bootAsCorrected(major, erratum, List.of(ConfigChange.replaced(replaced, line),
                ConfigChange.removed(removed)));
    }

    @Then("on PostgreSQL {int} they work so: master.conf and slave.conf boot, every parameter known, and the standby streams and replays a row")
    public void worksAsCorrected(int major) {
        assertThat(outcome.major()).isEqualTo(major);
        assertThat(outcome.unknownParameters()).as("%s", outcome).isEmpty();
        assertThat(outcome.verdict()).as("%s", outcome).isEqualTo("works");
    }

    @Then("there, Étape 1.6's third check as the guide writes it is refused at {string} with SQLSTATE {word}, and the correction's {string} answers {string}")
    public void step16OnCorrected(String asWritten, String sqlstate, String corrected, String value) {
        checks().requireCorrection(outcome.major(), corrected + " instead of " + asWritten);
        assertThat(outcome.masterAnswers()).as("%s", outcome).containsKey(asWritten);
        assertThat(outcome.masterAnswers().get(asWritten)).as("%s", outcome).startsWith("SQLSTATE " + sqlstate + ":");
        assertThat(outcome.masterAnswers()).as("%s", outcome).containsEntry(corrected, value);
    }

    @Then("its failure names the parameter {string} as PostgreSQL reports it")
    public void failureNames(String parameter) {
        assertThat(outcome.masterError()).contains("unrecognized configuration parameter \"" + parameter + "\"");
        assertThat(outcome.unknownParameters()).contains(parameter);
    }
}
