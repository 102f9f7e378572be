package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.probes.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/** A server's settings as pg_settings shows them, to compare a master before the guide and after its rollback. */
public final class ServerSettings {

    private ServerSettings() {
    }

    public static Map<String, String> read(Connection c) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, Object> r : Sql.rows(c, "SELECT name, setting FROM pg_settings")) {
            out.put((String) r.get("name"), String.valueOf(r.get("setting")));
        }
        return out;
    }

    /** {@code name: before → after} for every setting that differs. */
    public static Map<String, String> differences(Map<String, String> before, Map<String, String> after) {
        Map<String, String> diff = new TreeMap<>();
        before.forEach((k, v) -> {
            if (!v.equals(after.get(k))) {
                diff.put(k, v + " → " + after.get(k));
            }
        });
        after.keySet().stream().filter(k -> !before.containsKey(k)).forEach(k -> diff.put(k, "(absent) → " + after.get(k)));
        return diff;
    }
}
