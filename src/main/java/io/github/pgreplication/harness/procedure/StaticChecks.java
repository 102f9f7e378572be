package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.compat.ConfigBoot;
import io.github.pgreplication.harness.compat.ConfigChange;
import io.github.pgreplication.harness.compat.MajorOutcome;
import io.github.pgreplication.harness.compat.ServerOnlyBinaries;
import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.errata.Erratum;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.RunSecrets;
import io.github.pgreplication.harness.lint.LintReport;
import io.github.pgreplication.harness.lint.Linter;
import io.github.pgreplication.harness.run.OsUser;
import io.github.pgreplication.harness.run.RunDirectory;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What is certified without a pair: the lint of a manifests directory, and the guide's master and replica
 * configurations booted on one PostgreSQL major. Each outcome is kept by the run for the report.
 */
public final class StaticChecks {

    private final CertificationRun run;

    public StaticChecks(CertificationRun run) {
        this.run = run;
    }

    /**
     * The lint of the manifests in {@code dir}, reported as {@code name}: against the parameters of the major the
     * settings give, else that of the image of the manifests under test's master (15 when its tag names none); written
     * to the reports' {@code lint/} and kept for the report.
     */
    public LintReport lint(String name, Path dir) {
        HarnessSettings settings = run.settings();
        int major = settings.pgMajor().orElseGet(this::imageMajor);
        Optional<Set<String>> parameters = Optional.of(ServerOnlyBinaries.unpack(settings.compatBinariesDir(), major)
                .parameters());
        LintReport report = Linter.standard(settings.lintThreshold()).lint(name, dir, Optional.of(run.guide()), major,
                parameters);
        report.write(settings.reportsDir().resolve("lint"));
        run.lintReport(report);
        return report;
    }

    private int imageMajor() {
        GuideModel model = run.model();
        return model.plan("lint", model.masterDeploymentConfig(), model.masterTemplate(),
                model.masterTemplate().getSpec().getContainers().get(0), new RunSecrets(model.manifests()))
                .imageMajor().orElse(15);
    }

    /** The guide's master and replica configurations booted on PostgreSQL {@code major}; kept for the compatibility table. */
    public MajorOutcome boot(int major) {
        HarnessSettings settings = run.settings();
        ServerOnlyBinaries binaries = ServerOnlyBinaries.unpack(settings.compatBinariesDir(), major);
        MajorOutcome outcome = new ConfigBoot(binaries, OsUser.forServers(settings.runAsUser()), run.waits(), run.model(),
                RunDirectory.parent(settings.volumesDir())).run();
        run.compatibility(outcome);
        return outcome;
    }

    /**
     * The configurations booted on PostgreSQL {@code major} as erratum {@code erratumId}'s correction for that major has
     * them, {@code changes} made first; kept for the compatibility table beside the boot as they are. On its master run
     * Étape 1.6's third check as the guide writes it, statement by statement, and a {@code SHOW} of each parameter a
     * change puts in ({@link MajorOutcome#masterAnswers()}). Refused, before
     * any server starts, when that erratum is not the one recorded for the major, when its correction does not say
     * each change (« {@code line} instead of {@code parameter} », « no {@code parameter} »), or when a change replaces
     * a parameter the files do not set.
     */
    public MajorOutcome bootAsCorrected(int major, String erratumId, List<ConfigChange> changes) {
        String item = versionsItem(major);
        Erratum recorded = run.ledger().catalog().recordedFor(item);
        if (!recorded.id().equals(erratumId)) {
            throw new AssertionError("the erratum recorded for " + item + " is " + recorded.id() + ", not " + erratumId);
        }
        for (ConfigChange c : changes) {
            requireCorrection(major, c.asACorrectionSaysIt());
        }
        List<ConfigChange> idle = ConfigBoot.replacingNothing(run.model(), changes);
        if (!idle.isEmpty()) {
            throw new AssertionError("the configurations of " + run.settings().manifestsDir() + " do not set "
                    + ConfigChange.describe(idle) + ": nothing to replace");
        }
        HarnessSettings settings = run.settings();
        MajorOutcome outcome = new ConfigBoot(ServerOnlyBinaries.unpack(settings.compatBinariesDir(), major),
                OsUser.forServers(settings.runAsUser()), run.waits(), run.model(), RunDirectory.parent(settings.volumesDir()),
                changes, statements(changes)).run();
        run.compatibility(outcome);
        return outcome;
    }

    /**
     * Checks that the correction of the erratum recorded for « Versions compatibles » on {@code major} says
     * {@code text}: what the harness runs as corrected is what the errata file tells a reader to do.
     */
    public void requireCorrection(int major, String text) {
        run.ledger().catalog().requireCorrection(versionsItem(major), text);
    }

    /** The errata's item of « Versions compatibles » for {@code major}. */
    private static String versionsItem(int major) {
        return "guide-text#versions/" + major;
    }

    /** Étape 1.6's third check as the guide writes it, one statement each, then a SHOW of each parameter put in. */
    private List<String> statements(List<ConfigChange> changes) {
        List<String> out = new java.util.ArrayList<>();
        for (String s : MasterInit.Step16.query(run.guide(), 3).sql().split(";")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        changes.forEach(c -> c.parameterPutIn().ifPresent(p -> out.add("SHOW " + p)));
        return out;
    }

    /**
     * The guide's « Versions compatibles » for {@code major}, through the errata ledger: the configurations work there,
     * or the way they fail is a recorded erratum.
     */
    public MajorOutcome worksOrErratum(int major, MajorOutcome outcome) {
        String item = versionsItem(major);
        run.evidence().executed(item);
        return run.ledger().verbatim(item, () -> {
            if (!"works".equals(outcome.verdict())) {
                throw Deviation.result(item, "works", outcome.verdict()).raise();
            }
            return outcome;
        }, () -> outcome);
    }
}
