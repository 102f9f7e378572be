package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.backend.PostgresPod;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.run.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the guide's logging settings write, and where it lands: the replication password in the server log (E16,
 * {@code log_statement = 'mod'}), and the server's messages that {@code oc logs} no longer shows (E17,
 * {@code logging_collector = on}). Each check runs through the errata ledger.
 */
public final class ServerLogs {

    /** What psql prints when the server log is sent to files: all {@code oc logs} shows of the server. */
    public static final String REDIRECTED = "redirecting log output to logging collector process";
    /** The replica's line that says it streams, which Étape 2.5's {@code oc logs} is read for. */
    public static final String STREAMING = "started streaming WAL from primary";

    private final GuidePair pair;
    private final RunContext context;

    public ServerLogs(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /**
     * Where the replication password is written in clear: the number of files of the pod's server log directory
     * (PGDATA/log) holding it, and whether the container's output holds it. The password is searched inside the
     * pod; it never leaves it.
     */
    public record PasswordInLogs(int logFiles, boolean containerOutput) {

        public boolean anywhere() {
            return logFiles > 0 || containerOutput;
        }

        /** Where, in the report's words: {@code nowhere}, or the files and the container output. */
        String describe(String pod) {
            List<String> at = new ArrayList<>();
            if (logFiles > 0) {
                at.add(logFiles + " file(s) of PGDATA/log");
            }
            if (containerOutput) {
                at.add("the container output");
            }
            return pod + ": " + (at.isEmpty() ? "nowhere" : String.join(" and ", at));
        }
    }

    /** The replication password searched for in both pods' server logs. */
    public record PasswordSearch(PasswordInLogs master, PasswordInLogs replica) {

        public String where() {
            return master.describe("master") + "; " + replica.describe("replica");
        }

        /** The report's note (Étape 2.2). */
        public Evidence.Note note() {
            return new Evidence.Note("2.2", "The replication password in the pods' server logs, searched inside each pod "
                    + "(PGDATA/log and the container output): " + where() + ".");
        }
    }

    public PasswordInLogs passwordInLogs(PostgresPod pod, String password) {
        if (password.isEmpty()) {
            throw new IllegalArgumentException("an empty password is in every file");
        }
        // The data directory as the image has it (the sclorg image's exec shell has no PGDATA: run-postgresql sets it)
        String log = pod.plan().imageContract().pgdata(pod.plan().env()) + "/log";
        ContainerResult r = pair.backend().exec(pod, List.of("/bin/bash", "-c",
                        "if [ -d \"$1\" ]; then grep -rlF -- \"$NEEDLE\" \"$1\" | wc -l; else echo 0; fi", "bash", log),
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
    public PasswordSearch passwordNotLogged(String password) {
        return checked(context.ledger(), new PasswordSearch(passwordInLogs(pair.master(), password),
                passwordInLogs(pair.replica(), password)));
    }

    /** The erratum check of {@link #passwordNotLogged} on what the search found, through the ledger. */
    static PasswordSearch checked(ErrataLedger ledger, PasswordSearch seen) {
        String item = "configmap/postgresql-master-init#password-in-server-log";
        return ledger.verbatim(item, () -> {
            if (seen.master().anywhere() || seen.replica().anywhere()) {
                throw Deviation.result(item, "the replication password in no server log",
                        seen.where().replaceAll("\\d+ file", "N file")).raise();
            }
            return seen;
        }, () -> seen);
    }

    /** What {@code oc logs} of the replica's server shows, in the report's words. */
    public record OcLogs(String seen) {

        /** The report's note (Étape 2.5). */
        public Evidence.Note note() {
            return new Evidence.Note("2.5", "`oc logs $SLAVE_POD -c postgresql` on the deployed replica: " + seen + ".");
        }
    }

    /**
     * Erratum check: Étape 2.5 and the troubleshooting read the server's messages with {@code oc logs}; the
     * container's output must hold them (here: the replica's « started streaming WAL »).
     */
    public OcLogs serverMessagesInContainerOutput() {
        PostgresPod replica = pair.replica();
        return new OcLogs(serverMessagesInOcLogs(context, replica.containerLogContains(STREAMING),
                replica.containerLogContains(REDIRECTED)));
    }

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
}
