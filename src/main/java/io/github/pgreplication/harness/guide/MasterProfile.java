package io.github.pgreplication.harness.guide;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which existing master the guide is applied to: the one a team really has, rebuilt by the harness and marked as such
 * (« RECONSTRUCTED ») in its manifests directories. A manifests directory declares its profile by its master's image:
 * the DeploymentConfig's container image names the {@link ImageContract} its pods keep.
 */
public enum MasterProfile {

    /** A master on the official {@code postgres} image, as the guide's own fragments imply (its replica's image). */
    OFFICIAL_IMAGE("official-image", ImageContract.OFFICIAL, "manifests",
            "a DeploymentConfig `postgresql` on the official postgres image, as the guide's own fragments imply it "
                    + "(/docker-entrypoint-initdb.d, its replica's postgres:15), rebuilt by the harness"),

    /**
     * The master OpenShift's {@code postgresql-persistent} template makes: DeploymentConfig {@code postgresql}, the
     * Secret's keys {@code database-user}, {@code database-password}, {@code database-name}, the
     * {@code POSTGRESQL_*} environment, its claim at {@code /var/lib/pgsql/data}, on the sclorg image.
     */
    OPENSHIFT_TEMPLATE("openshift-template", ImageContract.SCLORG, "manifests/openshift-template",
            "the master OpenShift's postgresql-persistent template makes (DeploymentConfig `postgresql`, Secret keys "
                    + "database-user, database-password, database-name, the POSTGRESQL_* environment, its claim at "
                    + "/var/lib/pgsql/data), rebuilt by the harness");

    private final String id;
    private final ImageContract image;
    private final String manifests;
    private final String description;

    MasterProfile(String id, ImageContract image, String manifests, String description) {
        this.id = id;
        this.image = image;
        this.manifests = manifests;
        this.description = description;
    }

    /** What this master is, for the report. */
    public String description() {
        return description;
    }

    /** The setting's value ({@code harness.master}) and the scenarios' tag ({@code @master-<id>}). */
    public String id() {
        return id;
    }

    /** The contract of the image the profile's master runs. */
    public ImageContract image() {
        return image;
    }

    /** The profile's reconstruction of the guide's published manifests, relative to the project. */
    public Path published() {
        return Path.of(manifests, "published");
    }

    /** The profile's corrected manifests, relative to the project. */
    public Path corrected() {
        return Path.of(manifests, "corrected");
    }

    /** The tag of the scenarios that hold for this profile's master only. */
    public String tag() {
        return "@master-" + id;
    }

    /** The profile named {@code id}; an error listing the known ones. */
    public static MasterProfile parse(String id) {
        String v = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id.equals(v)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "harness.master=" + id + ": expected one of " + Arrays.stream(values()).map(MasterProfile::id).toList()));
    }

    /** The profile whose master's image keeps {@code contract}. */
    public static MasterProfile of(ImageContract contract) {
        return Arrays.stream(values()).filter(p -> p.image == contract).findFirst().orElseThrow();
    }

    @Override
    public String toString() {
        return id;
    }
}
