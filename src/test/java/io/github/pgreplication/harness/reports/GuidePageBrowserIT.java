package io.github.pgreplication.harness.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pgreplication.harness.guide.GuideDocument;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The pages of a real run, in a real browser: Debian's chromium, headless, driven through Debian's chromedriver (never
 * one that Selenium would fetch: the driver's path is given, and nothing here reaches a network). It opens the run's
 * guide.html and index.html from disk, as a reviewer does, and checks what a reviewer relies on: every section of the
 * guide with a result, an erratum at its line with its correction, a figure beside its promise, links that lead
 * somewhere, and no request leaving the file. It keeps a screenshot of each page in the reports.
 */
class GuidePageBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Pattern HEADING = Pattern.compile("^(#{2,3}) +(.*)$");

    /** Selenium looks for a CDP client of chromium's version, which this test does not use: its warning says nothing. */
    private static final Logger CDP = Logger.getLogger("org.openqa.selenium.devtools");

    private static Path reports;
    private static Path profile;
    private static ChromeDriverService service;
    private static ChromeDriver driver;

    @BeforeAll
    static void browser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The report pages are tested in a real browser: install Debian's packages chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver; .ci/run does). Missing: "
                    + Stream.of(CHROMIUM, CHROMEDRIVER).filter(p -> !Files.isExecutable(p)).toList());
        }
        reports = Path.of(System.getProperty("harness.reports", "reports")).toAbsolutePath().normalize();
        assertThat(reports.resolve("guide.html")).as("the run's annotated guide (written by the certification before this test)")
                .isRegularFile();
        CDP.setLevel(Level.SEVERE);
        profile = Files.createTempDirectory("pgrh-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability", "--no-pings",
                "--disable-client-side-phishing-detection", "--window-size=1280,1500", "--user-data-dir=" + profile,
                // were the page to ask for anything, it would be refused here and seen in the log below
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost", "--proxy-server=http://127.0.0.1:9");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void close() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void theGuidePageShowsEverySectionWithAResultTheErrataAtTheirLinesAndTheFiguresBesideThePromises() throws IOException {
        Path page = reports.resolve("guide.html");
        open(page);
        RunSummary run = ReportPages.JSON.readValue(reports.resolve("run.json").toFile(), RunSummary.class);
        GuideDocument guide = GuideDocument.load(Path.of(run.provenance().guide().path()).isAbsolute()
                ? Path.of(run.provenance().guide().path()) : Path.of(".").toAbsolutePath().resolve(run.provenance().guide().path()));

        // every section of the guide, in its order, each with its result right under its heading
        List<String> sections = sectionsOf(guide.file());
        assertThat(strings("return Array.from(document.querySelectorAll('main h2, main h3')).map(h => h.textContent.trim())"))
                .as("the guide's sections, in its order").containsExactlyElementsOf(sections);
        assertThat(strings("return Array.from(document.querySelectorAll('main h2, main h3')).filter(h => {"
                + " const n = h.nextElementSibling; return !(n && n.classList.contains('section-note') && n.dataset.result); })"
                + ".map(h => h.textContent)")).as("sections without a result under their heading").isEmpty();
        for (RunSummary.Step step : run.steps()) {
            assertThat(string("const a = document.getElementById('" + Html.stepAnchor(step.id()) + "'); return a ? "
                    + "a.closest('h2, h3').nextElementSibling.dataset.result : 'missing'"))
                    .as("step %s's result on the page", step.id()).isEqualTo(step.result());
        }

        // each erratum this run reproduced, at the line it is about, in that line's section, with its correction
        GuideLines lines = new GuideLines(guide);
        List<RunSummary.ErratumStatus> reproduced = run.errata().stream().filter(e -> e.status().equals("erratum")).toList();
        assertThat(reproduced).as("errata this run reproduced").isNotEmpty();
        for (RunSummary.ErratumStatus e : reproduced) {
            Map<?, ?> box = (Map<?, ?>) js("const b = document.getElementById('erratum-" + e.id() + "'); if (!b) return null;"
                    + " let h = b; while (h && !/^H[23]$/.test(h.tagName)) h = h.previousElementSibling;"
                    + " return {line: b.dataset.line, section: h ? h.textContent.trim() : '', result: b.dataset.result || "
                    + "b.querySelector('[data-result]').dataset.result, added: Array.from(b.querySelectorAll('.diff .add'))"
                    + ".map(x => x.textContent).join('\\n')};");
            assertThat(box).as("erratum %s on the page", e.id()).isNotNull();
            int line = Integer.parseInt((String) box.get("line"));
            assertThat(line).as("the line of erratum %s", e.id()).isPositive();
            assertThat(box.get("section")).as("the section erratum %s stands in (its line %d)", e.id(), line)
                    .isEqualTo(lines.headings().stream().filter(h -> h.line() <= line && h.level() <= 3).reduce((a, b) -> b)
                            .orElseThrow().text());
            assertThat((String) box.get("added")).as("erratum %s's correction, as a diff", e.id()).isNotBlank();
        }
        if (reproduced.stream().anyMatch(e -> e.id().equals("E03"))) {
            Map<?, ?> e03 = (Map<?, ?>) js("const b = document.getElementById('erratum-E03'); return {line: b.dataset.line,"
                    + " added: Array.from(b.querySelectorAll('.diff .add')).map(x => x.textContent).join('\\n')};");
            assertThat(Integer.parseInt((String) e03.get("line"))).as("E03 at Étape 3.3's query")
                    .isEqualTo(guide.query("3.3", "replay_time").line());
            assertThat((String) e03.get("added")).as("E03's correction").contains("replay_lag");
        }

        // Test 3's promise beside its figure, in Test 3's section
        if (run.figures().stream().anyMatch(f -> f.step().equals("4.3") && f.promise() != null)) {
            Map<?, ?> promise = (Map<?, ?>) js("const p = Array.from(document.querySelectorAll('.promise'))"
                    + ".find(x => x.dataset.promise.includes('< 5 secondes')); if (!p) return null;"
                    + " let h = p; while (h && !/^H[23]$/.test(h.tagName)) h = h.previousElementSibling;"
                    + " let s = p.previousElementSibling; while (s && (s.classList.contains('note') || s.classList.contains('promise')"
                    + " || s.classList.contains('erratum-box'))) s = s.previousElementSibling;"
                    + " return {step: h.querySelector('.step-anchor').id, before: s.textContent,"
                    + " figure: p.querySelector('.figure').textContent};");
            assertThat(promise).as("Test 3's promise on the page").isNotNull();
            assertThat(promise.get("step")).isEqualTo(Html.stepAnchor("4.3"));
            assertThat((String) promise.get("before")).as("the guide's words just before it").contains("< 5 secondes");
            assertThat((String) promise.get("figure")).as("the figure beside it").matches("[0-9  ]+ ms");
        }

        assertLinksLead(page);
        assertNothingLeftTheFile(page);
        assertThat(js("return document.scripts.length")).as("scripts on the page").isEqualTo(0L);
        js("document.getElementById('" + Html.stepAnchor("3.3") + "').closest('h3').scrollIntoView()");
        Files.write(reports.resolve("guide.png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void theIndexPutsTheRunsSideBySideWithEachCellLinkedToItsRunsPage() throws IOException {
        // made again now that every run of the build is over: Cucumber writes a run's durations after its pages
        Path index = RunIndex.write(RunIndex.rootOf(reports));
        open(index);
        RunSummary run = ReportPages.JSON.readValue(reports.resolve("run.json").toFile(), RunSummary.class);
        assertThat(js("return document.querySelectorAll('#runs ~ table tr').length - 1")).as("runs in the index")
                .isNotEqualTo(0L);
        assertThat(strings("return Array.from(document.querySelectorAll('table.matrix')[0].querySelectorAll('tr td:first-child'))"
                + ".map(td => td.textContent)")).as("the steps of the matrix")
                .containsAll(run.steps().stream().map(RunSummary.Step::title).toList());
        assertLinksLead(index);
        assertNothingLeftTheFile(index);
        Files.write(index.resolveSibling("index.png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Every link leads somewhere: an anchor of the page, a file (and its anchor) beside it; the web only from the guide's text. */
    private static void assertLinksLead(Path page) throws IOException {
        List<?> links = (List<?>) js("return Array.from(document.querySelectorAll('a[href]')).map(a => ({href: a.getAttribute('href'),"
                + " url: a.href, inGuide: !!a.closest('main.guide')}))");
        List<String> broken = new ArrayList<>();
        for (Object o : links) {
            Map<?, ?> a = (Map<?, ?>) o;
            String href = (String) a.get("href");
            URI url = URI.create((String) a.get("url"));
            if (url.getScheme().startsWith("http")) {
                if (!(Boolean) a.get("inGuide")) {
                    broken.add(href + " (a web link outside the guide's own text)");
                }
                continue;
            }
            Path target = Path.of(URI.create(url.toString().split("#", 2)[0]));
            String fragment = url.getFragment();
            if (!Files.exists(target)) {
                broken.add(href + " (no file " + target + ")");
            } else if (fragment != null && !fragment.isEmpty() && target.toString().endsWith(".html")
                    && !Files.readString(target).contains("id=\"" + fragment + "\"")) {
                broken.add(href + " (no id " + fragment + " in " + target.getFileName() + ")");
            }
        }
        assertThat(broken).as("links of %s that lead nowhere (of %d)", page.getFileName(), links.size()).isEmpty();
    }

    /** The page asked for nothing but itself: every request the browser made (its performance log) is a file: one. */
    private static void assertNothingLeftTheFile(Path page) {
        List<String> requests = new ArrayList<>();
        Pattern url = Pattern.compile("\"method\":\"Network\\.requestWillBeSent\".*?\"url\":\"([^\"]*)\"");
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            Matcher m = url.matcher(entry.getMessage());
            if (m.find()) {
                requests.add(m.group(1));
            }
        }
        // The browser's own pages (its new tab page, loading in the first tab, seen here when it is slow) ask for
        // chrome:// resources, which are built into the browser: no request of a scheme that could reach a network.
        assertThat(requests).as("requests made by %s", page.getFileName()).isNotEmpty()
                .anyMatch(u -> u.equals(page.toUri().toString()))
                .allMatch(u -> u.matches("(file|data|chrome|about|blob):.*"), "a file:, data: or browser-internal URL");
        assertThat(strings("return performance.getEntriesByType('resource').map(e => e.name)"))
                .allMatch(u -> u.startsWith("file:") || u.startsWith("data:"), "a file: or data: URL");
    }

    private static void open(Path page) {
        driver.manage().logs().get(LogType.PERFORMANCE); // what earlier pages asked for is theirs
        driver.get(page.toUri().toString());
    }

    /** The guide's level-2 and level-3 headings, in order, outside its code blocks: its sections. */
    private static List<String> sectionsOf(Path guide) throws IOException {
        List<String> out = new ArrayList<>();
        boolean code = false;
        for (String l : Files.readAllLines(guide)) {
            if (l.startsWith("```")) {
                code = !code;
            }
            Matcher h = HEADING.matcher(l);
            if (!code && h.matches()) {
                out.add(h.group(2).trim());
            }
        }
        return out;
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static String string(String script) {
        return String.valueOf(js(script));
    }

    private static List<String> strings(String script) {
        return ((List<?>) js(script)).stream().map(String::valueOf).toList();
    }
}
