package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.errata.Deviation;
import io.github.pgreplication.harness.guide.GuideNames;
import io.github.pgreplication.harness.guide.ImageContract;
import io.github.pgreplication.harness.run.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * Which role each password belongs to, after Étape 1.5. On a master whose data belongs to an application user (the
 * template's), the superuser must not log in with that user's password: whoever holds the application's credentials
 * would be superuser.
 */
public final class SuperuserPassword {

    /** The correction's Secret, and its key: the superuser's password, of its own. */
    static final String ADMIN_SECRET = "postgresql-admin";
    static final String ADMIN_KEY = "admin-password";

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
     * admitted is a deviation. Then the correction, on this pair: a Secret of the superuser's own, its master restarted
     * with POSTGRESQL_ADMIN_PASSWORD from it; the application user's password must then be refused, and the Secret's
     * admitted. A master whose data login is its superuser (the official image's) has nothing to compare.
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
            if (admitted(superuser, app.password(), app.database())) {
                throw Deviation.result(item, "28P01 for the superuser " + superuser + " with the password of " + app.user(),
                        "the application user's password logs in as the superuser " + superuser).raise();
            }
            return "28P01";
        }, () -> {
            String own = Secrets.newPassword();
            pair.backend().applySecret(ADMIN_SECRET, Map.of(ADMIN_KEY, own));
            String env = pair.master().plan().imageContract().superuserPasswordEnv();
            pair.restartMasterWith(p -> ContainerPlans.withEnv(p, env, own));
            if (admitted(superuser, app.password(), app.database())) {
                throw new AssertionError("with " + env + " from the Secret " + ADMIN_SECRET + ", the application user's "
                        + "password still logs in as the superuser " + superuser);
            }
            if (!admitted(superuser, own, app.database())) {
                throw new AssertionError("with " + env + " from the Secret " + ADMIN_SECRET + ", its password does not log "
                        + "in as the superuser " + superuser);
            }
            return "28P01 once the superuser's password is the Secret " + ADMIN_SECRET + "'s";
        });
    }

    /** Whether {@code user} logs in with {@code password}; false on 28P01, an error on anything else. */
    private boolean admitted(String user, String password, String database) {
        try (Connection c = pair.masterNode().connect(user, password, database)) {
            return true;
        } catch (SQLException e) {
            if (!"28P01".equals(e.getSQLState())) {
                throw new AssertionError("the login of " + user + ": expected it admitted or 28P01, got " + e.getSQLState()
                        + ": " + e.getMessage(), e);
            }
            return false;
        }
    }
}
