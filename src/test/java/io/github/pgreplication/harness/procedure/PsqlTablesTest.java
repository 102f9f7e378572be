package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * psql's aligned output read back as tables. The files under src/test/resources/psql/ are what psql 15.18 printed,
 * without a terminal, for the guide's blocks of Étapes 1.6, 3.1, 3.2 and 3.3, run on a primary and its streaming
 * standby (the slot and the role made as init-master.sh makes them).
 */
class PsqlTablesTest {

    private static String captured(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/psql", name));
    }

    @Test
    void aCenteredHeaderAndItsRowsAreReadByTheRulesColumns() throws IOException {
        List<PsqlTables.Table> tables = PsqlTables.parse(captured("roles.txt"));

        assertThat(tables).singleElement().satisfies(t -> {
            assertThat(t.columns()).containsExactly("rolname", "rolreplication");
            assertThat(t.rows()).extracting(PsqlTables.Row::toString).containsExactly("replicator | t");
        });
    }

    @Test
    void selectStarIsReadWhole_emptyCellsIncluded() throws IOException {
        PsqlTables.Table t = PsqlTables.parse(captured("slots-all.txt")).get(0);

        assertThat(t.columns()).hasSize(15).startsWith("slot_name", "plugin", "slot_type").endsWith("two_phase");
        PsqlTables.Row slot = t.rows().get(0);
        assertThat(List.of(slot.get("slot_name"), slot.get("slot_type"), slot.get("active"), slot.get("plugin"),
                slot.get("safe_wal_size"))).containsExactly("replication_slot_slave", "physical", "f", "", "");
    }

    @Test
    void eachStatementOfAMultiStatementStringIsATableOfItsOwn() throws IOException {
        List<PsqlTables.Table> tables = PsqlTables.parse(captured("wal-settings.txt"));

        assertThat(tables).extracting(PsqlTables.Table::asResult).containsExactly(List.of(Map.of("wal_level", "replica")),
                List.of(Map.of("max_wal_senders", "10")), List.of(Map.of("wal_keep_size", "1GB")));
    }

    @Test
    void pgStatReplicationOfEtape31_andTheSlotOfEtape32() throws IOException {
        PsqlTables.Row walsender = PsqlTables.parse(captured("stat-replication.txt")).get(0).rows().get(0);
        PsqlTables.Row slot = PsqlTables.parse(captured("slots.txt")).get(0).rows().get(0);

        assertThat(List.of(walsender.get("usename"), walsender.get("application_name"), walsender.get("client_addr"),
                walsender.get("state"), walsender.get("sync_state"), walsender.get("replay_lsn")))
                .containsExactly("replicator", "walreceiver", "127.0.0.1", "streaming", "async", "");
        assertThat(slot.toString()).isEqualTo("replication_slot_slave | physical | t | 0/3000000");
    }

    @Test
    void anErrorPrintsNoTable_andKubectlsLineIsNoneEither() throws IOException {
        assertThat(PsqlTables.parse(captured("lag-error.txt") + "command terminated with exit code 1\n")).isEmpty();
    }

    @Test
    void aRowOfNoRowsAndLinesAroundTheTableAreLeftOut() {
        assertThat(PsqlTables.parse("Defaulted container \"postgresql\"\n a | b \n---+---\n(0 rows)\n\n"))
                .singleElement().satisfies(t -> {
                    assertThat(t.columns()).containsExactly("a", "b");
                    assertThat(t.rows()).isEmpty();
                });
    }

    @Test
    void aRowTheColumnsDoNotFit_aValueOverSeveralLines_orAFooterThatMiscountsIsNotRead() throws IOException {
        String roles = captured("roles.txt");
        assertThatThrownBy(() -> PsqlTables.parse(roles.replace(" replicator | t", " replicator  | t")))
                .hasMessageContaining("does not fit its columns");
        assertThatThrownBy(() -> PsqlTables.parse(" v \n---\n a+\n b\n(1 row)\n")).hasMessageContaining("several lines");
        assertThatThrownBy(() -> PsqlTables.parse(roles.replace("(1 row)", "(2 rows)"))).hasMessageContaining("shows 1");
        assertThatThrownBy(() -> PsqlTables.parse(roles.replace("(1 row)", ""))).hasMessageContaining("no footer");
    }

    @Test
    void aCellIsAskedForByAColumnTheTableHas() throws IOException {
        PsqlTables.Row row = PsqlTables.parse(captured("roles.txt")).get(0).rows().get(0);
        assertThatThrownBy(() -> row.get("active")).hasMessageContaining("no column active in [rolname, rolreplication]");
    }
}
