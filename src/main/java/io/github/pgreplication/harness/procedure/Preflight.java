package io.github.pgreplication.harness.procedure;

import io.github.pgreplication.harness.backend.kind.BackendKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.github.pgreplication.harness.errata.ErrataCatalog;
import io.github.pgreplication.harness.guide.ContainerPlan;
import io.github.pgreplication.harness.guide.GuideDocument;
import io.github.pgreplication.harness.guide.GuideModel;
import io.github.pgreplication.harness.guide.MasterProfile;
import io.github.pgreplication.harness.lint.LintReport;
import io.github.pgreplication.harness.lint.LintVerdict;
import io.github.pgreplication.harness.lint.Linter;
import io.github.pgreplication.harness.lint.PodValues;
import io.github.pgreplication.harness.lint.Rules;
import io.github.pgreplication.harness.lint.Severity;
import io.github.pgreplication.harness.settings.HarnessSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What a run checks before any scenario, and before anything starts: the settings, the whole manifests
 * directory (and the corrected and published ones it compares with), the errata file, the guide, and what the
 * backend needs on this host. Every problem is listed in one message, so bad input costs seconds, not one
 * failure per scenario. The manifests under test are judged for a pod on a cluster before any backend adapts them
 * (the lint's {@link Rules#beforeAdapting()}): a value that works in no pod, and that no erratum records, stops the
 * run on every backend, with the guide's step, the file, the resource and the key.
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

    /**
     * What the preflight read and found sound, which the run is made of (each file is read once): the manifests under
     * test, the corrected and published ones it compares with (the same object where they are the same directory),
     * the guide and the errata file.
     */
    public record Inputs(GuideModel model, GuideModel corrected, GuideModel published, GuideDocument guide,
            ErrataCatalog errata, List<PodValues.Judged> judged) {
    }

    /** What the run is made of; throws {@link Failed} listing every problem found. */
    public static Inputs check(HarnessSettings settings) {
        List<String> problems = new ArrayList<>();
        Optional<Inputs> inputs = read(settings, problems);
        if (!problems.isEmpty()) {
            throw new Failed(problems);
        }
        return inputs.orElseThrow();
    }

    public static List<String> problems(HarnessSettings s) {
        List<String> problems = new ArrayList<>();
        read(s, problems);
        return problems;
    }

    /** Reads everything the run needs, adding each problem found; the inputs when there is none. */
    private static Optional<Inputs> read(HarnessSettings s, List<String> problems) {
        attempt(problems, "harness.timeout.scale", s::timeoutScale);
        attempt(problems, "harness.errata.expect", s::errataExpectation);
        attempt(problems, "harness.images", s::imageSource);
        attempt(problems, "harness.pg.major", s::pgMajor);
        attempt(problems, "harness.lint.fail-on", s::lintThreshold);
        Optional<MasterProfile> profile = attempt(problems, "harness.master", s::master);
        Optional<GuideModel> model = attempt(problems, "harness.manifests", () -> GuideModel.load(s.manifestsDir()));
        model.ifPresent(m -> profile.ifPresent(p -> masterProfileAgrees(s, m, p, problems)));
        Map<Path, Optional<GuideModel>> compared = new TreeMap<>();
        for (Path other : List.of(s.correctedManifestsDir(), s.publishedManifestsDir())) {
            compared.computeIfAbsent(other, dir -> dir.equals(s.manifestsDir()) ? model
                    : attempt(problems, "the manifests the run compares with", () -> GuideModel.load(dir)));
        }
        Optional<ErrataCatalog> errata = attempt(problems, "harness.errata",
                () -> ErrataCatalog.load(s.errataFile()).forMaster(profile.orElse(MasterProfile.OFFICIAL_IMAGE)));
        Optional<GuideDocument> guide = attempt(problems, "harness.guide", () -> {
            GuideDocument document = GuideDocument.load(s.guideFile());
            document.queries();
            return document;
        });
        Optional<List<PodValues.Judged>> judged = model.flatMap(m -> errata.flatMap(e -> attempt(problems,
                "harness.manifests, judged for a pod on a cluster", () -> beforeAdapting(s, m, e, problems))));
        Set<Integer> majors = model.map(Preflight::imageMajors).orElse(Set.of());
        try {
            problems.addAll(BackendKind.of(s).preflight(s, majors));
        } catch (IllegalArgumentException unknownKind) {
            problems.add(unknownKind.getMessage());
        }
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Inputs(model.orElseThrow(), compared.get(s.correctedManifestsDir()).orElseThrow(),
                compared.get(s.publishedManifestsDir()).orElseThrow(), guide.orElseThrow(), errata.orElseThrow(),
                judged.orElseThrow()));
    }

    /**
     * The run's master profile is the one its manifests declare (their master's image): a directory of the template's
     * master run as the official image's, or the reverse, would be certified against the other image's errata.
     */
    private static void masterProfileAgrees(HarnessSettings s, GuideModel model, MasterProfile profile, List<String> problems) {
        MasterProfile declared;
        try {
            declared = model.masterProfile();
        } catch (IllegalArgumentException unknownImage) {
            problems.add("harness.manifests: " + model.masterDeploymentConfig().file() + ": "
                    + model.masterDeploymentConfig().ref() + ", key 'spec.template.spec.containers[0].image': "
                    + unknownImage.getMessage());
            return;
        }
        if (declared != profile) {
            problems.add("harness.master: " + model.masterDeploymentConfig().file() + ": " + model.masterDeploymentConfig().ref()
                    + ", key 'spec.template.spec.containers[0].image': the master runs " + declared.image().description()
                    + ", the profile " + declared.id() + "; this run's profile is " + profile.id()
                    + (s.masterGiven() ? "" : " (harness.master unset)") + ": set -Dharness.master=" + declared.id());
        }
    }

    /**
     * The values of the manifests under test a backend adapts, judged for a pod on a cluster, and the parts of Kubernetes
     * a backend does not play: each unrecorded finding is a problem, stated with the guide's step, the file, the
     * resource and the key. The judged values, for the report's « Adaptations ».
     */
    private static List<PodValues.Judged> beforeAdapting(HarnessSettings s, GuideModel model, ErrataCatalog errata,
                                                         List<String> problems) {
        LintReport report = new Linter(Rules.beforeAdapting(), Severity.ERROR).lint("before adapting", model.manifests(),
                Optional.empty(), 0, Optional.empty(), s.kubePodCidr());
        LintVerdict.unrecorded(report, errata.all()).forEach(f -> problems.add(LintVerdict.refusal(f)));
        return PodValues.judge(model, s.kubePodCidr());
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
