/**
 * Same numbers everywhere: on one .xlsx ledger, the dashboard's finance
 * figures (and the dashboard sheet written into the file), the finance
 * review's totals for a half-month, and `complaint-ledger report --finance
 * --json` (main() in-process) give identical figures — on the generated
 * sample, and on a ledger built here whose totals are known by construction.
 */
import { promises as fs } from "fs";
import os from "os";
import path from "path";
import { Workbook } from "exceljs";
import { main } from "../../src/cli/main";
import { serialToIso, ymdToSerial } from "../../src/domain/dates";
import { todayIn } from "../../src/domain/zone";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { calendarFor } from "../../src/domain/sla";
import { buildDashboard, type Dashboard } from "../../src/reports/dashboard";
import { dashboardLayout } from "../../src/reports/report-sheets";
import { financeReview } from "../../src/reports/finance-review";
import { ledgerColumns, SHEETS } from "../../src/ledger/workbook-layout";
import { emptyLedgerData } from "../../src/stores/memory";
import { recordToRow } from "../../src/ledger/records";
import type { FinanceLine, FinanceReport } from "../../src/reports/finance-summary";
import { generateSample } from "../../src/sample/ledger-sample";
import { Ledger } from "../../src/ledger/service";
import type { LedgerData } from "../../src/ledger/store";
import { openLedgerFile, saveWorkbook } from "../../src/stores/xlsx/file";
import { createLedgerWorkbook } from "../../src/stores/xlsx/workbook";
import { caseAt, recordOf } from "./cases";
import { shanghai } from "../fakes/clock";

jest.setTimeout(120_000);

const NOW = shanghai(2026, 5, 30, 10, 0, 0);
const now = () => NOW;
const policy = defaultPolicy();
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-same-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<FinanceReport> {
  let out = "",
    err = "";
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env: {}, now });
  if (code !== 0) throw new Error(`exit ${code}: ${err}`);
  return JSON.parse(out) as FinanceReport;
}

async function writeFile(name: string, data: LedgerData): Promise<string> {
  const file = path.join(dir, name);
  await saveWorkbook(
    createLedgerWorkbook({ policy, header: data.header, rows: data.rows, peopleRows: data.peopleRows, auditRows: data.auditRows, meta: data.meta, now: NOW }),
    file,
  );
  return file;
}

/** The file as the task pane would see it: the xlsx store under the Ledger service. */
async function open(file: string) {
  const { workbook, store } = await openLedgerFile(file, { now });
  const ledger = new Ledger(store, { now });
  await ledger.load();
  const dashboard = buildDashboard(
    ledger.rows.map((r) => r.case),
    ledger.policy,
    calendarFor(ledger.policy),
    todayIn(NOW),
  );
  return { workbook, store, ledger, dashboard };
}

/** Free/charged counts and cost of a review's lines. */
function reviewTotals(r: ReturnType<typeof financeReview>) {
  const pick = (charge: string) => r.lines.filter((l) => l.charge === charge);
  const cost = (ls: typeof r.lines) => Math.round(ls.reduce((t, l) => t + (l.cost ?? 0), 0) * 100) / 100;
  return { free: pick("免费").length, charged: pick("收费").length, freeCost: cost(pick("免费")), chargedCost: cost(pick("收费")) };
}

const figures = (l: FinanceLine) => ({ free: l.free, charged: l.charged, freeCost: l.freeCost, chargedCost: l.chargedCost });

/** The "合计 Total" row of the finance summary on a dashboard sheet read back from the file. */
async function sheetTotal(file: string) {
  const wb = new Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet(SHEETS.dashboard)!;
  let found: (string | number | null)[] | undefined;
  ws.eachRow((row) => {
    const v = row.values as (string | number | null)[];
    if (v[1] === "合计 Total") found = v.slice(2, 6);
  });
  const [free, freeCost, charged, chargedCost] = found ?? [];
  return { free, charged, freeCost, chargedCost };
}

