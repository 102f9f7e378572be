package io.github.pgreplication.harness.guide;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** pg_hba.conf records with their line numbers; comments, blank and incomplete lines are not records. */
class PgHbaTest {

    @Test
    void readsLocalAndHostRecordsWithTheirLines() {
        PgHba hba = PgHba.parse("""
                # TYPE  DATABASE        USER            ADDRESS                 METHOD
                local   all             all                                     trust

                host    replication     replicator      10.128.0.0/14           md5   # the replica
                hostssl all             all             0.0.0.0/0               scram-sha-256
                """);
        assertThat(hba.lines()).containsExactly(
                new PgHba.Line("local", "all", "all", "", "trust", 2),
                new PgHba.Line("host", "replication", "replicator", "10.128.0.0/14", "md5", 4),
                new PgHba.Line("hostssl", "all", "all", "0.0.0.0/0", "scram-sha-256", 5));
        assertThat(hba.lines()).extracting(PgHba.Line::isHost).containsExactly(false, true, true);
    }

    @Test
    void incompleteLinesAreNotRecords() {
        PgHba hba = PgHba.parse("host all all\nlocal all\n   \n#host all all 0.0.0.0/0 trust\nlocal all postgres\n");
        assertThat(hba.lines()).containsExactly(new PgHba.Line("local", "all", "postgres", "", "", 5));
    }
}
