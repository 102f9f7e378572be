package io.github.pgreplication.harness.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The subset of Kubernetes' JSONPath that {@code oc get … -o jsonpath=…} lines use, printed as kubectl 1.20 prints
 * it: text outside braces as is; {@code {.a.b[0].c}}, {@code [*]}, {@code ['key']}; {@code {range …}…{end}};
 * string literals ({@code {"\n"}}); several results of one expression separated by a space; a string as is, a map or
 * a list as compact JSON; a missing key prints nothing (kubectl's {@code --allow-missing-template-keys}, true by
 * default), an index out of bounds is an error with kubectl's message. Over plain maps, lists, strings, numbers and
 * booleans, as a resource's JSON is.
 */
public final class OcJsonPath {

    /** A template kubectl refuses or fails to execute; the message is the whole of what kubectl prints. */
    public static final class Failure extends RuntimeException {

        public Failure(String message) {
            super(message);
        }
    }

    private sealed interface Node permits Text, Path, Range {
    }

    private record Text(String text) implements Node {
    }

    /** Steps from the current object: a key, an index, or every element ({@code index == null, key == null}). */
    private record Step(String key, Integer index) {
    }

    private record Path(List<Step> steps) implements Node {
    }

    private record Range(Path over, List<Node> body) implements Node {
    }

    private final String template;
    private final List<Node> nodes;

    private OcJsonPath(String template, List<Node> nodes) {
        this.template = template;
        this.nodes = nodes;
    }

