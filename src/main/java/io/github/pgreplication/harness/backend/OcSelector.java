package io.github.pgreplication.harness.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A label selector as {@code oc get -l} takes it: requirements separated by commas, all of which must hold:
 * {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k} (present),
 * {@code !k} (absent). As Kubernetes, {@code k!=v} and {@code notin} also match a pod without the label.
 */
public final class OcSelector {

    private final List<Predicate<Map<String, String>>> requirements;

    private OcSelector(List<Predicate<Map<String, String>>> requirements) {
        this.requirements = requirements;
    }

    /** Parses a selector; one kubectl would refuse is {@link OcArgs.Refused} with a message of the kind it prints. */
    public static OcSelector parse(String selector) {
        List<Predicate<Map<String, String>>> out = new ArrayList<>();
        for (String part : split(selector)) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            java.util.regex.Matcher set = java.util.regex.Pattern.compile("^([^\\s!=,()]+)\\s+(in|notin)\\s*\\((.*)\\)$").matcher(p);
            if (set.matches()) {
                String key = set.group(1);
                Set<String> values = Set.copyOf(List.of(set.group(3).trim().split("\\s*,\\s*")));
                boolean in = set.group(2).equals("in");
                out.add(labels -> in == (labels.containsKey(key) && values.contains(labels.get(key))));
            } else if (p.contains("!=")) {
                String key = p.substring(0, p.indexOf("!=")).trim();
                String value = p.substring(p.indexOf("!=") + 2).trim();
                out.add(labels -> !value.equals(labels.get(key)));
            } else if (p.contains("=")) {
                String key = p.substring(0, p.indexOf('=')).trim();
                String value = p.substring(p.indexOf('=') + 1).replaceFirst("^=", "").trim();
                out.add(labels -> value.equals(labels.get(key)));
            } else if (p.startsWith("!")) {
                String key = p.substring(1).trim();
                out.add(labels -> !labels.containsKey(key));
            } else if (p.matches("[^\\s()]+")) {
                out.add(labels -> labels.containsKey(p));
            } else {
                throw new OcArgs.Refused("error: unable to parse requirement: found '" + p + "', expected: in, notin, =, ==, !=, gt, lt");
            }
        }
        return new OcSelector(List.copyOf(out));
    }

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.test(labels));
    }

    /** The selector's requirements: commas split them, except inside a set's parentheses. */
    private static List<String> split(String selector) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(selector.substring(start));
        return parts;
    }
}
