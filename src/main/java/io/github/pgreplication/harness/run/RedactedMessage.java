package io.github.pgreplication.harness.run;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@code %msg}, with every secret of the run redacted ({@link Secrets#redact}): the harness's own messages
 * are redacted where they are made, but a library's are not (Testcontainers logs a failed container's whole inspection,
 * its env's passwords included). The log configuration uses it for every message, so no log line can carry one.
 */
public final class RedactedMessage extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Secrets.redact(super.convert(event));
    }
}
