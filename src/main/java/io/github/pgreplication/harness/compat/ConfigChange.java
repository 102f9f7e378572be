package io.github.pgreplication.harness.compat;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A change to the guide's configuration files before they boot: a parameter's line replaced by another, or removed
 * (an erratum's correction for one major, such as E11's for 12).
 *
 * @param parameter the parameter whose line changes
 * @param line      the line that takes its place; empty to remove it
 */
public record ConfigChange(String parameter, Optional<String> line) {

    public static ConfigChange replaced(String parameter, String line) {
        return new ConfigChange(parameter, Optional.of(line));
    }

    public static ConfigChange removed(String parameter) {
        return new ConfigChange(parameter, Optional.empty());
    }

    private Pattern lines() {
        return Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(parameter) + "[ \\t]*=.*$");
    }

    /** The parameter the line put in its place sets; empty for a removal. */
    public Optional<String> parameterPutIn() {
        return line.filter(l -> l.contains("=")).map(l -> l.substring(0, l.indexOf('=')).strip());
    }

    /** Whether {@code conf} sets the parameter. */
    public boolean setIn(String conf) {
        return lines().matcher(conf).find();
    }

    /** {@code conf} with each line setting the parameter replaced or removed. */
    public String applyTo(String conf) {
        return lines().matcher(conf).replaceAll(Matcher.quoteReplacement(line.orElse("")));
    }

    /** {@code conf} with each of {@code changes} made, in order. */
    public static String applyAll(List<ConfigChange> changes, String conf) {
        String out = conf;
        for (ConfigChange c : changes) {
            out = c.applyTo(out);
        }
        return out;
    }

    /** The change in the words an erratum's correction says it: « line instead of parameter », « no parameter ». */
    public String asACorrectionSaysIt() {
        return line.map(l -> l + " instead of " + parameter).orElse("no " + parameter);
    }

    /** The changes as the report names them; empty for none. */
    public static String describe(List<ConfigChange> changes) {
        return String.join(", ", changes.stream().map(ConfigChange::toString).toList());
    }

    @Override
    public String toString() {
        return line.map(l -> "`" + l + "` for " + parameter).orElse("no " + parameter);
    }
}
