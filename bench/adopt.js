#!/usr/bin/env node
/**
 * The writers of issue 15, CPU seconds (user + sys), wall seconds and peak
 * RSS of each, against the targets and peers measured in the same run:
 *
 *   node bench/adopt.js [--rows N] [--small N] [--cases N] [--no-legacy] [--rebuild]   (part of `npm run bench`)
 *
 * adopt (targets: N = 50,000 rows ≤ 20 s CPU, ≤ 1 GB; memory at --small
 * rows printed beside it):
 *   ours:   the CLI's `adopt IN -o OUT` in-process: the sheet read by the
 *           fast reader, plan, the input's parts copied (the sheet's own
 *           part renamed as the backup) and the new sheets added, the
 *           ledger, Audit and Problems rows streamed (decisions #40, #148;
 *           COMPLAINT_LEDGER_ADOPT_VIA=exceljs runs the exceljs path, #42).
 *   legacy: the same adoption written the way it was before: every ledger
 *           cell an exceljs cell, saved by exceljs's in-memory writer
 *           (adoptWorkbook + saveWorkbook). --no-legacy skips it (~2 GB).
 *   peer:   exceljs reading the same file into memory and writing it back
 *           (readFile + writeFile): the floor of any adoption that keeps a
 *           styled backup through exceljs, doing none of the planning or the ledger.
 * sample (target: --cases N = 50,000 cases ≤ 30 s):
 *   ours:   the CLI's `sample --cases N` in-process (generate, hash the
 *           audit chain, stream the ledger and audit rows into the file), at
 *           --small and N cases.
 *   legacy: the same sample at --small cases through exceljs's in-memory
 *           writer (createLedgerWorkbook + saveWorkbook; at 50,000 it took
 *           9.5 min and 4.4 GB): the ratio is at equal size.
 *
 * The sheet (src/sample/handkept.ts, style "counter", seeded) has a merged
 * title, a note row, ten columns with a thin border on every cell and a
 * filled header, dates as text, 序号 as a row counter. It is written once
 * with exceljs's streaming writer into bench/out/ (delete it to regenerate).
 * Each contestant runs in its own child process (its own maxRSS).
 * Last line: `RATIO <ours adopt CPU s / peer CPU s>` (lower is better; 1 = as cheap as a plain read + write).
 */
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "bench", "out");
const TARGET_CPU_S = 20;
const TARGET_MB = 1024;
const TARGET_SAMPLE_S = 30;
const log = (s = "") => process.stdout.write(s + "\n");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const entry = (p) => path.join(ROOT, "build", "cli", "src", ...p.split("/"));

/** Runs the CLI in this process; its printed text. */
async function cli(args) {
  const { main } = require(entry("cli/main.js"));
  let text = "";
  const code = await main(args, { stdout: { write: (s) => (text += s) }, stderr: { write: (s) => (text += s) }, env: {} });
  if (code !== 0) throw new Error(`${args[0]} exited ${code}:\n${text.slice(-2000)}`);
  return text;
}

async function child(mode, arg) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const out = path.join(OUT, `written-${mode}-${process.pid}.xlsx`);
  let info;
  if (mode === "adopt-ours") {
    const text = await cli(["adopt", arg, "-o", out]);
    const cases = /(?:案件|cases) (\d+)/.exec(text);
    info = `${cases ? Number(cases[1]).toLocaleString("en") : "?"} cases`;
  } else if (mode === "adopt-legacy") {
    const { readWorkbookFile, saveWorkbook } = require(entry("stores/xlsx/file.js"));
    const { adoptWorkbook } = require(entry("stores/xlsx/adopt.js"));
    const wb = await readWorkbookFile(arg);
    const plan = await adoptWorkbook(wb, { user: "complaint-ledger" });
    await saveWorkbook(wb, out);
    info = `${plan.table.rows.length.toLocaleString("en")} cases`;
  } else if (mode === "adopt-peer") {
    const ExcelJS = require("exceljs");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(arg);
    await wb.xlsx.writeFile(out);
    info = `${wb.worksheets[0].rowCount.toLocaleString("en")} rows read and written`;
  } else if (mode === "sample-ours") {
    const text = await cli(["sample", "--cases", arg, "-o", out]);
    info = text
      .trim()
      .split("\n")
      .pop()
      .replace(/^.*?: /, "");
  } else if (mode === "sample-legacy") {
    const { generateSample } = require(entry("sample/ledger-sample.js"));
    const { createLedgerWorkbook } = require(entry("stores/xlsx/workbook.js"));
    const { saveWorkbook } = require(entry("stores/xlsx/file.js"));
    const { defaultPolicy } = require(entry("domain/policy/policy.js"));
    const d = await generateSample({ cases: Number(arg) });
    await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d }), out);
    info = `${d.rows.length.toLocaleString("en")} cases, ${d.auditRows.length.toLocaleString("en")} audit entries`;
  } else throw new Error(`unknown mode ${mode}`);
  const cpu = process.cpuUsage(c0);
  const bytes = fs.statSync(out).size;
  fs.rmSync(out, { force: true });
  process.stdout.write(
    JSON.stringify({
      s: Number(process.hrtime.bigint() - t0) / 1e9,
      cpu: (cpu.user + cpu.system) / 1e6,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      info: `${info}, ${(bytes / 1048576).toFixed(1)} MB written`,
    }),
  );
}

