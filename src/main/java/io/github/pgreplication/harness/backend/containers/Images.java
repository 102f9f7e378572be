package io.github.pgreplication.harness.backend.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.ImageContract;
import io.github.pgreplication.harness.settings.HarnessSettings;
import io.github.pgreplication.harness.settings.HarnessSettings.ImageSource;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Which image plays the guide's {@code postgres:<major>}: the official image when it can be pulled, or the
 * project's image built offline from Debian's packages ({@code images/build-postgres-image.sh}), which
 * honours the same environment and entrypoint contract. {@code harness.pg.major} runs another major.
 */
final class Images {

    /** The label of an image whose client tools are of another major than its server's (images/build-postgres-image.sh). */
    static final String CLIENT_MAJOR = "io.github.pgreplication.harness.client-major";

    /**
     * The image a pod runs, what the report says of it, and, where its client tools are of another major than its server,
     * what that is.
     */
    record Resolved(String image, String description, String serverVersion, Optional<String> clientOfAnotherMajor) {

        Resolved(String image, String description, String serverVersion) {
            this(image, description, serverVersion, Optional.empty());
        }
    }

    private final DockerClient docker;
    private final HarnessSettings settings;

    Images(DockerClient docker, HarnessSettings settings) {
        this.docker = docker;
        this.settings = settings;
    }

    Resolved resolve(ContainerPlan plan, Consumer<String> adapt) {
        String image = plan.image();
        String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
        if (ImageContract.find(plan.image()).filter(ImageContract.SCLORG::equals).isPresent() && settings.imageSource() != ImageSource.OFFICIAL) {
            return sclorgStandIn(plan, adapt);
        }
        if (!repository.equals("postgres") && !repository.equals("docker.io/library/postgres")) {
            return new Resolved(image, "image " + image + " (as the manifests name it)", "image " + image);
        }
        int major = settings.pgMajor().orElseGet(() -> plan.imageMajor().orElseThrow(() -> new IllegalStateException(
                plan.source() + ": image " + image + " names no PostgreSQL major; set harness.pg.major")));
        if (settings.pgMajor().isPresent() && !plan.imageMajor().equals(Optional.of(major))) {
            adapt.accept("Image `" + image + "` runs as PostgreSQL " + major + " (harness.pg.major=" + major
                    + "): the certification before a major upgrade.");
        }
        String offline = settings.offlineImageRepository() + ":" + major;
        Optional<InspectImageResponse> built = inspect(offline);
        ImageSource source = settings.imageSource();
        if (source == ImageSource.OFFLINE || (source == ImageSource.AUTO && built.isPresent())) {
            InspectImageResponse i = built.orElseThrow(() -> new IllegalStateException("harness.images=offline but there is "
                    + "no image " + offline + ": build it with `images/build-postgres-image.sh " + major + "` (needs "
                    + "debootstrap and a Debian mirror)"));
            Map<String, String> labels = i.getConfig() == null || i.getConfig().getLabels() == null ? Map.of()
                    : i.getConfig().getLabels();
            String pkg = labels.getOrDefault("io.github.pgreplication.harness.debian-package", "?");
            String suite = labels.getOrDefault("io.github.pgreplication.harness.source", "?");
            Optional<String> otherClient = Optional.ofNullable(labels.get(CLIENT_MAJOR)).filter(c -> !c.equals(String.valueOf(major)));
            if (otherClient.isPresent()) {
                return serverOnly(image, offline, major, otherClient.get(), labels, suite, pkg, adapt);
            }
            String description = "`" + offline + "`, built offline from Debian (" + suite + ", " + pkg + ")";
            adapt.accept("Image `" + image + "` → " + description + ": no registry is reachable; it honours the official "
                    + "image's environment and entrypoint contract.");
            return new Resolved(offline, description, "PostgreSQL " + pkg.substring(pkg.indexOf('=') + 1) + " (image " + offline
                    + ", built offline from Debian " + suite.replace("debian-", "") + ")");
        }
        String official = "postgres:" + major;
        return new Resolved(official, "`" + official + "`, the official image", "PostgreSQL " + major + " (official image "
                + official + ")");
    }


