package io.github.pgreplication.harness.run;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Every wait of the harness: named (as Strimzi's {@code TestUtils.waitFor}), on a condition (Awaitility, never
 * a sleep), with a timeout multiplied by {@code harness.timeout.scale}, and on timeout an error that shows what
 * was last seen (as PostgreSQL's {@code wait_for_catchup} prints pg_stat_replication). A wait that succeeds after more
 * than half its limit is kept as a close call, for the report: where a slower or busier host fails first.
 */
public final class Waits {

    /** A wait that succeeded, but after more than half of its limit (the limit scaled). */
    public record CloseCall(String what, Duration took, Duration limit) {

        /** The part of its limit the wait took, between 0.5 and 1. */
        public double share() {
            return limit.isZero() ? 1 : (double) took.toMillis() / limit.toMillis();
        }
    }

    private final double scale;
    private final Queue<CloseCall> closeCalls = new ConcurrentLinkedQueue<>();

    public Waits(double scale) {
        this.scale = scale;
    }

    /** A timeout multiplied by {@code harness.timeout.scale}, as Debezium's {@code WaitConditions.scaled}: the run's one scale. */
    public Duration scaled(Duration d) {
        return Duration.ofMillis(Math.round(d.toMillis() * scale));
    }

    /**
     * Waits until {@code condition} holds. Exceptions thrown by the condition count as "not yet".
     *
     * @param failFast    when true, waiting is pointless (the process died): fail at once with the diagnostics
     * @param lastSeen    what to show on timeout or fail-fast
     */
    public void until(String description, Duration timeout, Duration poll, Callable<Boolean> condition,
                      Callable<Boolean> failFast, Supplier<String> lastSeen) {
        Duration limit = scaled(timeout);
        try {
            var wait = await(description).atMost(limit).pollDelay(Duration.ZERO).pollInterval(poll)
                    .ignoreExceptions();
            if (failFast != null) {
                wait = wait.failFast(description + ": gave up early", failFast);
            }
            long start = System.nanoTime();
            wait.until(condition);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (took.toMillis() * 2 > limit.toMillis()) {
                closeCalls.add(new CloseCall(Secrets.redact(description), took, limit));
            }
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(description + ": not reached within " + limit.toMillis() + " ms"
                    + " (timeout " + timeout.toMillis() + " ms x harness.timeout.scale " + scale + ").\nLast seen:\n"
                    + Secrets.redact(safe(lastSeen)), e);
        } catch (org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError(description + ": gave up early, waiting could not succeed.\nLast seen:\n"
                    + Secrets.redact(safe(lastSeen)), e);
        }
    }

    public void until(String description, Duration timeout, Duration poll, Callable<Boolean> condition,
                      Supplier<String> lastSeen) {
        until(description, timeout, poll, condition, null, lastSeen);
    }

    /**
     * Checks that {@code condition} holds for the whole of {@code period}, polled every {@code poll}: what a claim such
     * as « stays Ready for three readiness periods » means. The period is the claim's, so it is not scaled; the slack for
     * the condition's own time is. Fails with what was last seen when the condition stopped holding and did not hold
     * for a whole period again before the slack ran out.
     */
    public void holds(String description, Duration period, Duration poll, Callable<Boolean> condition,
                      Supplier<String> lastSeen) {
        Duration limit = period.plus(scaled(period));
        try {
            await(description).during(period).atMost(limit).pollDelay(Duration.ZERO).pollInterval(poll)
                    .ignoreExceptions().until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(description + ": did not hold for " + period.toMillis() + " ms on end within "
                    + limit.toMillis() + " ms (slack scaled by harness.timeout.scale " + scale + ").\nLast seen:\n"
                    + Secrets.redact(safe(lastSeen)), e);
        }
    }

    /** The waits that succeeded after more than half their limit, the closest first. */
    public List<CloseCall> closeCalls() {
        return closeCalls.stream().sorted(Comparator.comparingDouble(CloseCall::share).reversed()).toList();
    }

    private static String safe(Supplier<String> s) {
        try {
            return s == null ? "(nothing recorded)" : s.get();
        } catch (RuntimeException e) {
            return "(could not collect: " + e.getMessage() + ")";
        }
    }
}
