package io.github.pgreplication.harness.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PostgreSQL binaries that play the image: {@code harness.pg.bin}, else {@code pg_config --bindir},
 * else the newest {@code /usr/lib/postgresql/<N>/bin}. The guide's scripts need the client tools too
 * (psql, pg_basebackup, pg_isready), not only the server.
 */
public record PostgresBinaries(Path bin, String version, int major) {

    /** What the guide's pods run: the server, and the client tools its scripts and probes call. */
    static final List<String> REQUIRED = List.of("initdb", "postgres", "psql", "pg_basebackup", "pg_isready");

    public static PostgresBinaries find(Optional<Path> configured) {
        List<Path> candidates = new ArrayList<>();
        configured.ifPresent(candidates::add);
        if (configured.isEmpty()) {
            pgConfigBindir().ifPresent(candidates::add);
            candidates.addAll(debianBinDirs());
        }
        for (Path bin : candidates) {
            if (REQUIRED.stream().allMatch(t -> Files.isExecutable(bin.resolve(t)))) {
                String version = run(bin.resolve("postgres").toString(), "--version");
                Matcher m = Pattern.compile("(\\d+)(?:\\.(\\d+))?").matcher(version);
                if (!m.find()) {
                    throw new IllegalStateException(bin + "/postgres --version printed no version: " + version);
                }
                return new PostgresBinaries(bin, version.trim(), Integer.parseInt(m.group(1)));
            }
        }
        String looked = candidates.isEmpty() ? "pg_config and /usr/lib/postgresql/*/bin found nothing"
                : "looked in " + candidates;
        throw new IllegalStateException("No complete PostgreSQL binaries found (" + looked + "). The local backend needs "
                + REQUIRED + ". Install them (Debian: apt-get install postgresql-15) or set harness.pg.bin to a bin "
                + "directory that has them." + configured.map(p -> " harness.pg.bin=" + p + " lacks "
                + REQUIRED.stream().filter(t -> !Files.isExecutable(p.resolve(t))).toList()).orElse(""));
    }

    private static Optional<Path> pgConfigBindir() {
        try {
            String out = run("pg_config", "--bindir").trim();
            return out.isEmpty() ? Optional.empty() : Optional.of(Path.of(out));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static List<Path> debianBinDirs() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .sorted(Comparator.comparingInt((Path d) -> Integer.parseInt(d.getFileName().toString())).reversed())
                    .map(d -> d.resolve("bin")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public Path tool(String name) {
        return bin.resolve(name);
    }
}
