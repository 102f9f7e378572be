#!/usr/bin/env python3
"""Does a failed scenario of a Cucumber JSON report say PHRASE? In its error messages or in what it attached
(the pods' logs, base64 in the JSON). Passing scenarios and the report's other text (the errata ledger quotes
every erratum) do not count.

Usage: failure-says.py CUCUMBER_JSON PHRASE. Exit 0: a failed scenario says it; 1: none does (each failed
scenario's first error line is printed); 2: no report. Standard library only.
"""
import base64
import json
import sys


def texts(element):
    """The error messages and attachments of a scenario's steps and hooks, and whether any failed."""
    failed, out = False, []
    for part in ("before", "steps", "after"):
        for step in element.get(part, []):
            result = step.get("result", {})
            if result.get("status") == "failed":
                failed = True
            if result.get("error_message"):
                out.append(result["error_message"])
            for emb in step.get("embeddings", []):
                try:
                    out.append(base64.b64decode(emb.get("data", "")).decode("utf-8", "replace"))
                except ValueError:
                    pass
    return failed, out


def main(argv):
    if len(argv) != 2:
        print("usage: failure-says.py CUCUMBER_JSON PHRASE", file=sys.stderr)
        return 2
    path, phrase = argv
    try:
        with open(path, encoding="utf-8") as f:
            features = json.load(f)
    except (OSError, ValueError) as e:
        print(f"failure-says: {path}: {e}", file=sys.stderr)
        return 2
    failures = []
    for feature in features:
        for element in feature.get("elements", []):
            failed, out = texts(element)
            if not failed:
                continue
            if any(phrase in t for t in out):
                print(f"failure-says: the failed scenario '{element.get('name')}' says: {phrase}")
                return 0
            first = next((t.strip().splitlines()[0] for t in out if t.strip()), "(no message)")
            failures.append(f"  {element.get('name')}: {first}")
    print(f"failure-says: no failed scenario in {path} says: {phrase}")
    print("\n".join(failures) if failures else "  (no scenario failed)")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
