package io.github.pgreplication.harness.guide;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A container's resources as its manifest gives them ({@code resources.requests} and {@code resources.limits}, by
 * resource name: {@code memory: 2Gi}, {@code cpu: 1000m}), as written.
 */
public record ResourcePlan(Map<String, String> requests, Map<String, String> limits) {

    /** A container whose manifest gives no resources. */
    public static final ResourcePlan NONE = new ResourcePlan(Map.of(), Map.of());

    public ResourcePlan {
        requests = Map.copyOf(requests);
        limits = Map.copyOf(limits);
    }

    /** A container's resources as a manifest or the API gives them. */
    public static ResourcePlan of(ResourceRequirements r) {
        return r == null ? NONE : new ResourcePlan(strings(r.getRequests()), strings(r.getLimits()));
    }

    private static Map<String, String> strings(Map<String, Quantity> q) {
        Map<String, String> out = new TreeMap<>();
        if (q != null) {
            q.forEach((k, v) -> out.put(k, v.toString()));
        }
        return out;
    }

    /**
     * Each quantity as a number ({@code requests.memory} → 536870912, {@code limits.cpu} → 1), so that two ways of
     * writing one amount ({@code 1024Mi} and {@code 1Gi}, {@code 1000m} and {@code 1}) compare equal.
     */
    public Map<String, BigDecimal> amounts() {
        Map<String, BigDecimal> out = new TreeMap<>();
        requests.forEach((k, v) -> out.put("requests." + k, amount(v).orElseThrow().stripTrailingZeros()));
        limits.forEach((k, v) -> out.put("limits." + k, amount(v).orElseThrow().stripTrailingZeros()));
        return out;
    }

    /** Every quantity multiplied by {@code factor}, written as Kubernetes writes it. */
    public ResourcePlan times(int factor) {
        Map<String, String> r = new TreeMap<>();
        Map<String, String> l = new TreeMap<>();
        requests.forEach((k, v) -> r.put(k, new Quantity(v).multiply(factor).toString()));
        limits.forEach((k, v) -> l.put(k, new Quantity(v).multiply(factor).toString()));
        return new ResourcePlan(r, l);
    }

    /** As the API takes them. */
    public ResourceRequirements requirements() {
        Map<String, Quantity> r = new TreeMap<>();
        Map<String, Quantity> l = new TreeMap<>();
        requests.forEach((k, v) -> r.put(k, new Quantity(v)));
        limits.forEach((k, v) -> l.put(k, new Quantity(v)));
        return new ResourceRequirementsBuilder().withRequests(r).withLimits(l).build();
    }

    public boolean isEmpty() {
        return requests.isEmpty() && limits.isEmpty();
    }

    /** The memory limit in bytes ({@code 2Gi} → 2147483648), if the manifest sets one. */
    public Optional<Long> memoryLimitBytes() {
        return amount(limits.get("memory")).map(BigDecimal::longValueExact);
    }

    /** The CPU limit in billionths of a CPU ({@code 1000m} → 1000000000), as Docker's NanoCpus takes it, if set. */
    public Optional<Long> cpuLimitNanos() {
        return amount(limits.get("cpu")).map(a -> a.movePointRight(9).longValue());
    }

    private static Optional<BigDecimal> amount(String quantity) {
        return Optional.ofNullable(quantity).map(q -> Quantity.getAmountInBytes(new Quantity(q)));
    }

    @Override
    public String toString() {
        return "requests " + (requests.isEmpty() ? "none" : new TreeMap<>(requests)) + ", limits "
                + (limits.isEmpty() ? "none" : new TreeMap<>(limits));
    }
}
