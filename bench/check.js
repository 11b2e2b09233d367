#!/usr/bin/env node
/**
 * `complaint-ledger check` on a 50,000-case ledger against the readers it
 * can be compared with here, CPU (user + sys) and peak memory of each; then
 * `report --finance` and `verify-audit` on the same file:
 *
 *   node bench/check.js [--cases N] [--rounds R] [--rebuild] [--scale] [--no-js]
 *
 * ours:    the CLI's `check --json` (fast reader, row-by-row validation, JSON out),
 *          `report --finance --json` and `verify-audit`, each in its own process.
 * peers:   read the sheets of the same file, every row's values, nothing checked:
 *   - a compiled reader (bench/xlsx-rs: Rust, zip + quick-xml, shared strings
 *     resolved, every cell's value parsed — what calamine does, without its
 *     grid), given the sheets the command reads in full: for check and report
 *     the ledger, Policy, People and _cl_meta sheets, for verify-audit the
 *     audit log. Built here
 *     with `cargo build --release --offline` from Debian's
 *     librust-zip-dev and librust-quick-xml-dev when cargo is present; never
 *     needed by the tests. calamine itself, the reader the issue names, cannot
 *     be built here: Debian 12 (bookworm) has no librust-calamine-dev (it is in
 *     Debian 13) and cargo cannot reach crates.io from this machine. calamine
 *     also builds a grid of typed cells, so it needs more CPU than this peer:
 *     our ratio against it is an upper bound of the ratio against calamine.
 *   - exceljs's streaming WorkbookReader (what `check` used before the fast
 *     path) and SheetJS (`@e965/xlsx`, devDependency, readFile with dense
 *     sheets), which read every sheet, audit log included (--no-js skips them).
 *   - the same compiled reader reading every sheet of the file (audit log
 *     included): issue 26's measure, check ≤ 1.5× it (`RATIO_EVERY_SHEET`).
 *
 * Each contestant runs in its own process under `/usr/bin/time -v` (user,
 * system CPU and maximum RSS from the kernel; without it, the child's own
 * process.resourceUsage()), R rounds in alternating order — the machine is
 * shared, so one burst of load must not fall on one contestant only — and the
 * median of the rounds is reported. Ratios are CPU seconds of ours over the
 * peer's.
 *
 * --scale also checks ledgers of 10,000 and 100,000 cases and prints the
 * memory growth against its target (≤ 100 MB more at 100k than at 10k).
 *
 * Two ledgers of N cases, generated once into bench/out/ (cached; delete to
 * regenerate), both seeded with the sample's audit log (about five entries
 * per case, its head in the meta sheet): `complaint-ledger sample --cases N`,
 * the file as this tool saves it (inline strings; every command measured on
 * it), and the same kind of ledger from exceljs's streaming writer with
 * shared strings, as Excel saves (check and its peer measured on it too).
 * The --scale ledgers (10,000 and 100,000 cases, exceljs-written) have no
 * audit log: check does not read it. Last line: `RATIO <check's CPU / the
 * compiled reader's>` on the first file. A third file, a 50,000-row
 * hand-kept sheet adopted by `complaint-ledger adopt` (what issue 15's
 * "done when" checks), is checked against the peer too.
 */
"use strict";
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "bench", "out");
/** Issue 15: check ≤ 3× calamine's CPU (then 1.5×); peak ≤ 300 MB at any size; 100k cases ≤ 10k cases + 100 MB. */
const TARGET_MB = 300;
const TARGET_SCALE_MB = 100;
const TIME = "/usr/bin/time";
const log = (s = "") => process.stdout.write(s + "\n");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};

const entry = (p) => path.join(ROOT, "build", "cli", "src", ...p.split("/"));

/** Runs the CLI in this process: exit code and what it printed. */
async function cli(args) {
  const { main } = require(entry("cli/main.js"));
  let out = "";
  const code = await main(args, { stdout: { write: (s) => (out += s) }, stderr: { write: () => true }, env: {} });
  return { code, out };
}

