package io.github.pgreplication.harness.guide;

/**
 * A SQL text the guide runs with {@code psql}, exactly as printed: {@code psql -c "<sql>"} or a heredoc.
 *
 * @param step   the guide step, e.g. {@code 3.3} or {@code 4.2} (Phase 4's Test 2)
 * @param index  1-based position among the step's psql commands
 * @param target the pod variable the guide execs into: {@code MASTER_POD}, {@code SLAVE_POD} or {@code POD_NAME}
 * @param line   the line of the guide where the command starts
 */
public record GuideQuery(String step, int index, String target, String sql, int line) {

    /** A stable item id for errata: {@code guide-text#3.3/1}. */
    public String item() {
        return "guide-text#" + step + "/" + index;
    }

    public boolean onReplica() {
        return "SLAVE_POD".equals(target);
    }
}
