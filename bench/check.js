#!/usr/bin/env node
/**
 * `complaint-ledger check` on a 50,000-case ledger against the readers it
 * can be compared with here, CPU (user + sys) and peak memory of each:
 *
 *   node bench/check.js [--cases N] [--rounds R] [--rebuild] [--scale]
 *
 * ours:    the CLI's `check --json` (fast reader, row-by-row validation, JSON out).
 * peers:   read every sheet of the same file, every row's values, nothing checked:
 *   - exceljs's streaming WorkbookReader (what `check` used before the fast path);
 *   - SheetJS (`@e965/xlsx`, devDependency), readFile with dense sheets.
 *   - a compiled reader (bench/xlsx-rs: Rust, zip + quick-xml, shared strings
 *     resolved, every cell's value parsed — what calamine does, without its
 *     grid), built here with `cargo build --release --offline` from Debian's
 *     librust-zip-dev and librust-quick-xml-dev when cargo is present; never
 *     needed by the tests. calamine itself, the reader the issue names, cannot
 *     be built here: Debian 12 (bookworm) has no librust-calamine-dev (it is in
 *     Debian 13) and cargo cannot reach crates.io from this machine. calamine
 *     also builds a grid of typed cells, so it needs more CPU than this peer:
 *     our ratio against it is an upper bound of the ratio against calamine.
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
 * The ledger is generated once per size (seeded, no audit hashing) with
 * exceljs's streaming writer into bench/out/ (cached; delete to regenerate).
 * The streaming writer writes no table parts; `check` does not use them.
 * Last line: `RATIO <ours CPU / faster peer's CPU>`.
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

async function child(mode, file) {
  const t0 = process.hrtime.bigint();
  let info;
  if (mode === "ours") {
    const { main } = require(entry("cli/main.js"));
    let out = "";
    const code = await main(["check", file, "--json"], { stdout: { write: (s) => (out += s) }, stderr: { write: () => true }, env: {} });
    const j = JSON.parse(out);
    info = `exit ${code}, ${j.cases} cases, ${j.violations.length} violations`;
  } else if (mode === "exceljs") {
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
  } else if (mode === "rust") {
    info = execFileSync(rustPath(), [file], { encoding: "utf8" }).trim();
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

/** One run of a contestant in its own process: CPU and peak memory from /usr/bin/time -v when present. */
function runChild(mode, file) {
  const args = ["--max-old-space-size=4096", __filename, "--child", mode, file];
  if (fs.existsSync(TIME)) {
    const r = spawnSync(TIME, ["-v", process.execPath, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr.slice(-2000)}`);
    const self = JSON.parse(r.stdout);
    const num = (label) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(r.stderr)[1]);
    return { ...self, cpu: num("User time \\(seconds\\)") + num("System time \\(seconds\\)"), maxRssMb: num("Maximum resident set size \\(kbytes\\)") / 1024, by: "/usr/bin/time -v" };
  }
  return { ...JSON.parse(execFileSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 })), by: "process.resourceUsage()" };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function ledgerFile(n) {
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `ledger-${n}.xlsx`);
  if (!fs.existsSync(file)) {
    const g = await generate(n, file);
    log(`generated ${path.relative(ROOT, file)}: ${g.columns} columns in ${g.s.toFixed(1)} s`);
  }
  return file;
}

const RUST_DIR = path.join(ROOT, "bench", "xlsx-rs");
const rustPath = () => path.join(RUST_DIR, "target", "release", "xlsx-rs");

/** Builds the compiled peer when cargo and Debian's crates are here; undefined (and why) otherwise. */
function buildRust() {
  const cargo = spawnSync("cargo", ["--version"], { encoding: "utf8" });
  if (cargo.status !== 0) return { why: "cargo is not installed" };
  if (!fs.existsSync("/usr/share/cargo/registry/quick-xml-0.26.0") && !fs.readdirSync("/usr/share/cargo/registry", { withFileTypes: true }).some((d) => d.name.startsWith("quick-xml-"))) {
    return { why: "Debian's librust-zip-dev and librust-quick-xml-dev are not installed" };
  }
  const b = spawnSync("cargo", ["build", "--release", "--offline", "--quiet"], { cwd: RUST_DIR, encoding: "utf8" });
  if (b.status !== 0) return { why: `cargo build failed: ${b.stderr.slice(-500)}` };
  return { ok: true };
}

async function parent() {
  const n = Number(arg("--cases", "50000"));
  const rounds = Number(arg("--rounds", "3"));
  log(`check benchmark: ${n.toLocaleString("en")} cases, ${rounds} alternating rounds per contestant`);
  log(`node ${process.version}, ${process.platform}/${process.arch}, ${require("os").cpus().length} CPUs, load average ${require("os").loadavg().map((x) => x.toFixed(1)).join(" ")} (shared machine)`);
  if (process.argv.includes("--rebuild") || buildIsStale()) {
    log("compiling the CLI (tsconfig.cli.json → build/cli)");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [ROOT] }), "-p", "tsconfig.cli.json"], { cwd: ROOT, stdio: "inherit" });
  }
  const file = await ledgerFile(n);
  log(`file: ${(fs.statSync(file).size / 1048576).toFixed(1)} MB`);
  log("calamine: cannot be built here (no librust-calamine-dev in Debian 12, crates.io unreachable); the compiled peer is bench/xlsx-rs");
  let rust;
  try {
    rust = fs.existsSync("/usr/share/cargo/registry") ? buildRust() : { why: "no Debian Rust crates (/usr/share/cargo/registry)" };
  } catch (e) {
    rust = { why: String(e.message || e) };
  }
  if (!rust.ok) log(`compiled peer: not built (${rust.why}); apt-get install -y cargo librust-zip-dev librust-quick-xml-dev`);
  const modes = rust.ok ? ["ours", "rust", "exceljs", "sheetjs"] : ["ours", "exceljs", "sheetjs"];
  const runs = Object.fromEntries(modes.map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < modes.length; k++) {
      const m = modes[(r + k) % modes.length];
      runs[m].push(runChild(m, file));
    }
  }
  const sum = (m) => ({ cpu: median(runs[m].map((x) => x.cpu)), s: median(runs[m].map((x) => x.s)), mb: median(runs[m].map((x) => x.maxRssMb)), info: runs[m][0].info, by: runs[m][0].by });
  const ours = sum("ours");
  const peers = { exceljs: sum("exceljs"), sheetjs: sum("sheetjs"), rust: rust.ok ? sum("rust") : undefined };
  log("");
  log(`measured with ${ours.by}; median of ${rounds} runs each (CPU = user + sys)`);
  const line = (name, x) => log(`${name.padEnd(40)} CPU ${x.cpu.toFixed(2).padStart(6)} s  wall ${x.s.toFixed(2).padStart(6)} s  peak RSS ${x.mb.toFixed(0).padStart(5)} MB  (${x.info})`);
  line("ours: complaint-ledger check --json", ours);
  if (peers.rust) line("peer: compiled reader (bench/xlsx-rs, Rust)", peers.rust);
  line("peer: exceljs streaming WorkbookReader", peers.exceljs);
  line("peer: SheetJS @e965/xlsx readFile", peers.sheetjs);
  log(`  CPU runs: ${modes.map((m) => `${m} ${runs[m].map((x) => x.cpu.toFixed(2)).join(", ")}`).join("; ")}`);
  const js = peers.exceljs.cpu <= peers.sheetjs.cpu ? ["exceljs streaming", peers.exceljs] : ["SheetJS", peers.sheetjs];
  const faster = peers.rust ? ["the compiled reader", peers.rust] : js;
  const ratio = ours.cpu / faster[1].cpu;
  log("");
  log("targets (issue 15):");
  if (peers.rust) {
    log(`  CPU vs the compiled reader (calamine's way, no grid): ${ratio.toFixed(2)}x (target <= 3x calamine, then <= 1.5x) ${ratio <= 3 ? "PASS" : "FAIL"} at 3x, ${ratio <= 1.5 ? "PASS" : "FAIL"} at 1.5x`);
  }
  log(`  CPU vs the faster JavaScript reader (${js[0]}): ${(ours.cpu / js[1].cpu).toFixed(2)}x its CPU`);
  log(`  peak memory ${ours.mb.toFixed(0)} MB (target <= ${TARGET_MB} MB at any size) ${ours.mb <= TARGET_MB ? "PASS" : "FAIL"}`);
  if (process.argv.includes("--scale")) {
    const small = runChild("ours", await ledgerFile(10000));
    const big = runChild("ours", await ledgerFile(100000));
    const grow = big.maxRssMb - small.maxRssMb;
    log(`  memory at 10,000 cases ${small.maxRssMb.toFixed(0)} MB, at 100,000 cases ${big.maxRssMb.toFixed(0)} MB (CPU ${big.cpu.toFixed(1)} s): +${grow.toFixed(0)} MB (target <= +${TARGET_SCALE_MB} MB) ${grow <= TARGET_SCALE_MB ? "PASS" : "FAIL"}`);
  }
  log(`RATIO ${ratio.toFixed(2)}`);
}

if (process.argv[2] === "--child") child(process.argv[3], process.argv[4]).catch((e) => { console.error(e); process.exit(1); });
else parent().catch((e) => { console.error(e); process.exit(1); });
