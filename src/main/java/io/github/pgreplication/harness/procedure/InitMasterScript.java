package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Evidence;
import io.github.pgreplication.harness.run.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Étape 1.4's init-master.sh under the Secret values a team really uses (errata E12, E13, E14), run in the master pod
 * after Étape 1.5, where the role and the slot do not exist yet. Each value runs verbatim first through the
 * {@link ErrataLedger}; where it deviates as a recorded erratum says, the
 * corrected manifests' script runs with the same value and must work.
 */
public final class InitMasterScript {

    static final String INIT_KEY = "init-master.sh";

    private final GuidePair pair;
    private final RunContext context;

    public InitMasterScript(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /** The replication role, as the manifests under test name it. */
    private String role() {
        return pair.names().replicationRole();
    }

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
        QUOTE("configmap/postgresql-master-init#password-with-quote", "holding a single quote"),
        /** A value that closes the quote and adds a role option. */
        INJECTION("configmap/postgresql-master-init#password-injection", "of the shape `…' SUPERUSER; --`"),
        /** An empty value (a Secret key left empty). */
        EMPTY("configmap/postgresql-master-init#password-empty", "empty");

        public final String item;
        /** The value's kind, as the report says it. */
        final String described;

        SecretValue(String item, String described) {
            this.item = item;
            this.described = described;
        }

        /** A fresh value of this kind, random on each call, remembered for redaction (no log nor report shows it). */
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
     * One Secret value through init-master.sh: the run of the manifests under test ({@code asTested}), and the run
     * that counts ({@code run}: the corrected script's when the first one deviated as a recorded erratum says).
     */
    public record ValueRun(SecretValue kind, String manifests, InitRun asTested, InitRun run, boolean corrected) {

        /** The report's note (Étape 1.4): what the script as tested did and said, and the corrected script's outcome. */
        public Evidence.Note note() {
            String output = asTested.result().output();
            String said = output.lines().map(String::strip)
                    .filter(l -> l.startsWith("ERROR:") || l.startsWith("NOTICE:") || l.startsWith("REPLICATION_PASSWORD"))
                    .map(l -> l.replaceAll("\".*", "\"…\"")).findFirst().orElse("nothing on error");
            String last = output.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("").strip();
            return new Evidence.Note("1.4", "init-master.sh of " + manifests + " (E02's correction applied where it "
                    + "reproduces) with a REPLICATION_PASSWORD " + kind.described + ": " + asTested.outcome()
                    + "; psql said « " + Secrets.redact(said) + " », the script's last line « " + Secrets.redact(last) + " »"
                    + (corrected ? "; the corrected script: " + run.outcome() + "." : "."));
        }
    }

    /**
     * A fresh Secret value of the kind {@code kind} through init-master.sh of the manifests under test: the script
     * must either create the role with exactly that password or fail, saying why. On a recorded deviation the
     * corrected script runs with the same value, and must do the same.
     */
    public ValueRun initMasterWith(SecretValue kind) {
        String value = kind.fresh();
        String underTest = withoutHeredocErratum(pair.model().masterInitScript());
        AtomicReference<InitRun> asTested = new AtomicReference<>();
        InitRun run = context.ledger().verbatim(kind.item, () -> {
            cleanUp(); // no role yet, whatever the master's start did (the sclorg image's start hook makes it)
            asTested.set(runInit(underTest, value));
            if (!acceptable(asTested.get())) {
                throw Deviation.result(kind.item, "the role " + role() + " with the Secret's password, or a failure",
                        asTested.get().outcome()).raise();
            }
            return asTested.get();
        }, () -> {
            cleanUp();
            InitRun corrected = runInit(pair.manifests().corrected().masterInitScript(), value);
            if (!acceptable(corrected)) {
                throw new AssertionError("the corrected init-master.sh with the same value: " + corrected.outcome() + "\n"
                        + corrected.result().tail(10));
            }
            return corrected;
        });
        String manifests = context.settings().manifestsDir().getFileName().toString();
        return new ValueRun(kind, manifests, asTested.get(), run, run != asTested.get());
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

    /** The master's answer to a replication login as the replication role: the SQLSTATE, or null when accepted. */
    public String replicationLoginSqlState(String password) {
        return ReplicationLogin.sqlState(pair, role(), password);
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
}
