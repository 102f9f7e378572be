package io.github.pgreplication.harness.lint;

import io.github.pgreplication.harness.lint.LintContext.At;
import io.github.pgreplication.harness.lint.PodValues.Judged;
import io.github.pgreplication.harness.lint.PodValues.Kind;
import java.util.List;

/**
 * The values a backend adapts for its host, judged for a pod on a cluster before any backend adapts them
 * ({@link PodValues}): one rule per kind of value, each finding a value that works in no pod. The preflight runs them
 * (with {@link ControllerRules}) on every backend, so that no adaptation hides the team's mistake.
 */
final class PodRules {

    static final List<LintRule> RULES = List.of(
            new PodValueRule("PGR025", "pod-listen-addresses", Kind.LISTEN_ADDRESSES,
                    "In a pod the replica, the Services and every other pod reach the server on the pod's address, given "
                            + "when the pod starts: listen_addresses must be '*' (or 0.0.0.0, ::), never loopback or a fixed "
                            + "address. The local backend replaces it with 127.0.0.1, so it is judged before."),
            new PodValueRule("PGR026", "pod-server-port", Kind.PORT,
                    "The server's port (its -p or -c port, its config_file, its PGPORT, else 5432) must be a containerPort "
                            + "its container declares, when it declares any. The local backend gives each server a free "
                            + "port, so it is judged before."),
            new PodValueRule("PGR027", "pod-socket-directories", Kind.SOCKET_DIRECTORIES,
                    "unix_socket_directories must be directories the server can write in its container: the image's "
                            + "/var/run/postgresql or /tmp, or a writable mount; elsewhere the server stops at start. The "
                            + "local backend moves the socket into the run, so it is judged before."),
            new PodValueRule("PGR028", "pod-hba-network", Kind.HBA_ADDRESS,
                    "pg_hba.conf's addresses must admit a pod network: a private network of a /24 or wider (the team's own, "
                            + "or harness.kube.pod-cidr), not a single address nor a public network; and the master's "
                            + "replication lines must admit more than loopback. The backends replace these CIDRs with their "
                            + "own network, so they are judged before."),
            new PodValueRule("PGR029", "pod-paths", Kind.PATH,
                    "The paths the servers' settings name must be on the container's mounts: PGDATA and data_directory on a "
                            + "writable claim, config_file, hba_file and included files on a mount that holds them, "
                            + "archive_command's directory on a writable mount. The local backend maps mounts to the run's "
                            + "directories, so they are judged before."),
            new PodValueRule("PGR030", "service-target-port", Kind.SERVICE_PORT,
                    "A Service's targetPort (a number, or the name of a containerPort; the port when none is given) must "
                            + "lead to the port the server of the pod it selects listens on. The local backend routes a "
                            + "Service to its pod's free port, so it is judged before."),
            new PodValueRule("PGR031", "service-name", Kind.SERVICE_NAME,
                    "A container's MASTER_SERVICE (any *SERVICE* variable, or a *HOST* one naming a Service) must name a "
                            + "Service of the manifests that has the port its clients connect to (PGPORT, else 5432). The "
                            + "local backend replaces Service names with 127.0.0.1, so they are judged before."));

    private PodRules() {
    }

    /** A rule of one kind of value: where the values of that kind that work in no pod are. */
    static final class PodValueRule extends LintRule {

        private final Kind kind;

        PodValueRule(String id, String name, Kind kind, String rationale) {
            super(id, name, Severity.ERROR, rationale);
            this.kind = kind;
        }

        @Override
        protected List<At> check(LintContext ctx) {
            return PodValues.judge(ctx, kind).stream().filter(j -> !j.fine()).map(Judged::at).toList();
        }
    }
}
