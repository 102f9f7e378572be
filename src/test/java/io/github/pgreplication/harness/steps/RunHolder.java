package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.settings.HarnessSettings;

/**
 * The one certification run of this JVM: opened by the preflight (a BeforeAll hook), or earlier, while the JUnit
 * Platform discovers the features ({@link #openEarly()}); closed after the last scenario.
 */
public final class RunHolder {

    private static CertificationRun run;
    private static RuntimeException failure;
    private static CertificationRun closed;

    private RunHolder() {
    }

    /**
     * Starts the preflight and the run it opens on a daemon thread, so that reading the manifests, the guide and the
     * errata, and checking the backend's host, overlap the features' discovery on the other core. Nothing is started:
     * the run's first pair is stood up by the first scenario that needs it. Bad input is kept for the preflight hook,
     * which stops the run with it, as it would have found it itself.
     */
    public static void openEarly() {
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

    /** Closes the run; a later Cucumber execution in this JVM (the unit tests run several) starts a new one. */
    static synchronized void close() {
        try {
            if (run != null) {
                run.close();
            }
        } finally {
            closed = run;
            run = null;
            failure = null;
        }
    }
}
