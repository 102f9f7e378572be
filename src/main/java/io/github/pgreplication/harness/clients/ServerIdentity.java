package io.github.pgreplication.harness.clients;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which server answered a client: whether it is in recovery, the address and port it answered on, and when its
 * postmaster started. The replica is a copy of the master (same system identifier), so the last three tell the
 * two servers apart; each client selects {@link #SQL} in the statement it routes, and the harness compares the
 * answer with what each pod says when asked directly.
 */
public record ServerIdentity(boolean inRecovery, String address, int port, String postmasterStarted) {

    /** One text column; every client (psql, pgjdbc, TypeORM) selects it as is. */
    public static final String SQL = "pg_is_in_recovery()::text || ' ' || coalesce(host(inet_server_addr()), 'socket')"
            + " || ' ' || coalesce(inet_server_port(), 0) || ' ' || extract(epoch from pg_postmaster_start_time())";

    private static final Pattern TEXT = Pattern.compile("(true|false) (\\S+) (\\d+) (\\S+)");

    /** The text {@link #SQL} returns; an error quoting it when it is something else. */
    public static ServerIdentity parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new AssertionError("not a server identity (pg_is_in_recovery() address port start): '" + text + "'");
        }
        return new ServerIdentity(Boolean.parseBoolean(m.group(1)), m.group(2), Integer.parseInt(m.group(3)), m.group(4));
    }

    @Override
    public String toString() {
        return "pg_is_in_recovery() = " + inRecovery + ", " + address + ":" + port + ", postmaster started at epoch "
                + postmasterStarted;
    }
}
