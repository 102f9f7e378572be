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

    @Override
    protected void waitUntilReady() {
        AtomicReference<ServerPing.Answer> last = new AtomicReference<>();
        try {
            Awaitility.await("the server accepts connections on its published port").atMost(startupTimeout)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!waitStrategyTarget.isRunning()) {
                            throw new ContainerLaunchException("the container exited before its server accepted connections");
                        }
                        Endpoint e = new Endpoint(waitStrategyTarget.getHost(),
                                waitStrategyTarget.getMappedPort(Probes.POSTGRES_PORT));
                        last.set(ServerPing.ping(e));
                        return last.get() == ServerPing.Answer.ACCEPTING;
                    });
        } catch (ConditionTimeoutException e) {
            throw new ContainerLaunchException("the server did not accept connections on its published port within "
                    + startupTimeout + " (last answer: " + last.get() + ")", e);
        }
    }
}
