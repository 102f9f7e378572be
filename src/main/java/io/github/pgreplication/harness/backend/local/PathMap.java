package io.github.pgreplication.harness.backend.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pod's container paths mapped to the host directories that play them. Rewrites a text (an env value, an
 * arg, a mounted config file) in one pass, longest container path first, and only where the path stands as a
 * path (not inside another word), so that a host path is never rewritten twice.
 */
final class PathMap {

    private final Map<String, Path> mappings = new LinkedHashMap<>();

    void map(String containerPath, Path hostPath) {
        mappings.put(stripSlash(containerPath), hostPath);
    }

    /** The container paths and the host directories that play them, in the order mapped. */
    Map<String, Path> mappings() {
        return Collections.unmodifiableMap(mappings);
    }

    Path host(String containerPath) {
        String best = null;
        for (String c : mappings.keySet()) {
            if ((containerPath.equals(c) || containerPath.startsWith(c + "/")) && (best == null || c.length() > best.length())) {
                best = c;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no host directory plays container path " + containerPath);
        }
        return Path.of(mappings.get(best) + containerPath.substring(best.length()));
    }

    String rewrite(String text) {
        if (mappings.isEmpty() || text == null) {
            return text;
        }
        List<String> keys = new ArrayList<>(mappings.keySet());
        keys.sort(Comparator.comparingInt(String::length).reversed());
        StringBuilder alternation = new StringBuilder();
        for (String k : keys) {
            alternation.append(alternation.isEmpty() ? "" : "|").append(Pattern.quote(k));
        }
        Pattern p = Pattern.compile("(?<![\\w./-])(" + alternation + ")(?=$|[/\\s'\"%;:,)]|\\z)", Pattern.MULTILINE);
        Matcher m = p.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(mappings.get(m.group(1)).toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String stripSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
