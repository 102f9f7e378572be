package io.github.pgreplication.harness.backend.local;

import io.github.pgreplication.harness.backend.AbstractPod;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.run.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A pod of the local backend: a postgres process on a loopback port, its files in the run directory. */
final class LocalPod extends AbstractPod {

    final Path root;
    final PathMap paths;
    final Map<String, String> env;
    final Path log;
    final int port;
    LocalProcess server;

    LocalPod(String name, ContainerPlan plan, Path root, PathMap paths, Map<String, String> env, Path log, int port) {
        super(name, plan);
        this.root = root;
        this.paths = paths;
        this.env = env;
        this.log = log;
        this.port = port;
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint("127.0.0.1", port);
    }

    @Override
    public boolean isRunning() {
        return server != null && server.isAlive();
    }

    Path pgdata() {
        return Path.of(env.get("PGDATA"));
    }

    @Override
    public String logTail(int lines) {
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(name()).append(" container log (last ").append(lines).append(" lines) ---\n")
                .append(tail(log, lines));
        newestServerLog().ifPresent(f -> sb.append("\n--- ").append(name()).append(" server log ")
                .append(f.getFileName()).append(" (last ").append(lines).append(" lines) ---\n").append(tail(f, lines)));
        return Secrets.redact(sb.toString());
    }

    @Override
    public boolean containerLogContains(String text) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** With logging_collector = on (the guide's configs), the server logs to files under PGDATA/log. */
    private Optional<Path> newestServerLog() {
        Path dir = pgdata().resolve("log");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.max(Comparator.comparing(p -> p.toFile().lastModified()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Arrays.asList(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n"));
            return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name() + "@" + endpoint();
    }
}
