package io.github.pgreplication.harness.steps;

import io.github.pgreplication.harness.run.RunDirectory;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Manifests a team could really have, certified as a reviewer would expect: harmless differences pass, and
 * changes that break replication quietly (the pods start, nothing crashes) are refused, by the scenario whose
 * check they break. Each variant is the corrected manifests with one change, certified on real servers (local
 * backend) with Phases 3 and 4, as a team's directory is: only unrecorded deviations fail (errata expect any).
 */
class TeamManifestsTest {

    private static final List<String> FEATURES = List.of("features/phase-3-replication.feature",
            "features/phase-4-validation.feature");

    /** One change to one file of the corrected manifests, and what the certification must say of it. */
    enum Variant {
        /** Annotations, a label and resource limits of a team's own: nothing the guide relies on. */
        RESOURCES_AND_LABELS("postgresql-slave-deployment.yaml", "  labels:\n    app: postgresql\n    role: slave\nspec:",
                "  labels:\n    app: postgresql\n    role: slave\n    team: orders\n  annotations:\n    owner: orders-dba\nspec:",
                null, 1.0),
        /** A team's memory tuning on the master: Étape 1.6 checks the values the manifests set, not the guide's. */
        MASTER_TUNING("postgresql-master-config.yaml", "shared_buffers = 256MB", "shared_buffers = 128MB\n    work_mem = 8MB", null, 1.0),
        /**
         * The replica replays ten minutes late: it streams, it answers reads, and Test 1 never sees its rows. What
         * it breaks cannot happen within any budget the run has, so the run waits a fifth of its timeouts for it
         * (Test 1's 5 seconds become 1): 8 s instead of 18.
         */
        REPLAY_DELAYED("postgresql-slave-config.yaml", "hot_standby = on", "hot_standby = on\n    recovery_min_apply_delay = '10min'",
                "Test 1", 0.2),
        /**
         * The replica's Service selects the master's pod: reads meant for the replica would go to the master. The
         * preflight refuses it before anything starts, naming the file's resource and key.
         */
        REPLICA_SERVICE_ON_MASTER("postgresql-slave-service.yaml", "  selector:\n    app: postgresql\n    role: slave",
                "  selector:\n    name: postgresql", "no Service selects the replica's pod labels", 1.0),
        /** No WAL sender on the master: it starts, and pg_basebackup is refused a replication connection. */
        NO_WAL_SENDERS("postgresql-master-config.yaml", "max_wal_senders = 10", "max_wal_senders = 0", "Étape 3.1", 1.0);

        final String file;
        final String from;
        final String to;
        /** What refuses it: the scenario that must fail (part of its name), or the preflight's words; null: it passes. */
        final String refusedBy;
        /** The run's harness.timeout.scale: 1 where the guide's budgets must hold as written. */
        final double timeoutScale;

        Variant(String file, String from, String to, String refusedBy, double timeoutScale) {
            this.file = file;
            this.from = from;
            this.to = to;
            this.refusedBy = refusedBy;
            this.timeoutScale = timeoutScale;
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void certifiedAsAReviewerWouldExpect(Variant v) throws IOException {
        Path manifests = Files.createTempDirectory("team-manifests-");
        try {
            copyWithChange(v, manifests);
            Map<String, String> outcomes = certify(manifests, v.timeoutScale);
            if (v.refusedBy == null) {
                assertThat(outcomes).as(v + ": the scenarios of Phases 3 and 4").hasSizeGreaterThanOrEqualTo(7)
                        .doesNotContainKey(FeatureRun.RUN);
                assertThat(outcomes).as(v + ": a harmless difference certifies").allSatisfy((scenario, outcome) ->
                        assertThat(outcome).as(scenario).isEqualTo("PASSED"));
            } else {
                assertThat(outcomes).as(v + ": refused by the check of what it breaks")
                        .anySatisfy((scenario, outcome) -> {
                            assertThat(scenario + " " + outcome).contains(v.refusedBy);
                            assertThat(outcome).isNotEqualTo("PASSED");
                        });
            }
        } finally {
            RunDirectory.deleteTree(manifests);
        }
    }

    private static void copyWithChange(Variant v, Path manifests) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("manifests/corrected"))) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                if (f.getFileName().toString().equals(v.file)) {
                    assertThat(text).as(v.file).contains(v.from);
                    text = text.replace(v.from, v.to);
                }
                Files.writeString(manifests.resolve(f.getFileName()), text);
            }
        }
    }

    private static Map<String, String> certify(Path manifests, double timeoutScale) {
        System.setProperty("harness.manifests", manifests.toString());
        System.setProperty("harness.errata.expect", "any");
        System.setProperty("harness.timeout.scale", Double.toString(timeoutScale));
        try {
            return FeatureRun.outcomes(FEATURES, Throwable::getMessage);
        } finally {
            System.clearProperty("harness.manifests");
            System.clearProperty("harness.errata.expect");
            System.clearProperty("harness.timeout.scale");
        }
    }
}
