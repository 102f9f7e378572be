package io.github.pgreplication.harness.guide;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;

/** A resource with the file and line it came from, for error messages and the report. */
public record LoadedResource(HasMetadata resource, Path file, int line) {

    public String kind() {
        return resource.getKind();
    }

    public String name() {
        return resource.getMetadata() == null ? null : resource.getMetadata().getName();
    }

    /** {@code Kind/name}, as {@code oc} prints it. */
    public String ref() {
        return kind() + "/" + name();
    }

    public String where() {
        return file.getFileName() + ":" + line;
    }
}
