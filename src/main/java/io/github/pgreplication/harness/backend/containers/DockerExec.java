package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.run.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code oc exec} on a container: docker exec, as the image's default user, with the container's env and extra env. */
final class DockerExec {

    private DockerExec() {
    }

    /** Runs the command, its output whole and redacted; timed out when it has not ended within {@code limit}. */
    static ContainerResult run(DockerClient docker, String what, String containerId, List<String> command,
                               Map<String, String> extraEnv, Duration limit) {
        long start = System.nanoTime();
        String execId = docker.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                .withEnv(extraEnv.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean done;
        try (ResultCallback.Adapter<Frame> callback = docker.execStartCmd(execId).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    out.writeBytes(frame.getPayload());
                }
            }
        })) {
            done = callback.awaitCompletion(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Long exit = docker.inspectExecCmd(execId).exec().getExitCodeLong();
        String output;
        synchronized (out) {
            output = Secrets.redact(out.toString(StandardCharsets.UTF_8));
        }
        return new ContainerResult(what, exit == null ? -1 : exit.intValue(), output, Duration.ofNanos(System.nanoTime() - start), !done);
    }
}
