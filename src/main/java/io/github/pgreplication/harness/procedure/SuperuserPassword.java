package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.ImageContract;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Which role each password belongs to, after Étape 1.5. On a master whose data belongs to an application user (the
 * template's), the superuser must not log in with that user's password: whoever holds the application's credentials
 * would be superuser.
 */
public final class SuperuserPassword {

    private final GuidePair pair;
    private final RunContext context;

    public SuperuserPassword(GuidePair pair, RunContext context) {
        this.pair = pair;
        this.context = context;
    }

    /** The item of the errata: the DeploymentConfig's POSTGRESQL_ADMIN_PASSWORD, as the guide names the master. */
    private String item() {
        return "deploymentconfig/" + pair.manifests().guideNames().get(GuideNames.Role.MASTER_POD) + "#env/"
                + pair.master().plan().imageContract().superuserPasswordEnv();
    }

    /**
     * The superuser's login over the master's Service with the application user's password: refused (28P01) is right;
     * admitted is a deviation. A master whose data login is its superuser (the official image's) has nothing to compare.
     */
    public String applicationPasswordRefusedToTheSuperuser() {
        ImageContract.Login app = pair.dataLogin();
        String superuser = pair.master().plan().imageContract().superuser(pair.master().plan().env());
        if (app.user().equals(superuser)) {
            throw new IllegalStateException("the existing data's login is the superuser " + superuser + ": no application "
                    + "user's password to compare (a scenario of the template's master)");
        }
        String item = item();
        return context.ledger().verbatim(item, () -> {
            try (Connection c = pair.masterNode().connect(superuser, app.password(), app.database())) {
                throw Deviation.result(item, "28P01 for the superuser " + superuser + " with the password of " + app.user(),
                        "the application user's password logs in as the superuser " + superuser).raise();
            } catch (SQLException e) {
                if (!"28P01".equals(e.getSQLState())) {
                    throw new AssertionError("the superuser's login with the application user's password: expected 28P01, got "
                            + e.getSQLState() + ": " + e.getMessage(), e);
                }
                return e.getSQLState();
            }
        }, () -> "corrected in the manifests: the superuser's password is a Secret's of its own");
    }
}
