package io.github.pgreplication.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

/** The cache answers what the JDK's PBKDF2 answers, for the same inputs only. */
class ScramKeyCacheTest {

    private static byte[] derive(SecretKeyFactory f, String password, byte[] salt) throws Exception {
        return f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, 4096, 256)).getEncoded();
    }

    @Test
    void aRepeatedDerivationIsTheJdksOwn() throws Exception {
        ScramKeyCache.install();
        SecretKeyFactory first = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        SecretKeyFactory jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256", "SunJCE");
        assertThat(first.getProvider().getName()).isEqualTo("PgrhScramKeyCache");
        byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] expected = derive(jdk, "a password", salt);
        assertThat(derive(first, "a password", salt)).isEqualTo(expected);
        assertThat(derive(first, "a password", salt)).isEqualTo(expected); // from memory
        assertThat(derive(first, "a password", new byte[] {8, 7, 6, 5, 4, 3, 2, 1})).isNotEqualTo(expected);
        assertThat(derive(first, "another password", salt)).isNotEqualTo(expected);
    }
}
