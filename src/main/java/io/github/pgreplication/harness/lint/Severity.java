package io.github.pgreplication.harness.lint;

import java.util.Locale;

/** How bad a finding is; {@code harness.lint.fail-on} names the lowest one that fails the run. */
public enum Severity {
    INFO, WARNING, ERROR;

    public boolean atLeast(Severity threshold) {
        return compareTo(threshold) >= 0;
    }

    /** SARIF's level. */
    public String sarifLevel() {
        return switch (this) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    public static Severity parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
