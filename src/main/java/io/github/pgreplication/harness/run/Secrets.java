package io.github.pgreplication.harness.run;

import java.security.SecureRandom;
import java.util.List;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Per-run passwords: strong, random, and known to {@link #redact(String)} so that no log line, report or
 * exception message carries one.
 */
public final class Secrets {

    // Letters and digits only: the guide's init script pastes the password into SQL between quotes.
    private static final char[] ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> KNOWN = new LinkedHashSet<>();
    private static volatile Index index;

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
        synchronized (KNOWN) {
            boolean added = KNOWN.add(secret);
            added |= KNOWN.add(java.util.Base64.getEncoder().encodeToString(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            if (added) {
                index = Index.of(KNOWN);
            }
        }
    }

    /**
     * The known secrets by their first two characters, longest first, and a filter on those two characters: a text
     * is read once whatever the number of secrets (a run knows hundreds; the outputs redacted include pg_dumpall's).
     */
    private record Index(boolean[] filter, Map<Integer, List<String>> byFirstTwo) {

        static Index of(Collection<String> secrets) {
            boolean[] filter = new boolean[1 << 16];
            Map<Integer, List<String>> by = new HashMap<>();
            for (String s : secrets) {
                int key = key(s, 0);
                filter[key & 0xFFFF] = true;
                by.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            }
            by.values().forEach(l -> l.sort(Comparator.comparingInt(String::length).reversed()));
            return new Index(filter, by);
        }

        static int key(CharSequence text, int i) {
            return text.charAt(i) << 16 | text.charAt(i + 1);
        }

        /** The longest secret that starts at {@code i}, or null. */
        String at(String text, int i) {
            int key = key(text, i);
            if (!filter[key & 0xFFFF]) {
                return null;
            }
            List<String> candidates = byFirstTwo.get(key);
            if (candidates != null) {
                for (String s : candidates) {
                    if (text.startsWith(s, i)) {
                        return s;
                    }
                }
            }
            return null;
        }
    }

    /** The text with every known secret replaced by {@code ****}. */
    public static String redact(String text) {
        Index ix = index;
        if (text == null || ix == null) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i + 1 < text.length(); ) {
            String secret = ix.at(text, i);
            if (secret == null) {
                i++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, i).append("****");
            i += secret.length();
            copied = i;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** True when the text holds a known secret: the report writer refuses to write such text. */
    public static boolean leaks(String text) {
        Index ix = index;
        if (text == null || ix == null) {
            return false;
        }
        for (int i = 0; i + 1 < text.length(); i++) {
            if (ix.at(text, i) != null) {
                return true;
            }
        }
        return false;
    }
}
