package io.github.pgreplication.harness.backend.containers;

import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.backend.ServerPing;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * The real server accepts connections on its published port ({@link ServerPing}, from the harness): the image's
 * temporary init-time server listens on no TCP port, and a server still starting answers 57P03. Polled from the
 * JVM, so a starting container costs no {@code docker exec} until its server answers.
 */
final class AcceptsConnections extends AbstractWaitStrategy {

    private static final Duration RUNNING_CHECK = Duration.ofMillis(500);

    @Override
    protected void waitUntilReady() {
        AtomicReference<ServerPing.Reply> last = new AtomicReference<>();
        Endpoint server = new Endpoint(waitStrategyTarget.getHost(), waitStrategyTarget.getMappedPort(Probes.POSTGRES_PORT));
        long[] nextRunningCheck = {System.nanoTime()};
        try {
            Awaitility.await("the server accepts connections on its published port").atMost(startupTimeout)
                    // every 100 ms, as the probe was: each refused login (57P03) is a FATAL line in the server's log
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        last.set(ServerPing.reply(server));
                        if (last.get().answer() == ServerPing.Answer.ACCEPTING) {
                            return true;
                        }
                        // an inspection of the container (an API call) twice a second, not at every poll
                        if (System.nanoTime() >= nextRunningCheck[0]) {
                            nextRunningCheck[0] = System.nanoTime() + RUNNING_CHECK.toNanos();
                            if (!waitStrategyTarget.isRunning()) {
                                throw new ContainerLaunchException("the container exited before its server accepted connections");
                            }
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            throw new ContainerLaunchException("the server did not accept connections on its published port within "
                    + startupTimeout + " (last answer: " + last.get() + ")", e);
        }
    }
}
