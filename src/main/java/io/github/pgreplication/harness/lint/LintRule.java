package io.github.pgreplication.harness.lint;

import java.util.List;
import java.util.function.Function;

/**
 * A rule: a stable id (never reused), a severity, a one-line title and rationale, and the check.
 *
 * @param check what it finds in a manifests directory; its findings carry this rule's id and severity
 */
public record LintRule(String id, String name, Severity severity, String rationale,
                       Function<LintContext, List<LintContext.At>> check) {

    public List<Finding> run(LintContext ctx) {
        return check.apply(ctx).stream().map(at -> new Finding(id, severity, at.file(), at.line(), at.resource(), at.field(),
                at.message())).toList();
    }
}
