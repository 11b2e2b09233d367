#!/usr/bin/env node
/**
 * `complaint-ledger check` on a 50,000-case ledger: wall time and peak memory
 * against the targets (≤ 10 s, ≤ 1 GB), and a ratio against a peer run on
 * the same file.
 *
 *   node bench/check.js [--cases N] [--rebuild]      (also the second half of `npm run bench`)
 *
 * ours: the CLI's `check --json`, in-process: read (the fast path of
 *   src/ledger/xlsx/fast-read.ts, exceljs's streaming reader as its fallback),
 *   read every case, validate the ledger, print JSON.
 * peer: exceljs's streaming WorkbookReader reading the same file: every sheet,
 *   every row's values, nothing checked. That is what `check` used before the
 *   fast path, and a fairer peer than exceljs's in-memory `readFile` (which
 *   builds the whole workbook model, styles and all, and needs far more memory):
 *   ours must beat a reader that does only part of its work.
 *
 * 1. Compiles the CLI (tsconfig.cli.json → build/cli) when it is missing or
 *    older than a source file it is built from (or with --rebuild).
 * 2. Generates the sample ledger (seeded, N cases, no audit hashing) and writes
 *    it with exceljs's streaming writer into bench/out/ (cached by size: this
 *    takes long; delete the file to regenerate). The streaming writer cannot
 *    write table parts, so this file has no table definition; `check` reads by
 *    streaming and does not use one.
 * 3. Times each contestant in its own child process, so maxRSS is its own.
 * Last line: `RATIO <peer seconds / ours seconds>`.
 */
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "bench", "out");
const TARGET_S = 10;
const TARGET_MB = 1024;
const log = (s = "") => process.stdout.write(s + "\n");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};

const entry = (p) => path.join(ROOT, "build", "cli", "src", ...p.split("/"));

async function child(mode, file) {
  const t0 = process.hrtime.bigint();
  let info;
  if (mode === "ours") {
    const { main } = require(entry("cli/main.js"));
    let out = "";
    const code = await main(["check", file, "--json"], { stdout: { write: (s) => (out += s) }, stderr: { write: () => true }, env: {} });
    const j = JSON.parse(out);
    info = `exit ${code}, ${j.cases} cases, ${j.violations.length} violations`;
  } else {
    const ExcelJS = require("exceljs");
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      worksheets: "emit", sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", entries: "ignore",
    });
    let sheets = 0;
    let rows = 0;
    let cells = 0;
    for await (const ws of reader) {
      sheets++;
      for await (const row of ws) {
        rows++;
        cells += row.values.length;
      }
    }
    info = `${sheets} sheets, ${rows.toLocaleString("en")} rows, ${cells.toLocaleString("en")} value slots`;
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ s, maxRssMb: process.resourceUsage().maxRSS / 1024, info }));
}

async function generate(n, file) {
  const ExcelJS = require("exceljs");
  const { generateSample } = require(entry("ledger/sample.js"));
  const { SHEETS, PEOPLE_COLUMNS, AUDIT_COLUMNS } = require(entry("ledger/layout.js"));
  const { columnsOfHeader, computeContext, computedValues, fileFormula, toCellValue } = require(entry("ledger/xlsx/columns.js"));
  const { numberFormatOf } = require(entry("ledger/records.js"));
  const { defaultPolicy } = require(entry("domain/policy.js"));
  const t0 = Date.now();
  const d = await generateSample({ cases: n, audit: false, mistakes: 25 });
  const policy = defaultPolicy();
  const cols = columnsOfHeader(d.header, policy);
  const ctx = computeContext(d.header, policy, new Date(2026, 5, 30));
  const tmp = file + ".tmp";
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet(SHEETS.ledger);
  ws.addRow(d.header).commit();
  const isDate = cols.map((c) => ["date", "datetime"].includes(c.field && c.field.type) || (c.computed && c.computed.numberFormat));
  const fmts = cols.map(numberFormatOf);
  for (const r of d.rows) {
    const computed = computedValues(r, ctx);
    const row = ws.addRow(cols.map((c, j) => c.computed
      ? { formula: fileFormula(c.computed.formula), result: toCellValue(computed[c.key], !!isDate[j]) ?? "" }
      : toCellValue(r[j], !!isDate[j])));
    fmts.forEach((f, j) => { if (f !== "General") row.getCell(j + 1).numFmt = f; });
    row.commit();
  }
  ws.commit();
  const pol = wb.addWorksheet(SHEETS.policy);
  for (const r of d.policyRows) pol.addRow(r.map((v) => (v === "" ? null : v))).commit();
  pol.commit();
  const people = wb.addWorksheet(SHEETS.people);
  people.addRow(PEOPLE_COLUMNS.map((c) => c.header)).commit();
  for (const r of d.peopleRows) people.addRow(r).commit();
  people.commit();
  const audit = wb.addWorksheet(SHEETS.audit);
  audit.addRow(AUDIT_COLUMNS.map((c) => c.header)).commit();
  audit.commit();
  const meta = wb.addWorksheet(SHEETS.meta, { state: "veryHidden" });
  meta.addRow(["schema.version", "1"]).commit();
  meta.commit();
  await wb.commit();
  fs.renameSync(tmp, file);
  return { s: (Date.now() - t0) / 1000, columns: cols.length };
}

