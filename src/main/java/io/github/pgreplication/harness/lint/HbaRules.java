package io.github.pgreplication.harness.lint;

import io.github.pgreplication.harness.guide.PgHba;
import io.github.pgreplication.harness.lint.LintContext.At;
import io.github.pgreplication.harness.lint.LintContext.ServerFile;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Function;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The master's pg_hba.conf (its hba_file), and which server reads one. */
final class HbaRules {

    static final List<LintRule> RULES = List.of(new HbaReplication(), new HbaHostTrust(), new HbaOpenAddress(),
            new ReplicaHba());

    private HbaRules() {
    }

    static final class HbaReplication extends LintRule {

        private static final Pattern BASEBACKUP_USER = Pattern.compile("pg_basebackup[\\s\\S]*?-U\\s+(\\w+)");

        HbaReplication() {
            super("PGR009", "hba-replication", Severity.ERROR,
                    "pg_basebackup and the walreceiver connect to the pseudo-database `replication`, which `all` does not "
                            + "match: pg_hba.conf needs a host line for it and the replication user.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            Optional<ServerFile> hba = ctx.masterHba();
            if (hba.isEmpty()) {
                return List.of();
            }
            String user = replicationUser(ctx);
            if (PgHba.parse(hba.get().text()).lines().stream().anyMatch(l -> admitsReplication(l, user))) {
                return List.of();
            }
            return List.of(hba.get().at(0, "no `host replication " + user + " <address> <method>` line"));
        }

        /** A host line for the database {@code replication} and the user, or all users. */
        private static boolean admitsReplication(PgHba.Line l, String user) {
            return l.isHost() && List.of(l.database().split(",")).contains("replication")
                    && (l.user().equals("all") || List.of(l.user().split(",")).contains(user));
        }

        /** The user of the replica's pg_basebackup {@code -U}, else {@code replicator}. */
        private static String replicationUser(LintContext ctx) {
            for (ServerFile s : ctx.scripts()) {
                Matcher m = BASEBACKUP_USER.matcher(s.text());
                if (m.find()) {
                    return m.group(1);
                }
            }
            return "replicator";
        }
    }

    static final class HbaHostTrust extends LintRule {

        HbaHostTrust() {
            super("PGR010", "hba-host-trust", Severity.ERROR,
                    "`trust` on a host line lets anyone who reaches the port connect without a password.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            return masterHostLines(ctx, l -> l.method().equalsIgnoreCase("trust"),
                    l -> "`" + l.type() + " " + l.database() + " " + l.user() + " " + l.address() + " trust`");
        }
    }

    static final class HbaOpenAddress extends LintRule {

        private static final Set<String> EVERY_NETWORK = Set.of("0.0.0.0/0", "::/0", "all", "0.0.0.0");

        HbaOpenAddress() {
            super("PGR011", "hba-open-address", Severity.ERROR,
                    "0.0.0.0/0, ::/0 or `all` as an address admits every network, far beyond the cluster's pods.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            return masterHostLines(ctx, l -> EVERY_NETWORK.contains(l.address()),
                    l -> "address " + l.address() + " admits every network");
        }
    }

    static final class ReplicaHba extends LintRule {

        ReplicaHba() {
            super("PGR024", "replica-hba", Severity.ERROR,
                    "The master reads the guide's pg_hba.conf (hba_file) and the replica does not: it reads the copy of the "
                            + "master's data directory, the image's default, which admits every address.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            Optional<ServerFile> replica = ctx.replicaConf();
            if (replica.isEmpty() || ctx.masterHba().isEmpty() || replicaHasHbaFile(ctx)) {
                return List.of();
            }
            return List.of(replica.get().workload().at("containers.args",
                    "the master has hba_file, the replica none: it reads the pg_hba.conf pg_basebackup copied"));
        }

        private static boolean replicaHasHbaFile(LintContext ctx) {
            return ctx.serverFiles("hba_file").stream().anyMatch(f -> f.workload().resource().kind().equals("Deployment"));
        }
    }

    /** Where the master's pg_hba.conf has a host line that is {@code bad}, each said as {@code said} says it. */
    private static List<At> masterHostLines(LintContext ctx, Predicate<PgHba.Line> bad, Function<PgHba.Line, String> said) {
        Optional<ServerFile> hba = ctx.masterHba();
        if (hba.isEmpty()) {
            return List.of();
        }
        return PgHba.parse(hba.get().text()).lines().stream().filter(l -> l.isHost() && bad.test(l))
                .map(l -> hba.get().at(l.line(), said.apply(l))).toList();
    }
}
