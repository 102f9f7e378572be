package io.github.pgreplication.harness.reports;

import static io.github.pgreplication.harness.reports.Html.esc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code index.html}: several runs side by side, made from their {@code run.json} files only (so a CI job can
 * assemble it from the artifacts of several jobs: {@code java -cp … RunIndex DIR}). A matrix of the guide's steps by
 * run, each cell linked to that run's annotated guide; what failed in every run and what failed in one only; the
 * errata by run; the slowest scenarios (from each run's cucumber.json, which Cucumber writes after the run's pages: the
 * index made by a run lacks that run's durations until it is made again, by the next run or GuidePageBrowserIT).
 */
public final class RunIndex {

    /** A run.json and the directory it is in, relative to the root. */
    record Run(String dir, RunSummary summary) {
        String page(String anchor) {
            return (dir.isEmpty() ? "" : dir + "/") + summary.page() + (anchor == null ? "" : "#" + anchor);
        }
    }

    private RunIndex() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: RunIndex DIR (a directory holding run.json files, at most three levels down)");
            System.exit(2);
        }
        System.out.println("Runs side by side: " + write(Path.of(args[0])));
    }

    /** Where a run's index goes: the parent of its reports directory when a run wrote there too, else its own. */
    static Path rootOf(Path reportsDir) {
        Path parent = reportsDir.toAbsolutePath().normalize().getParent();
        return parent != null && Files.isRegularFile(parent.resolve("run.json")) ? parent : reportsDir;
    }

    /** Reads every run.json under the root and writes the root's index.html. */
    public static Path write(Path root) {
        List<Run> runs = new ArrayList<>();
        try (Stream<Path> files = Files.find(root, 4, (p, a) -> p.getFileName().toString().equals("run.json") && a.isRegularFile())) {
            for (Path f : files.sorted(Comparator.comparing(p -> p.getParent().toString())).toList()) {
                RunSummary s = ReportPages.JSON.readValue(f.toFile(), RunSummary.class);
                if (s.format() != RunSummary.FORMAT) {
                    throw new IllegalStateException(f + " is run.json format " + s.format() + ", this index reads " + RunSummary.FORMAT);
                }
                runs.add(new Run(root.relativize(f.getParent()).toString(), s));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runs under " + root, e);
        }
        return Html.write(root.resolve("index.html"), render(runs, root));
    }

    static String render(List<Run> runs, Path root) {
        StringBuilder out = new StringBuilder(Html.head("Certification runs side by side", "en"));
        out.append("<h1>Certification of « PostgreSQL Master/Slave sur OpenShift »: ").append(runs.size())
                .append(" run(s) side by side</h1>\n<p>Made from each run's <code>run.json</code>. A cell links to the step in "
                        + "that run's annotated guide.</p>\n");
        out.append("<h2 id=\"runs\">Runs</h2>\n<table>\n<tr><th>#</th><th>Run</th><th>Verdict</th><th>Backend</th>"
                + "<th>Started</th><th>s</th><th>Scenarios</th></tr>\n");
        for (int i = 0; i < runs.size(); i++) {
            RunSummary s = runs.get(i).summary();
            long failed = s.scenarios().stream().filter(RunSummary.Scenario::failed).count();
            long skipped = s.scenarios().stream().filter(x -> !x.ran()).count();
            out.append("<tr><td>").append(i + 1).append("</td><td><a href=\"").append(esc(runs.get(i).page(null))).append("\">")
                    .append(esc(s.name())).append("</a><br><span class=\"muted\">").append(esc(runs.get(i).dir().isEmpty() ? "(this directory)"
                            : runs.get(i).dir())).append("</span></td><td>").append(esc(s.verdict())).append("</td><td>")
                    .append(esc(s.backend())).append("</td><td>").append(esc(s.started())).append("</td><td>")
                    .append(Html.number(s.durationMillis() / 1000.0)).append("</td><td>")
                    .append(s.scenarios().size() - failed - skipped).append(" passed, ").append(failed).append(" failed, ")
                    .append(skipped).append(" skipped</td></tr>\n");
        }
        out.append("</table>\n");
        out.append(matrix("steps", "Guide steps by run", runs, r -> r.summary().steps().stream()
                .map(st -> new Cell(st.id(), st.title(), st.result(), st.why(), Html.stepAnchor(st.id()))).toList()));
        out.append(failures(runs));
        out.append(matrix("errata", "Errata by run", runs, r -> r.summary().errata().stream()
                .map(e -> new Cell(e.id(), e.id() + " (" + e.step() + "): " + e.title(), e.status(), e.detail(), "erratum-" + e.id()))
                .toList()));
        out.append(slowest(runs, root));
        return out.append(Html.FOOT).toString();
    }

    /** A cell of a matrix: its row's key and title, its result and why, and its anchor on the run's page. */
    private record Cell(String key, String title, String result, String why, String anchor) {
    }

    private static String matrix(String id, String title, List<Run> runs, Function<Run, List<Cell>> cells) {
        Map<String, String> rows = new LinkedHashMap<>();
        List<Map<String, Cell>> byRun = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Cell> m = new LinkedHashMap<>();
            cells.apply(r).forEach(c -> {
                m.put(c.key(), c);
                rows.putIfAbsent(c.key(), c.title());
            });
            byRun.add(m);
        }
        StringBuilder out = new StringBuilder("<h2 id=\"" + id + "\">" + esc(title) + "</h2>\n<table class=\"matrix\">\n<tr><th></th>");
        for (int i = 0; i < runs.size(); i++) {
            out.append("<th title=\"").append(esc(runs.get(i).summary().name())).append("\">").append(i + 1).append("<br>")
                    .append(esc(runs.get(i).summary().name()).replace(" · ", "<br>")).append("</th>");
        }
        out.append("</tr>\n");
        for (Map.Entry<String, String> row : rows.entrySet()) {
            out.append("<tr><td>").append(esc(row.getValue())).append("</td>");
            for (int i = 0; i < runs.size(); i++) {
                Cell c = byRun.get(i).get(row.getKey());
                out.append("<td>").append(c == null ? "<span class=\"muted\">—</span>" : "<a href=\""
                        + esc(runs.get(i).page(c.anchor())) + "\" title=\"" + esc(c.why()) + "\">"
                        + Html.badge(Result.of(c.result())) + "</a>").append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    /** The scenarios (and steps) that failed in every run that ran them, and those that failed in one run only. */
    private static String failures(List<Run> runs) {
        Map<String, List<String>> failedIn = new LinkedHashMap<>();
        Map<String, Integer> ranIn = new LinkedHashMap<>();
        Map<String, String> link = new LinkedHashMap<>();
        for (Run r : runs) {
            for (RunSummary.Scenario s : r.summary().scenarios()) {
                String key = s.feature() + ": " + s.name();
                if (s.ran()) {
                    ranIn.merge(key, 1, Integer::sum);
                }
                if (s.failed()) {
                    failedIn.computeIfAbsent(key, k -> new ArrayList<>()).add(r.summary().name());
                    link.putIfAbsent(key, r.page(s.anchor()));
                }
            }
            for (RunSummary.Step st : r.summary().steps()) {
                String key = "Step " + st.title();
                if (!Result.NOT_RUN.css().equals(st.result())) {
                    ranIn.merge(key, 1, Integer::sum);
                }
                if (Result.FAILED.css().equals(st.result())) {
                    failedIn.computeIfAbsent(key, k -> new ArrayList<>()).add(r.summary().name());
                    link.putIfAbsent(key, r.page(Html.stepAnchor(st.id())));
                }
            }
        }
        StringBuilder out = new StringBuilder("<h2 id=\"failures\">What failed</h2>\n<h3>In every run that ran it</h3>\n<ul>\n");
        Set<String> everywhere = new LinkedHashSet<>();
        failedIn.forEach((k, v) -> {
            if (v.size() == ranIn.getOrDefault(k, 0)) {
                everywhere.add(k);
            }
        });
        everywhere.forEach(k -> out.append("<li><a href=\"").append(esc(link.get(k))).append("\">").append(esc(k)).append("</a> (")
                .append(failedIn.get(k).size()).append(" run(s))</li>\n"));
        out.append(everywhere.isEmpty() ? "<li>nothing</li>\n" : "").append("</ul>\n<h3>In one run only</h3>\n<ul>\n");
        List<String> once = failedIn.entrySet().stream().filter(e -> e.getValue().size() == 1 && ranIn.getOrDefault(e.getKey(), 0) > 1)
                .map(Map.Entry::getKey).toList();
        once.forEach(k -> out.append("<li><a href=\"").append(esc(link.get(k))).append("\">").append(esc(k)).append("</a> — in ")
                .append(esc(failedIn.get(k).get(0))).append("</li>\n"));
        return out.append(once.isEmpty() ? "<li>nothing</li>\n" : "").append("</ul>\n").toString();
    }

    private static String slowest(List<Run> runs, Path root) {
        record Timed(Run run, ScenarioDurations.Timed scenario, String anchor) {
        }
        List<Timed> timed = new ArrayList<>();
        for (Run r : runs) {
            for (ScenarioDurations.Timed t : ScenarioDurations.of(root.resolve(r.dir()).resolve("cucumber.json"))) {
                String anchor = r.summary().scenarios().stream().filter(s -> s.feature().equals(t.feature()) && s.name().equals(t.name()))
                        .map(RunSummary.Scenario::anchor).findFirst().orElse("scenarios");
                timed.add(new Timed(r, t, anchor));
            }
        }
        List<Timed> all = timed.stream().sorted(Comparator.comparingLong((Timed t) -> t.scenario().millis()).reversed())
                .limit(15).toList();
        StringBuilder out = new StringBuilder("<h2 id=\"slowest\">Slowest scenarios</h2>\n<table>\n<tr><th>s</th><th>Scenario</th>"
                + "<th>Run</th></tr>\n");
        all.forEach(t -> out.append("<tr><td>").append(Html.number(t.scenario().millis() / 1000.0)).append("</td><td><a href=\"")
                .append(esc(t.run().page(t.anchor()))).append("\">").append(esc(t.scenario().name())).append("</a></td><td>")
                .append(esc(t.run().summary().name())).append("</td></tr>\n"));
        if (all.isEmpty()) {
            out.append("<tr><td colspan=\"3\">no cucumber.json beside the runs' results yet</td></tr>\n");
        }
        return out.append("</table>\n").toString();
    }
}
