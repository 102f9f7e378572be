package io.github.pgreplication.harness.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A team's manifests rarely keep the guide's names. This writes {@code target/renamed-manifests}: the corrected
 * manifests with every name the guide uses changed consistently (resources, labels, the slot, the role), which
 * the build then certifies (Failsafe execution {@code renamed}); and it checks that every role is found there
 * under its new name.
 */
class RenamedManifestsTest {

    /** The guide's names and a team's, longest first so that no name is replaced inside another. */
    static final Map<String, String> RENAMES = new LinkedHashMap<>();

    static {
        RENAMES.put("postgresql-replication-check", "orders-db-lag-check");
        RENAMES.put("postgresql-replication-alerts", "orders-db-alerts");
        RENAMES.put("postgresql-monitoring-queries", "orders-db-queries");
        RENAMES.put("postgresql-exporter-queries", "orders-db-exporter");
        RENAMES.put("postgresql-master-config", "orders-db-primary-conf");
        RENAMES.put("postgresql-master-init", "orders-db-primary-init");
        RENAMES.put("postgresql-slave-config", "orders-db-standby-conf");
        RENAMES.put("postgresql-replication", "orders-db-repl");
        RENAMES.put("postgresql-monitor", "orders-db-monitor");
        RENAMES.put("postgresql-slave", "orders-db-standby");
        RENAMES.put("setup-slave", "orders-standby-setup");
        RENAMES.put("init-master", "orders-primary-init");
        RENAMES.put("replication_slot_slave", "orders_standby_slot");
        RENAMES.put("replicator", "orders_repl");
        RENAMES.put("postgresql", "orders-db");
    }

    /** Scripts are renamed wherever they appear, mount paths included (/scripts/setup-slave.sh). */
    static final java.util.Set<String> SCRIPTS = java.util.Set.of("setup-slave", "init-master");

    /** A name as a whole token ({@link ManifestRenaming#rename}); scripts everywhere, their mount paths included. */
    static String rename(String text) {
        String out = text;
        for (String script : SCRIPTS) {
            out = out.replace(script + ".sh", RENAMES.get(script) + ".sh");
        }
        return ManifestRenaming.rename(out, RENAMES);
    }

    @Test
    void everyNameOfTheGuideIsFoundUnderItsNewName() throws IOException {
        Path from = Path.of("manifests/corrected");
        Path to = Path.of("target/renamed-manifests");
        Files.createDirectories(to);
        try (Stream<Path> old = Files.list(to)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.writeString(to.resolve(rename(f.getFileName().toString())),
                        rename(Files.readString(f, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            }
        }
        GuideNames guide = GuideModel.load(Path.of("manifests/published")).names();
        GuideNames renamed = GuideModel.load(to).names();
        assertThat(renamed.all()).hasSameSizeAs(guide.all());
        guide.all().forEach((role, name) -> assertThat(renamed.get(role)).as(role.meaning()).isEqualTo(rename(name))
                .isNotEqualTo(name));
        assertThat(renamed.resolve("pod", "postgresql-slave", guide).name()).isEqualTo("orders-db-standby");
        assertThat(renamed.adaptSql("SELECT pg_drop_replication_slot('replication_slot_slave');", guide))
                .isEqualTo("SELECT pg_drop_replication_slot('orders_standby_slot');");
    }
}
