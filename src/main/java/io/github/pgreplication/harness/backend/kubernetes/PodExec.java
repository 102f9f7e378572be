package io.github.pgreplication.harness.backend.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.Probes;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Into a pod through the API server: {@code oc exec} as the API's exec in a pod's container, for the guide's commands
 * (output kept, redacted) and the harness's own quiet checks (an exit code only, or a short output, within 10 s); and
 * {@code oc port-forward} of the server's port to a free port of 127.0.0.1.
 */
final class PodExec {

    private final KubernetesClient client;
    private final String namespace;
    private final Waits waits;

    PodExec(KubernetesClient client, String namespace, Waits waits) {
        this.client = client;
        this.namespace = namespace;
        this.waits = waits;
    }

    /** {@code oc exec}: the API's exec in the pod's container, as the image's user; extra env through {@code env}. */
    ContainerResult exec(KubePod pod, List<String> command, Map<String, String> extraEnv, Duration timeout) {
        List<String> cmd = new ArrayList<>();
        if (!extraEnv.isEmpty()) {
            cmd.add("env");
            extraEnv.forEach((k, v) -> cmd.add(k + "=" + v));
        }
        cmd.addAll(command);
        long start = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Integer exit = null;
        boolean timedOut = false;
        try (ExecWatch w = client.pods().inNamespace(namespace).withName(pod.name()).inContainer(pod.plan().containerName())
                .writingOutput(out).writingError(out).exec(cmd.toArray(String[]::new))) {
            exit = w.exitCode().get(waits.scaled(timeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            timedOut = true;
        } catch (ExecutionException e) {
            throw new IllegalStateException("exec in pod " + pod.name() + " failed: " + e.getCause().getMessage(), e);
        }
        String output;
        synchronized (out) {
            output = Secrets.redact(out.toString(StandardCharsets.UTF_8));
        }
        return new ContainerResult(pod.name() + " exec " + String.join(" ", command), exit == null ? -1 : exit, output,
                Duration.ofNanos(System.nanoTime() - start), timedOut);
    }

    /** A check's exit code, its output discarded; -1 when it could not run or took over 10 s. */
    int quiet(String pod, ContainerPlan plan, List<String> command) {
        try (ExecWatch w = client.pods().inNamespace(namespace).withName(pod).inContainer(plan.containerName())
                .writingOutput(OutputSink.INSTANCE).writingError(OutputSink.INSTANCE).exec(command.toArray(String[]::new))) {
            Integer exit = w.exitCode().get(10, TimeUnit.SECONDS);
            return exit == null ? -1 : exit;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException | TimeoutException | KubernetesClientException e) {
            return -1;
        }
    }

    /** A short command's output (not redacted), "?" when it could not run or took over 10 s. */
    String quietOutput(String pod, ContainerPlan plan, List<String> command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch w = client.pods().inNamespace(namespace).withName(pod).inContainer(plan.containerName())
                .writingOutput(out).writingError(out).exec(command.toArray(String[]::new))) {
            w.exitCode().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | KubernetesClientException e) {
            return "?";
        }
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** A port-forward of the pod's PostgreSQL port to a free port of 127.0.0.1. */
    LocalPortForward portForward(String pod, int podPort) {
        return client.pods().inNamespace(namespace).withName(pod).portForward(podPort,
                InetAddress.getLoopbackAddress(), 0);
    }

    /** Discards an exec's output (the readiness checks need only the exit code). */
    private static final class OutputSink extends OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
