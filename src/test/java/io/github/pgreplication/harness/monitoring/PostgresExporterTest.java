package io.github.pgreplication.harness.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresExporterTest {

    @Test
    void parsesTheExpositionFormat() {
        List<PostgresExporter.Sample> s = PostgresExporter.parse("""
                # HELP pg_up Whether the last scrape could connect.
                # TYPE pg_up gauge
                pg_up 1
                pg_replication_slot_active{server="127.0.0.1:5",slot_name="replication_slot_slave"} 0
                pg_static{short_version="15.18",version="PostgreSQL 15.18 (Debian), 64-bit"} 1
                go_gc_duration_seconds{quantile="0.5"} NaN
                """);
        assertThat(s).extracting(PostgresExporter.Sample::name)
                .containsExactly("pg_up", "pg_replication_slot_active", "pg_static", "go_gc_duration_seconds");
        assertThat(s.get(1).labels()).containsEntry("slot_name", "replication_slot_slave").containsEntry("server", "127.0.0.1:5");
        assertThat(s.get(2).labels()).containsEntry("version", "PostgreSQL 15.18 (Debian), 64-bit");
        assertThat(s.get(3).value()).isNaN();
    }
}
