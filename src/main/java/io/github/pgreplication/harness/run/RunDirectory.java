package io.github.pgreplication.harness.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's private directory under the system temp dir ({@code pgrh-<runId>}), holding the pods' files and
 * volumes. It records the JVM's pid so that a later run can sweep what a killed JVM left behind (its servers
 * and its files), while two live runs never touch each other's directories.
 */
public final class RunDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
    static final String PREFIX = "pgrh-";
    private static final String OWNER_FILE = "owner.pid";

    private final String runId;
    private final Path root;

    private RunDirectory(String runId, Path root) {
        this.runId = runId;
        this.root = root;
    }

    /** Where a run directory goes without harness.volumes, when /dev/shm does not qualify. */
    static final long TMPFS_ROOM = 8L << 30;

    /**
     * The directory run directories go under: {@code configured} when given; else /dev/shm when it is a tmpfs
     * with at least 8 GiB free (the WAL-pressure scenarios write gigabytes; a data directory on memory spares the
     * disk's fsyncs, which made a local certification twice as long here); else java.io.tmpdir.
     */
    public static Path parent(Optional<Path> configured) {
        if (configured.isPresent()) {
            return configured.get();
        }
        Path shm = Path.of("/dev/shm");
        try {
            java.nio.file.FileStore store = Files.getFileStore(shm);
            if ("tmpfs".equals(store.type()) && Files.isWritable(shm) && store.getUsableSpace() >= TMPFS_ROOM) {
                return shm;
            }
        } catch (IOException | SecurityException ignored) {
            // no /dev/shm here: the temp dir
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** The places a killed run may have left a run directory: the temp dir and /dev/shm. */
    public static List<String> sweepOrphans() {
        List<String> swept = new ArrayList<>();
        for (Path root : new java.util.LinkedHashSet<>(List.of(Path.of(System.getProperty("java.io.tmpdir")), Path.of("/dev/shm")))) {
            if (Files.isDirectory(root)) {
                swept.addAll(sweepOrphans(root));
            }
        }
        return swept;
    }

    /** "tmpfs /dev/shm" or "ext4 /tmp": what a run directory's parent is, for the report. */
    public static String describe(Path parent) {
        try {
            return Files.getFileStore(parent).type() + " " + parent;
        } catch (IOException e) {
            return parent.toString();
        }
    }

    /** Whether this run directory is on a tmpfs: its files are then memory, charged to whichever process writes them. */
    public boolean onTmpfs() {
        try {
            return "tmpfs".equals(Files.getFileStore(root).type());
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates a new run directory, readable by {@code owner} (the unprivileged server user). */
    public static RunDirectory create(Path tempRoot, OsUser owner) {
        String runId = Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14)
                + "-" + ProcessHandle.current().pid();
        try {
            // A short, predictable name: unix socket paths under it are limited to 107 bytes.
            // Pairs stood up in the same second (scenarios in parallel) take the next free suffix, atomically.
            Path root = tempRoot.resolve(PREFIX + runId);
            for (int n = 2; ; n++) {
                try {
                    Files.createDirectory(root,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
                    break;
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    root = tempRoot.resolve(PREFIX + runId + "-" + n);
                }
            }
            Files.writeString(root.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            owner.own(root);
            return new RunDirectory(root.getFileName().toString().substring(PREFIX.length()), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run directory in " + tempRoot, e);
        }
    }

    public String runId() {
        return runId;
    }

    public Path root() {
        return root;
    }

    /** A sub-directory, created and owned by {@code owner}. */
    public Path dir(OsUser owner, String first, String... more) {
        Path dir = root.resolve(Path.of(first, more));
        try {
            Files.createDirectories(dir);
            for (Path p = dir; p.startsWith(root) && !p.equals(root); p = p.getParent()) {
                owner.own(p);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    @Override
    public void close() {
        deleteTree(root);
    }

    /**
     * Removes the directories of runs whose JVM is gone, stopping any server they left running first
     * (read from each data directory's {@code postmaster.pid}). Returns what was swept, for the log.
     */
    /**
     * A scratch directory of this JVM (a tool's files, say), marked with its owner like a run directory, so that
     * another run's sweep leaves it alone while this JVM lives, and removes it once it is gone.
     */
    public static Path scratch(String name) {
        try {
            Path dir = Files.createTempDirectory(PREFIX + name + "-");
            Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create a scratch directory", e);
        }
    }

    public static List<String> sweepOrphans(Path tempRoot) {
        List<String> swept = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(tempRoot)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(d)).toList()) {
                Optional<Long> owner = readPid(dir.resolve(OWNER_FILE));
                if (owner.isPresent() && ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false)) {
                    continue; // a live run: not ours to touch
                }
                if (owner.isEmpty() && justCreated(dir)) {
                    continue; // another JVM (a second test fork, say) is between creating it and writing its owner
                }
                for (long pid : postmasterPids(dir)) {
                    ProcessHandle.of(pid).filter(h -> h.info().command().orElse("").endsWith("postgres"))
                            .ifPresent(h -> {
                                h.descendants().forEach(ProcessHandle::destroyForcibly);
                                h.destroyForcibly();
                                swept.add("postgres pid " + pid);
                            });
                }
                deleteTree(dir);
                swept.add(dir.toString());
            }
        } catch (IOException e) {
            LOG.warn("could not sweep {}: {}", tempRoot, e.getMessage());
        }
        return swept;
    }

    private static boolean justCreated(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toInstant().isAfter(Instant.now().minusSeconds(60));
        } catch (IOException gone) {
            return true; // removed meanwhile: nothing to sweep
        }
    }

    private static List<Long> postmasterPids(Path dir) throws IOException {
        try (Stream<Path> files = Files.find(dir, 8, (p, a) -> p.getFileName().toString().equals("postmaster.pid"))) {
            return files.map(RunDirectory::readPid).flatMap(Optional::stream).toList();
        } catch (UncheckedIOException e) {
            // Another run on this machine sweeps the same orphan at the same time: its files vanish under the walk.
            LOG.info("{} changed while it was swept ({}); its servers are left to the other sweep", dir, e.getMessage());
            return List.of();
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            String first = Files.readAllLines(file).stream().findFirst().orElse("").trim();
            return Optional.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code cp -a from/. to}: a tree copied with its modes and owners (a data directory keeps the server user's,
     * which only root or that user can give), {@code to} created when absent.
     */
    public static void copyTree(Path from, Path to) {
        try {
            Files.createDirectories(to);
            Process p = new ProcessBuilder("cp", "-a", from + "/.", to.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("copying " + from + " to " + to + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying " + from + " to " + to, e);
        }
    }

    /**
     * Deletes a directory tree; what cannot be deleted is logged, not thrown (cleanup must go on). At Ctrl-C a
     * dying child (initdb cleaning up after itself, say) may still be adding or removing files, so the walk
     * goes on past what vanished and is repeated until the tree is gone, for a few seconds at most.
     */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            org.awaitility.Awaitility.await("delete " + root).atMost(java.time.Duration.ofSeconds(10))
                    .pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(200))
                    .until(() -> deleteOnce(root));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            LOG.warn("could not delete {} within 10 s", root);
        }
    }

    private static boolean deleteOnce(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // vanished meanwhile
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
                    try {
                        Files.deleteIfExists(dir);
                    } catch (IOException notEmptyYet) {
                        // something was added meanwhile: the next round takes it
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("deleting {}: {}", root, e.getMessage());
        }
        return !Files.exists(root);
    }
}
