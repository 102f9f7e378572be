package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.procedure.RunRecord;
import io.github.pgreplication.harness.reports.ScenarioOutcome;
import io.github.pgreplication.harness.reports.Verdict;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one certification run of this JVM: opened by the preflight (a BeforeAll hook), or earlier, while the JUnit
 * Platform discovers the features ({@link #openEarly()}); closed after the last scenario, when its {@link Verdict} is
 * given, once, for the report, for {@code bin/certify}'s exit status and for the hook that fails the run.
 */
public final class RunHolder {

    private static CertificationRun run;
    private static RuntimeException failure;
    private static CertificationRun closed;
    /** The scenarios' outcomes as the report plugin records them; null when no plugin does (the unit tests' runs). */
    private static Supplier<List<ScenarioOutcome>> outcomes;
    /** The verdict of the run last closed, given from {@link #outcomes}. */
    private static Verdict verdict;

    private RunHolder() {
    }

    /**
     * Starts the preflight and the run it opens on a daemon thread, so that reading the manifests, the guide and the
     * errata, and checking the backend's host, overlap the features' discovery on the other core. Nothing is started:
     * the run's first pair is stood up by the first scenario that needs it. Bad input is kept for the preflight hook,
     * which stops the run with it, as it would have found it itself.
     */
    public static void openEarly() {
        synchronized (RunHolder.class) {
            verdict = null; // this JVM's earlier run, if any, is not this one
        }
        Thread t = new Thread(() -> {
            try {
                preflight();
            } catch (RuntimeException kept) {
                // kept in failure: the preflight hook throws it
            }
        }, "preflight");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Before any scenario: the settings, manifests, errata, guide and backend checked at once; on bad input the
     * run stops here with one message listing every problem, and nothing is started.
     */
    static synchronized void preflight() {
        if (failure != null) {
            throw failure;
        }
        if (run == null) {
            try {
                run = new CertificationRun(HarnessSettings.current()); // the preflight, then the run made of what it read
            } catch (RuntimeException e) {
                failure = e; // bad input: every scenario fails with the same clear error, nothing is started
                throw e;
            }
        }
    }

    static synchronized CertificationRun current() {
        preflight();
        return run;
    }

    /** The current run, or the one just closed (the report is written after the last hook). */
    static synchronized CertificationRun currentOrNull() {
        return run != null ? run : closed;
    }

    /**
     * As the run starts: its verdict will be given from the outcomes {@code recorder} gives after the last scenario (the
     * report plugin's record of every scenario that finished).
     */
    static synchronized void outcomesRecordedBy(Supplier<List<ScenarioOutcome>> recorder) {
        outcomes = recorder;
        verdict = null;
        closed = null; // a previous execution's run (the unit tests run several) is not this one's
    }

    /**
     * Closes the run and gives its verdict from the recorded outcomes and the errata problems; a later Cucumber execution
     * in this JVM (the unit tests run several) starts a new one. Empty when no plugin recorded the outcomes.
     */
    static synchronized Optional<Verdict> close() {
        RunRecord record = run == null ? null : run.record();
        try {
            if (run != null) {
                run.close();
            }
        } finally {
            closed = run;
            run = null;
            failure = null;
        }
        return giveVerdict(record);
    }

    /**
     * The verdict of the run last closed; given here, from what is known, if no hook closed the run (the preflight
     * refused it: no scenario ran). Empty when no plugin recorded the outcomes.
     */
    public static synchronized Optional<Verdict> verdict() {
        CertificationRun last = currentOrNull();
        return verdict != null ? Optional.of(verdict) : giveVerdict(last == null ? null : last.record());
    }

    /** The verdict from the recorded outcomes, given once; none (and no earlier execution's) when none were recorded. */
    private static Optional<Verdict> giveVerdict(RunRecord record) {
        verdict = null;
        if (outcomes != null) {
            List<ScenarioOutcome> scenarios = outcomes.get();
            verdict = record != null ? Verdict.of(record, scenarios)
                    : Verdict.of(Verdict.where(HarnessSettings.current(), List.of()), scenarios, List.of(), false);
            outcomes = null; // given once: a later execution records its own
        }
        return Optional.ofNullable(verdict);
    }
}
