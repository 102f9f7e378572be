#!/usr/bin/env python3
"""bench/certification-report.py [BACKEND...]: the certification section of reports/benchmark.md.

Reads the rounds bench/stability.sh kept (target/stability-<backend>/rounds.tsv and each round's cucumber.json)
and writes, for each backend: the whole-process time of the README's certification command (median, min, max of
the rounds, against the goal of issue 11), how busy the machine was, the pairs stood up per round and their
stand-up time (median and maximum), where the scenarios' time goes by step, and the longest scenarios. It replaces
its own section of reports/benchmark.md and keeps the others (the deployment benchmark, bench/startup.sh).
A benchmark, not a test: it asserts nothing about time.
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Certification, whole process: the README's first command, round after round"
GOALS = {"local": 60, "containers": 100}
DEPLOY_STEP = "a disposable pair deployed from the manifests under test"


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:
        return ""


def machine():
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip() or platform.processor()
    mem = sh("awk '/MemTotal/ {printf \"%.0f GiB\", $2/1048576}' /proc/meminfo")
    java = sh("java -version 2>&1 | head -1")
    docker = sh("docker version --format '{{.Server.Version}}' 2>/dev/null")
    shm = sh("df -h --output=fstype,avail /dev/shm | tail -1")
    return (f"{os.cpu_count()} cores ({cpu}), {mem}, {platform.system()} {platform.release()}, "
            f"{sh('. /etc/os-release; echo $PRETTY_NAME')}; {java}; Docker engine {docker or 'absent'}; "
            f"/dev/shm: {shm} (the local backend's volumes)")


def rounds(backend):
    d = ROOT / "target" / f"stability-{backend}"
    tsv = d / "rounds.tsv"
    if not tsv.exists():
        return d, []
    lines = tsv.read_text().splitlines()
    head = lines[0].split("\t")
    return d, [dict(zip(head, l.split("\t"))) for l in lines[1:] if l.strip()]


def scenarios(path):
    """(scenario name, seconds, {step text: seconds}) for each scenario of a cucumber.json."""
    try:
        features = json.loads(path.read_text())
    except Exception:
        return []
    out = []
    for f in features:
        for s in f.get("elements", []):
            steps, total = {}, 0
            for part in ("before", "steps", "after"):
                for st in s.get(part, []):
                    if st.get("result", {}).get("status") == "skipped":
                        continue  # a scenario skipped (a @cluster one off a cluster) stood nothing up: not a 0 s pair
                    sec = st.get("result", {}).get("duration", 0) / 1e9
                    total += sec
                    name = st.get("name") or ("hooks: " + part)
                    steps[name] = steps.get(name, 0) + sec
            out.append((s["name"], total, steps))
    return out


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def section(backends):
    lines = [HEADING, "",
             "What a user waits for, whole process (Maven, the JVM, the features, the reports): "
             "`./mvnw -B -q -o -Pcertify verify -Dharness.backend=<backend>` run round after round by "
             "`bench/stability.sh N <backend>`, which also checks that each round passed and left nothing behind. "
             f"Written by `bench/certification-report.py` on {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}.",
             "", f"Machine: {machine()}.", "",
             "| backend | rounds | passed, nothing left | median s | min s | max s | goal | machine busy (median) |",
             "|---|---|---|---|---|---|---|---|"]
    details = []
    for b in backends:
        d, rs = rounds(b)
        if not rs:
            lines.append(f"| {b} | 0 | | | | | under {GOALS.get(b, '?')} s | not measured |")
            continue
        secs = [int(r["ms"]) / 1000 for r in rs]
        ok = sum(1 for r in rs if r["exit"] == "0")
        busy = [int(r["cpu_busy_s"]) / (int(r["ms"]) / 1000 * os.cpu_count()) for r in rs if "cpu_busy_s" in r]
        goal = GOALS.get(b)
        verdict = "" if goal is None else (f"under {goal} s: **met**" if med(secs) < goal else f"under {goal} s: not met")
        lines.append(f"| {b} | {len(rs)} | {ok} | {med(secs):.1f} | {min(secs):.1f} | {max(secs):.1f} | {verdict} | "
                     f"{med(busy) * 100:.0f} % of the cores |")
        per_round = [scenarios(d / f"round-{r['round']}" / "cucumber.json") for r in rs]
        per_round = [p for p in per_round if p]
        deploys, counts, steps, by_scenario = [], [], {}, {}
        for p in per_round:
            n = 0
            for name, total, st in p:
                by_scenario.setdefault(name, []).append(total)
                for k, v in st.items():
                    steps.setdefault(k, []).append(v)
                if DEPLOY_STEP in st:
                    deploys.append(st[DEPLOY_STEP])
                    n += 1
            counts.append(n)
        details += ["", f"### {b}: pairs, steps and scenarios", "",
                    f"Each round: {', '.join(f'{s:.1f} s' for s in secs)}.", ""]
        if deploys:
            details.append(f"Pairs of their own stood up per round: {int(med(counts))} (plus the shared pair); each, "
                           f"to a replica streaming (Phase 1 and Phase 2; from the existing master's pod for the pairs "
                           f"stood up before the run's copy of its claims, from Étape 1.5 on that copy afterwards), while "
                           f"other scenarios run beside it: median {med(deploys):.1f} s, maximum {max(deploys):.1f} s "
                           f"over {len(deploys)} pairs.")
        n = max(len(per_round), 1)
        details += ["", "Where the scenarios' time goes, per round (summed over scenarios that run in parallel; the "
                    "steps that wait on purpose, for a timeout the guide or the scenario sets, are among them):", "",
                    "| step | seconds per round |", "|---|---|"]
        for k, v in sorted(steps.items(), key=lambda kv: -sum(kv[1]))[:10]:
            details.append(f"| {k[:110]} | {sum(v) / n:.1f} |")
        details += ["", "The longest scenarios (median of the rounds):", "", "| scenario | median s |", "|---|---|"]
        for name, v in sorted(by_scenario.items(), key=lambda kv: -med(kv[1]))[:8]:
            details.append(f"| {name[:110]} | {med(v):.1f} |")
    return "\n".join(lines + details) + "\n"


def main():
    backends = sys.argv[1:] or ["local", "containers"]
    text = section(backends)
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    bench = reports / "benchmark.md"
    kept, skip = [], False
    if bench.exists():
        for line in bench.read_text().splitlines():
            if line.startswith("## "):
                skip = line.startswith(HEADING)
            if not skip:
                kept.append(line)
    else:
        kept = ["# Benchmark"]
    bench.write_text("\n".join(kept).rstrip() + "\n\n" + text)
    print(text)


if __name__ == "__main__":
    main()
