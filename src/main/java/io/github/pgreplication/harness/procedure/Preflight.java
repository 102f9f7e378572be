package io.github.pgreplication.harness.procedure;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.github.pgreplication.harness.errata.ErrataCatalog;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What a run checks before any scenario, and before anything starts: the settings, the whole manifests
 * directory (and the corrected and published ones it compares with), the errata file, the guide, and what the
 * backend needs on this host. Every problem is listed in one message, so bad input costs seconds, not one
 * failure per scenario.
 */
public final class Preflight {

    /** The run cannot start; the message lists every problem. No stack trace: the message is the diagnosis. */
    public static final class Failed extends RuntimeException {
        private final List<String> problems;

        Failed(List<String> problems) {
            super(message(problems), null, false, false);
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private Preflight() {
    }

    /** Throws {@link Failed} listing every problem found; returns quietly when there is none. */
    public static void check(HarnessSettings settings) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new Failed(problems);
        }
    }

    public static List<String> problems(HarnessSettings s) {
        List<String> problems = new ArrayList<>();
        attempt(problems, "harness.timeout.scale", s::timeoutScale);
        attempt(problems, "harness.errata.expect", s::errataExpectation);
        attempt(problems, "harness.images", s::imageSource);
        attempt(problems, "harness.pg.major", s::pgMajor);
        attempt(problems, "harness.lint.fail-on", s::lintThreshold);
        Optional<GuideModel> model = attempt(problems, "harness.manifests", () -> GuideModel.load(s.manifestsDir()));
        for (Path other : new TreeSet<>(List.of(s.correctedManifestsDir(), s.publishedManifestsDir()))) {
            if (!other.equals(s.manifestsDir())) {
                attempt(problems, "the manifests the run compares with", () -> GuideModel.load(other));
            }
        }
        attempt(problems, "harness.errata", () -> ErrataCatalog.load(s.errataFile()));
        attempt(problems, "harness.guide", () -> GuideDocument.load(s.guideFile()).queries());
        Set<Integer> majors = model.map(Preflight::imageMajors).orElse(Set.of());
        problems.addAll(Backends.preflight(s, majors));
        return problems;
    }

    /**
     * Starts reading, on a daemon thread, what the preflight reads (the manifests with fabric8, the guide, the
     * errata), so that the parsers' classes are loaded and warm while the JUnit Platform discovers the features on
     * the other core. Nothing is kept and nothing is reported: the preflight reads again, and says what is wrong.
     */
    public static void warmUp(HarnessSettings s) {
        Thread t = new Thread(() -> {
            try {
                GuideModel.load(s.manifestsDir());
                GuideDocument.load(s.guideFile()).queries();
                ErrataCatalog.load(s.errataFile());
            } catch (RuntimeException ignored) {
                // the preflight finds it again and reports it
            }
        }, "preflight-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** The PostgreSQL majors of the images the guide's pods run ({@code postgres:15} → 15). */
    static Set<Integer> imageMajors(GuideModel model) {
        Set<Integer> majors = new TreeSet<>();
        for (PodTemplateSpec t : List.of(model.masterTemplate(), model.replicaTemplate())) {
            Stream.concat(t.getSpec().getContainers().stream(),
                            Optional.ofNullable(t.getSpec().getInitContainers()).orElse(List.of()).stream())
                    .map(Container::getImage).filter(i -> i != null && i.matches("(docker\\.io/library/)?postgres(:.*)?"))
                    .map(i -> new ContainerPlan("", "", i, List.of(), List.of(), java.util.Map.of(), List.of(),
                            Optional.empty(), Optional.empty(), java.util.Map.of(), "").imageMajor())
                    .flatMap(Optional::stream).forEach(majors::add);
        }
        return majors;
    }

    private static <T> Optional<T> attempt(List<String> problems, String what, Supplier<T> check) {
        try {
            return Optional.ofNullable(check.get());
        } catch (RuntimeException e) {
            problems.add(what + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String message(List<String> problems) {
        StringBuilder m = new StringBuilder("The certification cannot start; nothing was started. "
                + (problems.size() == 1 ? "One problem" : problems.size() + " problems") + ":");
        for (int i = 0; i < problems.size(); i++) {
            m.append("\n  ").append(i + 1).append(". ").append(problems.get(i).replace("\n", "\n     "));
        }
        return m.toString();
    }
}
