package io.github.pgreplication.harness.errata;

import io.github.pgreplication.harness.guide.MasterProfile;
import io.github.pgreplication.harness.guide.VolumeKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The ledger's rules: a recorded deviation goes on with the correction; anything else fails. */
class ErrataLedgerTest {

    private final ErrataCatalog catalog = ErrataCatalog.load(Path.of("manifests/guide-errata.yaml"));
    private static final String SCRIPT = "configmap/postgresql-master-init#init-master.sh";
    private static final String LAG = "guide-text#3.3/1";

    @Test
    void aRecordedDeviationIsRecordedAndTheCorrectionRuns() {
        ErrataLedger ledger = new ErrataLedger(catalog, ErrataExpectation.ALL);
        String out = ledger.verbatim(LAG, () -> {
            throw new Deviation(LAG, Deviation.Kind.SQLSTATE, "42703", null, null, "SQLSTATE 42703: no replay_time").raise();
        }, () -> "corrected");
        assertThat(out).isEqualTo("corrected");
        assertThat(ledger.entries()).singleElement().extracting(ErrataLedger.Entry::status).isEqualTo(ErrataLedger.Status.REPRODUCED);
    }

    @Test
    void anotherSqlstateOnARecordedItemIsAnUnrecordedDeviation() {
        ErrataLedger ledger = new ErrataLedger(catalog, ErrataExpectation.ALL);
        assertThatThrownBy(() -> ledger.verbatim(LAG, () -> {
            throw new Deviation(LAG, Deviation.Kind.SQLSTATE, "42P01", null, null, "SQLSTATE 42P01").raise();
        }, () -> "corrected")).isInstanceOf(AssertionError.class).hasMessageContaining("Unrecorded deviation");
    }

