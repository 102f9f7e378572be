package io.github.pgreplication.harness.clients;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The statements every client routes, said once: an INSERT of a marked row returning the server that took it,
 * and a SELECT of that row returning the server that answered. psql cannot bind parameters, so the values are
 * literals; they are checked to be a client's name and a UUID, never text from outside.
 */
public final class RoutingSql {

    /** The application's table, in the guide's database {@code dbname}. */
    public static final String TABLE = "app_routing";

    public static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigserial PRIMARY KEY, "
            + "via text NOT NULL, marker text NOT NULL UNIQUE, written_at timestamptz NOT NULL DEFAULT clock_timestamp())";

    private static final Pattern CLIENT = Pattern.compile("[a-z][a-z0-9 -]*");

    private RoutingSql() {
    }

    public static String newMarker() {
        return UUID.randomUUID().toString();
    }

    public static String insert(String client, String marker) {
        return "INSERT INTO " + TABLE + " (via, marker) VALUES ('" + checked(client) + "', '" + uuid(marker)
                + "') RETURNING " + ServerIdentity.SQL;
    }

    public static String select(String marker) {
        return "SELECT " + ServerIdentity.SQL + ", count(*) FROM " + TABLE + " WHERE marker = '" + uuid(marker) + "'";
    }

    private static String checked(String client) {
        if (!CLIENT.matcher(client).matches()) {
            throw new IllegalArgumentException("a client's name is lower-case words, got " + client);
        }
        return client;
    }

    private static String uuid(String marker) {
        return UUID.fromString(marker).toString();
    }
}
