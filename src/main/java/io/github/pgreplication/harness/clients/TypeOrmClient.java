package io.github.pgreplication.harness.clients;

import io.github.pgreplication.harness.run.HostTool;
import io.github.pgreplication.harness.run.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The guide's Node.js / TypeORM configuration, run by node with the real typeorm and pg packages
 * ({@code clients/node}, installed by the build's {@code npm ci} into {@code harness.clients.node}). The script
 * evaluates the guide's javascript block as it is, adapts each host and port to the Service it names and the
 * placeholder password to this run's, and prints one JSON object per event.
 */
public final class TypeOrmClient {

    public static final String NAME = "typeorm";
    static final String SCRIPT = "app-routing.js";

    /** One line of the script's output. */
    record Event(String event, String type, String master, List<String> slaves, Integer round, String marker,
                 String server, Boolean seen, Boolean firstReadSawIt, Integer attempts, Double appearedAfterMs,
                 Boolean refused, String sqlstate, String message) {
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Path dir;
    private final HostTool node = HostTool.require("node", "nodejs (Node.js 20.19 or later)");
    private final Duration timeout;

    public TypeOrmClient(Path dir, Duration timeout) {
        this.dir = dir;
        this.timeout = timeout;
        for (String needed : List.of(SCRIPT, "node_modules/typeorm/package.json", "node_modules/pg/package.json")) {
            if (!Files.exists(dir.resolve(needed))) {
                throw new IllegalStateException("the Node.js client is not installed: " + dir.resolve(needed) + " is missing. "
                        + "The build installs it (./mvnw verify runs `npm ci` from clients/node into " + dir
                        + "); or set harness.clients.node to a directory where it is installed");
            }
        }
    }

    /**
     * Runs the guide's configuration {@code guideConfig} (the javascript block, verbatim), {@code rounds} writes
     * each followed at once by reads through TypeORM until the row appears or {@code readTimeout} passes.
     *
     * @param services where each Service the guide names is reached from this host ({@code host:port})
     * @param passwords the guide's placeholder passwords and this run's values
     */
    public TypeOrmRun run(String guideConfig, Map<String, String> services, Map<String, String> passwords, int rounds,
                          Duration readTimeout) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GUIDE_TYPEORM_CONFIG", guideConfig);
        env.put("SERVICES", JSON.writeValueAsString(services));
        env.put("PASSWORDS", JSON.writeValueAsString(passwords));
        env.put("IDENTITY_SQL", ServerIdentity.SQL);
        env.put("ROUNDS", Integer.toString(rounds));
        env.put("READ_TIMEOUT_MS", Long.toString(readTimeout.toMillis()));
        env.put("NODE_OPTIONS", "--no-deprecation");
        HostTool.Result r = node.run(dir, timeout, env, SCRIPT);
        String output = Secrets.redact(r.output());
        List<Event> events = new ArrayList<>();
        for (String line : output.lines().filter(l -> l.startsWith("{")).toList()) {
            events.add(JSON.readValue(line, Event.class));
        }
        Optional<Event> error = events.stream().filter(e -> "error".equals(e.event())).findFirst();
        if (r.exitCode() != 0 || error.isPresent() || events.isEmpty()) {
            throw new AssertionError("node " + SCRIPT + " (the guide's TypeORM configuration) failed: exit " + r.exitCode()
                    + error.map(e -> ", SQLSTATE " + e.sqlstate() + ": " + e.message()).orElse("") + "\n" + output);
        }
        Event config = events.stream().filter(e -> "config".equals(e.event())).findFirst().orElseThrow();
        List<RoutedWrite> writes = events.stream().filter(e -> "write".equals(e.event()))
                .map(e -> new RoutedWrite(NAME, "replication.master", e.marker(), ServerIdentity.parse(e.server()))).toList();
        List<TypeOrmRun.ReadAfterWrite> reads = events.stream().filter(e -> "read".equals(e.event()))
                .map(e -> new TypeOrmRun.ReadAfterWrite(e.round(), new RoutedRead(NAME, "replication.slaves", e.marker(),
                        ServerIdentity.parse(e.server()), e.seen()), e.firstReadSawIt(), e.attempts(), e.appearedAfterMs()))
                .toList();
        Optional<Refusal> onReplica = events.stream().filter(e -> "write-on-replica".equals(e.event())).findFirst()
                .map(e -> new Refusal(NAME, "createQueryRunner(\"slave\")", e.refused(), e.sqlstate(), null,
                        e.message() == null ? "the INSERT succeeded" : e.message()));
        return new TypeOrmRun(config.type(), config.master(), config.slaves(), writes, reads, onReplica,
                packageVersion("typeorm"), packageVersion("pg"),
                node.run(dir, Duration.ofSeconds(10), Map.of(), "--version").output().strip());
    }

    private String packageVersion(String name) {
        try {
            return JSON.readTree(dir.resolve("node_modules").resolve(name).resolve("package.json").toFile())
                    .get("version").asString();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
