package io.github.pgreplication.harness.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pgreplication.harness.run.Waits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A line at a terminal: each turn typed once its prompt shows, a secret never shown, a prompt that never comes named. */
class ShellScriptTerminalTest {

    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");

    @TempDir
    Path dir;

    private final Set<Process> live = ConcurrentHashMap.newKeySet();

    @Test
    void typesEachTurnAfterItsPromptOnATerminal() {
        // what only a terminal answers: `test -t 0`; a prompt read -s does not echo, as psql's password prompt
        ContainerResult r = ShellScript.atTerminal("test -t 0 && echo on-a-terminal; read -r -p 'name? ' n; "
                        + "read -r -s -p 'Password: ' pw; echo; echo \"hello $n, ${#pw} characters\"; exit 3",
                List.of(TerminalTurn.type("the name's prompt", Pattern.compile("name\\? $"), "reader"),
                        TerminalTurn.typeSecret("the password's prompt", Pattern.compile("Password: $"), "s3cret-typed")),
                dir, ENV, new Waits(1), Duration.ofSeconds(20), "a test", live);
        assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
        assertThat(r.output()).contains("on-a-terminal", "name? reader", "hello reader, 12 characters")
                .doesNotContain("s3cret-typed").doesNotContain("\r");
        assertThat(live).isEmpty();
    }

    @Test
    void aPromptNotAskedForIsNotAnswered() {
        // a server that asks no password: psql's prompt comes first, and the password is not typed there
        ContainerResult r = ShellScript.atTerminal("read -r -p 'db=# ' q; echo \"got: $q\"",
                List.of(TerminalTurn.typeSecretIfAsked("the password's prompt", Pattern.compile("Password: $"), "s3cret-typed"),
                        TerminalTurn.type("the query's prompt", Pattern.compile("=# $"), "SELECT 1;")),
                dir, ENV, new Waits(1), Duration.ofSeconds(20), "a test", live);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("got: SELECT 1;").doesNotContain("s3cret-typed");
    }

    @Test
    void aPromptAskedForIsAnsweredBeforeTheNextTurn() {
        ContainerResult r = ShellScript.atTerminal("read -r -s -p 'Password: ' pw; echo; read -r -p 'db=# ' q; "
                        + "echo \"got: $q, ${#pw} characters\"",
                List.of(TerminalTurn.typeSecretIfAsked("the password's prompt", Pattern.compile("Password: $"), "s3cret-typed"),
                        TerminalTurn.type("the query's prompt", Pattern.compile("=# $"), "SELECT 1;")),
                dir, ENV, new Waits(1), Duration.ofSeconds(20), "a test", live);
        assertThat(r.output()).contains("got: SELECT 1;, 12 characters").doesNotContain("s3cret-typed");
    }

    @Test
    void aPromptThatNeverComesFailsWithWhatTheTerminalPrinted() {
        assertThatThrownBy(() -> ShellScript.atTerminal("echo 'something else'",
                List.of(TerminalTurn.type("psql's prompt", Pattern.compile("=# $"), "\\q")),
                dir, ENV, new Waits(1), Duration.ofSeconds(20), "a test", live))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("shows psql's prompt: gave up early")
                .hasMessageContaining("something else")
                .hasMessageContaining("exited 0");
        assertThat(live).isEmpty();
    }

    @Test
    void escapeSequencesAreNotWhatATerminalShows() {
        assertThat(ShellScript.visible("\u001B[?2004hpostgres=# \u001B[?2004l\r\n \u001B]0;title\u0007f | off\r\n"))
                .isEqualTo("postgres=# \n f | off\n");
    }
}
