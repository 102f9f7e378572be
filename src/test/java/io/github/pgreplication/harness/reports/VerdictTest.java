package io.github.pgreplication.harness.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.backend.BackendDescription;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The verdict means one thing: CERTIFIED when no scenario failed, at least one passed and the errata file accounts for
 * the run; a skipped scenario is neither passed nor failed, and the sentence says how many were not run and why. Its
 * word, its exit status and the failure of the run always agree.
 */
class VerdictTest {

    private static final String LOCAL = "on local processes (PostgreSQL 15)";
    /** The skip messages of the steps (Hooks, ClusterSteps), as they are written. */
    private static final String NEEDS_A_CLUSTER = "the guide's oc commands need a cluster; this run's backend is local (run "
            + "with -Dharness.backend=kubernetes): not run, and not passed";
    private static final String NO_METRICS = "the cluster serves no metrics.k8s.io API (no metrics-server): `oc top` cannot "
            + "answer here, so this scenario is not run, and not passed";
    private static final String NO_POLICY = "the cluster does not enforce NetworkPolicy: with every ingress to the master's "
            + "pod denied, the replica's pod still got an answer from it within 10 s";

    private static ScenarioOutcome passed(int i) {
        return new ScenarioOutcome("f.feature", "scenario " + i, List.of(), "PASSED", "");
    }

    private static ScenarioOutcome skipped(int i, String why) {
        return new ScenarioOutcome("f.feature", "skipped " + i, List.of("@cluster"), "SKIPPED", why);
    }

    private static List<ScenarioOutcome> run(int passed, int skippedForACluster) {
        List<ScenarioOutcome> s = new ArrayList<>();
        for (int i = 0; i < passed; i++) {
            s.add(passed(i));
        }
        for (int i = 0; i < skippedForACluster; i++) {
            s.add(skipped(i, NEEDS_A_CLUSTER));
        }
        Collections.shuffle(s);
        return s;
    }

    /** The word, the exit status and « the run fails » say the same, whatever the verdict. */
    private static void agrees(Verdict v) {
        assertThat(v.sentence()).startsWith(v.certified() ? "CERTIFIED " : "NOT CERTIFIED ");
        assertThat(v.exitStatus()).isEqualTo(v.certified() ? 0 : 1);
        assertThat(v.text()).startsWith(v.sentence());
    }

    @Test
    void aRunWithSkipsOnlyIsCertifiedForWhatItRanAndSaysWhatItDidNotRun() {
        Verdict v = Verdict.of(LOCAL, run(68, 10), List.of(), false);

        assertThat(v.certified()).isTrue();
        assertThat(v.exitStatus()).isZero();
        assertThat(v.passed()).isEqualTo(68);
        assertThat(v.failed()).isZero();
        assertThat(v.skipped()).isEqualTo(10);
        assertThat(v.sentence()).isEqualTo("CERTIFIED on local processes (PostgreSQL 15) for the 68 scenarios it ran, all "
                + "passed; 10 need a cluster and were not run");
        agrees(v);
    }

    @Test
    void skipsAreGroupedByWhatTheyNeed() {
        List<ScenarioOutcome> s = new ArrayList<>(run(75, 10));
        s.add(skipped(11, NO_METRICS));
        s.add(skipped(12, NO_POLICY));
        s.add(skipped(13, "no Docker engine"));
        Verdict v = Verdict.of(LOCAL, s, List.of(), false);

        assertThat(v.certified()).isTrue();
        assertThat(v.notRun()).containsOnlyKeys("a cluster", "a metrics API (metrics-server)",
                "a network that enforces NetworkPolicy", "skipped: no Docker engine");
        assertThat(v.sentence()).endsWith("; 13 were not run: 10 need a cluster, 1 needs a metrics API (metrics-server), "
                + "1 needs a network that enforces NetworkPolicy, 1 skipped (no Docker engine)");
        agrees(v);
    }

    @Test
    void aSkipOfNoKnownKindIsSaidWholeWithoutItsNotRunNotPassedAndCutAtAWordWhenLong() {
        String master = "this scenario holds for the existing master of the profile openshift-template; this run's master "
                + "is official-image (harness.master): not run, and not passed";
        String offCluster = "this scenario runs the guide's lines on the harness's pod, which stands for a controller's off a "
                + "cluster; on a cluster they run on the controller's own pod, in another scenario: not run here, and not passed";
        String long_ = "word ".repeat(60).strip() + ": not run, and not passed";

        assertThat(Verdict.need(master)).isEqualTo(Verdict.OTHER + "this scenario holds for the existing master of the "
                + "profile openshift-template; this run's master is official-image (harness.master)");
        assertThat(Verdict.need(offCluster)).endsWith("on the controller's own pod, in another scenario");
        assertThat(Verdict.need(long_)).hasSizeLessThanOrEqualTo(Verdict.OTHER.length() + 202).endsWith("word …");
    }

