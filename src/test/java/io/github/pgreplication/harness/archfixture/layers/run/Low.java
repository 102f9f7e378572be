package io.github.pgreplication.harness.archfixture.layers.run;

import io.github.pgreplication.harness.archfixture.layers.procedure.High;

/** A planted upward import, from the bottom layer to the procedure: ArchitectureTest proves its layer rule finds it. */
public final class Low {
    High high;
}