async function generate(n, file) {
  const ExcelJS = require("exceljs");
  const { handKeptSheet } = require(entry("sample/handkept.js"));
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

function runChild(mode, arg) {
  const out = execFileSync(process.execPath, ["--max-old-space-size=6144", __filename, "--child", mode, String(arg)], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  return JSON.parse(out);
}

const line = (label, r) =>
  log(
    `${label.padEnd(44)} ${r.cpu.toFixed(1).padStart(5)} s CPU ${r.s.toFixed(1).padStart(6)} s wall  peak RSS ${r.maxRssMb.toFixed(0).padStart(5)} MB  (${r.info})`,
  );
const verdict = (ok) => (ok ? "PASS" : "FAIL");

async function handKeptFile(n) {
  const file = path.join(OUT, `handkept-${n}.xlsx`);
  if (!fs.existsSync(file)) await generate(n, file);
  return file;
}

async function parent() {
  const n = Number(arg("--rows", "50000"));
  const small = Number(arg("--small", "10000"));
  const cases = Number(arg("--cases", "50000"));
  const legacy = !process.argv.includes("--no-legacy");
  log(`writer benchmark (issue 15): adopt a hand-kept sheet of ${n.toLocaleString("en")} rows, sample of ${cases.toLocaleString("en")} cases`);
  log(
    `node ${process.version}, ${process.platform}/${process.arch}, ${require("os").cpus().length} CPUs, load average ${require("os")
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  if (process.argv.includes("--rebuild") || !fs.existsSync(entry("cli/main.js")) || !fs.existsSync(entry("sample/handkept.js"))) {
    log("compiling the CLI (tsconfig.cli.json → build/cli)");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [ROOT] }), "-p", "tsconfig.cli.json"], { cwd: ROOT, stdio: "inherit" });
  }
  fs.mkdirSync(OUT, { recursive: true });
  const file = await handKeptFile(n);
  const smallFile = await handKeptFile(small);
  log(`files: ${path.relative(ROOT, file)} (${(fs.statSync(file).size / 1048576).toFixed(1)} MB), ${path.relative(ROOT, smallFile)}`);
  log("");
  const adoptSmall = runChild("adopt-ours", smallFile);
  const adopt = runChild("adopt-ours", file);
  const peer = runChild("adopt-peer", file);
  const old = legacy ? runChild("adopt-legacy", file) : undefined;
  line(`adopt ${small.toLocaleString("en")} rows, ours`, adoptSmall);
  line(`adopt ${n.toLocaleString("en")} rows, ours`, adopt);
  if (old) line(`adopt ${n.toLocaleString("en")} rows, legacy in-memory writer`, old);
  line(`peer: exceljs readFile + writeFile, ${n.toLocaleString("en")}`, peer);
  log("");
  const sampleSmall = runChild("sample-ours", small);
  const sample = runChild("sample-ours", cases);
  const sampleOld = runChild("sample-legacy", small);
  line(`sample ${small.toLocaleString("en")} cases, ours`, sampleSmall);
  line(`sample ${cases.toLocaleString("en")} cases, ours`, sample);
  line(`sample ${small.toLocaleString("en")} cases, legacy in-memory writer`, sampleOld);
  log("");
  log("targets:");
  log(`  adopt ${n.toLocaleString("en")}: CPU ${adopt.cpu.toFixed(1)} s (target <= ${TARGET_CPU_S} s) ${verdict(adopt.cpu <= TARGET_CPU_S)}`);
  log(`  adopt ${n.toLocaleString("en")}: peak memory ${adopt.maxRssMb.toFixed(0)} MB (target <= ${TARGET_MB} MB) ${verdict(adopt.maxRssMb <= TARGET_MB)}`);
  log(
    `  sample ${cases.toLocaleString("en")}: ${sample.cpu.toFixed(1)} s CPU, ${sample.s.toFixed(1)} s wall (target <= ${TARGET_SAMPLE_S} s) CPU ${verdict(sample.cpu <= TARGET_SAMPLE_S)}, wall ${verdict(sample.s <= TARGET_SAMPLE_S)}`,
  );
  log("memory against rows (the writer streams; what grows is what the step holds: the input workbook for adopt, the generated cases for sample):");
  log(
    `  adopt  ${small.toLocaleString("en")} → ${n.toLocaleString("en")} rows: ${adoptSmall.maxRssMb.toFixed(0)} → ${adopt.maxRssMb.toFixed(0)} MB (${((adopt.maxRssMb - adoptSmall.maxRssMb) / ((n - small) / 1000)).toFixed(1)} MB per 1,000 rows)`,
  );
  log(
    `  sample ${small.toLocaleString("en")} → ${cases.toLocaleString("en")} cases: ${sampleSmall.maxRssMb.toFixed(0)} → ${sample.maxRssMb.toFixed(0)} MB (${((sample.maxRssMb - sampleSmall.maxRssMb) / ((cases - small) / 1000)).toFixed(1)} MB per 1,000 cases)`,
  );
  log("ratios (ours / peer, CPU and memory, same run):");
  log(`  adopt vs exceljs read + write: ${(adopt.cpu / peer.cpu).toFixed(2)}x CPU, ${(adopt.maxRssMb / peer.maxRssMb).toFixed(2)}x memory`);
  if (old) log(`  adopt vs legacy in-memory writer: ${(adopt.cpu / old.cpu).toFixed(2)}x CPU, ${(adopt.maxRssMb / old.maxRssMb).toFixed(2)}x memory`);
  log(
    `  sample ${small.toLocaleString("en")} vs legacy in-memory writer: ${(sampleSmall.cpu / sampleOld.cpu).toFixed(2)}x CPU, ${(sampleSmall.maxRssMb / sampleOld.maxRssMb).toFixed(2)}x memory`,
  );
  log(`SAMPLE_S ${sample.cpu.toFixed(1)}`);
  log(`RATIO ${(adopt.cpu / peer.cpu).toFixed(2)}`);
}

if (process.argv[2] === "--child")
  child(process.argv[3], process.argv[4]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
else
  parent().catch((e) => {
    console.error(e);
    process.exit(1);
  });