    @Test
    void aRunWithAFailureIsNotCertified() {
        List<ScenarioOutcome> s = new ArrayList<>(run(66, 10));
        s.add(new ScenarioOutcome("f.feature", "broken", List.of(), "FAILED", "expected 1 but was 0"));
        s.add(new ScenarioOutcome("f.feature", "undefined", List.of(), "UNDEFINED", ""));
        Verdict v = Verdict.of(LOCAL, s, List.of(), false);

        assertThat(v.certified()).isFalse();
        assertThat(v.exitStatus()).isEqualTo(1);
        assertThat(v.failed()).as("any status but passed and skipped is a failure").isEqualTo(2);
        assertThat(v.sentence()).isEqualTo("NOT CERTIFIED on local processes (PostgreSQL 15): 2 failed; 66 passed; "
                + "10 need a cluster and were not run");
        agrees(v);
    }

    @Test
    void anErratumThatDidNotReproduceRefusesARunWhoseScenariosAllPassed() {
        String problem = "erratum E12 (configmap/postgresql-master-init#password-with-quote) did not reproduce, and this "
                + "run (ALL) must see it";
        Verdict v = Verdict.of(LOCAL, run(1, 0), List.of(problem), false);

        assertThat(v.certified()).isFalse();
        assertThat(v.exitStatus()).isEqualTo(1);
        assertThat(v.sentence()).isEqualTo("NOT CERTIFIED on local processes (PostgreSQL 15): the errata file does not "
                + "account for the run (1 problem); 1 passed");
        assertThat(v.text()).endsWith("\nThe errata file does not account for this run:\n  - " + problem);
        agrees(v);
    }

    @Test
    void aFailureAndErrataProblemsAreBothSaid() {
        List<ScenarioOutcome> s = List.of(passed(1), new ScenarioOutcome("f.feature", "E12", List.of(), "FAILED", "did not reproduce"));
        Verdict v = Verdict.of(LOCAL, s, List.of("one", "two"), false);

        assertThat(v.sentence()).isEqualTo("NOT CERTIFIED on local processes (PostgreSQL 15): 1 failed, and the errata file "
                + "does not account for the run (2 problems); 1 passed");
        agrees(v);
    }

    @Test
    void noScenarioIsNotCertified() {
        Verdict none = Verdict.of(LOCAL, List.of(), List.of(), false);
        assertThat(none.certified()).isFalse();
        assertThat(none.exitStatus()).isEqualTo(1);
        assertThat(none.sentence()).isEqualTo("NOT CERTIFIED on local processes (PostgreSQL 15): no scenario ran");
        agrees(none);

        Verdict allSkipped = Verdict.of(LOCAL, run(0, 10), List.of(), false);
        assertThat(allSkipped.certified()).as("skipped scenarios pass nothing").isFalse();
        assertThat(allSkipped.sentence()).isEqualTo("NOT CERTIFIED on local processes (PostgreSQL 15): no scenario ran; "
                + "10 need a cluster and were not run");
        agrees(allSkipped);
    }

    @Test
    void theGuideAsPublishedIsCertifiedWithTheErrataApplied() {
        Verdict all = Verdict.of(LOCAL, run(78, 0), List.of(), true);
        assertThat(all.sentence()).isEqualTo("CERTIFIED on local processes (PostgreSQL 15), with the errata applied: all 78 "
                + "scenarios passed");
        Verdict some = Verdict.of(LOCAL, run(68, 1), List.of(), true);
        assertThat(some.sentence()).isEqualTo("CERTIFIED on local processes (PostgreSQL 15), with the errata applied, for the "
                + "68 scenarios it ran, all passed; 1 needs a cluster and was not run");
        agrees(all);
        agrees(some);
    }

    @Test
    void theSentenceNamesTheBackendFromItsDescription() {
        HarnessSettings settings = HarnessSettings.current();
        assertThat(Verdict.where(settings, List.of(new BackendDescription("local",
                "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", "PostgreSQL processes (no containers)", "binaries …"))))
                .isEqualTo("on local processes (PostgreSQL 15)");
        assertThat(Verdict.where(settings, List.of(new BackendDescription("containers",
                "PostgreSQL 17.7-1 (image pg-replication-harness/postgres:17, built offline from Debian trixie)", "Docker", "image …"))))
                .isEqualTo("on containers (PostgreSQL 17)");
        assertThat(Verdict.where(settings, List.of(new BackendDescription("kubernetes",
                "PostgreSQL postgres (PostgreSQL) 15.14", "Kubernetes v1.20.15 (offline cluster)", "…"))))
                .isEqualTo("on Kubernetes (offline cluster, PostgreSQL 15)");
        assertThat(Verdict.where(settings, List.of())).as("no pair stood up: the settings' backend")
                .isEqualTo("on local processes");
    }
}
