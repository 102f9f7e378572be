package io.github.pgreplication.harness.lint;

import io.github.pgreplication.harness.lint.LintContext.At;
import java.util.List;

/**
 * A rule: a stable id (never reused), a severity, a one-line name and a rationale, and its check. Each rule is one
 * class; {@link Rules} says where they live and how to add one.
 */
public abstract class LintRule {

    private final String id;
    private final String name;
    private final Severity severity;
    private final String rationale;

    protected LintRule(String id, String name, Severity severity, String rationale) {
        this.id = id;
        this.name = name;
        this.severity = severity;
        this.rationale = rationale;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Severity severity() {
        return severity;
    }

    public String rationale() {
        return rationale;
    }

    /** Where the defect this rule is about shows in the context, in the order the report lists them; empty if nowhere. */
    protected abstract List<At> check(LintContext ctx);

    /** The check's places as findings, with this rule's id and severity. */
    public final List<Finding> run(LintContext ctx) {
        return check(ctx).stream().map(at -> new Finding(id, severity, at.file(), at.line(), at.resource(), at.field(),
                at.message())).toList();
    }

    @Override
    public String toString() {
        return id + " " + name;
    }
}
