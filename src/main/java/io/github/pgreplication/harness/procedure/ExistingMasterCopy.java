package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.ClaimCopy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The existing master as Étape 1.5 finds it, kept once per run: its claims copied at rest (its pod deleted, the new
 * template's pod not yet started), the superuser's Secret its data was made with, and what the harness read from it
 * before the guide (the data's checksum, its settings). Pairs of their own stood up later start from it at Étape 1.5.
 */
record ExistingMasterCopy(List<ClaimCopy> claims, Map<String, String> adminSecret, String checksum,
                          Map<String, String> settingsBeforeGuide, String madeBy) {

    /** The run's one copy: made by the first pair that reaches Étape 1.5 while it is wanted, never twice. */
    static final class Slot {
        private final AtomicBoolean claimed = new AtomicBoolean();
        private volatile ExistingMasterCopy copy;

        /** True for the one pair that is to make the copy (the first to ask). */
        boolean claimMaking() {
            return claimed.compareAndSet(false, true);
        }

        void made(ExistingMasterCopy made) {
            copy = made;
        }

        Optional<ExistingMasterCopy> available() {
            return Optional.ofNullable(copy);
        }
    }
}
