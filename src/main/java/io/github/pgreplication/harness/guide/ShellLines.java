package io.github.pgreplication.harness.guide;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guide's shell block cut into the command lines bash would run one after another: what the harness runs, records and
 * counts as the guide's commands.
 */
public final class ShellLines {

    /** A heredoc's start in a command line, its terminator's word in group 1. */
    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*['\"]?(\\w+)['\"]?");

    private ShellLines() {
    }

    /**
     * The block's command lines: comments and blank lines left out, continued lines joined, and a heredoc kept with its
     * command, up to its terminator's line ({@code <<EOF} … {@code EOF}, {@code <<-EOF}, {@code <<'EOF'}), and a quoted
     * string with it up to its closing quote ({@code psql -c "} on one line, the SQL, {@code "} on another).
     */
    public static List<String> of(String block) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String heredocEnd = null;
        for (String line : block.split("\n")) {
            if (heredocEnd != null) {
                current.append(line);
                if (line.strip().equals(heredocEnd)) {
                    out.add(current.toString().strip());
                    current.setLength(0);
                    heredocEnd = null;
                } else {
                    current.append('\n');
                }
                continue;
            }
            if (current.isEmpty() && (line.isBlank() || line.strip().startsWith("#"))) {
                continue;
            }
            current.append(line);
            Matcher heredoc = HEREDOC.matcher(line);
            if (line.endsWith("\\") || openQuote(current)) {
                current.append('\n');
                continue;
            }
            if (heredoc.find()) {
                heredocEnd = heredoc.group(1);
                current.append('\n');
                continue;
            }
            out.add(current.toString().strip());
            current.setLength(0);
        }
        if (!current.isEmpty()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    /** Whether bash would still be inside a quoted string at the end of {@code text}. */
    static boolean openQuote(CharSequence text) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && !single) {
                i++;
            } else if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            }
        }
        return single || dbl;
    }
}
