package io.github.pgreplication.harness.monitoring;

import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.run.FreePorts;
import io.github.pgreplication.harness.run.HostTool;
import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.run.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Debian's {@code prometheus-postgres-exporter}, run for real against the pair's Services: listening on a free
 * loopback port, the connection strings (with the password) in its environment only, and an optional query
 * file for {@code --extend.query-path}. {@link #scrape()} reads its {@code /metrics} as Prometheus would.
 */
public final class PostgresExporter implements AutoCloseable {

    /** One sample of the exposition format. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Path dir;
    private final HostTool.Server server;
    private final URI metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String version;

    private PostgresExporter(Path dir, HostTool.Server server, URI metrics, String version) {
        this.dir = dir;
        this.server = server;
        this.metrics = metrics;
        this.version = version;
    }

    /**
     * Starts an exporter for one server (as a sidecar of its pod would be; 0.11 scraping several servers from one
     * process reports its own collector metrics twice and fails); returns once {@code /metrics} answers.
     */
    public static PostgresExporter start(Endpoint server, String user, String password,
                                         Optional<String> queriesYaml, Waits waits) {
        HostTool tool = HostTool.require("prometheus-postgres-exporter", "prometheus-postgres-exporter");
        String version = tool.run(Path.of("/"), Duration.ofSeconds(10), "--version").output().lines().findFirst().orElse("?");
        Path dir = RunDirectory.scratch("exporter");
        List<String> args = new ArrayList<>();
        int port = FreePorts.loopback();
        args.add("--web.listen-address=127.0.0.1:" + port);
        args.add("--log.level=warn");
        try {
            if (queriesYaml.isPresent()) {
                Files.writeString(dir.resolve("queries.yaml"), queriesYaml.get(), StandardCharsets.UTF_8);
                args.add("--extend.query-path=" + dir.resolve("queries.yaml"));
            }
        } catch (IOException e) {
            RunDirectory.deleteTree(dir);
            throw new UncheckedIOException(e);
        }
        String dsn = "postgresql://" + URLEncoder.encode(user, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@" + server.host() + ":" + server.port()
                + "/postgres?sslmode=disable";
        HostTool.Server process = tool.start(dir, dir.resolve("exporter.log"), Map.of("DATA_SOURCE_NAME", dsn),
                args.toArray(String[]::new));
        PostgresExporter exporter = new PostgresExporter(dir, process, URI.create("http://127.0.0.1:" + port + "/metrics"), version);
        try {
            waits.until("prometheus-postgres-exporter answers on 127.0.0.1:" + port, Duration.ofSeconds(20),
                    Duration.ofMillis(50), () -> !exporter.scrape().isEmpty(), () -> !process.isAlive(),
                    () -> exporter.lastScrapeError() + "\n" + process.logTail(20));
        } catch (RuntimeException | AssertionError e) {
            exporter.close();
            throw e;
        }
        return exporter;
    }

    /** What the last scrape answered, for a timeout message. */
    String lastScrapeError() {
        try {
            return "scrape: " + scrape().size() + " samples";
        } catch (RuntimeException e) {
            return "scrape: " + e.getMessage();
        }
    }

    public String version() {
        return version;
    }

    /** Every sample of one scrape. */
    public List<Sample> scrape() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + metrics + ": HTTP " + r.statusCode() + ": "
                        + Secrets.redact(r.body().lines().limit(5)
                        .collect(Collectors.joining(" | "))));
            }
            return parse(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scrape " + metrics, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The metric names present in one scrape. */
    public TreeSet<String> names() {
        return scrape().stream().map(Sample::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The Prometheus text exposition format, samples only (comments and types skipped). */
    static List<Sample> parse(String body) {
        List<Sample> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                String inner = line.substring(brace + 1, line.lastIndexOf('}'));
                for (String kv : inner.split(",(?=[a-zA-Z_]+=\")")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        labels.put(kv.substring(0, eq), kv.substring(eq + 2, kv.length() - 1));
                    }
                }
            } else {
                name = line.substring(0, space);
            }
            String value = line.substring(space + 1).trim();
            out.add(new Sample(name, labels, value.equals("NaN") ? Double.NaN : Double.parseDouble(value)));
        }
        return out;
    }

    public String logTail() {
        return server.logTail(20);
    }

    @Override
    public void close() {
        server.close();
        RunDirectory.deleteTree(dir);
    }
}
