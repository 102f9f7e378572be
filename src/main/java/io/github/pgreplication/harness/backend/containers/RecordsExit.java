package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.github.pgreplication.harness.backend.ContainerExited;
import java.util.Optional;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.utility.LogUtils;

/**
 * Testcontainers' own start-up check (the container runs), which also keeps the exit status and output of a server
 * container that ends at once (an image's entrypoint refusing its args, say): Testcontainers removes such a container
 * before the backend could ask, and a cluster would show both (CrashLoopBackOff, the last state's exit code and log).
 */
final class RecordsExit extends StartupCheckStrategy {

    private volatile Integer exitCode;
    private volatile String output = "";
    private final StringBuilder streamed = new StringBuilder();

    @Override
    public StartupStatus checkStartupState(DockerClient docker, String containerId) {
        InspectContainerResponse.ContainerState state = getCurrentState(docker, containerId);
        if (Boolean.TRUE.equals(state.getRunning())) {
            return StartupStatus.SUCCESSFUL;
        }
        if ("exited".equals(state.getStatus()) || "dead".equals(state.getStatus())) {
            output = LogUtils.getOutput(docker, containerId, OutputFrame.OutputType.STDOUT, OutputFrame.OutputType.STDERR);
            exitCode = state.getExitCodeLong() == null ? null : state.getExitCodeLong().intValue();
            return StartupStatus.FAILED;
        }
        return StartupStatus.NOT_YET_KNOWN;
    }

    /**
     * The exit status of the container named {@code containerName} if it died since {@code sinceEpochSecond}: Docker's
     * {@code die} event, which outlives the container. Testcontainers gives up on a container that exits at once
     * before its start-up check runs (it waits for the published port first) and removes it, so its status is asked
     * of Docker's events, and its output is what {@link #consumer()} kept.
     */
    Optional<ContainerExited> ended(DockerClient docker, String containerName, String pod, long sinceEpochSecond) {
        if (exitCode != null) {
            return Optional.of(new ContainerExited(pod, exitCode, output));
        }
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
                        : e.getActor().getAttributes().get("exitCode")).filter(java.util.Objects::nonNull).findFirst()
                .map(code -> new ContainerExited(pod, Integer.parseInt(code), streamed.toString()));
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

    /** The status the container exited with, when it ended before it ran; null otherwise. */
    Integer exitCode() {
        return exitCode;
    }

    /** Its whole output, when it ended before it ran. */
    String output() {
        return output;
    }
}
