#!/usr/bin/env python3
"""Turns JUnit XML files into Markdown for a GitHub job's summary ($GITHUB_STEP_SUMMARY).

Usage: junit-summary.py TITLE FILE_OR_GLOB...   Prints one table row per file (tests, failures, errors,
skipped, seconds) and each failed test case with the first lines of its message. Exit 0 even when tests
failed: the build's own exit status is the verdict; this only shows it. Standard library only.
"""
import glob
import sys
import xml.etree.ElementTree as ET


def suites(root):
    return [root] if root.tag == "testsuite" else list(root.iter("testsuite"))


def main(argv):
    if len(argv) < 2:
        print("usage: junit-summary.py TITLE FILE_OR_GLOB...", file=sys.stderr)
        return 2
    title, patterns = argv[0], argv[1:]
    files = sorted({f for p in patterns for f in glob.glob(p, recursive=True)})
    out = [f"### {title}", ""]
    if not files:
        out.append(f"No JUnit XML found ({', '.join(patterns)}): the run stopped before any test reported.")
        print("\n".join(out))
        return 0
    out += ["| file | tests | failed | errors | skipped | seconds |", "|---|---:|---:|---:|---:|---:|"]
    failed = []
    totals = [0, 0, 0, 0, 0.0]
    for f in files:
        try:
            root = ET.parse(f).getroot()
        except ET.ParseError as e:
            out.append(f"| `{f}` | unreadable: {e} | | | | |")
            continue
        t = [0, 0, 0, 0, 0.0]
        for s in suites(root):
            t[0] += int(s.get("tests", 0))
            t[1] += int(s.get("failures", 0))
            t[2] += int(s.get("errors", 0))
            t[3] += int(s.get("skipped", 0))
            t[4] += float(s.get("time", 0) or 0)
            for case in s.iter("testcase"):
                for kind in ("failure", "error"):
                    for el in case.findall(kind):
                        text = (el.get("message") or el.text or "").strip().splitlines()
                        failed.append((case.get("classname", ""), case.get("name", ""), kind, text[:6]))
        totals = [a + b for a, b in zip(totals, t)]
        out.append(f"| `{f}` | {t[0]} | {t[1]} | {t[2]} | {t[3]} | {t[4]:.1f} |")
    if len(files) > 1:
        out.append(f"| **all** | {totals[0]} | {totals[1]} | {totals[2]} | {totals[3]} | {totals[4]:.1f} |")
    if failed:
        out += ["", f"**{len(failed)} failed:**", ""]
        for cls, name, kind, text in failed[:50]:
            out.append(f"<details><summary>{kind}: {cls} › {name}</summary>\n\n```\n" + "\n".join(text) + "\n```\n</details>")
        if len(failed) > 50:
            out.append(f"… and {len(failed) - 50} more (see the reports artifact).")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
