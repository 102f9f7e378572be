package io.github.pgreplication.harness.errata;

/** Which errata a run must reproduce; the setting {@code harness.errata.expect} chooses it. */
public enum ErrataExpectation {
    /** The guide exactly as published: every recorded erratum must reproduce, and no other deviation. */
    ALL,
    /** The corrected manifests: manifest errata must be gone; the guide-text and procedure ones remain. */
    TEXT_ONLY,
    /** A team's own manifests: a recorded erratum may or may not reproduce; unrecorded deviations fail. */
    ANY
}
