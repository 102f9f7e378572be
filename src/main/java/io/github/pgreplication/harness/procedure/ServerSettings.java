package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.probes.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/** A server's settings as pg_settings shows them, to compare a master before the guide and after its rollback. */
public final class ServerSettings {

    /**
     * A setting SHOW gave on the master (Étape 1.6), with the value the guide's master.conf gives it and the value the
     * master.conf under test sets (a team may set another wal_keep_size).
     */
    public record Shown(String name, String shown, String guideValue, String underTest) {

        /** Whether SHOW gave the value the master.conf under test sets. */
        public boolean asConfigured() {
            return sameValue(shown, underTest);
        }

        @Override
        public String toString() {
            return name + ": SHOW gave " + shown + ", the master.conf under test sets " + underTest;
        }
    }

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

    /**
     * Whether SHOW's output and a configuration file's value are the same setting: {@code 1GB} and {@code 1024MB}
     * are; quotes around a file's value are not part of it.
     */
    public static boolean sameValue(String shown, String configured) {
        String a = unquote(shown);
        String b = unquote(configured);
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        java.util.OptionalLong x = bytes(a);
        java.util.OptionalLong y = bytes(b);
        return x.isPresent() && x.equals(y);
    }

    private static String unquote(String v) {
        String t = v.trim();
        return t.length() >= 2 && t.startsWith("'") && t.endsWith("'") ? t.substring(1, t.length() - 1) : t;
    }

    /** A size as PostgreSQL prints it (a setting's {@code 1GB}, pg_size_pretty's {@code 1201 MB} or {@code 8192 bytes}), in bytes. */
    static java.util.OptionalLong bytes(String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(B|bytes|kB|MB|GB|TB)").matcher(v.trim());
        if (!m.matches()) {
            return java.util.OptionalLong.empty();
        }
        int shift = Math.max(0, java.util.List.of("bytes", "kB", "MB", "GB", "TB").indexOf(m.group(2))) * 10;
        return java.util.OptionalLong.of(Long.parseLong(m.group(1)) << shift);
    }
}
