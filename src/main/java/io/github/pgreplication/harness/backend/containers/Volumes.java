package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.github.pgreplication.harness.run.Waits;
import java.time.Duration;
import java.util.List;

/** The removal of a claim's Docker volume. */
final class Volumes {

    private Volumes() {
    }

    /**
     * Removes a claim's volume, and first any container still holding it: at Ctrl-C, Testcontainers' own
     * shutdown hook removes containers at the same time as this one, and the volume stays "in use" until that
     * removal completes.
     */
    static void remove(DockerClient docker, Waits waits, String name) {
        try {
            awaitRemoved(docker, waits, name);
        } catch (AssertionError e) {
            // a release runs among others (ResourceManager): it may fail with an exception, not an Error
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void awaitRemoved(DockerClient docker, Waits waits, String name) {
        waits.until("volume " + name + " removed", Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
                    try {
                        docker.removeVolumeCmd(name).exec();
                        return true;
                    } catch (NotFoundException gone) {
                        return true;
                    } catch (ConflictException inUse) {
                        for (var c : docker.listContainersCmd().withShowAll(true).withVolumeFilter(List.of(name)).exec()) {
                            try {
                                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                            } catch (RuntimeException beingRemoved) {
                                // removal already in progress: the next poll sees it gone
                            }
                        }
                        return false;
                    }
                }, () -> "volume " + name + " still in use by " + docker.listContainersCmd().withShowAll(true)
                        .withVolumeFilter(List.of(name)).exec().stream().map(c -> List.of(c.getNames())).toList());
    }
}
