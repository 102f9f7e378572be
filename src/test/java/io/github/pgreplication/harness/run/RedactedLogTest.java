package io.github.pgreplication.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A library that logs a password (as Testcontainers logs a failed container's env) writes no password to the log. */
class RedactedLogTest {

    @Test
    void theLogConfigurationWritesOnlyRedactedMessagesAndExceptions() throws Exception {
        String config = Files.readString(Path.of("src/test/resources/logback-test.xml"));
        assertThat(config).contains("<pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %redactedMsg%n%redactedEx</pattern>")
                .doesNotContain("%msg").doesNotContain("%m%").doesNotContain("%message");
    }

    @Test
    void aLibrarysMessageAndExceptionAreRedactedByTheLogConfiguration() {
        String password = Secrets.newPassword();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        // the pattern of src/test/resources/logback-test.xml, whose conversion words that file registers
        encoder.setPattern("%-5level %logger{0} - %redactedMsg%n%redactedEx");
        encoder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        Logger library = context.getLogger("tc.some-image");
        library.addAppender(appender);
        try {
            library.setLevel(Level.WARN);
            library.error("Container exited; inspection: Env=[POSTGRES_PASSWORD=" + password + "]",
                    new IllegalStateException("start failed with POSTGRES_PASSWORD=" + password));
        } finally {
            library.detachAppender(appender);
            appender.stop();
        }
        String log = out.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("Container exited; inspection: Env=[POSTGRES_PASSWORD=").contains("IllegalStateException")
                .doesNotContain(password);
    }
}
