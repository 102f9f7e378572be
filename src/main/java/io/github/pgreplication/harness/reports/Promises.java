package io.github.pgreplication.harness.reports;

import io.github.pgreplication.harness.run.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbers the guide promises, each beside the figure the run measured for it: Test 3's « en < 5 secondes » beside
 * its milliseconds, the lag limits of Étape 3.3 and of the checklist beside the lags, « ~2-5 minutes » beside the
 * master's restart. The limit is read from the guide's own words, so a guide that promises otherwise is held to it.
 */
final class Promises {

    /**
     * A promise: where the guide makes it (a step, or a section's heading), its words (the last number found is the
     * limit, times {@code factor} in the figure's unit), and the figures that answer it.
     */
    private record Promise(String section, Pattern words, double factor, boolean strict, String figureStep,
                           String figureName, String unit) {
    }

    /** A promise found in the guide (its words without Markdown), at its line, with the figures measured for it. */
    record Kept(int line, String words, double limit, boolean strict, String unit, List<Evidence.Figure> figures) {

        /** True when every figure keeps the promise; null when none was measured. */
        Boolean held() {
            return figures.isEmpty() ? null : figures.stream().allMatch(this::keeps);
        }

        boolean keeps(Evidence.Figure f) {
            return strict ? f.value() < limit : f.value() <= limit;
        }
    }

    private static final List<Promise> PROMISES = List.of(
            new Promise("1.5", Pattern.compile("interruption de service ~?(\\d+)-(\\d+) minutes"), 60_000, false, "1.5",
                    "restart", "ms"),
            new Promise("2.5", Pattern.compile("Durée estimée\\*\\* : (\\d+)-(\\d+) minutes"), 60_000, false, "2.5", "", "ms"),
            new Promise("3.3", Pattern.compile("`lag_mb < (\\d+)`"), 1, true, "3.3", "lag_mb", "MB"),
            new Promise("3.3", Pattern.compile("`lag_seconds < (\\d+)`"), 1, true, "3.3", "lag_seconds", "s"),
            new Promise("4.3", Pattern.compile("en < (\\d+) secondes"), 1000, true, "4.3", "Test 3", "ms"),
            new Promise("Checklist de déploiement", Pattern.compile("Lag < (\\d+) ?MB"), 1, true, "3.3", "lag_mb", "MB"),
            new Promise("Checklist de déploiement", Pattern.compile("Lag < \\d+ ?MB et < (\\d+) ?s"), 1, true, "3.3",
                    "lag_seconds", "s"),
            new Promise("Checklist de déploiement", Pattern.compile("fenêtre de maintenance \\((\\d+)-(\\d+) min\\)"), 60_000,
                    false, "1.5", "restart", "ms"));

    private Promises() {
    }

    /** Every promise the guide makes, in its order, with the figures of this run that answer it. */
    static List<Kept> of(GuideLines guide, List<Evidence.Figure> figures) {
        List<Kept> out = new ArrayList<>();
        for (Promise p : PROMISES) {
            Optional<GuideLines.Heading> section = guide.heading(p.section()).or(() -> guide.headings().stream()
                    .filter(h -> h.text().equals(p.section())).findFirst());
            if (section.isEmpty()) {
                continue;
            }
            int from = section.get().line();
            int to = guide.sectionEnd(section.get());
            int line = guide.lineOf(p.words(), from, to);
            if (line == 0) {
                continue;
            }
            Matcher m = guide.find(p.words(), line, line).orElseThrow();
            double limit = Double.parseDouble(m.group(m.groupCount())) * p.factor();
            List<Evidence.Figure> answering = figures.stream().filter(f -> f.step().equals(p.figureStep())
                    && f.name().contains(p.figureName()) && f.unit().equals(p.unit())).toList();
            out.add(new Kept(line, m.group().replaceAll("[`*]", ""), limit, p.strict(), p.unit(), answering));
        }
        return out;
    }
}
