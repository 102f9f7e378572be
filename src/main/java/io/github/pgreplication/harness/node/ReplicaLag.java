package io.github.pgreplication.harness.node;

/** A standby's lag as its master measures it: bytes not yet replayed, and replay_lag in ms (null when idle). */
public record ReplicaLag(String applicationName, String state, Long lagBytes, Long replayLagMs) {
}
