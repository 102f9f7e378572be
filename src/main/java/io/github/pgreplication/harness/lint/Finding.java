package io.github.pgreplication.harness.lint;

/**
 * One finding: the rule, its severity, and where: the file, its line, the resource ({@code Kind/name}) and
 * the field (a path such as {@code spec.template.spec.containers[postgresql].image}).
 */
public record Finding(String ruleId, Severity severity, String file, int line, String resource, String field,
                      String message) {

    @Override
    public String toString() {
        return severity + " " + ruleId + " " + file + ":" + line + " " + resource + " " + field + ": " + message;
    }
}
