package io.github.pgreplication.harness.compat;

import io.github.pgreplication.harness.run.ResourceManager;
import io.github.pgreplication.harness.backend.HbaCidrs;
import io.github.pgreplication.harness.backend.Endpoint;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.PgConf;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.FreePorts;
import io.github.pgreplication.harness.run.OsUser;
import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.run.Secrets;
import io.github.pgreplication.harness.run.Waits;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The guide's master.conf (with its pg_hba.conf) and slave.conf booted on real servers of one major, with
 * server-only binaries: initdb, the master on the guide's files, the replicator role and the slot made as
 * init-master.sh makes them, a cold copy of the stopped master as the standby's data (what pg_basebackup -R
 * -S produces: the files, standby.signal, primary_conninfo and primary_slot_name), the standby on slave.conf,
 * and one row written on the master and read on the standby.
 */
public final class ConfigBoot {

    private static final Duration BOOT = Duration.ofSeconds(30);
    private final ServerOnlyBinaries binaries;
    private final Path runParent;
    private final OsUser user;
    private final Waits waits;
    private final GuideModel manifests;
    private final List<ConfigChange> changes;
    private final List<String> statements;
    private final Map<String, String> answers = new LinkedHashMap<>();
    private final String masterConf;
    private final String slaveConf;

    public ConfigBoot(ServerOnlyBinaries binaries, OsUser user, Waits waits, GuideModel manifests, Path runParent) {
        this(binaries, user, waits, manifests, runParent, List.of(), List.of());
    }

    /**
     * The boot of the manifests' configurations with {@code changes} made to master.conf and slave.conf first; once
     * the master accepts connections, each of {@code statements} runs on it and its answer is kept.
     */
    public ConfigBoot(ServerOnlyBinaries binaries, OsUser user, Waits waits, GuideModel manifests, Path runParent,
                      List<ConfigChange> changes, List<String> statements) {
        this.statements = List.copyOf(statements);
        this.runParent = runParent;
        this.binaries = binaries;
        this.user = user;
        this.waits = waits;
        this.manifests = manifests;
        this.changes = List.copyOf(changes);
        this.masterConf = ConfigChange.applyAll(changes, configFile(manifests, GuideNames.Role.MASTER_CONFIG, "master.conf"));
        this.slaveConf = ConfigChange.applyAll(changes, configFile(manifests, GuideNames.Role.REPLICA_CONFIG, "slave.conf"));
    }

    /**
     * The changes that replace a parameter neither master.conf nor slave.conf of {@code manifests} sets: such a change
     * would boot the files as they are and say it booted them changed.
     */
    public static List<ConfigChange> replacingNothing(GuideModel manifests, List<ConfigChange> changes) {
        String both = configFile(manifests, GuideNames.Role.MASTER_CONFIG, "master.conf") + "\n"
                + configFile(manifests, GuideNames.Role.REPLICA_CONFIG, "slave.conf");
        return changes.stream().filter(c -> c.line().isPresent() && !c.setIn(both)).toList();
    }

    /** The host adaptations this boot makes, for the report. */
    public static List<String> adaptations() {
        return List.of("Per-major boot: servers listen on 127.0.0.1 at a free port with a socket directory in the run; "
                        + "archive_command's /var/lib/postgresql/archive is a directory of the run; pg_hba.conf's pod CIDR "
                        + "is 127.0.0.1/32.",
                "Per-major boot: the binaries have no psql or pg_basebackup, so init-master.sh's two statements run over "
                        + "JDBC and the standby's data is a cold copy of the stopped master with standby.signal, "
                        + "primary_conninfo and primary_slot_name, which is what `pg_basebackup -R -S` writes.");
    }

    public MajorOutcome run() {
        long start = System.nanoTime();
        Set<String> known = binaries.parameters();
        List<String> unknown = new ArrayList<>(new TreeSet<>(unknownIn(masterConf, known)));
        unknownIn(slaveConf, known).stream().filter(p -> !unknown.contains(p)).forEach(unknown::add);
        // Released on success, on failure and on Ctrl-C (the manager's shutdown hook), servers before their directory.
        try (ResourceManager resources =
                     new ResourceManager("compat-" + binaries.major())) {
            RunDirectory dir = resources.track("run directory", RunDirectory.create(runParent, user));
            Servers servers = resources.track("servers", new Servers());
            return boot(dir, servers, unknown, start);
        }
    }

