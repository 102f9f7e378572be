package io.github.pgreplication.harness.reports;

import io.github.pgreplication.harness.run.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the HTML pages share: escaping, the page's head with its inline style (no script, no font, nothing fetched:
 * the pages open from disk or from a CI artifact with no network, and print), a result's badge, and the refusal to
 * write a page that holds a password of the run.
 */
final class Html {

    private Html() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A result's badge: its word, coloured, with the result as a data attribute the browser test reads. */
    static String badge(Result r) {
        return "<span class=\"badge " + r.css() + "\" data-result=\"" + r.css() + "\">" + r.label() + "</span>";
    }

    /** The anchor of a guide step on its page: {@code step-1.3}, {@code step-rollback-slave}. */
    static String stepAnchor(String step) {
        return "step-" + step.replaceAll("[^A-Za-z0-9.-]", "-");
    }

    /** GitHub's anchor of a heading, so that the guide's own table of contents keeps working: {@code vue-densemble}. */
    static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v).replace(',', ' ')
                : String.format(Locale.ROOT, "%.1f", v);
    }

    static String head(String title, String lang) {
        return "<!DOCTYPE html>\n<html lang=\"" + lang + "\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                // no request may leave the file: nothing but inline style, and data: images at most
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                + "img-src data:\">\n<title>" + esc(title) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n";
    }

    static final String FOOT = "</body>\n</html>\n";

    /** Writes a page, or refuses (and fails the run) when it would hold a password of the run, as certification.md does. */
    static Path write(Path file, String html) {
        if (Secrets.leaks(html)) {
            throw new IllegalStateException("refusing to write " + file.getFileName() + ": it would contain a password");
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, html, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static final String CSS = """
            body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1d1d1f;
                   max-width: 1100px; margin: 0 auto; padding: 0 1.2em 3em; }
            h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #ccd; padding-bottom: .2em; margin-top: 2em; }
            code, pre { font: 13px/1.4 "DejaVu Sans Mono", monospace; }
            pre { background: #f5f5f7; border: 1px solid #ddd; padding: .6em; overflow-x: auto; white-space: pre; }
            table { border-collapse: collapse; margin: .6em 0; } td, th { border: 1px solid #ccc; padding: .25em .5em;
            vertical-align: top; text-align: left; } th { background: #eef; }
            .run { background: #f4f6fb; border: 1px solid #ccd; padding: .6em 1em; margin: 1em 0; }
            .verdict { font-size: 1.25em; font-weight: 600; }
            .badge { display: inline-block; min-width: 5.5em; text-align: center; border-radius: 3px; padding: 0 .4em;
                     font-size: .85em; font-weight: 600; color: #fff; margin-right: .4em; }
            .passed { background: #1a7f37; } .erratum { background: #b35900; } .failed { background: #c62828; }
            .not-run { background: #6e7781; } .manual { background: #5b4bb7; }
            .note { border-left: 4px solid #888; background: #fafafa; margin: .3em 0 1em; padding: .3em .7em; font-size: .92em; }
            .note.passed-note { border-color: #1a7f37; } .note.erratum-note { border-color: #b35900; }
            .note.failed-note { border-color: #c62828; } .note.not-run-note { border-color: #6e7781; }
            .note.manual-note { border-color: #5b4bb7; }
            .note ul { margin: .2em 0; padding-left: 1.3em; }
            .erratum-box { border: 2px solid #b35900; background: #fff8f0; margin: .5em 0 1.2em; padding: .4em .8em; }
            .erratum-box h4 { margin: .2em 0; }
            .promise { border: 1px dashed #1a4f9f; background: #f0f5ff; padding: .3em .7em; margin: .3em 0 1em; }
            .beside { display: flex; gap: 1em; } .beside > div { flex: 1; min-width: 0; }
            .out { max-height: 22em; overflow: auto; }
            .diff .del { background: #ffe6e6; display: block; } .diff .add { background: #e6ffec; display: block; }
            .diff .ctx { color: #555; display: block; }
            li.check { list-style: none; } li.check .badge { margin-left: .4em; }
            .muted { color: #666; }
            table.matrix td { text-align: center; } table.matrix td:first-child { text-align: left; }
            @media print { body { max-width: none; font-size: 11pt; } .out { max-height: none; overflow: visible; }
                           pre { white-space: pre-wrap; } a { color: inherit; } .badge { border: 1px solid #000;
                           -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
            """;
}
