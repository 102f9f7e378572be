package io.github.pgreplication.harness.run;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Per-run passwords: strong, random, and known to {@link #redact(String)} so that no log line, report or
 * exception message carries one.
 */
public final class Secrets {

    // Letters and digits only: the guide's init script pastes the password into SQL between quotes.
    private static final char[] ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> KNOWN = new CopyOnWriteArrayList<>();

    private Secrets() {
    }

    /** A new 32-character password (about 186 bits), remembered for redaction. */
    public static String newPassword() {
        char[] out = new char[32];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        String password = new String(out);
        know(password);
        return password;
    }

    /** Registers a secret that did not come from {@link #newPassword()} (a team's own Secret value). */
    public static void remember(String secret) {
        if (secret != null && secret.length() >= 4) {
            know(secret);
        }
    }

    /**
     * A secret, and its base64 as a Secret's {@code data} holds it: {@code oc get secret -o yaml}, which the guide's
     * troubleshooting runs, prints that form.
     */
    private static void know(String secret) {
        KNOWN.add(secret);
        KNOWN.add(java.util.Base64.getEncoder().encodeToString(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The text with every known secret replaced by {@code ****}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : KNOWN) {
            out = out.replace(secret, "****");
        }
        return out;
    }

    /** True when the text holds a known secret: the report writer refuses to write such text. */
    public static boolean leaks(String text) {
        return text != null && KNOWN.stream().anyMatch(text::contains);
    }
}
