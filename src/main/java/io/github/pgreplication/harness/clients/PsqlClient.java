package io.github.pgreplication.harness.clients;

import io.github.pgreplication.harness.run.HostTool;
import io.github.pgreplication.harness.run.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The host's real {@code psql}, started with a guide URL as an application's shell would start it: the URL on
 * the command line (host and port adapted, user and database as the guide's), the password in PGPASSWORD, no
 * psqlrc, errors verbose so that they carry their SQLSTATE.
 */
public final class PsqlClient implements SqlClient {

    /** What psql printed (stdout and stderr, redacted) and its exit status. */
    public record Result(int exitCode, String output) {
        public List<String> lines() {
            return output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        }
    }

    public static final String NAME = "psql";
    private final HostTool psql = HostTool.require("psql", "postgresql-client-15");
    private final Duration timeout;

    public PsqlClient(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Connects through the URL and runs {@code SELECT 1}: psql's exit status and what it printed. */
    public Result connect(ClientUrl url) {
        return run(url, "SELECT 1");
    }

    /** Runs each statement with {@code -c}, unaligned and tuples only. */
    public Result run(ClientUrl url, String... statements) {
        List<String> args = new java.util.ArrayList<>(List.of("-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-v", "VERBOSITY=verbose", url.libpqUrlWithoutPassword()));
        for (String s : statements) {
            args.add("-c");
            args.add(s);
        }
        HostTool.Result r = psql.run(Path.of(System.getProperty("java.io.tmpdir")), timeout,
                Map.of("PGPASSWORD", url.login().password(), "PGCONNECT_TIMEOUT", "10",
                        "PGAPPNAME", "pg-replication-harness psql"), args.toArray(String[]::new));
        return new Result(r.exitCode(), Secrets.redact(r.output()));
    }

    @Override
    public RoutedWrite write(ClientUrl url) {
        String marker = RoutingSql.newMarker();
        Result r = run(url, RoutingSql.insert(NAME, marker));
        if (r.exitCode() != 0) {
            throw new AssertionError("psql could not write through " + url + ": exit " + r.exitCode() + "\n" + r.output());
        }
        return new RoutedWrite(NAME, url.guide().variable(), marker, ServerIdentity.parse(r.lines().get(0)));
    }

    @Override
    public RoutedRead read(ClientUrl url, String marker) {
        Result r = run(url, RoutingSql.select(marker));
        if (r.exitCode() != 0 || r.lines().size() != 1) {
            throw new AssertionError("psql could not read through " + url + ": exit " + r.exitCode() + "\n" + r.output());
        }
        String[] cols = r.lines().get(0).split("\\|");
        return new RoutedRead(NAME, url.guide().variable(), marker, ServerIdentity.parse(cols[0]), Long.parseLong(cols[1]) > 0);
    }

    /** An INSERT through the URL: refused (psql's exit status and its verbose error) or not. */
    @Override
    public Refusal tryWrite(ClientUrl url) {
        Result r = run(url, RoutingSql.insert(NAME, RoutingSql.newMarker()));
        String error = r.lines().stream().filter(l -> l.startsWith("ERROR:") || l.startsWith("psql:")).findFirst().orElse("");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^ERROR:\\s+([0-9A-Z]{5}):").matcher(error);
        return new Refusal(NAME, url.guide().variable(), r.exitCode() != 0, m.find() ? m.group(1) : null, r.exitCode(),
                r.output().strip());
    }
}
