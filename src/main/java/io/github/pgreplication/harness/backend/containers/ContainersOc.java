package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import com.github.dockerjava.api.model.StreamType;
import io.github.pgreplication.harness.backend.OcArgs;
import io.github.pgreplication.harness.backend.OcSecrets;
import io.github.pgreplication.harness.backend.BackendOcTarget;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.backend.ServiceRoutes;
import io.github.pgreplication.harness.run.HostTool;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What the containers backend gives its {@code oc}: its pods, an exec as {@code docker exec} (the image's default
 * user, the container's env, no terminal) that keeps standard output and error apart and attaches standard input only
 * when given ({@code docker exec -i} through the docker CLI then), the container's log, its deletion, the Secrets
 * applied.
 */
final class ContainersOc extends BackendOcTarget {

    private final ContainersBackend backend;
    private final DockerClient docker;

    ContainersOc(ContainersBackend backend, DockerClient docker, String project, Supplier<List<ContainerPod>> pods,
                 OcSecrets secrets, ServiceRoutes services) {
        super("containers", backend, project, pods, secrets, services);
        this.backend = backend;
        this.docker = docker;
    }

    @Override
    public Optional<Integer> exec(PostgresPod p, List<String> command, Optional<Path> stdin, Path stdout, Path stderr,
                                  Duration timeout) {
        ContainerPod pod = (ContainerPod) p;
        long outBefore = size(stdout);
        long errorsBefore = size(stderr);
        Optional<Integer> exit = stdin.isPresent() ? execWithStdin(pod, command, stdin.get(), stdout, stderr, timeout)
                : execAttached(pod, command, stdout, stderr, timeout);
        if (exit.isPresent() && exit.get() >= 126) {
            // Docker says so in one stream or the other, depending on the client; kubectl says it as the API's error
            String added = (tail(stdout, outBefore) + tail(stderr, errorsBefore)).strip();
            if (added.startsWith("OCI runtime exec failed")) {
                truncate(stdout, outBefore);
                truncate(stderr, errorsBefore);
                throw BackendOcTarget.execNotStarted(added);
            }
        }
        return exit;
    }

    /** {@code docker exec} through Docker's API, standard input not attached. */
    private Optional<Integer> execAttached(ContainerPod pod, List<String> command, Path stdout, Path stderr,
                                           Duration timeout) {
        String execId = docker.execCreateCmd(pod.container.getContainerId()).withCmd(command.toArray(String[]::new))
                .withAttachStdin(false).withAttachStdout(true).withAttachStderr(true).withTty(false).exec().getId();
        boolean done;
        try (OutputStream out = new FileOutputStream(stdout.toFile(), true);
             OutputStream err = new FileOutputStream(stderr.toFile(), true);
             ResultCallback.Adapter<Frame> callback = docker.execStartCmd(execId).withTty(false)
                     .exec(new ResultCallback.Adapter<>() {
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

    /**
     * {@code docker exec -i}, through the docker CLI: Docker's API client attaches standard input but never closes it
     * (the command waited for an EOF that did not come: {@code psql} and {@code cat} hung until the timeout), while the
     * CLI closes its half of the connection at the input's end, as kubectl does.
     */
    private Optional<Integer> execWithStdin(ContainerPod pod, List<String> command, Path stdin, Path stdout, Path stderr,
                                            Duration timeout) {
        Path cli = HostTool.onPath("docker").orElseThrow(() -> new OcArgs.Unprovided("exec -i (without the docker CLI "
                + "on the PATH)"));
        List<String> args = new ArrayList<>(List.of(cli.toString(), "exec", "-i", pod.container.getContainerId()));
        args.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(args).redirectInput(stdin.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        try {
            Process process = pb.start();
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of(process.exitValue());
            }
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run docker exec -i", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public String containerLog(PostgresPod p) {
        return ((ContainerPod) p).rememberLogs();
    }

    /**
     * The container's cgroup as Docker's stats give it: its CPU time ({@code cpu_usage.total_usage}), its working set as
     * the kubelet computes it (memory usage less the inactive file cache, cgroup v1's {@code total_inactive_file} or
     * v2's {@code inactive_file}).
     */
    @Override
    public Optional<Usage> usage(PostgresPod p) {
        ContainerPod pod = (ContainerPod) p;
        if (!pod.isRunning()) {
            return Optional.empty();
        }
        AtomicReference<Statistics> stats = new AtomicReference<>();
        try (ResultCallback.Adapter<Statistics> callback = docker.statsCmd(pod.container.getContainerId()).withNoStream(true)
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Statistics s) {
                        stats.set(s);
                    }
                })) {
            if (!callback.awaitCompletion(30, TimeUnit.SECONDS) || stats.get() == null || stats.get().getMemoryStats() == null
                    || stats.get().getMemoryStats().getUsage() == null) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("closing docker stats of " + pod.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        Statistics s = stats.get();
        StatsConfig memory = s.getMemoryStats().getStats();
        long inactive = memory == null ? 0 : Optional.ofNullable(memory.getTotalInactiveFile())
                .or(() -> Optional.ofNullable(memory.getInactiveFile())).orElse(0L);
        long usage = s.getMemoryStats().getUsage();
        return Optional.of(new Usage(Duration.ofNanos(s.getCpuStats().getCpuUsage().getTotalUsage()),
                Math.max(0, usage - inactive)));
    }

    @Override
    public boolean hasClaim(String name) {
        return backend.hasClaim(name);
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the file holds from byte {@code from} on. */
    private static String tail(Path file, long from) {
        try {
            byte[] all = Files.readAllBytes(file);
            return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void truncate(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
