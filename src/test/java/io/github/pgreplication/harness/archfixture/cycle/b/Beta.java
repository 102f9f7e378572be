package io.github.pgreplication.harness.archfixture.cycle.b;

import io.github.pgreplication.harness.archfixture.cycle.a.Alpha;

/** The other half of the planted cycle. */
public final class Beta {
    Alpha alpha;
}