    /**
     * A major no Debian suite here ships (12, 14, 16): the project's image holds the boot table's server-only binaries of
     * that major and Debian's client tools of the next one, as its label {@value #CLIENT_MAJOR} says; the pods' psql,
     * pg_basebackup and pg_isready, and what the guide's {@code oc exec … psql} blocks print, are that client's.
     */
    private static Resolved serverOnly(String image, String offline, int major, String client, Map<String, String> labels,
                                       String suite, String pkg, Consumer<String> adapt) {
        String server = labels.getOrDefault("io.github.pgreplication.harness.server", "?");
        String version = server.substring(server.lastIndexOf(' ') + 1);
        String description = "`" + offline + "`, built offline: the server " + server + " (Maven Central), the client tools of "
                + "Debian " + suite.replace("debian-", "") + " (" + pkg + ")";
        adapt.accept("Image `" + image + "` → " + description + ": no Debian suite served here ships PostgreSQL " + major
                + ", so its pods' psql, pg_basebackup and pg_isready are PostgreSQL " + client + "'s (`psql --version` says "
                + client + "), and what the guide's psql blocks print is laid out by psql " + client + ", not " + major
                + "; it honours the official image's environment and entrypoint contract.");
        return new Resolved(offline, description, "PostgreSQL " + version + " (image " + offline + ": zonky's server, psql "
                + client + " of Debian " + suite.replace("debian-", "") + ")", Optional.of("the image " + offline + " runs the server "
                + version + " with the client tools of PostgreSQL " + client + ": no client of " + major + " is served here"));
    }

    /**
     * The sclorg image of the template's master ({@code registry.redhat.io/rhel9/postgresql-15}, say) where no registry
     * is reachable: the project's stand-in built offline (images/build-sclorg-image.sh), which keeps its contract
     * (images/sclorg-postgresql/CONTRACT.md); never a pull.
     */
    private Resolved sclorgStandIn(ContainerPlan plan, Consumer<String> adapt) {
        int major = plan.imageMajor().orElseThrow(() -> new IllegalStateException(plan.source() + ": image " + plan.image()
                + " names no PostgreSQL major"));
        String standIn = ImageContract.SCLORG_STAND_IN + ":" + major;
        if (inspect(standIn).isEmpty()) {
            throw new IllegalStateException("no image " + standIn + " to stand in for " + plan.image() + ": build it with "
                    + "`images/build-sclorg-image.sh " + major + "` (or, with a registry, set harness.images=official)");
        }
        adapt.accept("Image `" + plan.image() + "` → `" + standIn + "`, the sclorg image's offline stand-in built from Debian "
                + "(images/build-sclorg-image.sh): no registry is reachable; it keeps the contract of "
                + "images/sclorg-postgresql/CONTRACT.md, which SclorgImageContractIT pins, and is not the real image.");
        return new Resolved(standIn, "`" + standIn + "`, the sclorg image's offline stand-in", "PostgreSQL " + major
                + " (image " + standIn + ", the sclorg image's stand-in built offline from Debian)");
    }

    /** Why no image can play {@code postgres:<major>} here, if none can (checked before the run starts). */
    Optional<String> missing(int major) {
        String offline = settings.offlineImageRepository() + ":" + major;
        boolean built = inspect(offline).isPresent();
        return switch (settings.imageSource()) {
            case OFFLINE -> built ? Optional.empty() : Optional.of("harness.images=offline but there is no image " + offline
                    + ": build it with `images/build-postgres-image.sh " + major + "`");
            case AUTO -> built || inspect("postgres:" + major).isPresent() ? Optional.empty() : Optional.of("no image "
                    + offline + " (build it with `images/build-postgres-image.sh " + major + "`) and no postgres:" + major
                    + " here; with a registry, set harness.images=official to pull it");
            case OFFICIAL -> Optional.empty(); // pulled when the pod starts
        };
    }

    private Optional<InspectImageResponse> inspect(String image) {
        try {
            return Optional.of(docker.inspectImageCmd(image).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }
}