    /** Parses a template (what follows {@code jsonpath=}); a template kubectl could not parse is a {@link Failure}. */
    public static OcJsonPath parse(String template) {
        List<List<Node>> stack = new ArrayList<>();
        List<Path> ranges = new ArrayList<>();
        List<Node> current = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                current.add(new Text(template.substring(i)));
                break;
            }
            if (open > i) {
                current.add(new Text(template.substring(i, open)));
            }
            int close = closing(template, open);
            String action = template.substring(open + 1, close).trim();
            i = close + 1;
            if (action.startsWith("range ")) {
                stack.add(current);
                ranges.add(path(template, action.substring(6).trim()));
                current = new ArrayList<>();
            } else if (action.equals("end")) {
                if (stack.isEmpty()) {
                    throw parseError(template, "not in range, nothing to end");
                }
                Range r = new Range(ranges.remove(ranges.size() - 1), List.copyOf(current));
                current = stack.remove(stack.size() - 1);
                current.add(r);
            } else if (action.startsWith("\"")) {
                current.add(new Text(literal(template, action)));
            } else {
                current.add(path(template, action));
            }
        }
        if (!stack.isEmpty()) {
            throw parseError(template, "unclosed action");
        }
        return new OcJsonPath(template, List.copyOf(current));
    }

    /** Prints the template over {@code root} as kubectl does. */
    public String print(Object root) {
        StringBuilder out = new StringBuilder();
        try {
            print(nodes, root, out);
        } catch (Failure f) {
            throw new Failure("error: error executing jsonpath " + goQuote(template) + ": Error executing template: "
                    + f.getMessage() + ". Printing more information for debugging the template:\n\ttemplate was:\n\t\t"
                    + template + "\n\tobject given to jsonpath engine was:\n\t\t" + goDump(root) + "\n\n\n");
        }
        return out.toString();
    }

    private static void print(List<Node> nodes, Object current, StringBuilder out) {
        for (Node n : nodes) {
            if (n instanceof Text t) {
                out.append(t.text());
            } else if (n instanceof Path p) {
                List<Object> values = evaluate(p, current);
                for (int i = 0; i < values.size(); i++) {
                    out.append(text(values.get(i)));
                    if (i < values.size() - 1) {
                        out.append(' ');
                    }
                }
            } else if (n instanceof Range r) {
                for (Object item : evaluate(r.over(), current)) {
                    // ranging over a list ranges over its elements, as kubectl's does over a slice
                    if (item instanceof List<?> l && r.over().steps().stream().noneMatch(s -> s.key() == null && s.index() == null)) {
                        for (Object e : l) {
                            print(r.body(), e, out);
                        }
                    } else {
                        print(r.body(), item, out);
                    }
                }
            }
        }
    }

    private static List<Object> evaluate(Path p, Object root) {
        List<Object> values = new ArrayList<>();
        values.add(root);
        for (Step s : p.steps()) {
            List<Object> next = new ArrayList<>();
            for (Object v : values) {
                if (s.key() != null) {
                    if (v instanceof Map<?, ?> m && m.containsKey(s.key())) {
                        next.add(m.get(s.key()));
                    }
                } else if (s.index() != null) {
                    if (v instanceof List<?> l) {
                        int i = s.index() < 0 ? l.size() + s.index() : s.index();
                        if (i < 0 || i >= l.size()) {
                            throw new Failure("array index out of bounds: index " + s.index() + ", length " + l.size());
                        }
                        next.add(l.get(i));
                    }
                } else if (v instanceof List<?> l) {
                    next.addAll(l);
                } else if (v instanceof Map<?, ?> m) {
                    next.addAll(new TreeMap<>(m).values());
                }
            }
            values = next;
        }
        return values;
    }

    private static Path path(String template, String expression) {
        String e = expression;
        if (e.startsWith("$") || e.startsWith("@")) {
            e = e.substring(1);
        }
        List<Step> steps = new ArrayList<>();
        int i = 0;
        while (i < e.length()) {
            char c = e.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < e.length() && e.charAt(end) != '.' && e.charAt(end) != '[') {
                    end++;
                }
                String key = e.substring(i + 1, end);
                if (key.isEmpty()) {
                    if (end == e.length() && steps.isEmpty()) {
                        break; // {.}: the object itself
                    }
                    throw new OcArgs.Unprovided("get -o jsonpath with a recursive descent (..)");
                }
                steps.add(new Step(key, null));
                i = end;
            } else if (c == '[') {
                int end = e.indexOf(']', i);
                if (end < 0) {
                    throw parseError(template, "unterminated array");
                }
                String inside = e.substring(i + 1, end).trim();
                if (inside.equals("*")) {
                    steps.add(new Step(null, null));
                } else if (inside.matches("-?\\d+")) {
                    steps.add(new Step(null, Integer.parseInt(inside)));
                } else if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'")
                        || inside.startsWith("\"") && inside.endsWith("\""))) {
                    steps.add(new Step(inside.substring(1, inside.length() - 1), null));
                } else {
                    throw new OcArgs.Unprovided("get -o jsonpath with a filter or slice [" + inside + "]");
                }
                i = end + 1;
            } else {
                throw new OcArgs.Unprovided("get -o jsonpath with an expression other than a path (" + expression + ")");
            }
        }
        return new Path(List.copyOf(steps));
    }

    private static int closing(String template, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < template.length(); i++) {
            char c = template.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i;
            }
        }
        throw parseError(template, "unclosed action");
    }

    private static String literal(String template, String action) {
        if (action.length() < 2 || !action.endsWith("\"")) {
            throw parseError(template, "unterminated quoted string");
        }
        String body = action.substring(1, action.length() - 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 == body.length()) {
                out.append(c);
                continue;
            }
            char n = body.charAt(++i);
            out.append(switch (n) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                default -> n;
            });
        }
        return out.toString();
    }

    private static Failure parseError(String template, String why) {
        return new Failure("error: error parsing jsonpath " + goQuote(template) + ", " + why + "\n");
    }

    /** A value as kubectl's JSONPath prints it: a string as is, a map or a list as compact JSON. */
    static String text(Object v) {
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return json(v);
        }
        return v == null ? "" : String.valueOf(v);
    }

    /** Compact JSON, keys sorted, as Go's encoding/json writes a map (with its HTML escaping). */
    static String json(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            new TreeMap<>(m).forEach((k, val) -> {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append(json(String.valueOf(k))).append(':').append(json(val));
            });
            return sb.append('}').toString();
        }
        if (v instanceof List<?> l) {
            List<String> items = l.stream().map(OcJsonPath::json).toList();
            return "[" + String.join(",", items) + "]";
        }
        if (v instanceof String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    case '<', '>', '&' -> sb.append(String.format("\\u%04x", (int) c));
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"').toString();
        }
        return v == null ? "null" : String.valueOf(v);
    }

    /** An object as Go's {@code %#v} prints an unstructured one (kubectl's error message shows it). */
    static String goDump(Object v) {
        if (v instanceof Map<?, ?> m) {
            List<String> entries = new ArrayList<>();
            new TreeMap<>(m).forEach((k, val) -> entries.add(goQuote(String.valueOf(k)) + ":" + goDump(val)));
            return "map[string]interface {}{" + String.join(", ", entries) + "}";
        }
        if (v instanceof List<?> l) {
            return "[]interface {}{" + String.join(", ", l.stream().map(OcJsonPath::goDump).toList()) + "}";
        }
        if (v instanceof String s) {
            return goQuote(s);
        }
        return v == null ? "interface {}(nil)" : String.valueOf(v);
    }

    private static String goQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }
}
