package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.github.pgreplication.harness.backend.ContainerExited;
import java.util.Optional;
import org.testcontainers.containers.output.OutputFrame;

/**
 * How a server container that ended at once (an image's entrypoint refusing its args, say) ended, as a cluster would
 * show it (CrashLoopBackOff, the last state's exit code and log). Testcontainers gives up on such a container before
 * its start-up check (it waits for the published port first) and removes it, so its status is asked of Docker's
 * {@code die} event, which outlives the container, and its output is what it printed as it ran.
 */
final class RecordsExit {

    private final StringBuilder streamed = new StringBuilder();

    /** How the container named {@code containerName} ended, if it died since {@code sinceEpochSecond}. */
    Optional<ContainerExited> ended(DockerClient docker, String containerName, String pod, long sinceEpochSecond) {
        List<Event> died = new ArrayList<>();
        try {
            docker.eventsCmd().withSince(Long.toString(sinceEpochSecond))
                    .withUntil(Long.toString(Instant.now().getEpochSecond() + 1))
                    .withContainerFilter(containerName).withEventFilter("die")
                    .exec(new ResultCallback.Adapter<Event>() {
                        @Override
                        public void onNext(Event e) {
                            died.add(e);
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return died.stream().map(e -> e.getActor() == null || e.getActor().getAttributes() == null ? null
                        : e.getActor().getAttributes().get("exitCode")).filter(Objects::nonNull).findFirst()
                .map(code -> new ContainerExited(pod, Integer.parseInt(code), output()));
    }

    private String output() {
        synchronized (streamed) {
            return streamed.toString();
        }
    }

    /** Keeps what the container prints as it runs (bounded), for a container gone before it could be read. */
    Consumer<OutputFrame> consumer() {
        return frame -> {
            synchronized (streamed) {
                if (streamed.length() < 64 * 1024) {
                    streamed.append(frame.getUtf8String());
                }
            }
        };
    }
}
