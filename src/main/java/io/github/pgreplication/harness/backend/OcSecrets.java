package io.github.pgreplication.harness.backend;

import io.github.pgreplication.harness.run.Secrets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Secrets applied to a backend whose pods are not a cluster's, kept so that its {@code oc get secret} answers as
 * a cluster's would. Nothing is added to {@link Secrets}' redaction here: a Secret's passwords are the run's, known
 * already, and its other keys (a user name, say) are no secret, which the reports must keep showing.
 */
public final class OcSecrets {

    /** A Secret as applied: its name, each key's value ({@code stringData}), when it was applied. */
    public record Secret(String name, Map<String, String> data, Instant created) {
    }

    private final Map<String, Secret> secrets = new LinkedHashMap<>();

    /** {@code oc apply -f} of a Secret: created, or its data replaced. */
    public synchronized void apply(String name, Map<String, String> stringData) {
        Instant created = Optional.ofNullable(secrets.get(name)).map(Secret::created).orElseGet(Instant::now);
        secrets.put(name, new Secret(name, Map.copyOf(stringData), created));
    }

    public synchronized List<Secret> all() {
        return List.copyOf(secrets.values());
    }
}
