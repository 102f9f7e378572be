package io.github.pgreplication.harness.steps;

import io.cucumber.java.After;
import io.cucumber.java.AfterAll;
import io.cucumber.java.Before;
import io.cucumber.java.BeforeAll;
import io.cucumber.java.Scenario;
import io.github.pgreplication.harness.backend.EvidenceFiles;
import io.github.pgreplication.harness.backend.kind.BackendKind;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.procedure.GuidePair;
import io.github.pgreplication.harness.reports.Verdict;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.settings.HarnessSettings;
import io.github.pgreplication.harness.guide.MasterProfile;
import java.util.Arrays;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * Collects a failed scenario's evidence from its pair's backend, before the pair is released (as Strimzi's
 * TestLogCollector and CloudNativePG's namespace dumps do), and releases pairs.
 */
public class Hooks {

    /**
     * The name of the attachment that lists a failed scenario's evidence: this, then the evidence directory relative to
     * the reports directory ({@code evidence/<scenario>-<id>/}); the certification report links the scenario to it.
     */
    static final String EVIDENCE = "evidence/";

    private final PairWorld world;

    public Hooks(PairWorld world) {
        this.world = world;
    }

    /** The preflight: bad input stops the run here, once, before any scenario and before anything starts. */
    @BeforeAll
    public static void preflight() {
        RunHolder.preflight();
    }

    /**
     * Records the scenario's tags (the errata its run must see). A scenario of the guide's {@code oc} commands
     * ({@code @cluster}) needs a cluster: on a backend without one it is skipped (never passed), before anything is
     * deployed and before its tags count as run. A scenario of those lines on the harness's pod standing for a
     * controller's ({@code @off-cluster}) is skipped on a cluster, where another scenario runs them on the controller's
     * pod. A scenario whose lines reach a Service by its name from a pod ({@code @service-names}) is skipped where pods
     * cannot (the local backend). So is a scenario of another existing master's profile
     * ({@code @master-official-image}, {@code @master-openshift-template}).
     */
    @Before
    public void recordTags(Scenario scenario) {
        var settings = HarnessSettings.current();
        if (scenario.getSourceTagNames().contains("@cluster") && !BackendKind.of(settings).runsOnACluster()) {
            throw new TestAbortedException("the guide's oc commands need a cluster; this run's backend is "
                    + settings.backend() + " (run with -Dharness.backend=kubernetes): not run, and not passed");
        }
        if (scenario.getSourceTagNames().contains("@service-names") && !BackendKind.of(settings).podsReachServicesByName()) {
            throw new TestAbortedException("this scenario's lines reach a Service by its name from a pod, which the "
                    + settings.backend() + " backend's pods cannot (no DNS of the run's own): not run, and not passed");
        }
        if (scenario.getSourceTagNames().contains("@off-cluster") && BackendKind.of(settings).runsOnACluster()) {
            throw new TestAbortedException("this scenario runs the guide's lines on the harness's pod, which stands for a "
                    + "controller's off a cluster; on a cluster they run on the controller's own pod, in another scenario: "
                    + "not run here, and not passed");
        }
        MasterProfile master = settings.master();
        Arrays.stream(MasterProfile.values()).filter(p -> p != master && scenario.getSourceTagNames().contains(p.tag()))
                .findFirst().ifPresent(p -> {
                    throw new TestAbortedException("this scenario holds for the existing master of the profile " + p.id()
                            + "; this run's master is " + master.id() + " (harness.master): not run, and not passed");
                });
        RunHolder.current().scenarioStarted(scenario.getSourceTagNames());
        world.scenarioName = scenario.getName();
        world.negative = scenario.getSourceTagNames().contains("@negative");
    }

    /**
     * A failed scenario's evidence, written by its pair's backend under {@code <reports>/evidence/<scenario>-<id>/}
     * while the pods are still there, its index attached to the scenario; then the pair is released. Nothing is
     * collected when no pair was deployed (a pair that failed to stand up is released by the run at once, its
     * diagnosis in the failure's message).
     */
    @After
    public void collectAndRelease(Scenario scenario) {
        try {
            if (scenario.isFailed()) {
                GuidePair pair;
                try {
                    pair = world.pair();
                } catch (IllegalStateException noPair) {
                    return; // nothing was deployed: nothing to collect
                }
                collectEvidence(scenario, pair);
            }
        } finally {
            world.release();
        }
    }

    private static void collectEvidence(Scenario scenario, GuidePair pair) {
        Path reports = HarnessSettings.current().reportsDir();
        String name = EvidenceFiles.dirName(scenario.getName(), scenario.getId());
        Path dir = reports.resolve("evidence").resolve(name);
        try {
            List<Path> files = pair.backend().collectEvidence(dir);
            StringBuilder index = new StringBuilder("The failure evidence of « " + scenario.getName() + " », from the "
                    + pair.backend().description().name() + " backend, in " + dir + " (" + files.size() + " files):\n");
            files.stream().map(f -> dir.toAbsolutePath().relativize(f.toAbsolutePath()).toString()).sorted()
                    .forEach(f -> index.append(f).append('\n'));
            scenario.attach(Secrets.redact(index.toString()), "text/plain", EVIDENCE + name + "/");
        } catch (RuntimeException e) {
            // the backend could not collect (an error, or a backend without evidence): the pods' last lines, as before
            scenario.attach(Secrets.redact("No failure evidence from the " + pair.backend().description().name()
                    + " backend: " + e), "text/plain", "no evidence");
            for (PostgresPod pod : new PostgresPod[] {pair.master(), pair.replica()}) {
                if (pod != null) {
                    scenario.attach(Secrets.redact(pod.logTail(60)), "text/plain", pod.name() + " logs");
                }
            }
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
