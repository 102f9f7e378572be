package io.github.pgreplication.harness.archfixture.layers.procedure;

/** The procedure-layer end of the planted upward import. */
public final class High {
}
