package io.github.pgreplication.harness.guide;

import io.fabric8.kubernetes.api.model.Secret;
import io.github.pgreplication.harness.run.Secrets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The values of every Secret key for one run. A placeholder such as {@code <GÉNÉRER_MOT_DE_PASSE_FORT>} is
 * what the guide asks the operator to replace: the run replaces it with a strong random password (an
 * adaptation the report lists). Real values of a team's own Secret are kept and registered for redaction.
 */
public final class RunSecrets {

    private final ManifestSet set;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> generated = new ArrayList<>();

    public RunSecrets(ManifestSet set) {
        this.set = set;
        for (Secret secret : set.secrets()) {
            TreeSet<String> keys = new TreeSet<>();
            if (secret.getStringData() != null) {
                keys.addAll(secret.getStringData().keySet());
            }
            if (secret.getData() != null) {
                keys.addAll(secret.getData().keySet());
            }
            for (String key : keys) {
                String name = secret.getMetadata().getName();
                String value = set.secretValue(name, key);
                if (isPlaceholder(value)) {
                    values.put(name + "/" + key, Secrets.newPassword());
                    generated.add("Secret " + name + ", key " + key + ": placeholder `" + value
                            + "` replaced by a random 32-character password generated for this run");
                } else {
                    values.put(name + "/" + key, value);
                    if (key.contains("password")) {
                        Secrets.remember(value);
                    }
                }
            }
        }
    }

    /** A value such as {@code <GÉNÉRER_MOT_DE_PASSE_FORT>}: the guide's instruction to put a real one there. */
    public static boolean isPlaceholder(String value) {
        String v = value.trim();
        return v.startsWith("<") && v.endsWith(">");
    }

    /** The value behind a secretKeyRef; the error names the Secret and key when absent. */
    public String value(String secretName, String key) {
        String v = values.get(secretName + "/" + key);
        if (v == null) {
            // Same wording as a lookup in the manifests: a missing Secret or key.
            return set.secretValue(secretName, key);
        }
        return v;
    }

    /** A Secret's keys and this run's values for them (placeholders replaced), as {@code oc apply} would create it. */
    public Map<String, String> data(String secretName) {
        Map<String, String> data = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(secretName + "/")) {
                data.put(k.substring(secretName.length() + 1), v);
            }
        });
        return data;
    }

    /**
     * Takes another pair's values for one Secret, before any pod reads it: a claim copied from that pair holds data
     * made with them (the superuser's password).
     */
    public void adopt(String secretName, Map<String, String> data) {
        data.forEach((key, value) -> values.put(secretName + "/" + key, value));
    }

    /** The adaptations made (placeholders replaced), for the report. */
    public List<String> adaptations() {
        return List.copyOf(generated);
    }
}
