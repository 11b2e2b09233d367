#!/usr/bin/env node
/**
 * Task pane size: the JavaScript Excel must download and run before the pane
 * shows anything, gzipped — every <script> of taskpane.html (the shared
 * runtime loads functions.js, taskpane.js and commands.js) except Microsoft's
 * office.js — and, separately, the chunks loaded later on demand (intake, the
 * case view, the 8D editor).
 *
 *   node bench/taskpane-size.js            production build into a temp folder, then measure
 *   node bench/taskpane-size.js --dir dist measure an existing build
 *
 * The last line is `TASKPANE_INITIAL_GZ_KB <n>`; the exit code is 1 when the
 * initial size is over the target.
 */
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { build } = require("./webpack-build");
const zlib = require("zlib");

const ROOT = path.resolve(__dirname, "..");
const TARGET_KB = 350;

const log = (line = "") => process.stdout.write(line + "\n");
const kb = (n) => (n / 1024).toFixed(1);
const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;

/** Script URLs of an HTML page, in order. */
function scriptsOf(html) {
  // Minified HTML drops the quotes: src=functions.js
  return [...html.matchAll(/<script\b[^>]*?\bsrc=(?:"([^"]+)"|'([^']+)'|([^\s>]+))/g)].map((m) => m[1] || m[2] || m[3]);
}

async function main() {
  const at = process.argv.indexOf("--dir");
  let dir;
  let temp;
  if (at > 0) {
    dir = path.resolve(process.argv[at + 1]);
  } else {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), "cl-size-"));
    dir = temp;
    const t0 = Date.now();
    log("building (webpack --mode production) …");
    await build(dir);
    log(`built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  try {
    const html = fs.readFileSync(path.join(dir, "taskpane.html"), "utf8");
    const initial = scriptsOf(html)
      // office.js: the packaged copy, or Microsoft's CDN in a production build (not ours to count).
      .filter((s) => !s.startsWith("office-js/") && !/^https?:/.test(s))
      .map((s) => s.replace(/^\.?\//, ""));
    if (!initial.some((f) => f.startsWith("taskpane"))) throw new Error(`taskpane.html loads no taskpane script (found: ${initial.join(", ") || "none"})`);
    const rows = (files) =>
      files.map((f) => {
        const buf = fs.readFileSync(path.join(dir, f));
        return { f, raw: buf.length, gz: gz(buf) };
      });
    const first = rows(initial);
    const lazy = rows(
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".js") && !initial.includes(f))
        .sort(),
    );
    log("");
    log("initial JavaScript of taskpane.html (office.js excluded):");
    for (const r of first) log(`  ${r.f.padEnd(28)} ${kb(r.raw).padStart(8)} KB  ${kb(r.gz).padStart(7)} KB gzipped`);
    const total = first.reduce((a, r) => a + r.gz, 0);
    const totalRaw = first.reduce((a, r) => a + r.raw, 0);
    log(`  ${"total".padEnd(28)} ${kb(totalRaw).padStart(8)} KB  ${kb(total).padStart(7)} KB gzipped`);
    log("");
    log("loaded on demand (React.lazy / import()):");
    for (const r of lazy) log(`  ${r.f.padEnd(28)} ${kb(r.raw).padStart(8)} KB  ${kb(r.gz).padStart(7)} KB gzipped`);
    log("");
    const pass = total / 1024 <= TARGET_KB;
    log(`target: initial gzipped <= ${TARGET_KB} KB: ${kb(total)} KB ${pass ? "PASS" : "FAIL"}`);
    log(`TASKPANE_INITIAL_GZ_KB ${kb(total)}`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  log(`failed: ${e && e.message ? e.message : e}`);
  process.exitCode = 1;
});