async function sameEverywhere(file: string, expectTotal?: ReturnType<typeof figures>): Promise<Dashboard> {
  const { ledger, store, workbook, dashboard } = await open(file);
  const whole = await cli("report", file, "--finance", "--json");
  // The dashboard's finance summary is the report, field for field.
  expect(JSON.parse(JSON.stringify(dashboard.finance))).toEqual(whole);
  if (expectTotal) expect(figures(whole.total)).toEqual(expectTotal);

  // Each half-month: the review's lines, the CLI narrowed to the period and the dashboard's period line agree.
  expect(whole.byPeriod.length).toBeGreaterThan(0);
  for (const p of whole.byPeriod) {
    const [y, m, h] = /^(\d{4})-(\d{2}) H([12])$/.exec(p.key)!.slice(1).map(Number);
    const start = ymdToSerial(y, m, h === 1 ? 1 : 16);
    const review = financeReview(ledger.rows, ledger.auditEntries(), ledger.policy, start);
    expect(review.period.key).toBe(p.key);
    const narrowed = await cli("report", file, "--finance", "--json", "--from", serialToIso(review.period.start), "--to", serialToIso(review.period.end));
    expect(figures(narrowed.total)).toEqual(figures(p));
    expect(reviewTotals(review)).toEqual(figures(p));
    expect(review.lines.length).toBe(narrowed.cases);
  }

  // The dashboard sheet written into the file shows the same total.
  await store.writeSheet(dashboardLayout(dashboard));
  await saveWorkbook(workbook, file);
  expect(await sheetTotal(file)).toEqual(figures(whole.total));
  // …and the file is still a ledger the CLI reads the same way.
  expect(await cli("report", file, "--finance", "--json")).toEqual(whole);
  return dashboard;
}

test("the generated sample: dashboard, finance review and the CLI report agree to the cent", async () => {
  const file = await writeFile("sample.xlsx", await generateSample({ seed: 7, cases: 240 }));
  const d = await sameEverywhere(file);
  expect(d.finance.cases).toBeGreaterThan(20);
  expect(d.finance.byPeriod.length).toBeGreaterThan(2);
});

test("a ledger with known totals: every path gives the totals it was built with", async () => {
  // 30 closed cases in June 2026 (closing 7 days after receipt): even i → QC, free, cost 10.5·(i+1);
  // odd i → DEALER, charged, cost 20·i. Receipts on 1–14 June close in H1 or H2 by construction.
  const data = emptyLedgerData(policy);
  const keys = ledgerColumns(policy).map((c) => c.key);
  let free = 0,
    charged = 0,
    freeCost = 0,
    chargedCost = 0;
  const h1 = { free: 0, charged: 0, freeCost: 0, chargedCost: 0 };
  for (let i = 0; i < 30; i++) {
    const qc = i % 2 === 0;
    const cost = qc ? 10.5 * (i + 1) : 20 * i;
    const received = ymdToSerial(2026, 6, 1 + (i % 14)) + 9 / 24;
    const closed = Math.floor(received) + 7;
    const c = caseAt("CLOSED", policy, {
      caseNo: `KS-2026-${String(i + 1).padStart(4, "0")}`,
      receivedAt: received,
      closedAt: closed,
      customer: ["甲", "乙", "丙"][i % 3],
      responsibility: qc ? "QC" : "DEALER",
      charge: qc ? "FREE" : "CHARGED",
      cost,
    });
    data.rows.push(recordToRow(keys, recordOf(c, policy)));
    if (qc) {
      free++;
      freeCost += cost;
    } else {
      charged++;
      chargedCost += cost;
    }
    if (closed <= ymdToSerial(2026, 6, 15)) {
      if (qc) {
        h1.free++;
        h1.freeCost += cost;
      } else {
        h1.charged++;
        h1.chargedCost += cost;
      }
    }
  }
  // An open case that is marked but has no cost counts with cost 0 (and is flagged in the review).
  data.rows.push(
    recordToRow(
      keys,
      recordOf(
        caseAt("RESPONSIBILITY", policy, {
          caseNo: "KS-2026-0031",
          receivedAt: ymdToSerial(2026, 6, 3) + 0.4,
          responsibility: "QC",
          charge: "FREE",
        }),
        policy,
      ),
    ),
  );
  free++;
  h1.free++;
  const file = await writeFile("known.xlsx", data);
  const d = await sameEverywhere(file, { free, charged, freeCost, chargedCost });
  expect(d.finance.missingCost).toBe(1);
  expect(figures(d.finance.byPeriod.find((p) => p.key === "2026-06 H1")!)).toEqual(h1);
  const { ledger } = await open(file);
  const review = financeReview(ledger.rows, ledger.auditEntries(), ledger.policy, ymdToSerial(2026, 6, 10));
  expect(review.lines.find((l) => l.caseNo === "KS-2026-0031")!.issues.map((i) => i.code)).toEqual(["COST_MISSING"]);
});
