package io.github.pgreplication.harness.backend;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The id of one backend instance (one pair): {@code pgrh-<time>-<pid>-<n>}, unique on the host, a valid DNS-1123
 * label. It names what the backend creates (a Docker network and its volumes, a namespace); the labels that
 * let a later run sweep what a killed JVM left carry it too.
 */
public final class RunIds {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private RunIds() {
    }

    public static String next() {
        return "pgrh-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "-"
                + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    }
}
