package io.github.pgreplication.harness.backend;

/**
 * What a cluster runs where a guide's line or file names an image ({@link Backend#clusterImage}).
 *
 * @param image       the image itself where the cluster can pull it; on the offline cluster, its stand-in built here
 * @param neverPulled whether a pod must say {@code imagePullPolicy: Never} (no registry is reachable)
 */
public record ClusterImage(String image, boolean neverPulled) {
}
