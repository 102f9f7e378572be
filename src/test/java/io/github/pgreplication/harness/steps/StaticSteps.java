package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.guide.RunSecrets;
import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.github.pgreplication.harness.compat.ConfigBoot;
import io.github.pgreplication.harness.compat.MajorOutcome;
import io.github.pgreplication.harness.compat.ServerOnlyBinaries;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.lint.LintReport;
import io.github.pgreplication.harness.lint.LintVerdict;
import io.github.pgreplication.harness.lint.Linter;
import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.run.OsUser;
import io.github.pgreplication.harness.run.RunDirectory;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

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

    private LintReport lint(String name, Path dir) {
        int major = run().settings().pgMajor().orElseGet(() -> run().model().plan("lint", run().model().masterDeploymentConfig(),
                run().model().masterTemplate(), run().model().masterTemplate().getSpec().getContainers().get(0),
                new RunSecrets(run().model().manifests())).imageMajor().orElse(15));
        Optional<Set<String>> parameters = Optional.of(ServerOnlyBinaries.unpack(run().settings().compatBinariesDir(), major)
                .parameters());
        LintReport r = Linter.standard(run().settings().lintThreshold()).lint(name, dir, Optional.of(run().guide()), major,
                parameters);
        r.write(run().settings().reportsDir().resolve("lint"));
        run().lintReport(r);
        return r;
    }

    @When("the lint runs on the manifests under test")
    public void lintUnderTest() {
        report = lint("under-test", run().settings().manifestsDir());
    }

    @Then("every finding at or above the threshold is a recorded erratum of the manifests under test")
    public void findingsRecorded() {
        assertThat(LintVerdict.problems(report, run().ledger().catalog().all(), run().ledger())).as(report.text()).isEmpty();
    }

    @Then("the lint of the guide as published differs from that of the corrected manifests only where an erratum says so")
    public void sideBySide() {
        LintReport published = lint("published", run().settings().publishedManifestsDir());
        LintReport corrected = lint("corrected", run().settings().correctedManifestsDir());
        assertThat(LintVerdict.unexplainedDifferences(published, corrected, run().ledger().catalog().all())).isEmpty();
        assertThat(corrected.failing()).as("the corrected manifests:\n" + corrected.text()).isEmpty();
    }

    @When("the guide's master and replica configurations boot on PostgreSQL {int}")
    public void boot(int major) {
        ServerOnlyBinaries binaries = ServerOnlyBinaries.unpack(run().settings().compatBinariesDir(), major);
        outcome = new ConfigBoot(binaries, OsUser.forServers(run().settings().runAsUser()), run().waits(),
                run().model(), RunDirectory.parent(run().settings().volumesDir())).run();
        run().compatibility(outcome);
    }

    @Then("on PostgreSQL {int} they work, or the way they fail is a recorded erratum")
    public void worksOrErratum(int major) {
        String item = "guide-text#versions/" + major;
        run().evidence().executed(item);
        run().ledger().verbatim(item, () -> {
            if (!"works".equals(outcome.verdict())) {
                throw Deviation.result(item, "works", outcome.verdict()).raise();
            }
            return outcome;
        }, () -> outcome);
    }

    @Then("its failure names the parameter {string} as PostgreSQL reports it")
    public void failureNames(String parameter) {
        assertThat(outcome.masterError()).contains("unrecognized configuration parameter \"" + parameter + "\"");
        assertThat(outcome.unknownParameters()).contains(parameter);
    }
}
