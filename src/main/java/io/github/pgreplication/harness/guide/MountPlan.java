package io.github.pgreplication.harness.guide;

/** One volumeMount of a container, resolved to what it shows. */
public record MountPlan(String mountPath, String volumeName, MountSource source) {
}
