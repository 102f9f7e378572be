package io.github.pgreplication.harness.errata;

import io.github.pgreplication.harness.run.Secrets;
import java.sql.SQLException;

/**
 * What the harness saw where the guide's item did not do what the guide says: a SQLSTATE, a script's exit
 * status with its output, or a result other than the guide's "Résultat attendu".
 */
public record Deviation(String item, Kind kind, String sqlstate, Integer exitCode, String result, String detail) {

    public enum Kind { SQLSTATE, EXIT, RESULT }

    /** The same deviation with its texts translated (a team's names spelled as the guide's, say). */
    public Deviation translated(java.util.function.UnaryOperator<String> translation) {
        return new Deviation(item, kind, sqlstate, exitCode, result == null ? null : translation.apply(result),
                translation.apply(detail));
    }

    public static Deviation sql(String item, SQLException e) {
        return new Deviation(item, Kind.SQLSTATE, e.getSQLState(), null, null,
                "SQLSTATE " + e.getSQLState() + ": " + Secrets.redact(firstLine(e.getMessage())));
    }

    public static Deviation exit(String item, int exitCode, String output) {
        return new Deviation(item, Kind.EXIT, null, exitCode, null,
                "exit status " + exitCode + "; output: " + Secrets.redact(output));
    }

    public static Deviation result(String item, String expected, String actual) {
        return new Deviation(item, Kind.RESULT, null, null, actual,
                "expected " + expected + ", got " + Secrets.redact(actual));
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** Thrown by an item run verbatim; caught by {@link ErrataLedger}. */
    public static final class Exception extends RuntimeException {
        private final Deviation deviation;

        public Exception(Deviation deviation) {
            super(deviation.item() + ": " + deviation.detail());
            this.deviation = deviation;
        }

        public Deviation deviation() {
            return deviation;
        }
    }

    public Exception raise() {
        return new Exception(this);
    }
}
