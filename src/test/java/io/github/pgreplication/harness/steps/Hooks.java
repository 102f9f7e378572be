package io.github.pgreplication.harness.steps;

import io.cucumber.java.After;
import io.cucumber.java.AfterAll;
import io.cucumber.java.Scenario;
import io.github.pgreplication.harness.backend.kind.BackendKind;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.reports.Verdict;
import io.github.pgreplication.harness.run.Secrets;
import java.util.List;
import java.util.Optional;

/** Collects the pods' logs of a failed scenario into the report (as Strimzi's TestLogCollector) and releases pairs. */
public class Hooks {

    private final PairWorld world;

    public Hooks(PairWorld world) {
        this.world = world;
    }

    /** The preflight: bad input stops the run here, once, before any scenario and before anything starts. */
    @io.cucumber.java.BeforeAll
    public static void preflight() {
        RunHolder.preflight();
    }

    /**
     * Records the scenario's tags (the errata its run must see). A scenario of the guide's {@code oc} commands
     * ({@code @cluster}) needs a cluster: on a backend without one it is skipped (never passed), before anything is
     * deployed and before its tags count as run.
     */
    @io.cucumber.java.Before
    public void recordTags(Scenario scenario) {
        var settings = io.github.pgreplication.harness.settings.HarnessSettings.current();
        if (scenario.getSourceTagNames().contains("@cluster")
                && !BackendKind.of(settings).runsOnACluster()) {
            throw new org.opentest4j.TestAbortedException("the guide's oc commands need a cluster; this run's backend is "
                    + settings.backend() + " (run with -Dharness.backend=kubernetes): not run, and not passed");
        }
        RunHolder.current().scenarioStarted(scenario.getSourceTagNames());
        world.scenarioName = scenario.getName();
    }

    @After
    public void collectAndRelease(Scenario scenario) {
        try {
            if (scenario.isFailed()) {
                try {
                    var pair = world.pair();
                    for (PostgresPod pod : new PostgresPod[] {pair.master(), pair.replica()}) {
                        if (pod != null) {
                            scenario.attach(Secrets.redact(pod.logTail(60)), "text/plain", pod.name() + " logs");
                        }
                    }
                } catch (RuntimeException noPair) {
                    // nothing was deployed: nothing to collect
                }
            }
        } finally {
            world.release();
        }
    }

    /**
     * After the last scenario, whatever their order: everything the run started is released, and the run's verdict is
     * given (the report and bin/certify's exit status read the same one). A run NOT CERTIFIED fails here, so that
     * Failsafe fails exactly the runs the verdict refuses: a failed scenario fails it anyway; this adds what no
     * scenario carries, a run in which nothing passed (skipped scenarios neither pass nor fail) and an errata file
     * that does not account for the run (an erratum this run must see that did not reproduce, a deviation outside it).
     * Where no report plugin records the scenarios (the unit tests' feature runs) there is no verdict: the errata file
     * must still account for the run.
     */
    @AfterAll
    public static void verdictAndRelease() {
        CertificationRun run = RunHolder.currentOrNull();
        List<String> problems = run == null ? List.of() : run.errataProblems();
        Optional<Verdict> verdict = RunHolder.close();
        if (verdict.isPresent() && !verdict.get().certified()) {
            throw new AssertionError(verdict.get().text());
        }
        if (verdict.isEmpty() && !problems.isEmpty()) {
            throw new AssertionError("The errata file does not account for this run:\n  - " + String.join("\n  - ", problems));
        }
    }
}
