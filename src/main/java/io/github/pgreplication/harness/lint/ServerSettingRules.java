package io.github.pgreplication.harness.lint;

import static io.github.pgreplication.harness.lint.LintContext.volumeMounts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.github.pgreplication.harness.guide.PgConf;
import io.github.pgreplication.harness.lint.LintContext.At;
import io.github.pgreplication.harness.lint.LintContext.ServerFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The servers' postgresql.conf, master and replica: what each must set, and what no container should. */
final class ServerSettingRules {

    static final List<LintRule> RULES = List.of(new StandbyParameters(), new HotStandby(), new WalLevel(),
            new SlotWithoutWalCap(), new UnknownParameter(), new LogCollectorInPod(), new ArchiveOnEmptyDir());

    private ServerSettingRules() {
    }

    static final class StandbyParameters extends LintRule {

        /** The parameters a hot standby must set at least as high as its primary, with their defaults. */
        static final Map<String, Long> STANDBY_MINIMUMS = Map.of("max_connections", 100L, "max_wal_senders", 10L,
                "max_worker_processes", 8L, "max_prepared_transactions", 0L, "max_locks_per_transaction", 64L);

        StandbyParameters() {
            super("PGR006", "standby-parameters", Severity.ERROR,
                    "A hot standby refuses to start when max_connections, max_wal_senders, max_worker_processes, "
                            + "max_prepared_transactions or max_locks_per_transaction is lower than on its primary.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            Optional<ServerFile> master = ctx.masterConf();
            Optional<ServerFile> replica = ctx.replicaConf();
            if (master.isEmpty() || replica.isEmpty()) {
                return List.of();
            }
            PgConf m = PgConf.parse(master.get().text());
            PgConf r = PgConf.parse(replica.get().text());
            List<At> out = new ArrayList<>();
            for (Map.Entry<String, Long> p : new TreeMap<>(STANDBY_MINIMUMS).entrySet()) {
                long onMaster = m.integer(p.getKey(), p.getValue());
                long onReplica = r.integer(p.getKey(), p.getValue());
                if (onReplica < onMaster) {
                    out.add(replica.get().at(r.get(p.getKey()).map(PgConf.Entry::line).orElse(0), p.getKey() + " = "
                            + onReplica + " on the replica, below the master's " + onMaster));
                }
            }
            return out;
        }
    }

    static final class HotStandby extends LintRule {

        HotStandby() {
            super("PGR007", "hot-standby", Severity.ERROR,
                    "The guide's Test 2 and Test 4 read from the replica: hot_standby must not be off there.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            Optional<ServerFile> replica = ctx.replicaConf();
            Optional<PgConf.Entry> e = replica.flatMap(f -> setting(f, "hot_standby"));
            if (e.isEmpty() || !isOff(e.get().value())) {
                return List.of();
            }
            return List.of(replica.get().at(e.get().line(), "hot_standby = " + e.get().value()
                    + ": the replica would refuse every connection"));
        }
    }

    static final class WalLevel extends LintRule {

        WalLevel() {
            super("PGR008", "wal-level", Severity.ERROR,
                    "Streaming replication needs wal_level = replica (or logical) on the master.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            Optional<ServerFile> master = ctx.masterConf();
            Optional<PgConf.Entry> e = master.flatMap(f -> setting(f, "wal_level"));
            if (e.isEmpty() || !e.get().value().equalsIgnoreCase("minimal")) {
                return List.of();
            }
            return List.of(master.get().at(e.get().line(), "wal_level = minimal: no replica can stream"));
        }
    }

    static final class SlotWithoutWalCap extends LintRule {

