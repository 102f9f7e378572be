package io.github.pgreplication.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every wait is named, scaled once, polls a condition, and on timeout or fail-fast says what it last saw. */
class WaitsTest {

    @Test
    void aTimeoutIsScaledOnceAndTheErrorNamesTheWaitTheScaleAndWhatWasLastSeen() {
        Waits waits = new Waits(0.5);
        assertThat(waits.scaled(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> waits.until("the answer is 42", Duration.ofMillis(200), Duration.ofMillis(10),
                () -> false, () -> "the answer was 41"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the answer is 42: not reached within 100 ms (timeout 200 ms x harness.timeout.scale 0.5)")
                .hasMessageContaining("Last seen:\nthe answer was 41");
    }

    @Test
    void aWaitThatTookMoreThanHalfItsLimitIsKeptAsACloseCallAndAQuickOneIsNot() {
        Waits waits = new Waits(1);
        waits.until("at once", Duration.ofSeconds(10), Duration.ofMillis(10), () -> true, () -> "");
        long start = System.nanoTime();
        waits.until("after 1.2 s of 2", Duration.ofSeconds(2), Duration.ofMillis(10),
                () -> System.nanoTime() - start > Duration.ofMillis(1200).toNanos(), () -> "");
        assertThat(waits.closeCalls()).singleElement().satisfies(c -> {
            assertThat(c.what()).isEqualTo("after 1.2 s of 2");
            assertThat(c.limit()).isEqualTo(Duration.ofSeconds(2));
            // Waits' clock starts after this test's, so the share can fall a little short of 0.6; above half, it is kept
            assertThat(c.share()).isBetween(0.5, 1.0);
        });
    }

    @Test
    void anExceptionInTheConditionIsNotYetAndTheConditionIsPolledUntilItHolds() {
        AtomicInteger polls = new AtomicInteger();
        new Waits(1).until("the third poll", Duration.ofSeconds(5), Duration.ofMillis(1), () -> {
            if (polls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            return true;
        }, () -> "polled " + polls.get() + " times");
        assertThat(polls.get()).isEqualTo(3);
    }

    @Test
    void failFastGivesUpAtOnceWithWhatWasLastSeen() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> new Waits(1).until("a server that died", Duration.ofSeconds(30), Duration.ofMillis(5),
                () -> false, () -> true, () -> "the process exited 1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("a server that died: gave up early, waiting could not succeed.")
                .hasMessageContaining("the process exited 1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void whatWasLastSeenIsRedactedAndAFailureToCollectItIsSaid() {
        String password = Secrets.newPassword();
        assertThatThrownBy(() -> new Waits(1).until("a login", Duration.ofMillis(50), Duration.ofMillis(5), () -> false,
                () -> "tried " + password))
                .hasMessageNotContaining(password);
        assertThatThrownBy(() -> new Waits(1).until("a login", Duration.ofMillis(50), Duration.ofMillis(5), () -> false,
                () -> {
                    throw new IllegalStateException("the log is gone");
                }))
                .hasMessageContaining("(could not collect: the log is gone)");
    }

    @Test
    void aConditionThatHoldsForThePeriodPassesAndOneThatStopsHoldingFailsWithWhatWasLastSeen() {
        AtomicInteger polls = new AtomicInteger();
        new Waits(1).holds("stays ready", Duration.ofMillis(100), Duration.ofMillis(10), () -> polls.incrementAndGet() > 0,
                () -> "polled " + polls.get());
        assertThat(polls.get()).as("polled through the period").isGreaterThan(2);
        AtomicInteger looks = new AtomicInteger();
        assertThatThrownBy(() -> new Waits(1).holds("stays ready", Duration.ofMillis(100), Duration.ofMillis(10),
                () -> looks.incrementAndGet() < 3, () -> "look " + looks.get()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("stays ready: did not hold for 100 ms on end within 200 ms")
                .hasMessageContaining("Last seen:\nlook ");
    }
}
