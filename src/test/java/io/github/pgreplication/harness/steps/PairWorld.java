package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.procedure.CertificationRun;
import io.github.pgreplication.harness.procedure.GuideChecks;
import io.github.pgreplication.harness.procedure.GuidePair;
import io.github.pgreplication.harness.procedure.RunContext;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.VolumeKind;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.opentest4j.TestAbortedException;

/** The pair a scenario works on (the run's shared pair, or one of its own) and what its steps saw. */
public class PairWorld {

    private GuidePair pair;
    private boolean disposable;
    /** Whether the scenario is a negative one (@negative), whose pair is broken on purpose. */
    boolean negative;
    private boolean holdsShared;
    List<List<Map<String, Object>>> results;
    Throwable failure;
    String detail;
    /** The scenario's name, which labels the pair of its own in logs and in the report's figures. */
    String scenarioName = "a scenario";
    /** Things a scenario started beside its pair (an exporter, an application writing); closed with it. */
    final java.util.Deque<AutoCloseable> companions = new java.util.ArrayDeque<>();

    CertificationRun run() {
        return RunHolder.current();
    }

    /** The run's shared pair, held by this scenario until it ends (one scenario at a time). */
    GuidePair shared() throws SQLException {
        if (pair == null) {
            pair = run().acquireSharedPair();
            holdsShared = true;
        }
        return pair;
    }

    /**
     * A pair of the scenario's own: the shared pair, which a feature's Background may have given the scenario, is
     * released first, so that the scenarios on the shared pair do not wait for this one's (a pair of its own is made
     * from nothing of the shared pair's).
     */
    GuidePair disposable(String purpose) throws SQLException {
        leaveShared();
        pair = run().disposablePair(purpose);
        disposable = true;
        if (negative) {
            pair.breakOnPurpose();
        }
        return pair;
    }

    /** A master of the scenario's own, the shared pair released first (as {@link #disposable}). */
    GuidePair bareMaster(String purpose) throws SQLException {
        leaveShared();
        pair = run().bareMaster(purpose);
        disposable = true;
        if (negative) {
            pair.breakOnPurpose();
        }
        return pair;
    }

    /** The names of the scenario's pair once it has one (its own, suffixed, in a tenant's namespace), else the run's. */
    GuideNames names() {
        return pair != null ? pair.names() : run().model().names();
    }

    GuidePair pair() {
        if (pair == null) {
            throw new IllegalStateException("no pair: the scenario has no Given step that deploys one");
        }
        return pair;
    }

    /**
     * A scenario that holds only where the pair's claims are of {@code kind} is skipped elsewhere: not run, and not
     * passed (its erratum need not reproduce there either).
     */
    void requireClaims(VolumeKind kind) {
        VolumeKind here = pair().claims().kind();
        if (here != kind) {
            throw new TestAbortedException("this scenario holds where claims are " + kind.plural() + "; this run's are "
                    + here.plural() + " (" + pair().backend().description().name() + " backend): not run, and not passed");
        }
    }

    /** The run's services, as the procedure on a pair takes them. */
    RunContext context() {
        return run().context();
    }

    GuideChecks checks() {
        return new GuideChecks(pair(), context());
    }

    <T extends AutoCloseable> T companion(T c) {
        companions.push(c);
        return c;
    }

    private void leaveShared() {
        if (holdsShared) {
            holdsShared = false;
            pair = null;
            run().releaseSharedPair();
        }
    }

    void release() {
        while (!companions.isEmpty()) {
            try {
                companions.pop().close();
            } catch (Exception e) {
                // released anyway; the pair goes next
            }
        }
        leaveShared();
        if (disposable && pair != null) {
            run().release(pair);
        }
    }
}