async function child(mode, file, parts) {
  const t0 = process.hrtime.bigint();
  let info;
  if (mode === "ours") {
    const { code, out } = await cli(["check", file, "--json"]);
    const j = JSON.parse(out);
    info = `exit ${code}, ${j.cases} cases, ${j.violations.length} violations`;
  } else if (mode === "report") {
    const { code, out } = await cli(["report", file, "--finance", "--json"]);
    const j = JSON.parse(out);
    info = `exit ${code}, ${j.cases} free/charged cases, ${j.byPeriod.length} half-months`;
  } else if (mode === "verify") {
    const { code, out } = await cli(["verify-audit", file]);
    info = `exit ${code}, ${out.split("\n")[0]}`;
  } else if (mode === "exceljs") {
    const ExcelJS = require("exceljs");
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      worksheets: "emit",
      sharedStrings: "cache",
      styles: "cache",
      hyperlinks: "ignore",
      entries: "ignore",
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
  } else if (mode === "rust") {
    info = execFileSync(rustPath(), [file, ...parts], { encoding: "utf8" }).trim();
  } else {
    const XLSX = require("@e965/xlsx");
    const wb = XLSX.readFile(file, { dense: true, cellDates: false, cellStyles: false, cellHTML: false, cellText: false });
    let rows = 0;
    let cells = 0;
    for (const name of wb.SheetNames) {
      const data = wb.Sheets[name]["!data"] || [];
      for (const row of data) {
        if (!row) continue;
        rows++;
        for (const c of row) if (c && c.v !== undefined) cells++;
      }
    }
    info = `${wb.SheetNames.length} sheets, ${rows.toLocaleString("en")} rows, ${cells.toLocaleString("en")} cells`;
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const u = process.resourceUsage();
  process.stdout.write(JSON.stringify({ s, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssMb: u.maxRSS / 1024, info }));
}

async function generate(n, file, audit) {
  const ExcelJS = require("exceljs");
  const { generateSample } = require(entry("sample/ledger-sample.js"));
  const { SHEETS, PEOPLE_COLUMNS, AUDIT_COLUMNS, META } = require(entry("ledger/workbook-layout.js"));
  const { columnsOfHeader, computeContext, computedValues, fileFormula, toCellValue } = require(entry("stores/xlsx/columns.js"));
  const { numberFormatOf } = require(entry("ledger/records.js"));
  const { defaultPolicy } = require(entry("domain/policy/policy.js"));
  const t0 = Date.now();
  const d = await generateSample({ cases: n, audit, mistakes: 25 });
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
    const row = ws.addRow(
      cols.map((c, j) =>
        c.computed ? { formula: fileFormula(c.computed.formula), result: toCellValue(computed[c.key], !!isDate[j]) ?? "" } : toCellValue(r[j], !!isDate[j]),
      ),
    );
    fmts.forEach((f, j) => {
      if (f !== "General") row.getCell(j + 1).numFmt = f;
    });
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
  const auditWs = wb.addWorksheet(SHEETS.audit);
  auditWs.addRow(AUDIT_COLUMNS.map((c) => c.header)).commit();
  // As workbook.ts writes them: blanks empty, every column but the sequence number as text.
  for (const r of d.auditRows) {
    const row = auditWs.addRow(
      AUDIT_COLUMNS.map((c, j) => (r[j] === null || r[j] === undefined || r[j] === "" ? null : r[j] instanceof Date ? r[j].toISOString() : r[j])),
    );
    AUDIT_COLUMNS.forEach((c, j) => {
      if (c.key !== "seq") row.getCell(j + 1).numFmt = "@";
    });
    row.commit();
  }
  auditWs.commit();
  const meta = wb.addWorksheet(SHEETS.meta, { state: "veryHidden" });
  meta.addRow([META.schemaVersion, "1"]).commit();
  for (const [k, v] of Object.entries(d.meta ?? {})) meta.addRow([k, v]).commit();
  meta.commit();
  await wb.commit();
  fs.renameSync(tmp, file);
  return { s: (Date.now() - t0) / 1000, columns: cols.length, audit: d.auditRows.length };
}

/** True when build/cli is missing or older than a source file compiled into it. */
function buildIsStale() {
  const main = entry("cli/main.js");
  if (!fs.existsSync(main)) return true;
  const built = fs.statSync(main).mtimeMs;
  const newer = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).some((d) => {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) return newer(p);
      return d.name.endsWith(".ts") && fs.statSync(p).mtimeMs > built;
    });
  return ["cli", "ledger", "domain"].some((d) => newer(path.join(ROOT, "src", d)));
}

