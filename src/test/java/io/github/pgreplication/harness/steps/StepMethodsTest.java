package io.github.pgreplication.harness.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Step methods are a call and an assertion over the domain API (issue 21): no method annotated {@code @Given},
 * {@code @When}, {@code @Then}, {@code @And} or {@code @But} in the step classes has more than {@link #MAX_STATEMENTS}
 * statements; what a step would do beyond that belongs to the procedure, the monitoring classes, the nodes or
 * {@link PairWorld}. A simple scan of the sources: comments and literals blanked, each statement counted (a
 * {@code ;} outside parentheses, in a lambda's block too, and each {@code if}, {@code for}, {@code while},
 * {@code switch}, {@code try} or {@code do}). Nor does a step class word the report: a note, figure or adaptation is
 * written by the class that measured it, or returned in its outcome for the step to hand on as it is.
 */
class StepMethodsTest {

    static final int MAX_STATEMENTS = 5;

    /**
     * Not checked yet: another change makes these two thin (with procedure/GuideDefects.java and
     * procedure/Troubleshooting.java); the exclusion goes once it is merged.
     */
    static final Set<String> NOT_YET = Set.of();

    private static final Path STEPS = Path.of("src/test/java/io/github/pgreplication/harness/steps");
    private static final Pattern STEP = Pattern.compile("@(?:io\\.cucumber\\.java\\.en\\.)?(?:Given|When|Then|And|But)\\s*\\(");
    private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+\\s*(\\(\\s*\\))?");
    private static final Pattern NAME = Pattern.compile("(\\w+)\\s*\\(");
    private static final Pattern CONTROL = Pattern.compile("\\b(if|for|while|switch|try|do)\\b");
    private static final Pattern REPORT = Pattern.compile("\\.(note|figure|scenarioFigure|adaptation)\\s*\\(");

    @Test
    void everyStepMethodIsACallAndAnAssertion() throws IOException {
        Map<String, Integer> all = new LinkedHashMap<>();
        stepClasses().forEach((cls, source) -> statementsOfStepMethods(source).forEach((m, n) -> all.put(cls + "." + m, n)));
        List<String> fat = all.entrySet().stream().filter(e -> e.getValue() > MAX_STATEMENTS)
                .map(e -> e.getKey() + ": " + e.getValue() + " statements").toList();

        assertThat(all).as("step methods found in " + STEPS).hasSizeGreaterThan(100);
        assertThat(fat).as("step methods over " + MAX_STATEMENTS + " statements (move the logic to the domain API)").isEmpty();
    }

    @Test
    void noStepClassWordsTheReport() throws IOException {
        List<String> writes = new ArrayList<>();
        stepClasses().forEach((cls, source) -> reportWrites(source).forEach(w -> writes.add(cls + ": " + w)));

        assertThat(writes).as("report notes, figures and adaptations worded by a step class (word them in the domain class)")
                .isEmpty();
    }

    @Test
    void theScanCountsEachStatementOfAStepMethodAndNothingOutsideIt() {
        String source = """
                class FixtureSteps {
                    @Given("a step {word} with \\"quotes\\" and a brace { in its text")
                    public void thin(String w) {
                        // a comment; with semicolons; and { braces
                        world.call("a string; with { a brace");
                    }

                    private void helper() { a(); b(); c(); d(); e(); f(); g(); }

                    @Then("a fat step")
                    @io.cucumber.java.en.And("also this")
                    public void fat() throws Exception {
                        int a = 1;
                        for (int i = 0; i < 3; i++) {
                            a += i;
                        }
                        list.forEach(x -> {
                            check(x);
                        });
                        if (a > 1) throw new AssertionError(\"""
                                a text block; with { braces
                                \""");
                        char c = ';';
                    }
                }
                """;

        Map<String, Integer> counts = statementsOfStepMethods(source);

        // fat: int a; for; a += i; forEach(...); check(x); if; throw; char c
        assertThat(counts).containsExactly(Map.entry("thin", 1), Map.entry("fat", 8));
        assertThat(reportWrites(source + "class More { void m() { world.context().evidence().note(\"x\", \"y.figure(\"); "
                + "evidence.note(outcome.step(), outcome.text()); pair.figure(\"4.1\", n, ms, u); } }"))
                .containsExactly(".note(\" \", \" \")", ".figure(\" \", n, ms, u)");
    }

    /** The step classes checked here, by name, with their source. */
    private static Map<String, String> stepClasses() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(STEPS)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("Steps.java")).sorted().toList()) {
                if (!NOT_YET.contains(f.getFileName().toString())) {
                    out.put(f.getFileName().toString().replace(".java", ""), Files.readString(f));
                }
            }
        }
        return out;
    }

    /**
     * The calls in a source that write a note, figure or adaptation of the report with a text of their own (a literal
     * among their arguments, shown blanked); handing on an outcome's note ({@code note(n.step(), n.text())}) is not one.
     */
    static List<String> reportWrites(String source) {
        String code = blanked(source);
        Matcher m = REPORT.matcher(code);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            String call = code.substring(m.start(), closing(code, m.end() - 1) + 1);
            if (call.contains("\"")) {
                out.add(call.replaceAll("\\s+", " "));
            }
        }
        return out;
    }

    /** Each step method of a class's source, by name, with the statements of its body. */
    static Map<String, Integer> statementsOfStepMethods(String source) {
        String code = blanked(source);
        Map<String, Integer> out = new LinkedHashMap<>();
        Matcher step = STEP.matcher(code);
        int from = 0;
        while (step.find(from)) {
            int open = code.indexOf('{', closing(code, step.end() - 1));
            String signature = ANNOTATION.matcher(code.substring(step.end(), open)).replaceAll(" ");
            Matcher name = NAME.matcher(signature.substring(signature.indexOf(')') + 1));
            if (!name.find()) {
                throw new IllegalStateException("no method after the step annotation at " + step.start() + ": " + signature);
            }
            int close = closing(code, open);
            out.put(name.group(1), statements(code.substring(open + 1, close)));
            from = close;
        }
        return out;
    }

    /** The statements of a body: {@code ;} outside parentheses (each brace resets the depth), and control keywords. */
    private static int statements(String body) {
        int count = 0;
        List<Integer> parens = new ArrayList<>(List.of(0));
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            int depth = parens.get(parens.size() - 1);
            switch (ch) {
                case '(' -> parens.set(parens.size() - 1, depth + 1);
                case ')' -> parens.set(parens.size() - 1, depth - 1);
                case '{' -> parens.add(0);
                case '}' -> parens.remove(parens.size() - 1);
                case ';' -> count += depth == 0 ? 1 : 0;
                default -> { }
            }
        }
        Matcher control = CONTROL.matcher(body);
        while (control.find()) {
            count++;
        }
        return count;
    }

    /** The index of the bracket that closes the one at {@code open} ({@code (} or {@code {}). */
    private static int closing(String code, int open) {
        char o = code.charAt(open);
        char c = o == '(' ? ')' : '}';
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            if (code.charAt(i) == o) {
                depth++;
            } else if (code.charAt(i) == c && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced " + o + " at " + open);
    }

    /** The source with comments, strings, text blocks and characters blanked (their delimiters kept), so only code is left. */
    static String blanked(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            int end;
            if (source.startsWith("//", i)) {
                end = source.indexOf('\n', i);
                end = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                end = source.indexOf("*/", i + 2) + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                end = source.indexOf("\"\"\"", i + 3) + 3;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                end = literalEnd(source, i);
            } else {
                out.append(source.charAt(i++));
                continue;
            }
            char quote = source.charAt(i) == '\'' ? '\'' : '"';
            out.append(source.startsWith("/", i) ? " " : quote + " " + quote);
            i = end;
        }
        return out.toString();
    }

    private static int literalEnd(String source, int start) {
        char quote = source.charAt(start);
        for (int i = start + 1; i < source.length(); i++) {
            if (source.charAt(i) == '\\') {
                i++;
            } else if (source.charAt(i) == quote) {
                return i + 1;
            }
        }
        throw new IllegalStateException("unterminated literal at " + start);
    }
}
