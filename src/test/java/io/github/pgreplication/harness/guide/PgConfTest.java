package io.github.pgreplication.harness.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** postgresql.conf as the server reads it: comments, quotes, case, the last setting winning, and line numbers. */
class PgConfTest {

    @Test
    void readsNameEqualsValueWithItsLineAndWithoutItsComment() {
        PgConf conf = PgConf.parse("# a comment\n\nwal_level = replica   # for the replica\nmax_wal_senders=10\n");
        assertThat(conf.get("wal_level")).contains(new PgConf.Entry("wal_level", "replica", 3));
        assertThat(conf.get("max_wal_senders")).contains(new PgConf.Entry("max_wal_senders", "10", 4));
        assertThat(conf.entries()).hasSize(2);
    }

    @Test
    void theEqualsSignIsOptional() {
        assertThat(PgConf.parse("hot_standby on\n").get("hot_standby")).map(PgConf.Entry::value).contains("on");
        assertThat(PgConf.parse("hot_standby\n").get("hot_standby")).map(PgConf.Entry::value).contains("");
    }

    @Test
    void aQuotedValueLosesItsQuotesKeepsItsHashAndUndoublesItsQuotes() {
        PgConf conf = PgConf.parse("archive_command = 'test ! -f /a/%f && cp %p /a/%f # not a comment'  # a comment\n"
                + "application_name = 'it''s'\n");
        assertThat(conf.get("archive_command")).map(PgConf.Entry::value)
                .contains("test ! -f /a/%f && cp %p /a/%f # not a comment");
        assertThat(conf.get("application_name")).map(PgConf.Entry::value).contains("it's");
    }

    @Test
    void namesAreCaseInsensitiveAndTheLastSettingWins() {
        PgConf conf = PgConf.parse("Max_Connections = 100\nshared_buffers = 128MB\nmax_connections = 200\n");
        assertThat(conf.get("MAX_CONNECTIONS")).contains(new PgConf.Entry("max_connections", "200", 3));
        // the last setting takes the last place, as in pg_file_settings' applied row
        assertThat(conf.entries().keySet()).containsExactly("shared_buffers", "max_connections");
    }

    @Test
    void includeDirectivesAreNotSettings() {
        PgConf conf = PgConf.parse("include 'extra.conf'\ninclude_if_exists 'x.conf'\ninclude_dir 'conf.d'\nport = 5432\n");
        assertThat(conf.entries().keySet()).containsExactly("port");
    }

    @Test
    void integerReadsTheValueOrGivesTheDefault() {
        PgConf conf = PgConf.parse("max_connections = 50\n");
        assertThat(conf.integer("max_connections", 100)).isEqualTo(50);
        assertThat(conf.integer("max_wal_senders", 10)).isEqualTo(10);
        assertThat(conf.get("max_wal_senders")).isEmpty();
    }

    @Test
    void unknownToNamesTheSettingsAMajorDoesNotKnowButNotCustomOnes() {
        PgConf conf = PgConf.parse("wal_keep_segments = 64\nWal_Level = replica\npg_stat_statements.max = 1000\n");
        assertThat(conf.unknownTo(Set.of("wal_level", "wal_keep_size"))).extracting(PgConf.Entry::name)
                .containsExactly("wal_keep_segments");
    }
}
