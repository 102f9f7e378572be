package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.ErrataLedger;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.PgConf;
import io.github.pgreplication.harness.probes.Sql;
import io.github.pgreplication.harness.run.Evidence;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which configuration files the guide's servers really read: the master started on {@code config_file=} no longer
 * reads its own PGDATA/postgresql.conf (E19), and the replica, with no {@code hba_file}, reads the pg_hba.conf
 * pg_basebackup copied from the master's data directory, not the guide's rules (E20).
 */
public final class ConfigurationFiles {

    private final GuidePair pair;
    private final RunContext context;

    public ConfigurationFiles(GuidePair pair, RunContext context) {
        this.context = context;
        this.pair = pair;
    }

    /** A setting of the existing master's own postgresql.conf that Étape 1.5 changed: its value before and after. */
    public record DroppedSetting(String name, String before, String after) {
    }

    /** The settings of the existing master's postgresql.conf that Étape 1.5 changed, where master.conf is silent. */
    public record ExistingSettings(List<DroppedSetting> dropped) {

        /** The report's note (Étape 1.5). */
        public Evidence.Note note() {
            return new Evidence.Note("1.5", "Settings of the existing master's PGDATA/postgresql.conf that master.conf does "
                    + "not set, changed by Étape 1.5" + (dropped.isEmpty() ? ": none."
                    : ": " + dropped.stream().map(x -> x.name() + " `" + x.before() + "` → `" + x.after() + "`")
                            .collect(Collectors.joining(", ")) + "."));
        }
    }

    /**
     * Erratum check: Étape 1.5 starts the master on {@code config_file=/etc/postgresql/master.conf}. Every setting
     * of the existing PGDATA/postgresql.conf that master.conf does not set itself must keep its value.
     */
    public ExistingSettings existingSettingsKept() throws SQLException {
        // The data directory as the image has it (the sclorg image's exec shell has no PGDATA: run-postgresql sets it)
        String pgdata = pair.master().plan().imageContract().pgdata(pair.master().plan().env());
        ContainerResult conf = pair.backend().exec(pair.master(), List.of("cat", pgdata + "/postgresql.conf"),
                Map.of(), GuidePair.SCRIPT);
        if (!conf.succeeded()) {
            throw new AssertionError("reading the master's PGDATA/postgresql.conf: exit " + conf.exitCode() + "\n" + conf.tail(5));
        }
        Set<String> own = PgConf.parse(pair.model().manifests().configMapValue(
                pair.model().names().get(GuideNames.Role.MASTER_CONFIG), "master.conf")).entries().keySet();
        Set<String> host = new HashSet<>();
        pair.backend().hostServerSettings().forEach(h -> host.add(h.toLowerCase(Locale.ROOT)));
        return checked(context.ledger(), new ExistingSettings(dropped(PgConf.parse(conf.output()), own, host,
                lowerCase(pair.settingsBeforeGuide()), lowerCase(pair.currentSettings()))));
    }

    /** The erratum check of {@link #existingSettingsKept} on the settings it found changed, through the ledger. */
    static ExistingSettings checked(ErrataLedger ledger, ExistingSettings seen) {
        String item = "configmap/postgresql-master-config#existing-postgresql-conf";
        return ledger.verbatim(item, () -> {
            if (!seen.dropped().isEmpty()) {
                throw Deviation.result(item, "the existing postgresql.conf's settings kept where master.conf is silent",
                        "settings of the existing PGDATA/postgresql.conf dropped").raise();
            }
            return seen;
        }, () -> seen);
    }

    /**
     * The settings of {@code existing} (the existing postgresql.conf) whose value changed from {@code before} to
     * {@code now}, leaving out those master.conf sets itself ({@code own}) and those the host sets on every pod;
     * names in lower case in every set and map.
     */
    static List<DroppedSetting> dropped(PgConf existing, Set<String> own, Set<String> host, Map<String, String> before,
                                        Map<String, String> now) {
        List<DroppedSetting> dropped = new ArrayList<>();
        for (PgConf.Entry e : existing.entries().values()) {
            String name = e.name().toLowerCase(Locale.ROOT);
            if (own.contains(name) || host.contains(name) || !before.containsKey(name)) {
                continue;
            }
            if (!before.get(name).equals(now.get(name))) {
                dropped.add(new DroppedSetting(e.name(), before.get(name), now.get(name)));
            }
        }
        return dropped;
    }

    static Map<String, String> lowerCase(Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    /** The replica's client authentication as it runs: the file it reads, and the rules that admit every address. */
    public record ReplicaHba(String hbaFile, boolean inDataDirectory, List<String> openRules) {

        /** The report's note (Étape 2.3). */
        public Evidence.Note note() {
            return new Evidence.Note("2.3", "The replica reads " + (inDataDirectory
                    ? "the pg_hba.conf of its data directory, copied by pg_basebackup from the master's (not the guide's)"
                    : "the pg_hba.conf mounted from its ConfigMap") + "; rules admitting every address: "
                    + (openRules.isEmpty() ? "none" : String.join("; ", openRules)) + ".");
        }
    }

    /**
     * Erratum check: the guide writes pg_hba.conf rules (Étape 1.3) that admit the pod network only. The replica,
     * which holds all the same data, must not admit more: no rule for every address, no trust over the network.
     */
    public ReplicaHba replicaHba() throws SQLException {
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
        return checked(context.ledger(), seen);
    }

    /** The erratum check of {@link #replicaHba} on the rules the replica runs with, through the ledger. */
    static ReplicaHba checked(ErrataLedger ledger, ReplicaHba seen) {
        String item = "configmap/postgresql-slave-config#pg_hba.conf";
        return ledger.verbatim(item, () -> {
            if (!seen.openRules().isEmpty()) {
                throw Deviation.result(item, "the guide's rules (the pod network only) on the replica too",
                        "the replica's pg_hba.conf admits every address").raise();
            }
            return seen;
        }, () -> seen);
    }
}
