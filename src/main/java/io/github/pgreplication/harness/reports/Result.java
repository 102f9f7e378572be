package io.github.pgreplication.harness.reports;

import java.util.Collection;

/**
 * What the pages say of a part of the guide: it passed, it reproduced an erratum (and the run went on with the
 * correction), it failed, it was not run (and why), or it is manual (no automation can check it). Never "passed" for
 * something that did not run.
 */
enum Result {
    PASSED("passed"), ERRATUM("erratum"), FAILED("failed"), NOT_RUN("not run"), MANUAL("manual");

    private final String label;

    Result(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** Its CSS class and its word in run.json: {@code not-run}. */
    String css() {
        return label.replace(' ', '-');
    }

    static Result of(String css) {
        for (Result r : values()) {
            if (r.css().equals(css)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no result " + css);
    }

    /** A section's result from its parts': failed if one failed, erratum if one reproduced one, passed if one passed. */
    static Result worst(Collection<Result> parts) {
        for (Result r : new Result[] {FAILED, ERRATUM, PASSED, MANUAL}) {
            if (parts.contains(r)) {
                return r;
            }
        }
        return NOT_RUN;
    }
}
