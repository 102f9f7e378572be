package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.guide.GuideNames;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.MountPlan;
import io.github.pgreplication.harness.guide.MountSource;
import io.github.pgreplication.harness.guide.PgConf;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guide's scripts and settings under real inputs and on a running pair, beyond the happy path of Phases 1
 * to 4: Secret values a team really uses, a command that fails, what the settings write and where. Each item
 * runs verbatim first through the {@link io.github.pgreplication.harness.errata.ErrataLedger}; where it
 * deviates as a recorded erratum says, the corrected manifests' item runs instead and must work.
 */
public final class GuideDefects {

    static final String INIT_KEY = "init-master.sh";
    static final String SLAVE_SCRIPT = "setup-slave.sh";
    /** What psql prints when the server log is sent to files: all {@code oc logs} shows of the server. */
    public static final String REDIRECTED = "redirecting log output to logging collector process";

    private final GuidePair pair;
    private final RunContext context;
    private InitRun verbatimInit;

    public GuideDefects(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /** The replication role, as the manifests under test name it. */
    private String role() {
        return pair.names().replicationRole();
    }

    // ----- init-master.sh under real Secret values ------------------------------------------------------------

    /** What init-master.sh did with one value of REPLICATION_PASSWORD: its exit status, and the role it left. */
    public record InitRun(String value, String role, ContainerResult result, boolean roleExists, boolean superuser,
                          boolean noPassword, boolean slotExists) {

        /** The outcome in the words of the errata file. */
        public String outcome() {
            if (!roleExists) {
                return "exit " + result.exitCode() + ", no role " + role;
            }
            if (superuser) {
                return role + " is a superuser";
            }
            if (noPassword) {
                return "exit " + result.exitCode() + ", role " + role + " without a password";
            }
            return "exit " + result.exitCode() + ", role " + role + " with the Secret's password";
        }
    }

    /** The kinds of Secret value the scenarios give init-master.sh. */
    public enum SecretValue {
        /** A strong password holding a single quote, as a password generator gives one. */
        QUOTE("configmap/postgresql-master-init#password-with-quote"),
        /** A value that closes the quote and adds a role option. */
        INJECTION("configmap/postgresql-master-init#password-injection"),
        /** An empty value (a Secret key left empty). */
        EMPTY("configmap/postgresql-master-init#password-empty");

        public final String item;

        SecretValue(String item) {
            this.item = item;
        }

        /** A fresh value of this kind, remembered for redaction. */
        String fresh() {
            String value = switch (this) {
                case QUOTE -> {
                    // psql's error quotes the text after the quote: each half is remembered for redaction too.
                    String a = Secrets.newPassword().substring(0, 12);
                    String b = Secrets.newPassword().substring(0, 12);
                    Secrets.remember(a);
                    Secrets.remember(b);
                    yield a + "'" + b;
                }
                case INJECTION -> {
                    String a = Secrets.newPassword().substring(0, 12);
                    Secrets.remember(a);
                    yield a + "' SUPERUSER; --";
                }
                case EMPTY -> "";
            };
            Secrets.remember(value);
            return value;
        }
    }

    /**
     * The Secret value {@code kind} through init-master.sh of the manifests under test, in the master pod after
     * Étape 1.5 (where the role and the slot do not exist yet): the script must either create the role with
     * exactly that password or fail, saying why. On a recorded deviation the corrected script runs with the
     * same value, and must do the same.
     */
    public InitRun initMasterWith(SecretValue kind) {
        String value = kind.fresh();
        String underTest = withoutHeredocErratum(pair.model().masterInitScript());
        return context.ledger().verbatim(kind.item, () -> {
            InitRun run = runInit(underTest, value);
            verbatimInit = run;
            if (!acceptable(run)) {
                throw Deviation.result(kind.item, "the role " + role() + " with the Secret's password, or a failure",
                        run.outcome()).raise();
            }
            return run;
        }, () -> {
            cleanUp();
            InitRun run = runInit(pair.manifests().corrected().masterInitScript(), value);
            if (!acceptable(run)) {
                throw new AssertionError("the corrected init-master.sh with the same value: " + run.outcome() + "\n"
                        + run.result().tail(10));
            }
            return run;
        });
    }

    /** The last run of init-master.sh of the manifests under test, before any correction. */
    public InitRun verbatimInit() {
        return verbatimInit;
    }

    /**
     * init-master.sh of the manifests under test (E02's correction applied where it reproduces), run in the master
     * pod as E01's correction says, with the Secret's password as deployed: it must create the role.
     */
    public InitRun initMasterWithSecret() {
        String value = pair.master().plan().env().get("REPLICATION_PASSWORD");
        InitRun run = runInit(withoutHeredocErratum(pair.model().masterInitScript()), value);
        if (!run.roleExists() || !run.slotExists()) {
            throw new AssertionError("init-master.sh with the Secret's password: " + run.outcome() + "\n" + run.result().tail(10));
        }
        return run;
    }

    /** Right: the role with exactly the Secret's password, or a non-zero exit leaving no role. */
    private boolean acceptable(InitRun run) {
        if (!run.result().succeeded()) {
            return !run.roleExists();
        }
        return run.roleExists() && !run.superuser() && !run.noPassword()
                && replicationLoginSqlState(run.value()) == null;
    }

    private InitRun runInit(String script, String value) {
        ContainerResult r = pair.backend().exec(pair.master(), List.of("/bin/bash", "-c", script, INIT_KEY),
                Map.of("REPLICATION_PASSWORD", value), GuidePair.SCRIPT);
        try (Connection c = pair.masterNode().connect()) {
            List<Map<String, Object>> role = Sql.rows(c,
                    "SELECT rolsuper, rolpassword IS NULL AS nopass FROM pg_authid WHERE rolname = ?", role());
            boolean slot = !Sql.rows(c, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", pair.names().slot()).isEmpty();
            return new InitRun(value, role(), r, !role.isEmpty(), !role.isEmpty() && (Boolean) role.get(0).get("rolsuper"),
                    !role.isEmpty() && (Boolean) role.get(0).get("nopass"), slot);
        } catch (SQLException e) {
            throw new AssertionError("reading what init-master.sh left: SQLSTATE " + e.getSQLState(), e);
        }
    }

    /** Drops what a run of init-master.sh left (the role and the slot), so the next value starts clean. */
    public void cleanUp() {
        try (Connection c = pair.masterNode().connect()) {
            Sql.rows(c, "SELECT pg_drop_replication_slot(slot_name)::text FROM pg_replication_slots WHERE slot_name = ?",
                    pair.names().slot());
            Sql.script(c, (String) Sql.scalar(c, "SELECT format('DROP ROLE IF EXISTS %I', ?::text)", role()));
        } catch (SQLException e) {
            throw new AssertionError("cleaning up after init-master.sh: SQLSTATE " + e.getSQLState(), e);
        }
    }

    /** The master's answer to a replication login as {@code replicator}: the SQLSTATE, or null when accepted. */
    public String replicationLoginSqlState(String password) {
        try (Connection c = Sql.connectReplication(pair.backend().service(pair.model().masterServiceName()), role(), password)) {
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    /**
     * Erratum E02's correction applied to a script (a {@code <<-} heredoc whose terminator is indented with spaces
     * becomes a plain heredoc ended at column 0), so that the defects behind it can be seen; a script without
     * that defect is returned as is.
     */
    static String withoutHeredocErratum(String script) {
        Matcher m = Pattern.compile("<<-(\\w+)").matcher(script);
        if (!m.find()) {
            return script;
        }
        String word = m.group(1);
        return script.replace("<<-" + word, "<<" + word).replaceAll("(?m)^[ ]+" + word + "$", word);
    }

    // ----- the server log -------------------------------------------------------------------------------------

    /**
     * Where the replication password is written in clear: the number of files of the pod's server log directory
     * (PGDATA/log) holding it, and whether the container's output holds it. The password is searched inside the
     * pod; it never leaves it.
     */
    public record PasswordInLogs(int logFiles, boolean containerOutput) {

        public boolean anywhere() {
            return logFiles > 0 || containerOutput;
        }
    }

    public PasswordInLogs passwordInLogs(PostgresPod pod, String password) {
        if (password.isEmpty()) {
            throw new IllegalArgumentException("an empty password is in every file");
        }
        ContainerResult r = pair.backend().exec(pod, List.of("/bin/bash", "-c",
                        "if [ -d \"$PGDATA/log\" ]; then grep -rlF -- \"$NEEDLE\" \"$PGDATA/log\" | wc -l; else echo 0; fi"),
                Map.of("NEEDLE", password), GuidePair.SCRIPT);
        if (!r.succeeded()) {
            throw new AssertionError("searching " + pod.name() + "'s server log: exit " + r.exitCode() + "\n" + r.tail(5));
        }
        return new PasswordInLogs(Integer.parseInt(r.output().strip().lines().reduce((a, b) -> b).orElse("0").strip()),
                pod.containerLogContains(password));
    }

    /**
     * Erratum check: after init-master.sh of the manifests under test created the role on the running master,
     * and the replica was copied from it, the replication password is in no server log of either pod.
     */
    public String passwordNotLogged(String password) {
        String item = "configmap/postgresql-master-init#password-in-server-log";
        PasswordInLogs master = passwordInLogs(pair.master(), password);
        PasswordInLogs replica = passwordInLogs(pair.replica(), password);
        String where = describe("master", master) + "; " + describe("replica", replica);
        return context.ledger().verbatim(item, () -> {
            if (master.anywhere() || replica.anywhere()) {
                throw Deviation.result(item, "the replication password in no server log",
                        where.replaceAll("\\d+ file", "N file")).raise();
            }
            return where;
        }, () -> where);
    }

    private static String describe(String pod, PasswordInLogs p) {
        List<String> at = new ArrayList<>();
        if (p.logFiles() > 0) {
            at.add(p.logFiles() + " file(s) of PGDATA/log");
        }
        if (p.containerOutput()) {
            at.add("the container output");
        }
        return pod + ": " + (at.isEmpty() ? "nowhere" : String.join(" and ", at));
    }

    /**
     * Erratum check: Étape 2.5 and the troubleshooting read the server's messages with {@code oc logs}; the
     * container's output must hold them (here: the replica's « started streaming WAL »).
     */
    public String serverMessagesInContainerOutput() {
        PostgresPod replica = pair.replica();
        return serverMessagesInOcLogs(context, replica.containerLogContains(STREAMING), replica.containerLogContains(REDIRECTED));
    }

    /** The replica's line that says it streams, which Étape 2.5's {@code oc logs} is read for. */
    public static final String STREAMING = "started streaming WAL from primary";

    /** The same erratum check on what {@code oc logs} of the replica's server showed (from a cluster, say). */
    static String serverMessagesInOcLogs(RunContext context, boolean streamingInOutput, boolean redirected) {
        String item = "configmap/postgresql-slave-config#logging_collector";
        String seen = redirected ? "oc logs shows only: " + REDIRECTED
                : streamingInOutput ? "oc logs shows the server's messages" : "oc logs shows no streaming message";
        return context.ledger().verbatim(item, () -> {
            if (!streamingInOutput) {
                throw Deviation.result(item, "the replica's « started streaming WAL » in oc logs", seen).raise();
            }
            return seen;
        }, () -> seen);
    }

    // ----- setup-slave.sh's wait for the master -----------------------------------------------------------------

    /**
     * « Recréer depuis zéro » with a wrong superuser password in the init container (the Secret {@code postgresql}
     * rotated, or « Adapter » done wrong): setup-slave.sh must not take a refused login for an unavailable master.
     * As published it loops on « Master non disponible » for ever; the corrected script waits with pg_isready,
     * which needs no password, and goes on.
     */
    public ContainerResult recreateWithWrongAdminPassword(Duration initTimeout) {
        String item = "configmap/postgresql-slave-config#setup-slave.sh/wait-for-master";
        String wrong = Secrets.newPassword();
        return context.ledger().verbatim(item, () -> {
            ContainerResult r = pair.recreateReplicaFromScratch(p -> withEnv(p, "POSTGRESQL_ADMIN_PASSWORD", wrong), initTimeout);
            if (r.timedOut() && masterReady()) {
                throw Deviation.result(item, "pg_basebackup runs, the master being available",
                        "still waiting, saying: " + lastSaying(r, "Master non disponible")).raise();
            }
            return r;
        }, () -> {
            String script = pair.manifests().corrected().manifests().configMapValue(pair.manifests().corrected().names().get(GuideNames.Role.REPLICA_CONFIG), SLAVE_SCRIPT);
            ContainerResult r = pair.recreateReplicaFromScratch(
                    p -> withFile(withEnv(p, "POSTGRESQL_ADMIN_PASSWORD", wrong), SLAVE_SCRIPT, script), initTimeout);
            if (!r.succeeded()) {
                throw new AssertionError("the corrected setup-slave.sh with the same wrong superuser password failed (exit "
                        + r.exitCode() + (r.timedOut() ? ", timed out" : "") + "):\n" + r.tail(15));
            }
            return r;
        });
    }

    /** The script's last line saying {@code text} (a timeout's kill may print after it), else its last line. */
    private static String lastSaying(ContainerResult r, String text) {
        return r.output().lines().filter(l -> l.contains(text)).reduce((a, b) -> b)
                .or(() -> r.output().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b)).orElse("(nothing)").strip();
    }

    /** pg_isready against the master's Service, from the harness: is the master accepting connections? */
    public boolean masterReady() {
        try (Connection c = pair.masterNode().connect()) {
            return Sql.scalar(c, "SELECT 1") != null;
        } catch (SQLException e) {
            return false;
        }
    }

    // ----- the WAL archive ---------------------------------------------------------------------------------------

    /** What the master's WAL archive held before and after its pod was recreated. */
    public record ArchiveAcrossRestart(String archiveMode, int before, int after) {
    }

    /**
     * Erratum check: master.conf archives WAL (« optionnel mais recommandé ») to the pod's emptyDir. Segments are
     * archived, then the master's pod is recreated (a rollout, {@code oc delete pod}, a node drain): an archive
     * must still hold them.
     */
    public ArchiveAcrossRestart archiveSurvivesRestart(Duration within) throws SQLException {
        String item = "configmap/postgresql-master-config#archive-on-emptydir";
        String mode;
        try (Connection c = pair.masterNode().connect()) {
            mode = (String) Sql.scalar(c, "SELECT current_setting('archive_mode')");
        }
        if ("off".equals(mode)) {
            ArchiveAcrossRestart none = new ArchiveAcrossRestart(mode, 0, 0);
            return context.ledger().verbatim(item, () -> none);
        }
        String dir;
        try (Connection c = pair.masterNode().connect()) {
            dir = archiveDirectory((String) Sql.scalar(c, "SELECT current_setting('archive_command')"));
        }
        long target;
        try (Connection c = pair.masterNode().connect()) {
            WalTraffic.advance(c, 2);
            target = ((Number) Sql.scalar(c, "SELECT archived_count FROM pg_stat_archiver")).longValue();
        }
        context.waits().until("the master has archived the switched WAL segments (pg_stat_archiver)", within,
                Duration.ofMillis(50), () -> archivedCount() > 0 && filesIn(dir) > 0, () -> "archived_count "
                        + archivedCount() + " (was " + target + "), files in the archive " + filesIn(dir));
        int before = filesIn(dir);
        pair.stopMaster();
        pair.startMaster();
        int after;
        try (Connection c = pair.masterNode().connect()) {
            // Read again: a host adaptation may give the new pod's emptyDir another path (the pod's is the same).
            after = filesIn(archiveDirectory((String) Sql.scalar(c, "SELECT current_setting('archive_command')")));
        }
        ArchiveAcrossRestart seen = new ArchiveAcrossRestart(mode, before, after);
        return context.ledger().verbatim(item, () -> {
            if (after == 0) {
                throw Deviation.result(item, "the archived segments still in the archive",
                        "archive empty after the master's pod was recreated").raise();
            }
            return seen;
        }, () -> seen);
    }

    private long archivedCount() {
        try (Connection c = pair.masterNode().connect()) {
            return ((Number) Sql.scalar(c, "SELECT archived_count FROM pg_stat_archiver")).longValue();
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The archive directory of an archive_command of the guide's shape ({@code cp %p <dir>/%f}), as the pod sees it. */
    static String archiveDirectory(String archiveCommand) {
        Matcher m = Pattern.compile("cp %p (\\S+)/%f").matcher(archiveCommand);
        if (!m.find()) {
            throw new AssertionError("archive_command is not of the guide's shape `cp %p <dir>/%f`: " + archiveCommand);
        }
        return m.group(1);
    }

    /** Files in a directory of the master's pod, counted inside the pod. */
    private int filesIn(String hostOrPodDir) {
        ContainerResult r = pair.backend().exec(pair.master(), List.of("/bin/bash", "-c",
                "if [ -d \"$DIR\" ]; then find \"$DIR\" -maxdepth 1 -type f | wc -l; else echo 0; fi"),
                Map.of("DIR", hostOrPodDir), GuidePair.SCRIPT);
        return Integer.parseInt(r.output().strip().lines().reduce((a, b) -> b).orElse("0").strip());
    }

    // ----- what Étape 1.5 does to the existing configuration ---------------------------------------------------

    /** A setting of the existing master's own postgresql.conf that Étape 1.5 changed: its value before and after. */
    public record DroppedSetting(String name, String before, String after) {
    }

    /**
     * Erratum check: Étape 1.5 starts the master on {@code config_file=/etc/postgresql/master.conf}. Every setting
     * of the existing PGDATA/postgresql.conf that master.conf does not set itself must keep its value.
     */
    public List<DroppedSetting> existingSettingsKept() throws SQLException {
        String item = "configmap/postgresql-master-config#existing-postgresql-conf";
        ContainerResult conf = pair.backend().exec(pair.master(), List.of("/bin/bash", "-c", "cat \"$PGDATA/postgresql.conf\""),
                Map.of(), GuidePair.SCRIPT);
        if (!conf.succeeded()) {
            throw new AssertionError("reading the master's PGDATA/postgresql.conf: exit " + conf.exitCode() + "\n" + conf.tail(5));
        }
        java.util.Set<String> own = PgConf.parse(pair.model().manifests().configMapValue(pair.model().names().get(GuideNames.Role.MASTER_CONFIG),
                "master.conf")).entries().keySet();
        java.util.Set<String> host = new java.util.HashSet<>();
        pair.backend().hostServerSettings().forEach(h -> host.add(h.toLowerCase(java.util.Locale.ROOT)));
        Map<String, String> before = lowerCase(pair.settingsBeforeGuide());
        Map<String, String> now = lowerCase(pair.currentSettings());
        List<DroppedSetting> dropped = new ArrayList<>();
        for (PgConf.Entry e : PgConf.parse(conf.output()).entries().values()) {
            String name = e.name().toLowerCase(java.util.Locale.ROOT);
            if (own.contains(name) || host.contains(name) || !before.containsKey(name)) {
                continue;
            }
            if (!before.get(name).equals(now.get(name))) {
                dropped.add(new DroppedSetting(e.name(), before.get(name), now.get(name)));
            }
        }
        return context.ledger().verbatim(item, () -> {
            if (!dropped.isEmpty()) {
                throw Deviation.result(item, "the existing postgresql.conf's settings kept where master.conf is silent",
                        "settings of the existing PGDATA/postgresql.conf dropped").raise();
            }
            return dropped;
        }, () -> dropped);
    }

    private static Map<String, String> lowerCase(Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return out;
    }

    // ----- what the guide's settings make of the role and the rules -------------------------------------------

    /** The replica's client authentication as it runs: the file it reads, and the rules that admit every address. */
    public record ReplicaHba(String hbaFile, boolean inDataDirectory, List<String> openRules) {
    }

    /**
     * Erratum check: the guide writes pg_hba.conf rules (Étape 1.3) that admit the pod network only. The replica,
     * which holds all the same data, must not admit more: no rule for every address, no trust over the network.
     */
    public ReplicaHba replicaHba() throws SQLException {
        String item = "configmap/postgresql-slave-config#pg_hba.conf";
        ReplicaHba seen;
        try (Connection c = pair.replicaNode().connect()) {
            String file = (String) Sql.scalar(c, "SELECT current_setting('hba_file')");
            boolean inData = file.startsWith((String) Sql.scalar(c, "SELECT current_setting('data_directory')"));
            List<String> open = new ArrayList<>();
            for (Map<String, Object> r : Sql.rows(c, "SELECT line_number, type, database::text AS db, user_name::text AS usr, "
                    + "address, auth_method FROM pg_hba_file_rules WHERE type LIKE 'host%' AND address IN ('all', '0.0.0.0', '::') "
                    + "ORDER BY line_number")) {
                open.add("line " + r.get("line_number") + ": " + r.get("type") + " " + r.get("db") + " " + r.get("usr") + " "
                        + r.get("address") + " " + r.get("auth_method"));
            }
            seen = new ReplicaHba(file, inData, open);
        }
        return context.ledger().verbatim(item, () -> {
            if (!seen.openRules().isEmpty()) {
                throw Deviation.result(item, "the guide's rules (the pod network only) on the replica too",
                        "the replica's pg_hba.conf admits every address").raise();
            }
            return seen;
        }, () -> seen);
    }

    /** The stored form of the replicator's password (its prefix only: {@code SCRAM-SHA-256$} or {@code md5}). */
    public String replicatorPasswordKind() throws SQLException {
        try (Connection c = pair.masterNode().connect()) {
            Object v = Sql.scalar(c, "SELECT CASE WHEN rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'SCRAM-SHA-256' "
                    + "WHEN rolpassword LIKE 'md5%' THEN 'md5' WHEN rolpassword IS NULL THEN 'none' ELSE 'other' END "
                    + "FROM pg_authid WHERE rolname = ?", role());
            return String.valueOf(v);
        }
    }

    /**
     * Sets the replicator's password to {@code password} without sending it in clear (pgjdbc computes the SCRAM
     * verifier), so that no server log holds it.
     */
    public void setReplicatorPassword(String password) throws SQLException {
        try (Connection c = pair.masterNode().connect()) {
            c.unwrap(org.postgresql.PGConnection.class).alterUserPassword(role(), password.toCharArray(), "scram-sha-256");
        }
    }

    /** Exit statuses of psql in the master pod when its SQL fails: as a heredoc (Test 1, Test 3) and with -c. */
    public record PsqlOnError(int heredocExit, int dashCExit, String heredocError) {
    }

    /**
     * The guide runs SQL with {@code oc exec $MASTER_POD -- psql -U postgres <<EOF} (Test 1, Test 3) and with
     * {@code psql -c} (the checks): does each say so when its SQL fails? A failing INSERT into a table that does
     * not exist, run both ways in the master pod.
     */
    public PsqlOnError psqlOnError() {
        String sql = "INSERT INTO guide_defects_no_such_table (message) VALUES ('x');";
        ContainerResult heredoc = pair.backend().exec(pair.master(), List.of("/bin/bash", "-c",
                "psql -U postgres <<EOF\n" + sql + "\nEOF"), Map.of(), GuidePair.SCRIPT);
        ContainerResult dashC = pair.backend().exec(pair.master(), List.of("psql", "-U", "postgres", "-c", sql), Map.of(),
                GuidePair.SCRIPT);
        String error = heredoc.output().lines().map(String::strip).filter(l -> l.startsWith("ERROR:")).findFirst()
                .orElse("(no error printed)");
        return new PsqlOnError(heredoc.exitCode(), dashC.exitCode(), error);
    }

    /** hot_standby as the master runs with it, and whether the master is in recovery. */
    public String hotStandbyOnMaster() throws SQLException {
        try (Connection c = pair.masterNode().connect()) {
            return Sql.scalar(c, "SELECT current_setting('hot_standby')") + ", pg_is_in_recovery() = "
                    + Sql.scalar(c, "SELECT pg_is_in_recovery()");
        }
    }

    /** The env of a container plan with one variable set. */
    static ContainerPlan withEnv(ContainerPlan p, String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(p.env());
        env.put(name, value);
        return new ContainerPlan(p.podName(), p.containerName(), p.image(), p.command(), p.args(), env, p.mounts(),
                p.readinessCommand(), p.liveness(), p.podLabels(), p.source());
    }

    /** A container plan whose ConfigMap mount shows another content for one file (a corrected script, say). */
    static ContainerPlan withFile(ContainerPlan p, String key, String content) {
        List<MountPlan> mounts = new ArrayList<>();
        boolean found = false;
        for (MountPlan m : p.mounts()) {
            if (m.source() instanceof MountSource.ConfigMapFiles cm && cm.files().containsKey(key)) {
                Map<String, String> files = new LinkedHashMap<>(cm.files());
                files.put(key, content);
                mounts.add(new MountPlan(m.mountPath(), m.volumeName(),
                        new MountSource.ConfigMapFiles(cm.configMap(), files, cm.mode(), cm.singleFile())));
                found = true;
            } else {
                mounts.add(m);
            }
        }
        if (!found) {
            throw new AssertionError(p.source() + ": no ConfigMap mount of " + p.containerName() + " shows " + key);
        }
        return new ContainerPlan(p.podName(), p.containerName(), p.image(), p.command(), p.args(), p.env(), mounts,
                p.readinessCommand(), p.liveness(), p.podLabels(), p.source());
    }
}
