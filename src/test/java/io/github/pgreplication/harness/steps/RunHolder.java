package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.procedure.Preflight;
import io.github.pgreplication.harness.settings.HarnessSettings;

/** The one certification run of this JVM, created when a scenario first needs it and closed after the last. */
final class RunHolder {

    private static CertificationRun run;
    private static RuntimeException failure;
    private static CertificationRun closed;

    private RunHolder() {
    }

    /**
     * Before any scenario: the settings, manifests, errata, guide and backend checked at once; on bad input the
     * run stops here with one message listing every problem, and nothing is started.
     */
    static synchronized void preflight() {
        if (run != null || failure != null) {
            return;
        }
        try {
            Preflight.check(HarnessSettings.current());
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    static synchronized CertificationRun current() {
        if (failure != null) {
            throw failure;
        }
        if (run == null) {
            try {
                run = new CertificationRun(HarnessSettings.current());
            } catch (RuntimeException e) {
                failure = e; // bad input: every scenario fails with the same clear error, nothing is started
                throw e;
            }
        }
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
