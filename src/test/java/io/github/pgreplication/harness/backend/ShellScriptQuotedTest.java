package io.github.pgreplication.harness.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A word quoted for bash comes back from bash as it was, quotes, spaces and dollars included. */
class ShellScriptQuotedTest {

    @Test
    void bashReadsAQuotedWordBackWhole() throws Exception {
        String word = "it's $HOME and `id` \"here\"; a b";
        Process p = new ProcessBuilder("bash", "-c", "printf %s " + ShellScript.quoted(word)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo(word);
    }
}
