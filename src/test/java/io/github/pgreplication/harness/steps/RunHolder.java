package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.settings.HarnessSettings;

/** The one certification run of this JVM, created when a scenario first needs it and closed after the last. */
final class RunHolder {

    private static CertificationRun run;
    private static RuntimeException failure;

    private RunHolder() {
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

    static synchronized CertificationRun currentOrNull() {
        return run;
    }

    static synchronized void close() {
        if (run != null) {
            run.close();
        }
    }
}
