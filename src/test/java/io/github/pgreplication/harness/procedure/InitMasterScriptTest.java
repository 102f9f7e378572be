package io.github.pgreplication.harness.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.harness.backend.ContainerResult;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.procedure.InitMasterScript.InitRun;
import io.github.pgreplication.harness.procedure.InitMasterScript.SecretValue;
import io.github.pgreplication.harness.procedure.InitMasterScript.ValueRun;
import io.github.pgreplication.harness.run.Evidence;
import io.github.pgreplication.harness.run.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * init-master.sh's inputs and what the report says of a run, without a server: the Secret values the scenarios of
 * E12 to E14 give the script, E02's correction that lets the defects behind it be seen, and the note.
 */
class InitMasterScriptTest {

    /** The characters of {@link Secrets#newPassword()}: letters and digits, none that SQL or a shell treats apart. */
    private static final String ALPHABET = "[A-Za-z0-9]";

    @Test
    void aValueWithAQuoteIsTwoRandomHalvesAroundOneQuoteEachRedacted() {
        String value = SecretValue.QUOTE.fresh();
        assertThat(value).matches(ALPHABET + "{12}'" + ALPHABET + "{12}");
        assertThat(Secrets.redact("password '" + value + "'")).doesNotContain(value).isEqualTo("password '****'");
        // psql quotes the text after the quote in its error: that half alone is redacted too.
        String after = value.substring(13);
        assertThat(Secrets.redact("ERROR:  syntax error at or near \"" + after + "\"")).doesNotContain(after);
    }

    @Test
    void anInjectionClosesTheQuoteAndAddsSuperuserAfterARandomPrefix() {
        String value = SecretValue.INJECTION.fresh();
        assertThat(value).matches(ALPHABET + "{12}' SUPERUSER; --");
        assertThat(Secrets.leaks("CREATE USER replicator PASSWORD '" + value.substring(0, 12) + "'")).isTrue();
    }

    @Test
    void anEmptyValueIsEmpty() {
        assertThat(SecretValue.EMPTY.fresh()).isEmpty();
    }

    @Test
    void everyFreshValueIsNew() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            assertThat(seen.add(SecretValue.QUOTE.fresh())).isTrue();
            assertThat(seen.add(SecretValue.INJECTION.fresh())).isTrue();
        }
    }

    @Test
    void eachKindNamesItsErrataItem() {
        assertThat(SecretValue.QUOTE.item).isEqualTo("configmap/postgresql-master-init#password-with-quote");
        assertThat(SecretValue.INJECTION.item).isEqualTo("configmap/postgresql-master-init#password-injection");
        assertThat(SecretValue.EMPTY.item).isEqualTo("configmap/postgresql-master-init#password-empty");
    }

    @Test
    void e02sCorrectionEndsTheHeredocAtColumnZeroAndLeavesAScriptWithoutItAsItIs() {
        String script = "if true; then\n    psql <<-EOSQL\n        SELECT 1;\n    EOSQL\nfi\n";
        assertThat(InitMasterScript.withoutHeredocErratum(script))
                .isEqualTo("if true; then\n    psql <<EOSQL\n        SELECT 1;\nEOSQL\nfi\n");
        String plain = "psql <<EOSQL\nSELECT 1;\nEOSQL\n";
        assertThat(InitMasterScript.withoutHeredocErratum(plain)).isSameAs(plain);
    }

    @Test
    void thePublishedScriptIsABashSyntaxErrorUntilE02sCorrectionAndTheCorrectedOneNeedsNone() throws Exception {
        String published = GuideModel.load(Path.of("manifests/published")).masterInitScript();
        String corrected = GuideModel.load(Path.of("manifests/corrected")).masterInitScript();
        assertThat(bashSyntaxCheck(published)).as("bash -n on the published init-master.sh (E02)").isNotZero();
        assertThat(bashSyntaxCheck(InitMasterScript.withoutHeredocErratum(published))).isZero();
        assertThat(InitMasterScript.withoutHeredocErratum(corrected)).isEqualTo(corrected);
        assertThat(bashSyntaxCheck(corrected)).isZero();
    }

    private static int bashSyntaxCheck(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("bash -n returns").isTrue();
        return p.exitValue();
    }

    private static InitRun run(String value, int exit, String output, boolean role, boolean superuser, boolean noPassword) {
        return new InitRun(value, "replicator", new ContainerResult("init-master.sh", exit, output, Duration.ofMillis(40), false),
                role, superuser, noPassword, role);
    }

    @Test
    void theOutcomeSaysWhatTheScriptLeftInTheErrataFilesWords() {
        assertThat(run("v", 0, "", false, false, false).outcome()).isEqualTo("exit 0, no role replicator");
        assertThat(run("v", 0, "", true, true, false).outcome()).isEqualTo("replicator is a superuser");
        assertThat(run("", 0, "", true, false, true).outcome()).isEqualTo("exit 0, role replicator without a password");
        assertThat(run("v", 0, "", true, false, false).outcome()).isEqualTo("exit 0, role replicator with the Secret's password");
        assertThat(run("v", 3, "", false, false, false).outcome()).isEqualTo("exit 3, no role replicator");
    }

    @Test
    void theNoteSaysWhatTheScriptAsTestedDidAndSaidAndWhatTheCorrectedOneDidWithoutTheValue() {
        String value = SecretValue.QUOTE.fresh();
        String after = value.substring(13);
        InitRun asTested = run(value, 0, "Initialisation du master pour la réplication...\n"
                + "ERROR:  syntax error at or near \"" + after + "\"\nLINE 1: CREATE USER ...\n"
                + "Utilisateur de réplication créé avec succès\n\n", false, false, false);
        InitRun corrected = run(value, 3, "REPLICATION_PASSWORD holds a quote\n", false, false, false);
        Evidence.Note note = new ValueRun(SecretValue.QUOTE, "published", asTested, corrected, true).note();
        assertThat(note.step()).isEqualTo("1.4");
        assertThat(note.text()).isEqualTo("init-master.sh of published (E02's correction applied where it reproduces) with "
                + "a REPLICATION_PASSWORD holding a single quote: exit 0, no role replicator; psql said « ERROR:  syntax "
                + "error at or near \"…\" », the script's last line « Utilisateur de réplication créé avec succès »; the "
                + "corrected script: exit 3, no role replicator.");
        assertThat(note.text()).doesNotContain(after);
    }

    @Test
    void withoutACorrectionTheNoteEndsOnTheRunAsTested() {
        InitRun ok = run(SecretValue.EMPTY.fresh(), 1, "REPLICATION_PASSWORD is empty\n", false, false, false);
        assertThat(new ValueRun(SecretValue.EMPTY, "corrected", ok, ok, false).note().text())
                .endsWith("with a REPLICATION_PASSWORD empty: exit 1, no role replicator; psql said « REPLICATION_PASSWORD "
                        + "is empty », the script's last line « REPLICATION_PASSWORD is empty ».");
    }
}