    private MajorOutcome boot(RunDirectory dir, Servers servers, List<String> unknown, long start) {
        servers.runRoot = dir.root().toString();
        try {
            Path m = dir.dir(user, "master");
            Path r = dir.dir(user, "replica");
            Path conf = dir.dir(user, "conf");
            Path archive = dir.dir(user, "archive");
            Path sock = dir.dir(user, "sock");
            String password = Secrets.newPassword();
            String replicationPassword = Secrets.newPassword();
            Path pwfile = conf.resolve("pw");
            write(pwfile, password + "\n");
            String initdbOut = runTool(List.of(binaries.tool("initdb").toString(), "-D", m.toString(), "--username=postgres",
                    "--pwfile=" + pwfile, "--auth-local=trust", "--auth-host=scram-sha-256"), dir.root());
            if (!Files.exists(m.resolve("PG_VERSION"))) {
                return outcome(unknown, false, "initdb failed: " + initdbOut, false, "", false, start);
            }
            writeConfigs(conf, archive, user, masterConf, hbaConf(manifests), slaveConf);
            int masterPort = FreePorts.loopback();
            List<String> masterCmd = List.of(binaries.tool("postgres").toString(), "-D", m.toString(),
                    "-c", "config_file=" + conf.resolve("master.conf"), "-c", "hba_file=" + conf.resolve("pg_hba.conf"),
                    "-c", "listen_addresses=127.0.0.1", "-c", "port=" + masterPort, "-c", "unix_socket_directories=" + sock);
            Endpoint master = new Endpoint("127.0.0.1", masterPort);
            String masterErr = servers.boot("master", masterCmd, dir.root().resolve("master.out"), master, password);
            if (masterErr != null) {
                return outcome(unknown, false, masterErr, false, "", false, start);
            }
            try (Connection c = Sql.connect(master, "postgres", password)) {
                for (String statement : statements) {
                    answers.put(statement, answer(c, statement));
                }
                // init-master.sh's statements; the password is quoted by the server, never concatenated here.
                String create = (String) Sql.scalar(c,
                        "SELECT format('CREATE USER %I WITH REPLICATION ENCRYPTED PASSWORD %L', ?::text, ?::text)",
                        manifests.names().replicationRole(), replicationPassword);
                Sql.script(c, create);
                Sql.rows(c, "SELECT pg_create_physical_replication_slot(?)::text", manifests.names().slot());
                Sql.script(c, "CREATE TABLE compat_probe (id int PRIMARY KEY, note text)");
            }
            servers.stop("master");
            copyTree(m, r);
            write(r.resolve("standby.signal"), "");
            Files.writeString(r.resolve("postgresql.auto.conf"), "primary_conninfo = 'user="
                    + manifests.names().replicationRole() + " password="
                    + replicationPassword + " host=127.0.0.1 port=" + masterPort + " application_name=walreceiver'\n"
                    + "primary_slot_name = '" + manifests.names().slot() + "'\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
            Files.deleteIfExists(r.resolve("postmaster.pid"));
            masterErr = servers.boot("master", masterCmd, dir.root().resolve("master2.out"), master, password);
            if (masterErr != null) {
                return outcome(unknown, false, "restart: " + masterErr, false, "", false, start);
            }
            int replicaPort = FreePorts.loopback();
            Endpoint replica = new Endpoint("127.0.0.1", replicaPort);
            String replicaErr = servers.boot("replica", List.of(binaries.tool("postgres").toString(), "-D", r.toString(),
                    "-c", "config_file=" + conf.resolve("slave.conf"), "-c", "hba_file=" + r.resolve("pg_hba.conf"),
                    "-c", "listen_addresses=127.0.0.1", "-c", "port=" + replicaPort, "-c", "unix_socket_directories=" + sock),
                    dir.root().resolve("replica.out"), replica, password);
            if (replicaErr != null) {
                return outcome(unknown, true, "", false, replicaErr, false, start);
            }
            boolean streams;
            try (Connection c = Sql.connect(master, "postgres", password)) {
                Sql.rows(c, "INSERT INTO compat_probe VALUES (1, ?) RETURNING id", "written on the master");
                String lsn = (String) Sql.scalar(c, "SELECT pg_current_wal_lsn()::text");
                waits.until("PostgreSQL " + binaries.major() + ": the standby streams and replays the row", Duration.ofSeconds(20),
                        Duration.ofMillis(20), () -> {
                            try (Connection rc = Sql.connect(replica, "postgres", password)) {
                                return Boolean.TRUE.equals(Sql.scalar(rc, "SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn", lsn))
                                        && Sql.scalar(rc, "SELECT note FROM compat_probe WHERE id = 1") != null;
                            }
                        }, () -> servers.tail("replica", 15));
                streams = "streaming".equals(Sql.scalar(c, "SELECT state FROM pg_stat_replication WHERE usename = ?",
                        manifests.names().replicationRole()));
            } catch (AssertionError notReplayed) {
                streams = false;
            }
            return outcome(unknown, true, "", true, "", streams, start);
        } catch (SQLException e) {
            return outcome(unknown, true, "", false, "SQLSTATE " + e.getSQLState() + " " + e.getMessage(), false, start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The guide's master.conf, pg_hba.conf and slave.conf as files for servers on this host: the archive
     * directory of archive_command in {@code archive}, the pod CIDR as 127.0.0.1/32 (the adaptations listed by
     * {@link #adaptations()}). The benchmark's by-hand reference reads the same files.
     */
    public static void writeGuideConfigs(GuideModel manifests, Path conf, Path archive, OsUser user) throws IOException {
        writeConfigs(conf, archive, user, configFile(manifests, GuideNames.Role.MASTER_CONFIG, "master.conf"),
                hbaConf(manifests), configFile(manifests, GuideNames.Role.REPLICA_CONFIG, "slave.conf"));
    }

    private static String hbaConf(GuideModel manifests) {
        return configFile(manifests, GuideNames.Role.MASTER_CONFIG, "pg_hba.conf");
    }

    /** master.conf, pg_hba.conf and slave.conf, as given, written for servers on this host (see above). */
    private static void writeConfigs(Path conf, Path archive, OsUser user, String masterConf, String hbaConf,
                                     String slaveConf) throws IOException {
        java.util.Map<String, String> files = java.util.Map.of(
                "master.conf", masterConf.replace("/var/lib/postgresql/archive", archive.toString()),
                "pg_hba.conf", HbaCidrs.replace(hbaConf, "127.0.0.1/32", (a, b) -> { }),
                "slave.conf", slaveConf);
        for (var f : files.entrySet()) {
            Files.writeString(conf.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
            user.own(conf.resolve(f.getKey()));
        }
    }

    private MajorOutcome outcome(List<String> unknown, boolean masterBoots, String masterError, boolean replicaBoots,
                                 String replicaError, boolean streams, long start) {
        return new MajorOutcome(binaries.major(), binaries.version(), ConfigChange.describe(changes), List.copyOf(unknown),
                masterBoots, Secrets.redact(masterError), replicaBoots, Secrets.redact(replicaError), streams,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answers)), (System.nanoTime() - start) / 1_000_000);
    }

    /** The first column of the first row {@code statement} returns, or its SQLSTATE and message. */
    private static String answer(Connection c, String statement) {
        try {
            return Secrets.redact(String.valueOf(Sql.scalar(c, statement)));
        } catch (SQLException e) {
            return "SQLSTATE " + e.getSQLState() + ": " + Secrets.redact(String.valueOf(e.getMessage()));
        }
    }

    static List<String> unknownIn(String conf, Set<String> known) {
        return PgConf.parse(conf).unknownTo(known).stream().map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    }

    private void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        user.own(file);
    }

    private void copyTree(Path from, Path to) throws IOException {
        try (var all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(p));
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
                user.own(target);
            }
        }
    }

    private String runTool(List<String> cmd, Path workDir) throws IOException {
        List<String> full = new ArrayList<>(user.prefix());
        full.addAll(cmd);
        Process p = new ProcessBuilder(full).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Secrets.redact(out);
    }

    /** The servers of one boot; each stopped with SIGINT (a fast shutdown) when done or on failure. */
    private final class Servers implements AutoCloseable {
        private final java.util.Map<String, Process> running = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, Path> outputs = new java.util.HashMap<>();
        private String runRoot = "\u0000";

        /** Starts a server; null once it accepts connections, else PostgreSQL's own error lines. */
        String boot(String name, List<String> cmd, Path out, Endpoint endpoint, String password) throws IOException {
            List<String> full = new ArrayList<>(user.prefix());
            full.addAll(cmd);
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            running.put(name, p);
            outputs.put(name, out);
            try {
                waits.until("PostgreSQL " + binaries.major() + " " + name + " accepts connections", BOOT, Duration.ofMillis(20),
                        () -> {
                            try (Connection c = Sql.connect(endpoint, "postgres", password)) {
                                return true;
                            }
                        }, () -> !p.isAlive(), () -> tail(name, 15));
                return null;
            } catch (AssertionError failed) {
                stop(name);
                String errors = String.join(" / ", Files.readAllLines(out).stream()
                        .filter(l -> l.contains("FATAL") || l.contains("ERROR") || l.contains("LOG:  unrecognized")
                                || l.contains("invalid value") || l.contains("unrecognized configuration parameter"))
                        .map(l -> l.replaceAll("^\\S+ \\S+ \\S+ \\[\\d+\\] ", "")).distinct().toList());
                return (errors.isEmpty() ? tail(name, 5) : errors).replace(runRoot, "<run>");
            }
        }

        String tail(String name, int lines) {
            try {
                List<String> all = Files.readAllLines(outputs.get(name));
                return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException e) {
                return "(no output)";
            }
        }

        void stop(String name) {
            Process p = running.remove(name);
            if (p == null || !p.isAlive()) {
                return;
            }
            try {
                new ProcessBuilder("kill", "-s", "INT", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }

        @Override
        public void close() {
            for (String name : new ArrayList<>(running.keySet())) {
                stop(name);
            }
        }
    }

    /** A configuration file of the guide (master.conf, pg_hba.conf, slave.conf) from the ConfigMap playing its role. */
    private static String configFile(GuideModel manifests, GuideNames.Role configMap, String key) {
        return manifests.manifests().configMapValue(manifests.names().get(configMap), key);
    }
}
