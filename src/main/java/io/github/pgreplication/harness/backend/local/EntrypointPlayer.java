package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.guide.ImageContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** An image's entrypoint played with local binaries: what it does before its server runs, one class per contract. */
abstract class EntrypointPlayer {

    final LocalBackend backend;
    private final ImageContract contract;

    EntrypointPlayer(LocalBackend backend, ImageContract contract) {
        this.backend = backend;
        this.contract = contract;
    }

    /** The contract played. */
    final ImageContract contract() {
        return contract;
    }

    /**
     * Does what the image's entrypoint does before it execs the server (initialisation, hooks, configuration), or
     * fails as the image would; returns the server's arguments (after the program {@code postgres}).
     * {@code serverAdaptations} are the host's own settings, which every server of the pod gets after its args.
     */
    abstract List<String> prepareServer(LocalPod pod, List<String> serverAdaptations, Duration timeout);

    /** The environment the entrypoint execs the server with: the pod's, unless the entrypoint takes some out. */
    Map<String, String> serverEnvironment(LocalPod pod) {
        return pod.env;
    }
}
