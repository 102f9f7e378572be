package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.ImageContract;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Waits;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The harness's own readiness of a pod it starts: a real client connection to its server, at the address clients
 * use, gets an answer. The backend's readiness (the image's probe, a listening port) can be true for the entrypoint's
 * temporary server, whose connections then fail with 57P03. Only here are 57P03 and a refused connection retried;
 * the checks under test never retry.
 */
final class PodReadiness {

    /** Connection errors of a server that is still starting: 57P03 (starting up, or the temporary server stopping) and no listener yet. */
    private static final Set<String> RETRIED_AT_START = Set.of("57P03", "08001", "08006", "08004");

    private PodReadiness() {
    }

    /** Starts the pod on {@code backend} and returns once its server answers {@code login}. */
    static PostgresPod start(Backend backend, Waits waits, String label, ContainerPlan plan, ImageContract.Login login,
                             Duration readyWithin) {
        return start(() -> backend.startPod(plan, readyWithin), waits, label, login, readyWithin);
    }

    /** The pod {@code start} starts (a pod, or a DeploymentConfig's), returned once its server answers {@code login}. */
    static PostgresPod start(Supplier<PostgresPod> start, Waits waits, String label, ImageContract.Login login,
                             Duration readyWithin) {
        PostgresPod pod = start.get();
        String[] last = {"(no attempt yet)"};
        boolean[] refused = {false};
        waits.until("[" + label + "] " + pod.name() + " accepts a client connection at " + pod.endpoint(), readyWithin,
                Duration.ofMillis(20), () -> {
                    try (Connection c = Sql.connect(pod.endpoint(), login.user(), login.password(), login.database())) {
                        return Sql.scalar(c, "SELECT 1") != null;
                    } catch (SQLException e) {
                        last[0] = "SQLSTATE " + e.getSQLState() + ": " + e.getMessage();
                        refused[0] = !RETRIED_AT_START.contains(String.valueOf(e.getSQLState()));
                        return false;
                    }
                }, () -> refused[0], () -> last[0] + "\n" + pod.logTail(20));
        return pod;
    }
}
