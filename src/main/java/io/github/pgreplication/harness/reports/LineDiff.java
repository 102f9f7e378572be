package io.github.pgreplication.harness.reports;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two texts (the guide's and its correction, a published manifest and the corrected one), as the
 * hunks of a unified diff: the changed lines with {@code context} lines around them. Longest common subsequence on
 * lines; the texts are a manifest at most (a few hundred lines).
 */
final class LineDiff {

    /** One line of the diff: {@code ' '} kept, {@code '-'} removed, {@code '+'} added; {@code '@'} a hunk's header. */
    record Line(char kind, String text) {
    }

    private LineDiff() {
    }

    static List<Line> of(String before, String after, int context) {
        String[] a = before.strip().split("\n", -1);
        String[] b = after.strip().split("\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Line> all = new ArrayList<>();
        List<int[]> numbers = new ArrayList<>(); // the line numbers (1-based) in before and after of each line
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                all.add(new Line(' ', a[i]));
                numbers.add(new int[] {++i, ++j});
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                all.add(new Line('-', a[i]));
                numbers.add(new int[] {++i, j});
            } else {
                all.add(new Line('+', b[j]));
                numbers.add(new int[] {i, ++j});
            }
        }
        boolean[] keep = new boolean[all.size()];
        for (int k = 0; k < all.size(); k++) {
            if (all.get(k).kind() != ' ') {
                for (int c = Math.max(0, k - context); c <= Math.min(all.size() - 1, k + context); c++) {
                    keep[c] = true;
                }
            }
        }
        List<Line> out = new ArrayList<>();
        for (int k = 0; k < all.size(); k++) {
            if (keep[k] && (k == 0 || !keep[k - 1])) {
                out.add(new Line('@', "@@ line " + Math.max(1, numbers.get(k)[0]) + " → " + Math.max(1, numbers.get(k)[1]) + " @@"));
            }
            if (keep[k]) {
                out.add(all.get(k));
            }
        }
        return out;
    }

    /** The diff as HTML: removed lines red, added green, in a {@code <pre class="diff">}. */
    static String html(List<Line> lines) {
        StringBuilder out = new StringBuilder("<pre class=\"diff\">");
        for (Line l : lines) {
            String css = switch (l.kind()) {
                case '-' -> "del";
                case '+' -> "add";
                default -> "ctx";
            };
            out.append("<span class=\"").append(css).append("\">")
                    .append(l.kind() == '@' ? "" : l.kind() + " ").append(Html.esc(l.text())).append("</span>");
        }
        return out.append("</pre>").toString();
    }
}
