package io.github.pgreplication.harness.procedure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What psql printed in its aligned format (its default without a terminal, as {@code oc exec $POD -- psql -U postgres
 * -c "…"} runs it), read back as tables: a header of column names, a rule of dashes whose {@code +} mark the columns'
 * borders, the rows, and the footer {@code (N rows)}. Each statement that returns rows prints one table; since
 * PostgreSQL 15, psql prints one for each statement of a {@code -c} string. Lines outside a table (an {@code ERROR:},
 * kubectl's « command terminated with exit code 1 ») are not part of any.
 */
public final class PsqlTables {

    private static final Pattern RULE = Pattern.compile("-+(\\+-+)*");
    private static final Pattern FOOTER = Pattern.compile("\\((\\d+) rows?\\)");

    /** One row, its cells under the table's columns, as psql printed them (trimmed). */
    public record Row(List<String> columns, List<String> cells) {

        /** The cell under {@code column}; an error naming the columns there are when there is no such column. */
        public String get(String column) {
            int i = columns.indexOf(column);
            if (i < 0) {
                throw new IllegalArgumentException("no column " + column + " in " + columns);
            }
            return cells.get(i);
        }

        @Override
        public String toString() {
            return String.join(" | ", cells);
        }
    }

    /** One table psql printed. */
    public record Table(List<String> columns, List<Row> rows) {

        /** Its rows as column → value maps, as the harness's JDBC results are given (values as psql printed them). */
        public List<Map<String, Object>> asResult() {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    m.put(columns.get(i), r.cells().get(i));
                }
                out.add(m);
            }
            return out;
        }

        @Override
        public String toString() {
            return String.join(" | ", columns) + rows.stream().map(r -> "\n" + r).reduce("", String::concat);
        }
    }

    private PsqlTables() {
    }

    /**
     * The tables in {@code output}, in the order psql printed them. A table psql did not finish (no footer), a footer
     * that does not count its rows, or a row that does not fit the rule's columns (a value over several lines, which
     * psql continues with {@code +}) is an error: read as something else, it would be compared wrongly.
     */
    public static List<Table> parse(String output) {
        List<String> lines = output.replace("\r", "").lines().toList();
        List<Table> tables = new ArrayList<>();
        int i = 1;
        while (i < lines.size()) {
            if (!RULE.matcher(lines.get(i)).matches()) {
                i++;
                continue;
            }
            List<int[]> spans = spans(lines.get(i));
            List<String> columns = cells(lines.get(i - 1), spans, lines.get(i - 1));
            List<Row> rows = new ArrayList<>();
            int j = i + 1;
            Matcher footer = null;
            for (; j < lines.size() && !lines.get(j).isEmpty(); j++) { // psql ends a table with its footer, then an empty line
                Matcher m = FOOTER.matcher(lines.get(j));
                if (m.matches()) {
                    footer = m;
                    break;
                }
                rows.add(new Row(columns, cells(lines.get(j), spans, lines.get(j))));
            }
            if (footer == null) {
                throw new IllegalArgumentException("psql's table of " + columns + " has no footer (N rows): not read");
            }
            if (Integer.parseInt(footer.group(1)) != rows.size()) {
                throw new IllegalArgumentException("psql's table of " + columns + " says " + lines.get(j) + " but shows "
                        + rows.size() + ": not read");
            }
            tables.add(new Table(columns, List.copyOf(rows)));
            i = j + 1;
        }
        return List.copyOf(tables);
    }

    /** The columns' spans, {start, end}, between the rule's {@code +}; the last column runs to the line's end. */
    private static List<int[]> spans(String rule) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        for (int p = rule.indexOf('+'); p >= 0; p = rule.indexOf('+', p + 1)) {
            out.add(new int[] {start, p});
            start = p + 1;
        }
        out.add(new int[] {start, Integer.MAX_VALUE});
        return out;
    }

    private static List<String> cells(String line, List<int[]> spans, String whole) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < spans.size(); k++) {
            int[] s = spans.get(k);
            if (k < spans.size() - 1 && (line.length() <= s[1] || line.charAt(s[1]) != '|')) {
                throw new IllegalArgumentException("a line of psql's table does not fit its columns: `" + whole + "`");
            }
            out.add(s[0] >= line.length() ? "" : line.substring(s[0], Math.min(s[1], line.length())).strip());
        }
        if (out.stream().anyMatch(c -> c.endsWith("+"))) {
            throw new IllegalArgumentException("a value over several lines in psql's table: `" + whole + "`");
        }
        return List.copyOf(out);
    }
}
