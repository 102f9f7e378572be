package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.github.pgreplication.harness.backend.EvidenceFiles;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The containers backend's failure evidence (see {@code Backend.collectEvidence}). It keeps, while the pair lives,
 * what a container that has ended and been removed can no longer tell (an init container, a Job, a deleted pod): the
 * last {@value #KEPT_CHARS} characters of its output and its {@code docker inspect}, taken just before its removal. On a
 * failure it writes, for every pod in order: the container's whole output (what was kept, for a removed one), its
 * description (the plan, then the container), its {@code docker inspect} with the env's values redacted, and the
 * server's own log files under its data directory's {@code log} directory (read from the container, stopped or
 * running, once per claim); then the backend's description with its host adaptations. Every text is redacted.
 */
final class ContainerEvidence {

    /** How much of an ended container's output is kept: its end, where a failure shows. */
    static final int KEPT_CHARS = 1 << 20;
    /** A server log file larger than this is cut to its end. */
    private static final int SERVER_LOG_BYTES = 16 << 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What is left of a removed container. */
    private record Ended(String output, Optional<InspectContainerResponse> inspect) {
    }

    private final DockerClient docker;
    private final List<ContainerPod> pods = new CopyOnWriteArrayList<>();
    private final Map<ContainerPod, Ended> ended = new ConcurrentHashMap<>();

    ContainerEvidence(DockerClient docker) {
        this.docker = docker;
    }

    /** A pod the backend made (a server, or a container run to completion). */
    void made(ContainerPod pod) {
        pods.add(pod);
    }

    /** Keeps what a container is about to lose with its removal: the end of its output, its inspect. */
    void ending(ContainerPod pod, String output) {
        Optional<InspectContainerResponse> inspect = Optional.empty();
        String id = pod.container.getContainerId();
        if (id != null) {
            try {
                inspect = Optional.of(docker.inspectContainerCmd(id).exec());
            } catch (RuntimeException gone) {
                // already removed: its output is what is left
            }
        }
        String out = output == null ? "" : output;
        ended.put(pod, new Ended(out.length() > KEPT_CHARS ? "(its first " + (out.length() - KEPT_CHARS)
                + " characters not kept)\n" + out.substring(out.length() - KEPT_CHARS) : out, inspect));
    }

    /** Forgets everything kept: the pair is released. */
    void clear() {
        pods.clear();
        ended.clear();
    }

    List<Path> write(Path dir, List<ContainerPod> notDeleted, String backend) {
        EvidenceFiles files = new EvidenceFiles(dir);
        files.write("backend.txt", backend);
        Map<ContainerPod, List<String>> serverLogs = serverLogs(files);
        for (ContainerPod pod : pods) {
            String name = EvidenceFiles.fileName(pod.name());
            Ended gone = ended.get(pod);
            String id = pod.container.getContainerId();
            String log;
            Optional<InspectContainerResponse> inspect;
            if (gone != null) {
                log = gone.output();
                inspect = gone.inspect();
            } else {
                log = id == null ? "(no container: it was never created)\n" : logs(pod, files);
                inspect = id == null ? Optional.empty() : inspect(id, files);
            }
            files.write(name + "/" + EvidenceFiles.fileName(pod.plan().containerName()) + ".log", log);
            inspect.ifPresent(i -> files.write(name + "/inspect.json", inspectJson(i)));
            String state = gone != null ? "ended and removed (its output and inspect kept from just before)"
                    : id == null ? "never created" : !notDeleted.contains(pod) ? "removed"
                    : pod.isRunning() ? "running" : "stopped (killed, or its server ended)";
            files.write(name + "/description.txt", EvidenceFiles.describe(pod.name(), pod.plan()) + onThisHost(pod, state, inspect,
                    serverLogs.getOrDefault(pod, List.of())));
        }
        return files.done();
    }

    private String onThisHost(ContainerPod pod, String state, Optional<InspectContainerResponse> inspect, List<String> serverLogs) {
        StringBuilder s = new StringBuilder("\nOn this host (containers backend):\n");
        s.append("State:          ").append(state).append('\n');
        inspect.ifPresent(i -> {
            s.append("Container:      ").append(i.getName()).append(" ").append(i.getId(), 0, Math.min(12, i.getId().length())).append('\n');
            s.append("Image:          ").append(i.getConfig() == null ? "?" : i.getConfig().getImage()).append('\n');
            if (i.getState() != null) {
                s.append("Docker state:   ").append(i.getState().getStatus()).append(", exit code ").append(i.getState().getExitCodeLong())
                        .append(Boolean.TRUE.equals(i.getState().getOOMKilled()) ? ", OOM-killed" : "").append(", started ")
                        .append(i.getState().getStartedAt()).append(", finished ").append(i.getState().getFinishedAt()).append('\n');
            }
            if (i.getNetworkSettings() != null && i.getNetworkSettings().getPorts() != null) {
                i.getNetworkSettings().getPorts().getBindings().forEach((port, to) -> s.append("Port:           ").append(port)
                        .append(to == null ? " (not published)" : " published on " + Arrays.stream(to)
                                .map(b -> b.getHostIp() + ":" + b.getHostPortSpec()).toList()).append('\n'));
            }
            if (i.getNetworkSettings() != null && i.getNetworkSettings().getNetworks() != null) {
                i.getNetworkSettings().getNetworks().forEach((n, net) -> s.append("Network:        ").append(n).append(", ")
                        .append(net.getIpAddress()).append(", aliases ").append(net.getAliases()).append('\n'));
            }
            if (i.getMounts() != null) {
                i.getMounts().forEach(m -> s.append("Docker mount:   ").append(m.getDestination()).append(" ← ")
                        .append(m.getName() != null ? "volume " + m.getName() : m.getSource()).append(Boolean.FALSE.equals(m.getRW()) ? " (read-only)" : "")
                        .append('\n'));
            }
        });
        s.append("Server log files: ").append(serverLogs.isEmpty() ? "(none read)" : String.join(", ", serverLogs)).append('\n');
        return s.toString();
    }

    private String logs(ContainerPod pod, EvidenceFiles files) {
        try {
            return pod.container.getLogs();
        } catch (RuntimeException e) {
            files.problem(pod.name() + ": no output: " + e);
            return "(no output: " + e.getMessage() + ")\n";
        }
    }

    private Optional<InspectContainerResponse> inspect(String id, EvidenceFiles files) {
        try {
            return Optional.of(docker.inspectContainerCmd(id).exec());
        } catch (RuntimeException e) {
            files.problem("docker inspect " + id + ": " + e);
            return Optional.empty();
        }
    }

    /** {@code docker inspect} as JSON, the env's values replaced by {@code ****} (the names stay). */
    static String inspectJson(InspectContainerResponse inspect) {
        try {
            JsonNode tree = JSON.valueToTree(inspect);
            if (tree.path("Config").path("Env") instanceof ArrayNode env) {
                for (int i = 0; i < env.size(); i++) {
                    String entry = env.get(i).asString();
                    int eq = entry.indexOf('=');
                    env.set(i, (eq < 0 ? entry : entry.substring(0, eq)) + "=****");
                }
            }
            return tree.toPrettyString() + "\n";
        } catch (RuntimeException e) {
            return "(docker inspect could not be written as JSON: " + e + ")\n";
        }
    }

    /**
     * The server log files of each claim holding a data directory, read from the last pod that mounts it and still has
     * a container (running or stopped): {@code docker cp} of {@code $PGDATA/log}.
     */
    private Map<ContainerPod, List<String>> serverLogs(EvidenceFiles files) {
        Map<ContainerPod, List<String>> written = new LinkedHashMap<>();
        Set<String> done = new HashSet<>();
        List<ContainerPod> newestFirst = new ArrayList<>(pods);
        Collections.reverse(newestFirst);
        for (ContainerPod pod : newestFirst) {
            String id = pod.container.getContainerId();
            String pgdata = pod.plan().imageContract().pgdata(pod.plan().env());
            if (id == null || ended.containsKey(pod) || !done.add(dataKey(pod, pgdata))) {
                continue;
            }
            String name = EvidenceFiles.fileName(pod.name());
            List<String> names = new ArrayList<>();
            try (InputStream tar = docker.copyArchiveFromContainerCmd(id, pgdata + "/log").exec();
                 TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
                for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    if (e.isFile()) {
                        String file = name + "/server-log/" + EvidenceFiles.fileName(Path.of(e.getName()).getFileName().toString());
                        files.write(file, read(in, e.getSize()));
                        names.add(file);
                    }
                }
            } catch (NotFoundException none) {
                // no log directory: logging_collector is off
            } catch (IOException | RuntimeException e) {
                files.problem(pod.name() + ": server log files: " + e);
            }
            written.put(pod, names);
        }
        return written;
    }

    /** The claim a data directory is on (pods of one claim share their log files), else the pod's own. */
    private static String dataKey(ContainerPod pod, String pgdata) {
        for (MountPlan m : pod.plan().mounts()) {
            if (m.source() instanceof MountSource.Claim c && (pgdata.equals(m.mountPath()) || pgdata.startsWith(m.mountPath() + "/"))) {
                return "claim " + c.claimName() + pgdata.substring(m.mountPath().length());
            }
        }
        return "pod " + pod.name();
    }

    /** An archive entry's text: its last {@value #SERVER_LOG_BYTES} bytes when it is larger. */
    private static String read(InputStream in, long size) throws IOException {
        String cut = "";
        if (size > SERVER_LOG_BYTES) {
            in.skipNBytes(size - SERVER_LOG_BYTES);
            cut = "(its first " + (size - SERVER_LOG_BYTES) + " bytes not shown)\n";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return cut + out.toString(StandardCharsets.UTF_8);
    }
}