/** One run of a contestant in its own process: CPU and peak memory from /usr/bin/time -v when present. */
function runChild(mode, file, parts = []) {
  // SheetJS and exceljs need a larger heap for a whole workbook; ours runs as users run it (the flag alone
  // lets V8 put off collecting, which shows as resident memory that is not in use).
  const heap = mode === "sheetjs" || mode === "exceljs" ? ["--max-old-space-size=4096"] : [];
  const args = [...heap, __filename, "--child", mode, file, ...parts];
  if (fs.existsSync(TIME)) {
    const r = spawnSync(TIME, ["-v", process.execPath, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr.slice(-2000)}`);
    const self = JSON.parse(r.stdout);
    const num = (label) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(r.stderr)[1]);
    return {
      ...self,
      cpu: num("User time \\(seconds\\)") + num("System time \\(seconds\\)"),
      maxRssMb: num("Maximum resident set size \\(kbytes\\)") / 1024,
      by: "/usr/bin/time -v",
    };
  }
  return { ...JSON.parse(execFileSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 })), by: "process.resourceUsage()" };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function ledgerFile(n, audit) {
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `ledger-${n}${audit ? "-audit" : ""}.xlsx`);
  if (!fs.existsSync(file)) {
    const g = await generate(n, file, audit);
    log(`generated ${path.relative(ROOT, file)}: ${g.columns} columns, ${g.audit.toLocaleString("en")} audit entries in ${g.s.toFixed(1)} s`);
  }
  return file;
}

/** The ledger as this tool saves it (`complaint-ledger sample`: seeded, inline strings, audit log and head), cached. */
function toolFile(n) {
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `sample-${n}.xlsx`);
  if (!fs.existsSync(file)) {
    const t0 = Date.now();
    execFileSync(process.execPath, [path.join(ROOT, "bin", "complaint-ledger.js"), "sample", "--cases", String(n), "-o", file], { cwd: ROOT, stdio: "ignore" });
    log(`generated ${path.relative(ROOT, file)} with complaint-ledger sample in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return file;
}

/**
 * A hand-kept sheet of N rows (src/sample/handkept.ts, style "counter", the
 * sheet bench/adopt.js adopts, here without its borders: they do not change
 * what check reads) adopted by `complaint-ledger adopt`, cached.
 */
async function adoptedFile(n) {
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `adopted-${n}.xlsx`);
  if (fs.existsSync(file)) return file;
  const ExcelJS = require("exceljs");
  const { handKeptSheet } = require(entry("sample/handkept.js"));
  const sheet = handKeptSheet("counter", n);
  const input = path.join(OUT, `handkept-plain-${n}.xlsx`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: input, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet(sheet.name);
  for (const values of sheet.values) ws.addRow(values).commit();
  ws.commit();
  await wb.commit();
  const t0 = Date.now();
  execFileSync(process.execPath, [path.join(ROOT, "bin", "complaint-ledger.js"), "adopt", input, "-o", file], { cwd: ROOT, stdio: "ignore" });
  log(`adopted ${path.relative(ROOT, input)} into ${path.relative(ROOT, file)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return file;
}

/**
 * The sheet parts each command reads in full: the audit log (verify-audit),
 * and the ledger sheet with Policy, People and _cl_meta (check, report).
 * Of other sheets (an adopted sheet's backup, Problems) they read the first
 * row only, so the peer skips them.
 */
async function partsOf(file) {
  const { FastWorkbook } = require(entry("stores/xlsx/reader/fast-read.js"));
  const { scanLedgerFile } = require(entry("stores/xlsx/file.js"));
  const { SHEETS } = require(entry("ledger/workbook-layout.js"));
  const sheets = FastWorkbook.open(fs.readFileSync(file)).sheets;
  let ledger = "";
  await scanLedgerFile(file, () => ({
    begin: (info) => {
      ledger = info.ledgerSheet;
    },
  }));
  const read = [ledger, SHEETS.policy, SHEETS.people, SHEETS.meta];
  return { audit: sheets.filter((s) => s.name === SHEETS.audit).map((s) => s.path), rest: sheets.filter((s) => read.includes(s.name)).map((s) => s.path) };
}

const RUST_DIR = path.join(ROOT, "bench", "xlsx-rs");
const rustPath = () => path.join(RUST_DIR, "target", "release", "xlsx-rs");

/** Builds the compiled peer when cargo and Debian's crates are here; undefined (and why) otherwise. */
function buildRust() {
  const cargo = spawnSync("cargo", ["--version"], { encoding: "utf8" });
  if (cargo.status !== 0) return { why: "cargo is not installed" };
  if (
    !fs.existsSync("/usr/share/cargo/registry/quick-xml-0.26.0") &&
    !fs.readdirSync("/usr/share/cargo/registry", { withFileTypes: true }).some((d) => d.name.startsWith("quick-xml-"))
  ) {
    return { why: "Debian's librust-zip-dev and librust-quick-xml-dev are not installed" };
  }
  const b = spawnSync("cargo", ["build", "--release", "--offline", "--quiet"], { cwd: RUST_DIR, encoding: "utf8" });
  if (b.status !== 0) return { why: `cargo build failed: ${b.stderr.slice(-500)}` };
  return { ok: true };
}

async function parent() {
  const n = Number(arg("--cases", "50000"));
  const rounds = Number(arg("--rounds", "3"));
  const withJs = !process.argv.includes("--no-js");
  log(`check benchmark: ${n.toLocaleString("en")} cases, ${rounds} alternating rounds per contestant`);
  log(
    `node ${process.version}, ${process.platform}/${process.arch}, ${require("os").cpus().length} CPUs, load average ${require("os")
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} (shared machine)`,
  );
  if (process.argv.includes("--rebuild") || buildIsStale()) {
    log("compiling the CLI (tsconfig.cli.json → build/cli)");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [ROOT] }), "-p", "tsconfig.cli.json"], { cwd: ROOT, stdio: "inherit" });
  }
  const file = toolFile(n);
  const parts = await partsOf(file);
  const sstFile = await ledgerFile(n, true);
  const sstParts = await partsOf(sstFile);
  const adopted = await adoptedFile(n);
  const adoptedParts = await partsOf(adopted);
  log(
    `files: ${path.relative(ROOT, file)} ${(fs.statSync(file).size / 1048576).toFixed(1)} MB (as this tool saves it: inline strings); ${path.relative(ROOT, sstFile)} ${(fs.statSync(sstFile).size / 1048576).toFixed(1)} MB (shared strings, as Excel saves)`,
  );
  log("calamine: cannot be built here (no librust-calamine-dev in Debian 12, crates.io unreachable); the compiled peer is bench/xlsx-rs");
  let rust;
  try {
    rust = fs.existsSync("/usr/share/cargo/registry") ? buildRust() : { why: "no Debian Rust crates (/usr/share/cargo/registry)" };
  } catch (e) {
    rust = { why: String(e.message || e) };
  }
  if (!rust.ok) log(`compiled peer: not built (${rust.why}); apt-get install -y cargo librust-zip-dev librust-quick-xml-dev`);
  if (!rust.ok && !withJs) throw new Error("no peer to compare with: the compiled reader is not built and --no-js leaves out the JavaScript readers");
  const all = [
    { key: "check", mode: "ours", label: "ours: complaint-ledger check --json" },
    { key: "rust", mode: "rust", parts: parts.rest, label: "peer: compiled reader, check's sheets", peer: true },
    { key: "rustAll", mode: "rust", parts: [], label: "peer: compiled reader, every sheet", peer: true },
    { key: "report", mode: "report", label: "ours: report --finance --json" },
    { key: "verify", mode: "verify", label: "ours: verify-audit" },
    { key: "rustAudit", mode: "rust", parts: parts.audit, label: "peer: compiled reader, the audit sheet", peer: true },
    { key: "checkSst", mode: "ours", file: sstFile, label: "ours: check --json, shared strings" },
    { key: "rustSst", mode: "rust", file: sstFile, parts: sstParts.rest, label: "peer: compiled reader, same, shared strings", peer: true },
    { key: "checkAdopted", mode: "ours", file: adopted, label: "ours: check --json, an adopted sheet" },
    { key: "rustAdopted", mode: "rust", file: adopted, parts: adoptedParts.rest, label: "peer: compiled reader, same, adopted", peer: true },
    { key: "exceljs", mode: "exceljs", label: "peer: exceljs streaming, every sheet", js: true },
    { key: "sheetjs", mode: "sheetjs", label: "peer: SheetJS readFile, every sheet", js: true },
  ].filter((c) => (c.mode !== "rust" || rust.ok) && (!c.js || withJs));
  const runs = Object.fromEntries(all.map((c) => [c.key, []]));
  // Alternating order: a burst of load on the shared machine does not fall on one contestant only.
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < all.length; k++) {
      const c = all[(r + k) % all.length];
      runs[c.key].push(runChild(c.mode, c.file ?? file, c.parts));
    }
  }
  const sum = (key) => ({
    cpu: median(runs[key].map((x) => x.cpu)),
    s: median(runs[key].map((x) => x.s)),
    mb: median(runs[key].map((x) => x.maxRssMb)),
    info: runs[key][0].info,
    by: runs[key][0].by,
  });
  const got = Object.fromEntries(all.map((c) => [c.key, sum(c.key)]));
  log("");
  log(`measured with ${got.check.by}; median of ${rounds} runs each (CPU = user + sys)`);
  const line = (name, x) =>
    log(
      `${name.padEnd(42)} CPU ${x.cpu.toFixed(2).padStart(6)} s  wall ${x.s.toFixed(2).padStart(6)} s  peak RSS ${x.mb.toFixed(0).padStart(5)} MB  (${x.info})`,
    );
  for (const c of all) line(c.label, got[c.key]);
  log(`  CPU runs: ${all.map((c) => `${c.key} ${runs[c.key].map((x) => x.cpu.toFixed(2)).join(", ")}`).join("; ")}`);
  const js = withJs ? (got.exceljs.cpu <= got.sheetjs.cpu ? ["exceljs streaming", got.exceljs] : ["SheetJS", got.sheetjs]) : undefined;
  const ratio = got.check.cpu / (rust.ok ? got.rust : js[1]).cpu;
  log("");
  log("targets (issue 15):");
  if (rust.ok) {
    log(
      `  check CPU vs the compiled reader on the same sheets (calamine's way, no grid): ${ratio.toFixed(2)}x (target <= 3x calamine, then <= 1.5x) ${ratio <= 3 ? "PASS" : "FAIL"} at 3x, ${ratio <= 1.5 ? "PASS" : "FAIL"} at 1.5x`,
    );
    // Issue 26's measure: the compiled reader reading every sheet of the same file (the audit log included).
    const allRatio = got.check.cpu / got.rustAll.cpu;
    log(
      `  check CPU vs the compiled reader reading every sheet (issue 26): ${allRatio.toFixed(2)}x (target <= 1.5x) ${allRatio <= 1.5 ? "PASS" : "FAIL"}; check's peak ${got.check.mb.toFixed(0)} MB (target <= 300 MB) ${got.check.mb <= 300 ? "PASS" : "FAIL"}`,
    );
    const sstRatio = got.checkSst.cpu / got.rustSst.cpu;
    log(
      `  the same on the shared-strings file: ${sstRatio.toFixed(2)}x ${sstRatio <= 3 ? "PASS" : "FAIL"} at 3x, ${sstRatio <= 1.5 ? "PASS" : "FAIL"} at 1.5x`,
    );
    const adoptedRatio = got.checkAdopted.cpu / got.rustAdopted.cpu;
    log(
      `  the same on the adopted hand-kept sheet (few values per row, many violations): ${adoptedRatio.toFixed(2)}x ${adoptedRatio <= 3 ? "PASS" : "FAIL"} at 3x; its peak ${got.checkAdopted.mb.toFixed(0)} MB (target <= 400 MB) ${got.checkAdopted.mb <= 400 ? "PASS" : "FAIL"}`,
    );
    log(
      `  report CPU vs the same: ${(got.report.cpu / got.rust.cpu).toFixed(2)}x; verify-audit CPU vs the compiled reader on the audit sheet: ${(got.verify.cpu / got.rustAudit.cpu).toFixed(2)}x (no target)`,
    );
  }
  if (js) log(`  check CPU vs the faster JavaScript reader (${js[0]}, which reads the audit sheet too): ${(got.check.cpu / js[1].cpu).toFixed(2)}x its CPU`);
  for (const key of ["check", "checkSst", "checkAdopted", "report", "verify"]) {
    log(`  ${key} peak memory ${got[key].mb.toFixed(0)} MB (target <= ${TARGET_MB} MB at any size) ${got[key].mb <= TARGET_MB ? "PASS" : "FAIL"}`);
  }
  if (process.argv.includes("--scale")) {
    const small = runChild("ours", await ledgerFile(10000, false));
    const big = runChild("ours", await ledgerFile(100000, false));
    const grow = big.maxRssMb - small.maxRssMb;
    log(
      `  check memory at 10,000 cases ${small.maxRssMb.toFixed(0)} MB, at 100,000 cases ${big.maxRssMb.toFixed(0)} MB (CPU ${big.cpu.toFixed(1)} s): +${grow.toFixed(0)} MB (target <= +${TARGET_SCALE_MB} MB) ${grow <= TARGET_SCALE_MB ? "PASS" : "FAIL"}`,
    );
  }
  if (rust.ok) log(`RATIO_EVERY_SHEET ${(got.check.cpu / got.rustAll.cpu).toFixed(2)}`);
  log(`RATIO ${ratio.toFixed(2)}`);
}

if (process.argv[2] === "--child")
  child(process.argv[3], process.argv[4], process.argv.slice(5)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
else
  parent().catch((e) => {
    console.error(e);
    process.exit(1);
  });
