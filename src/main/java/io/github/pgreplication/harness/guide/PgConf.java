package io.github.pgreplication.harness.guide;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A postgresql.conf-format file: {@code name = value  # comment}, names case-insensitive, the last one wins. */
public record PgConf(Map<String, Entry> entries) {

    /** One setting with the line it is on (1-based, within the file). */
    public record Entry(String name, String value, int line) {
    }

    public static PgConf parse(String text) {
        Map<String, Entry> out = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = stripComment(lines[i]).trim();
            if (l.isEmpty() || l.startsWith("include")) {
                continue;
            }
            int eq = l.indexOf('=');
            String name;
            String value;
            if (eq > 0) {
                name = l.substring(0, eq).trim();
                value = l.substring(eq + 1).trim();
            } else {
                String[] parts = l.split("\\s+", 2);
                name = parts[0];
                value = parts.length > 1 ? parts[1].trim() : "";
            }
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1).replace("''", "'");
            }
            String key = name.toLowerCase(Locale.ROOT);
            out.remove(key);
            out.put(key, new Entry(name, value, i + 1));
        }
        return new PgConf(out);
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    public Optional<Entry> get(String name) {
        return Optional.ofNullable(entries.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * The settings whose names the given major does not know (its {@code postgres --describe-config}); custom
     * {@code prefix.name} settings are any major's.
     */
    public List<Entry> unknownTo(Set<String> known) {
        return entries.values().stream().filter(e -> !known.contains(e.name().toLowerCase(Locale.ROOT))
                && !e.name().contains(".")).toList();
    }

    /** An integer setting, or its default; units are not expected on the settings this is used for. */
    public long integer(String name, long defaultValue) {
        return get(name).map(e -> Long.parseLong(e.value().trim())).orElse(defaultValue);
    }
}