        SlotWithoutWalCap() {
            super("PGR015", "slot-without-wal-cap", Severity.ERROR,
                    "A replication slot whose replica is gone retains WAL until the master's disk is full (the guide's own "
                            + "« Slot de réplication sature le disque »): max_slot_wal_keep_size caps it.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            Optional<ServerFile> master = ctx.masterConf();
            if (!usesReplicationSlot(ctx) || master.isEmpty()) {
                return List.of();
            }
            Optional<PgConf.Entry> cap = setting(master.get(), "max_slot_wal_keep_size");
            if (cap.isPresent() && !cap.get().value().trim().equals("-1")) {
                return List.of();
            }
            return List.of(master.get().at(cap.map(PgConf.Entry::line).orElse(0),
                    "a replication slot is used and max_slot_wal_keep_size is unlimited"));
        }

        /** Whether a script creates a physical slot, or runs pg_basebackup with one. */
        private static boolean usesReplicationSlot(LintContext ctx) {
            return ctx.scripts().stream().anyMatch(s -> s.text().contains("pg_create_physical_replication_slot")
                    || (s.text().contains("pg_basebackup") && s.text().matches("(?s).*\\s(-S|--slot)[ =].*")));
        }
    }

    static final class UnknownParameter extends LintRule {

        UnknownParameter() {
            super("PGR016", "unknown-parameter", Severity.ERROR,
                    "A parameter the target major does not know (renamed, removed, or not yet added) stops the server at "
                            + "start: \"unrecognized configuration parameter\".");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            if (ctx.knownParameters().isEmpty()) {
                return List.of();
            }
            Set<String> known = ctx.knownParameters().get();
            List<ServerFile> files = new ArrayList<>();
            ctx.masterConf().ifPresent(files::add);
            ctx.replicaConf().ifPresent(files::add);
            List<At> out = new ArrayList<>();
            for (ServerFile f : files) {
                for (PgConf.Entry e : PgConf.parse(f.text()).unknownTo(known)) {
                    out.add(f.at(e.line(), e.name() + " is not a parameter of PostgreSQL " + ctx.targetMajor()));
                }
            }
            return out;
        }
    }

    static final class LogCollectorInPod extends LintRule {

        LogCollectorInPod() {
            super("PGR022", "log-collector-in-pod", Severity.ERROR,
                    "logging_collector = on in a container's configuration sends the server's messages to files in its data "
                            + "directory: `oc logs` and the cluster's logging see none of them.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (ServerFile f : ctx.serverFiles("config_file")) {
                setting(f, "logging_collector").filter(e -> !isOff(e.value()))
                        .ifPresent(e -> out.add(f.at(e.line(), "logging_collector = " + e.value().trim())));
            }
            return out;
        }
    }

    static final class ArchiveOnEmptyDir extends LintRule {

        ArchiveOnEmptyDir() {
            super("PGR023", "archive-on-emptydir", Severity.ERROR,
                    "archive_command copies WAL into an emptyDir: the archive is lost whenever the pod is recreated, and "
                            + "nothing prunes it meanwhile.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (ServerFile f : ctx.serverFiles("config_file")) {
                PgConf conf = PgConf.parse(f.text());
                Optional<PgConf.Entry> mode = conf.get("archive_mode");
                Optional<PgConf.Entry> command = conf.get("archive_command");
                if (mode.isPresent() && !isOff(mode.get().value()) && command.isPresent() && f.workload() != null) {
                    out.addAll(emptyDirsWrittenTo(f, command.get()));
                }
            }
            return out;
        }

        /** The emptyDir mounts of the server's pod that the archive_command writes into. */
        private static List<At> emptyDirsWrittenTo(ServerFile f, PgConf.Entry command) {
            List<At> out = new ArrayList<>();
            Map<String, Volume> volumes = f.workload().volumesByName();
            for (Container c : f.workload().allContainers()) {
                for (VolumeMount vm : volumeMounts(c)) {
                    Volume v = volumes.get(vm.getName());
                    if (v != null && v.getEmptyDir() != null && command.value().contains(vm.getMountPath() + "/")) {
                        out.add(f.at(command.line(), "archive_command writes to " + vm.getMountPath() + ", the emptyDir `"
                                + vm.getName() + "`"));
                    }
                }
            }
            return out;
        }
    }

    /** A setting of a server's configuration file, if the file sets it. */
    private static Optional<PgConf.Entry> setting(ServerFile f, String name) {
        return PgConf.parse(f.text()).get(name);
    }

    /** A PostgreSQL boolean that is false. */
    private static boolean isOff(String value) {
        return Set.of("off", "false", "no", "0").contains(value.trim().toLowerCase(Locale.ROOT));
    }
}
