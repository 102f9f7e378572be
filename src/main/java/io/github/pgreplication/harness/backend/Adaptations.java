package io.github.pgreplication.harness.backend;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The host-level adaptations a backend made, each once, in order, without what differs from run to run. */
public final class Adaptations {

    private final Set<String> made = new LinkedHashSet<>();

    /** Records one, with {@code runSpecific} (a run directory, a run id; null for none) written as {@code placeholder}. */
    public synchronized void add(String adaptation, String runSpecific, String placeholder) {
        made.add(runSpecific == null ? adaptation : adaptation.replace(runSpecific, placeholder));
    }

    public synchronized List<String> all() {
        return List.copyOf(made);
    }
}
