package io.github.pgreplication.harness.backend;

/** What the report says of a backend for every figure it gives. */
public record BackendDescription(String name, String serverVersion, String runtime, String details) {
}
