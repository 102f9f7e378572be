package io.github.pgreplication.harness.archfixture.cycle.a;

import io.github.pgreplication.harness.archfixture.cycle.b.Beta;

/** Half of a planted cycle between two packages: ArchitectureTest proves its cycle rule finds it. */
public final class Alpha {
    Beta beta;
}
