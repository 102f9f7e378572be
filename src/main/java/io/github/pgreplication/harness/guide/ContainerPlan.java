package io.github.pgreplication.harness.guide;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container of a pod template with everything resolved from the manifests: the env values behind each
 * secretKeyRef, the files behind each ConfigMap mount. It holds secrets, so {@link #toString()} never prints
 * env values. {@code ownerKind} is the kind of the object whose template it comes from ({@code Deployment},
 * {@code DeploymentConfig}, {@code CronJob}), {@code podName} that object's name: where no controller runs it, the
 * pod stands for that object ({@code oc delete deployment NAME} deletes the pods of Deployment NAME's plans).
 */
public record ContainerPlan(
        String podName,
        String containerName,
        String image,
        List<String> command,
        List<String> args,
        Map<String, String> env,
        List<MountPlan> mounts,
        Optional<List<String>> readinessCommand,
        Optional<ProbePlan> liveness,
        Map<String, String> podLabels,
        String source,
        ResourcePlan resources,
        String ownerKind) {

    /** A plan of a Deployment whose manifest gives its container no resources (the contracts' servers). */
    public ContainerPlan(String podName, String containerName, String image, List<String> command, List<String> args,
                         Map<String, String> env, List<MountPlan> mounts, Optional<List<String>> readinessCommand,
                         Optional<ProbePlan> liveness, Map<String, String> podLabels, String source) {
        this(podName, containerName, image, command, args, env, mounts, readinessCommand, liveness, podLabels, source,
                ResourcePlan.NONE, "Deployment");
    }

    public Optional<MountPlan> mountAt(String mountPath) {
        return mounts.stream().filter(m -> m.mountPath().equals(mountPath)).findFirst();
    }

    /** What this container's image promises (its entrypoint, data, init scripts, superuser): {@link ImageContract#of}. */
    public ImageContract imageContract() {
        return ImageContract.of(image);
    }

    /** The major of an image tag such as {@code postgres:15} or {@code postgres:15.8-bookworm}, if any. */
    public Optional<Integer> imageMajor() {
        return majorOf(image);
    }

    /** The major {@code image} names, in its tag ({@code postgres:15.8-bookworm}) or its repository ({@code postgresql-15}), if any. */
    public static Optional<Integer> majorOf(String image) {
        int colon = image.lastIndexOf(':');
        if (colon < 0 || colon < image.lastIndexOf('/')) {
            // no tag: the sclorg images name their major in the repository (registry.redhat.io/rhel9/postgresql-15)
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("postgresql-(\\d+)(-[a-z0-9]+)?$").matcher(image);
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        }
        String tag = image.substring(colon + 1);
        StringBuilder digits = new StringBuilder();
        for (char c : tag.toCharArray()) {
            if (!Character.isDigit(c)) {
                break;
            }
            digits.append(c);
        }
        return digits.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(digits.toString()));
    }

    @Override
    public String toString() {
        return "ContainerPlan[" + podName + "/" + containerName + " image=" + image + " command=" + command
                + " args=" + args + " env=" + env.keySet() + " mounts=" + mounts.stream().map(MountPlan::mountPath).toList()
                + "]";
    }
}