    @Test
    void anErratumThatNoLongerReproducesFailsOnThePublishedGuide() {
        ErrataLedger ledger = new ErrataLedger(catalog, ErrataExpectation.ALL);
        assertThatThrownBy(() -> ledger.verbatim(SCRIPT, () -> "fine", () -> "corrected"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("E02").hasMessageContaining("did not reproduce");
    }

    @Test
    void aManifestErratumMustNotReproduceOnTheCorrectedManifests() {
        ErrataLedger ledger = new ErrataLedger(catalog, ErrataExpectation.TEXT_ONLY);
        assertThat(ledger.verbatim(SCRIPT, () -> "fine", () -> "corrected")).isEqualTo("fine");
        assertThatThrownBy(() -> ledger.verbatim(SCRIPT, () -> {
            throw Deviation.exit(SCRIPT, 2, "line 17: syntax error: unexpected end of file").raise();
        }, () -> "corrected")).isInstanceOf(AssertionError.class).hasMessageContaining("yet it reproduces");
    }

    @Test
    void missingListsTheErrataThisRunMustStillSee() {
        ErrataCatalog catalog = this.catalog.forMaster(MasterProfile.OFFICIAL_IMAGE);
        assertThat(new ErrataLedger(catalog, ErrataExpectation.ALL).missing()).extracting(Erratum::id)
                .containsExactly("E01", "E02", "E03", "E04", "E05", "E06", "E07", "E08", "E09", "E10", "E11", "E12", "E13",
                        "E14", "E15", "E16", "E17", "E18", "E19", "E20", "E21", "E22", "E23", "E24", "E25", "E31", "E32", "E33", "E34");
        // On the corrected manifests only the errata of the guide's text and procedure remain.
        assertThat(new ErrataLedger(catalog, ErrataExpectation.TEXT_ONLY).missing()).extracting(Erratum::id)
                .containsExactly("E01", "E03", "E08", "E10", "E11", "E21", "E22", "E24", "E25", "E31", "E33", "E34");
        assertThat(new ErrataLedger(catalog, ErrataExpectation.ANY).missing()).isEmpty();
    }

    @Test
    void anErratumThatNeedsAnEditTenantMustReproduceOnlyWhereTheRunIsOne() {
        ErrataLedger other = new ErrataLedger(catalog, ErrataExpectation.TEXT_ONLY);
        ErrataLedger tenant = new ErrataLedger(catalog, ErrataExpectation.TEXT_ONLY);
        tenant.editTenant();
        assertThat(other.missing()).extracting(Erratum::id).doesNotContain("E30");
        assertThat(tenant.missing()).extracting(Erratum::id).contains("E30");
    }

    @Test
    void anErratumThatNeedsAPsqlBefore15MustReproduceOnlyWhereTheMasterPodHasOne() {
        ErrataLedger other = new ErrataLedger(catalog, ErrataExpectation.TEXT_ONLY);
        ErrataLedger older = new ErrataLedger(catalog, ErrataExpectation.TEXT_ONLY);
        older.psqlBefore15();
        assertThat(other.missing()).extracting(Erratum::id).doesNotContain("E35");
        assertThat(older.missing()).extracting(Erratum::id).contains("E35");
    }

    @Test
    void anErratumThatNeedsADeploymentConfigMustReproduceOnlyWhereTheMasterRunsAsOne() {
        ErrataLedger pod = new ErrataLedger(catalog, ErrataExpectation.TEXT_ONLY);
        ErrataLedger config = new ErrataLedger(catalog, ErrataExpectation.TEXT_ONLY);
        config.deploymentConfig();
        assertThat(pod.missing()).extracting(Erratum::id).doesNotContain("E36");
        assertThat(config.missing()).extracting(Erratum::id).contains("E36");
    }

    @Test
    void anErratumThatNeedsAProvisionedVolumeMustReproduceOnlyWhereTheClaimsAreOne() {
        String pgdata = "deployment/postgresql-slave#PGDATA";
        ErrataLedger unknown = new ErrataLedger(catalog, ErrataExpectation.ALL);
        ErrataLedger host = new ErrataLedger(catalog, ErrataExpectation.ALL);
        host.volumes(VolumeKind.HOST_DIRECTORY);
        ErrataLedger provisioned = new ErrataLedger(catalog, ErrataExpectation.ALL);
        provisioned.volumes(VolumeKind.PROVISIONED);
        assertThat(unknown.missing()).extracting(Erratum::id).doesNotContain("E28");
        assertThat(host.missing()).extracting(Erratum::id).doesNotContain("E28");
        assertThat(provisioned.missing()).extracting(Erratum::id).contains("E28");
        // On a host directory the replica's PGDATA as published works: no deviation, and none required.
        assertThat(host.verbatim(pgdata, () -> "started", () -> "corrected")).isEqualTo("started");
        // On a provisioned volume it must deviate, as E28 says; where it does not, the run fails.
        assertThatThrownBy(() -> provisioned.verbatim(pgdata, () -> "started", () -> "corrected"))
                .hasMessageContaining("E28").hasMessageContaining("did not reproduce");
        // Where it deviates, on any kind of claim, it is E28 and the corrected PGDATA runs.
        assertThat(host.verbatim(pgdata, () -> {
            throw Deviation.exit(pgdata, 1, "pg_basebackup: error: directory \"/var/lib/postgresql/data\" exists but is "
                    + "not empty").raise();
        }, () -> "corrected")).isEqualTo("corrected");
        assertThat(host.entries()).anyMatch(e -> e.status() == ErrataLedger.Status.REPRODUCED
                && e.erratum().map(Erratum::id).orElse("").equals("E28"));
    }

    @Test
    void eachMasterProfileSeesItsOwnErrataAndThoseOfEveryMaster() {
        ErrataCatalog template = catalog.forMaster(MasterProfile.OPENSHIFT_TEMPLATE);
        assertThat(template.all()).extracting(Erratum::id).contains("E02", "E19", "E26", "E27").doesNotContain("E01");
        assertThat(catalog.forMaster(MasterProfile.OFFICIAL_IMAGE).all()).extracting(Erratum::id).contains("E01")
                .doesNotContain("E26", "E27");
        // The same item, two masters: each run matches its own master's erratum.
        Deviation noRole = Deviation.result("procedure#1.5/init-master-runs", "`replicator | t`", "no row");
        assertThat(template.matching(noRole)).map(Erratum::id).hasValue("E27");
        assertThat(catalog.forMaster(MasterProfile.OFFICIAL_IMAGE).matching(noRole)).map(Erratum::id).hasValue("E01");
    }

    @Test
    void everyErratumNamesStepItemCorrectionAndProof() {
        assertThat(catalog.all()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.published()).isNotBlank();
            assertThat(e.provedBy()).startsWith("features/");
        });
    }
}
