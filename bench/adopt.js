#!/usr/bin/env node
/**
 * `complaint-ledger adopt` of a generated 50,000-row hand-kept sheet: CPU
 * seconds (user + sys), wall seconds and peak RSS, against the targets
 * (≤ 20 s CPU, ≤ 1 GB; issue 15) and a peer on the same file.
 *
 *   node bench/adopt.js [--rows N] [--rebuild]       (part of `npm run bench`)
 *
 * ours: the CLI's `adopt IN -o OUT` in-process: read the workbook (exceljs),
 *   plan, back the sheet up cell by cell with its styles, write the ledger,
 *   Problems, Policy, People, Audit sheets, save.
 * peer: exceljs reading the same file into memory and writing it back
 *   (readFile + writeFile): the floor of any adoption that keeps a styled
 *   backup through exceljs, doing none of the planning or the ledger.
 *
 * The sheet (src/ledger/handkept.ts, style "counter", seeded) has a merged
 * title, a note row, ten columns with a thin border on every cell and a
 * filled header, dates as text, 序号 as a row counter. It is written once
 * with exceljs's streaming writer into bench/out/ (delete it to regenerate).
 * Each contestant runs in its own child process (its own maxRSS).
 * Last line: `RATIO <ours CPU s / peer CPU s>` (lower is better; 1 = as cheap as a plain read + write).
 */
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "bench", "out");
const TARGET_CPU_S = 20;
const TARGET_MB = 1024;
const log = (s = "") => process.stdout.write(s + "\n");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const entry = (p) => path.join(ROOT, "build", "cli", "src", ...p.split("/"));

async function child(mode, file) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const out = path.join(OUT, `adopted-${mode}-${path.basename(file)}`);
  let info;
  if (mode === "ours") {
    const { main } = require(entry("cli/main.js"));
    let text = "";
    const code = await main(["adopt", file, "-o", out], { stdout: { write: (s) => (text += s) }, stderr: { write: (s) => (text += s) }, env: {} });
    if (code !== 0) throw new Error(`adopt exited ${code}:\n${text.slice(-2000)}`);
    const cases = /(?:案件|cases) (\d+)/.exec(text);
    info = `exit ${code}, ${cases ? cases[1] : "?"} cases`;
  } else {
    const ExcelJS = require("exceljs");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    await wb.xlsx.writeFile(out);
    info = `${wb.worksheets[0].rowCount.toLocaleString("en")} rows read and written`;
  }
  const cpu = process.cpuUsage(c0);
  fs.rmSync(out, { force: true });
  process.stdout.write(JSON.stringify({
    s: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (cpu.user + cpu.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024, info,
  }));
}

async function generate(n, file) {
  const ExcelJS = require("exceljs");
  const { handKeptSheet } = require(entry("ledger/handkept.js"));
  const sheet = handKeptSheet("counter", n);
  const tmp = file + ".tmp";
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet(sheet.name);
  const thin = { style: "thin" };
  const border = { top: thin, left: thin, bottom: thin, right: thin };
  const width = sheet.values[sheet.headerRow].length;
  sheet.values.forEach((values, r) => {
    const row = ws.addRow(values);
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      if (r === sheet.headerRow) {
        cell.font = { bold: true };
        cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
      }
      if (r >= sheet.headerRow) cell.border = border;
    }
    if (r === 0) ws.mergeCells(1, 1, 1, width);
    row.commit();
  });
  ws.commit();
  await wb.commit();
  fs.renameSync(tmp, file);
}

function runChild(mode, file) {
  const out = execFileSync(process.execPath, ["--max-old-space-size=4096", __filename, "--child", mode, file], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  return JSON.parse(out);
}

async function parent() {
  const n = Number(arg("--rows", "50000"));
  log(`adopt benchmark: a hand-kept sheet of ${n.toLocaleString("en")} rows`);
  log(`node ${process.version}, ${process.platform}/${process.arch}, load average ${require("os").loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  if (process.argv.includes("--rebuild") || !fs.existsSync(entry("cli/main.js")) || !fs.existsSync(entry("ledger/handkept.js"))) {
    log("compiling the CLI (tsconfig.cli.json → build/cli)");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [ROOT] }), "-p", "tsconfig.cli.json"], { cwd: ROOT, stdio: "inherit" });
  }
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `handkept-${n}.xlsx`);
  if (!fs.existsSync(file)) await generate(n, file);
  log(`file: ${path.relative(ROOT, file)}, ${(fs.statSync(file).size / 1048576).toFixed(1)} MB`);
  const ours = runChild("ours", file);
  const peer = runChild("peer", file);
  log("");
  log(`ours: complaint-ledger adopt             ${ours.cpu.toFixed(1)} s CPU  ${ours.s.toFixed(1)} s wall  peak RSS ${ours.maxRssMb.toFixed(0)} MB  (${ours.info})`);
  log(`peer: exceljs readFile + writeFile       ${peer.cpu.toFixed(1)} s CPU  ${peer.s.toFixed(1)} s wall  peak RSS ${peer.maxRssMb.toFixed(0)} MB  (${peer.info})`);
  log("");
  log("targets:");
  log(`  CPU ${ours.cpu.toFixed(1)} s (target <= ${TARGET_CPU_S} s) ${ours.cpu <= TARGET_CPU_S ? "PASS" : "FAIL"}`);
  log(`  peak memory ${ours.maxRssMb.toFixed(0)} MB (target <= ${TARGET_MB} MB) ${ours.maxRssMb <= TARGET_MB ? "PASS" : "FAIL"}`);
  log(`  vs peer: ${(ours.cpu / peer.cpu).toFixed(2)}x its CPU, ${(ours.maxRssMb / peer.maxRssMb).toFixed(2)}x its memory`);
  log(`RATIO ${(ours.cpu / peer.cpu).toFixed(2)}`);
}

if (process.argv[2] === "--child") child(process.argv[3], process.argv[4]).catch((e) => { console.error(e); process.exit(1); });
else parent().catch((e) => { console.error(e); process.exit(1); });
