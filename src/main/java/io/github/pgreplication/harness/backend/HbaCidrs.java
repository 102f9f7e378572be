package io.github.pgreplication.harness.backend;

import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pg_hba.conf's pod-network CIDR (the guide's 10.128.0.0/14, "à ajuster selon votre cluster") replaced by the
 * network the backend's clients really come from. Loopback lines stay as written.
 */
public final class HbaCidrs {

    private static final Pattern IPV4_CIDR = Pattern.compile("\\b(\\d{1,3}(?:\\.\\d{1,3}){3})/(\\d{1,2})\\b");

    private HbaCidrs() {
    }

    /** Whether a ConfigMap's key is a pg_hba.conf, whose CIDRs a backend adapts (the guide's {@code pg_hba.conf}). */
    public static boolean isHbaFile(String key) {
        return key.contains("hba");
    }

    /** The text with every non-loopback IPv4 CIDR of its {@code host} lines replaced; {@code changed(from, to)} per change. */
    public static String replace(String text, String cidr, BiConsumer<String, String> changed) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.trim().startsWith("host")) {
                Matcher m = IPV4_CIDR.matcher(line);
                StringBuilder l = new StringBuilder();
                while (m.find()) {
                    String replacement = m.group(1).startsWith("127.") ? m.group() : cidr;
                    if (!replacement.equals(m.group())) {
                        changed.accept(m.group(), replacement);
                    }
                    m.appendReplacement(l, Matcher.quoteReplacement(replacement));
                }
                m.appendTail(l);
                line = l.toString();
            }
            out.append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }
}
