package io.github.pgreplication.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void passwordsAreStrongDistinctAndRedacted() {
        String a = Secrets.newPassword();
        String b = Secrets.newPassword();
        assertThat(a).hasSize(32).isNotEqualTo(b);
        assertThat(Secrets.redact("primary_conninfo = 'user=replicator password=" + a + "'"))
                .isEqualTo("primary_conninfo = 'user=replicator password=****'");
        assertThat(Secrets.leaks("x " + b)).isTrue();
        assertThat(Secrets.leaks("nothing here")).isFalse();
    }

    @Test
    void aSecretsBase64AsOcGetSecretPrintsItIsRedactedToo() {
        String p = Secrets.newPassword();
        String yaml = "data:\n  replication-password: "
                + java.util.Base64.getEncoder().encodeToString(p.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\n";
        assertThat(Secrets.leaks(yaml)).isTrue();
        assertThat(Secrets.redact(yaml)).isEqualTo("data:\n  replication-password: ****\n");
    }

    @Test
    void everyOccurrenceGoesWhereverItStandsAndTheLongestSecretWins() {
        Secrets.remember("s3cr");
        Secrets.remember("s3cret-and-more");
        String p = Secrets.newPassword();
        for (int i = 0; i < 300; i++) {
            Secrets.newPassword(); // a run knows hundreds of them
        }
        assertThat(Secrets.redact(p + p + " s3cret-and-more, s3cr;" + p)).isEqualTo("******** ****, ****;****");
        assertThat(Secrets.redact("s")).isEqualTo("s");
        assertThat(Secrets.redact("")).isEmpty();
        assertThat(Secrets.leaks("ends with s3cr")).isTrue();
        assertThat(Secrets.leaks("s3c")).isFalse();
    }
}
