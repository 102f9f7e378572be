package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.github.pgreplication.harness.backend.AbstractPod;
import io.github.pgreplication.harness.backend.OcSecrets;
import io.github.pgreplication.harness.backend.OcTarget;
import io.github.pgreplication.harness.backend.PostgresPod;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the containers backend gives its {@code oc}: its pods, an exec as {@code docker exec} (the image's default
 * user, the container's env, no terminal) that attaches standard input only when given and keeps standard output
 * and error apart, the container's log, its deletion, the Secrets applied.
 */
final class ContainersOc implements OcTarget {

    private final ContainersBackend backend;
    private final DockerClient docker;
    private final String project;
    private final Supplier<List<ContainerPod>> pods;
    private final OcSecrets secrets;

    ContainersOc(ContainersBackend backend, DockerClient docker, String project, Supplier<List<ContainerPod>> pods,
                 OcSecrets secrets) {
        this.backend = backend;
        this.docker = docker;
        this.project = project;
        this.pods = pods;
        this.secrets = secrets;
    }

    @Override
    public String backendName() {
        return "containers";
    }

    @Override
    public String project() {
        return project;
    }

    @Override
    public List<? extends AbstractPod> pods() {
        return pods.get();
    }

    @Override
    public Optional<Integer> exec(PostgresPod p, List<String> command, Optional<Path> stdin, Path stdout, Path stderr,
                                  Duration timeout) {
        ContainerPod pod = (ContainerPod) p;
        String execId = docker.execCreateCmd(pod.container.getContainerId()).withCmd(command.toArray(String[]::new))
                .withAttachStdin(stdin.isPresent()).withAttachStdout(true).withAttachStderr(true).withTty(false)
                .exec().getId();
        boolean done;
        try (OutputStream out = new FileOutputStream(stdout.toFile(), true);
             OutputStream err = new FileOutputStream(stderr.toFile(), true);
             InputStream in = stdin.isPresent() ? Files.newInputStream(stdin.get()) : InputStream.nullInputStream()) {
            var start = docker.execStartCmd(execId).withTty(false);
            if (stdin.isPresent()) {
                start = start.withStdIn(in);
            }
            try (ResultCallback.Adapter<Frame> callback = start.exec(new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame frame) {
                    try {
                        synchronized (out) {
                            (frame.getStreamType() == StreamType.STDERR ? err : out).write(frame.getPayload());
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            })) {
                done = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!done) {
            return Optional.empty();
        }
        Long exit = docker.inspectExecCmd(execId).exec().getExitCodeLong();
        return Optional.of(exit == null ? -1 : exit.intValue());
    }

    @Override
    public String containerLog(PostgresPod p) {
        return ((ContainerPod) p).rememberLogs();
    }

    @Override
    public void deletePod(PostgresPod pod) {
        backend.deletePod(pod);
    }

    @Override
    public List<OcSecrets.Secret> secrets() {
        return secrets.all();
    }
}
