package io.github.pgreplication.harness.lint;

import io.github.pgreplication.harness.lint.LintContext.At;
import io.github.pgreplication.harness.lint.LintContext.ServerFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shell scripts the ConfigMaps hold (their keys ending in {@code .sh}). */
final class ScriptRules {

    static final List<LintRule> RULES = List.of(new ScriptSyntax(), new SecretInSql(), new WaitHidesErrors());

    private ScriptRules() {
    }

    static final class ScriptSyntax extends LintRule {

        ScriptSyntax() {
            super("PGR019", "script-syntax", Severity.ERROR,
                    "A shell script in a ConfigMap is checked with `bash -n`: a syntax error (an unterminated heredoc, "
                            + "say) stops it before its first command.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (ServerFile s : ctx.scripts()) {
                String error = bashSyntaxError(s.text());
                if (error != null) {
                    out.add(s.at(0, "bash -n: " + error));
                }
            }
            return out;
        }

        /** {@code bash -n} of a script: null when it parses, else bash's message. */
        static String bashSyntaxError(String script) {
            Path f = null;
            try {
                f = Files.createTempFile("pgrh-lint-", ".sh");
                Files.writeString(f, script, StandardCharsets.UTF_8);
                Process p = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return "bash -n did not finish";
                }
                return p.exitValue() == 0 ? null : out.replace(f.toString(), "script").strip().replace("\n", " / ");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run bash -n", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            } finally {
                deleteTemporary(f);
            }
        }

        private static void deleteTemporary(Path f) {
            if (f == null) {
                return;
            }
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }

    static final class SecretInSql extends LintRule {

        static final Pattern QUOTED_EXPANSION = Pattern.compile("'\\$\\{?[A-Za-z_][A-Za-z0-9_]*\\}?'");

        SecretInSql() {
            super("PGR020", "secret-in-sql", Severity.ERROR,
                    "A script pastes a variable between single quotes into the SQL psql runs: a quote in the value ends the "
                            + "string (a syntax error, or a rewritten statement), and the statement is logged with it. Pass "
                            + "it as a psql variable (`--set v=\"$V\"`, then `:'v'`).");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (ServerFile s : ctx.scripts()) {
                if (s.text().contains("psql")) {
                    out.addAll(quotedExpansions(s));
                }
            }
            return out;
        }

        /** The lines, not comments, with a {@code '$VAR'} or {@code '${VAR}'}. */
        private static List<At> quotedExpansions(ServerFile s) {
            List<At> out = new ArrayList<>();
            String[] lines = s.text().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = QUOTED_EXPANSION.matcher(lines[i]);
                if (m.find() && !lines[i].trim().startsWith("#")) {
                    out.add(s.at(i + 1, m.group() + " pasted into SQL"));
                }
            }
            return out;
        }
    }

    static final class WaitHidesErrors extends LintRule {

        private static final Pattern QUIET_PSQL_LOOP = Pattern.compile("^\\s*(until|while)\\b.*\\bpsql\\b.*2>\\s*/dev/null");

        WaitHidesErrors() {
            super("PGR021", "wait-hides-errors", Severity.ERROR,
                    "A wait loop that logs in with psql and discards its errors (`until psql … 2>/dev/null`) takes a "
                            + "refused password for a server that is down, and waits for ever. "
                            + "`pg_isready` needs no login.");
        }

        @Override
        protected List<At> check(LintContext ctx) {
            List<At> out = new ArrayList<>();
            for (ServerFile s : ctx.scripts()) {
                String[] lines = s.text().split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    if (QUIET_PSQL_LOOP.matcher(lines[i]).find()) {
                        out.add(s.at(i + 1, "a psql login with its errors discarded decides when to stop waiting"));
                    }
                }
            }
            return out;
        }
    }
}
