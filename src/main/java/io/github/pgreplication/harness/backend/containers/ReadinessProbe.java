package io.github.pgreplication.harness.backend.containers;

import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * The pod's readinessProbe ({@code exec} of the manifest's command, {@code pg_isready -U postgres} in the
 * guide), as a Testcontainers wait strategy. pg_isready uses the Unix socket, which the image's temporary
 * init-time server also answers on, so it runs after {@link AcceptsConnections}: ready is the real server,
 * accepting connections on TCP, and the pod's own probe passing.
 */
final class ReadinessProbe extends AbstractWaitStrategy {

    private final List<String> command;

    ReadinessProbe(List<String> command) {
        this.command = command;
    }

    @Override
    protected void waitUntilReady() {
        try {
            Awaitility.await("readiness probe " + String.join(" ", command)).atMost(startupTimeout)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> waitStrategyTarget.isRunning()
                            && waitStrategyTarget.execInContainer(command.toArray(String[]::new)).getExitCode() == 0);
        } catch (ConditionTimeoutException e) {
            throw new ContainerLaunchException("readiness probe " + command + " did not pass within " + startupTimeout, e);
        }
    }
}
