package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.probes.Sql;
import java.sql.Connection;
import java.sql.SQLException;

/** The data the existing master holds before the guide is applied: Phase 1 must not lose a row of it. */
public final class ExistingData {

    /** The table that holds it. */
    public static final String TABLE = "existing_orders";

    static final String SCHEMA_AND_ROWS = """
            CREATE TABLE %1$s (
                id bigint PRIMARY KEY,
                customer text NOT NULL,
                amount numeric(12, 2) NOT NULL,
                created_at timestamptz NOT NULL DEFAULT '2026-01-01 00:00:00+00'
            );
            INSERT INTO %1$s (id, customer, amount)
            SELECT g, 'customer-' || (g %% 97), (g * 7 %% 1000) / 10.0 FROM generate_series(1, 5000) AS g;
            """.formatted(TABLE);

    private ExistingData() {
    }

    /** The number of rows a {@link #checksum} counted. */
    public static long rows(String checksum) {
        return Long.parseLong(checksum.substring(0, checksum.indexOf(':')));
    }

    /** An order-independent checksum of every row of the existing data. */
    public static String checksum(Connection c) throws SQLException {
        return (String) Sql.scalar(c, "SELECT count(*) || ':' || md5(string_agg(md5(t::text), '' ORDER BY id)) "
                + "FROM " + TABLE + " t");
    }
}