/** True when build/cli is missing or older than a source file compiled into it. */
function buildIsStale() {
  const main = entry("cli/main.js");
  if (!fs.existsSync(main)) return true;
  const built = fs.statSync(main).mtimeMs;
  const newer = (dir) => fs.readdirSync(dir, { withFileTypes: true }).some((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return newer(p);
    return d.name.endsWith(".ts") && fs.statSync(p).mtimeMs > built;
  });
  return ["cli", "ledger", "domain"].some((d) => newer(path.join(ROOT, "src", d)));
}

function runChild(mode, file) {
  const out = execFileSync(process.execPath, ["--max-old-space-size=4096", __filename, "--child", mode, file], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  return JSON.parse(out);
}

async function parent() {
  const n = Number(arg("--cases", "50000"));
  log(`check benchmark: ${n.toLocaleString("en")} cases`);
  log(`node ${process.version}, ${process.platform}/${process.arch}`);
  if (process.argv.includes("--rebuild") || buildIsStale()) {
    log("compiling the CLI (tsconfig.cli.json → build/cli)");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [ROOT] }), "-p", "tsconfig.cli.json"], { cwd: ROOT, stdio: "inherit" });
  }
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `ledger-${n}.xlsx`);
  if (!fs.existsSync(file)) {
    const g = await generate(n, file);
    log(`generated ${path.relative(ROOT, file)}: ${g.columns} columns in ${g.s.toFixed(1)} s`);
  }
  log(`file: ${(fs.statSync(file).size / 1048576).toFixed(1)} MB`);
  const ours = runChild("ours", file);
  const peer = runChild("peer", file);
  log("");
  log(`ours: complaint-ledger check --json      ${ours.s.toFixed(2)} s  peak RSS ${ours.maxRssMb.toFixed(0)} MB  (${ours.info})`);
  log(`peer: exceljs streaming WorkbookReader   ${peer.s.toFixed(2)} s  peak RSS ${peer.maxRssMb.toFixed(0)} MB  (${peer.info}; reading only)`);
  log("");
  log("targets:");
  log(`  wall time ${ours.s.toFixed(2)} s (target <= ${TARGET_S} s) ${ours.s <= TARGET_S ? "PASS" : "FAIL"}`);
  log(`  peak memory ${ours.maxRssMb.toFixed(0)} MB (target <= ${TARGET_MB} MB) ${ours.maxRssMb <= TARGET_MB ? "PASS" : "FAIL"}`);
  const mem = peer.maxRssMb / ours.maxRssMb;
  log(`  vs peer: ${(peer.s / ours.s).toFixed(2)}x the speed, ${mem >= 1 ? `${mem.toFixed(2)}x less memory` : `${(1 / mem).toFixed(2)}x the peer's memory (it keeps no rows)`}`);
  log(`RATIO ${(peer.s / ours.s).toFixed(2)}`);
}

if (process.argv[2] === "--child") child(process.argv[3], process.argv[4]).catch((e) => { console.error(e); process.exit(1); });
else parent().catch((e) => { console.error(e); process.exit(1); });
