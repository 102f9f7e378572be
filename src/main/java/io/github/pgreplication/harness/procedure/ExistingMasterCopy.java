package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.Backend;
import io.github.pgreplication.harness.backend.ClaimCopy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The existing master as Étape 1.5 finds it, kept once per run: its claims copied at rest (its pod deleted, the new
 * template's pod not yet started), the superuser's Secret its data was made with, and what the harness read from it
 * before the guide (the data's checksum, its settings). Pairs of their own stood up later start from it at Étape 1.5.
 */
record ExistingMasterCopy(List<ClaimCopy> claims, Map<String, String> adminSecret, String checksum,
                          Map<String, String> settingsBeforeGuide, String madeBy) {

    /**
     * Makes this pair's claims from the copy, on {@code backend}, and returns the settings read before the guide with
     * the copied claims' directories replaced by the new ones: they name a claim's directory where it is the host's
     * ({@code data_directory}, say).
     */
    Map<String, String> restoreClaims(Backend backend) {
        Map<String, String> settings = new LinkedHashMap<>(settingsBeforeGuide);
        for (ClaimCopy c : claims) {
            String was = c.origin().toString();
            String now = backend.claimFrom(c.claimName(), c).toString();
            settings.replaceAll((name, value) -> value == null ? null : value.replace(was, now));
        }
        return settings;
    }

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

        /**
         * Copies the existing master's claims while its pod is gone, once per run, where the backend copies claims:
         * {@code described} gives what the copy keeps beside the claims. Returns the nanoseconds it took (0 when this
         * pair is not the one to make it).
         */
        long makeOnce(Backend backend, List<String> claimNames, Supplier<ExistingMasterCopy> described) {
            if (!claimMaking()) {
                return 0;
            }
            long start = System.nanoTime();
            List<ClaimCopy> copies = new ArrayList<>();
            for (String claim : claimNames) {
                Optional<ClaimCopy> c = backend.copyClaim(claim);
                if (c.isEmpty()) {
                    return System.nanoTime() - start; // this backend copies no claim: every pair walks the whole procedure
                }
                copies.add(c.get());
            }
            ExistingMasterCopy d = described.get();
            made(new ExistingMasterCopy(copies, d.adminSecret(), d.checksum(), d.settingsBeforeGuide(), d.madeBy()));
            return System.nanoTime() - start;
        }

        Optional<ExistingMasterCopy> available() {
            return Optional.ofNullable(copy);
        }
    }
}
