package io.github.pgreplication.harness.guide;

import java.nio.file.Path;

/**
 * Bad input in a manifests directory: says which file, which resource, which key, and what was expected,
 * so that a team running a pre-upgrade certification on its own manifests knows what to fix.
 */
public class ManifestException extends RuntimeException {

    public ManifestException(Path file, String resource, String key, String problem) {
        super(describe(file, resource, key, problem));
    }

    public ManifestException(Path file, String resource, String key, String problem, Throwable cause) {
        super(describe(file, resource, key, problem), cause);
    }

    private static String describe(Path file, String resource, String key, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "(no file)" : file.toString());
        if (resource != null) {
            sb.append(": ").append(resource);
        }
        if (key != null) {
            sb.append(", key '").append(key).append('\'');
        }
        return sb.append(": ").append(problem).toString();
    }
}
