package io.github.pgreplication.harness.errata;

import io.github.pgreplication.harness.guide.MasterProfile;
import io.github.pgreplication.harness.guide.VolumeKind;
import java.util.List;

/**
 * One reviewed erratum of the guide, as {@code manifests/guide-errata.yaml} records it.
 *
 * @param scope    {@code manifest} (fixed in manifests/corrected), {@code guide-text} (a query or command in
 *                 the guide's prose) or {@code procedure} (the order or content of the guide's steps)
 * @param observed how the harness recognises it: {@code sqlstate}, {@code exitCode} with
 *                 {@code outputContains}, or {@code result}
 * @param lint     the lint rule that also finds it without running anything, when one does (PGR019, say)
 * @param masters  the existing masters' profiles it holds for ({@code official-image}, {@code openshift-template});
 *                 every profile when absent
 * @param needs    where it must reproduce: a kind of volume the run's claims must be ({@code provisioned-volume}), or
 *                 {@value #EDIT_TENANT} (the run's credentials hold {@code edit} and no more in their namespace), or
 *                 {@value #PSQL_BEFORE_15} (the master pod's psql is of PostgreSQL 14 or older), {@value #DEPLOYMENT_CONFIG}
 *                 (the master runs as its DeploymentConfig); anywhere
 *                 when absent. Elsewhere it is not required to reproduce, and still recognised if it does.
 */
public record Erratum(
        String id,
        String step,
        String scope,
        String item,
        String title,
        String published,
        Observed observed,
        String whatHappens,
        String correction,
        String correctedSql,
        String provedBy,
        String lint,
        List<String> masters,
        String needs) {

    /** {@code needs}: the run's credentials hold the built-in {@code edit} role in their namespace, and not {@code admin}. */
    public static final String EDIT_TENANT = "edit-tenant";

    /**
     * {@code needs}: the psql in the master's pod is of PostgreSQL 14 or older, which prints only the last result of a
     * {@code -c} holding several statements (15 prints each).
     */
    public static final String PSQL_BEFORE_15 = "psql-before-15";

    /** {@code needs}: the master runs as its DeploymentConfig, on a cluster that serves them (OpenShift, the offline one). */
    public static final String DEPLOYMENT_CONFIG = "deployment-config";

    /** Whether {@code needs} names something a run can be: a kind of volume, {@value #EDIT_TENANT} or {@value #PSQL_BEFORE_15}. */
    public static boolean knownNeed(String need) {
        if (EDIT_TENANT.equals(need) || PSQL_BEFORE_15.equals(need) || DEPLOYMENT_CONFIG.equals(need)) {
            return true;
        }
        try {
            VolumeKind.parse(need);
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    public record Observed(String sqlstate, Integer exitCode, String outputContains, String result) {
    }

    /** Whether it holds for a run on {@code profile}'s master. */
    public boolean holdsFor(MasterProfile profile) {
        return masters == null || masters.isEmpty() || masters.contains(profile.id());
    }

    public boolean isManifestScope() {
        return "manifest".equals(scope);
    }

    /** True when the deviation is this erratum: same item, same SQLSTATE / exit status and output / result. */
    public boolean matches(Deviation d) {
        if (!item.equals(d.item()) || observed == null) {
            return false;
        }
        return switch (d.kind()) {
            case SQLSTATE -> observed.sqlstate() != null && observed.sqlstate().equals(d.sqlstate());
            case EXIT -> observed.exitCode() != null && observed.exitCode().equals(d.exitCode())
                    && (observed.outputContains() == null || d.detail().contains(observed.outputContains()));
            case RESULT -> observed.result() != null && observed.result().equals(d.result());
        };
    }
}
