/**
 * `complaint-ledger report FILE --month YYYY-MM -o FILE.xlsx [--json]` on the sample ledger: the workbook's figures
 * against an independent count of the ledger's rows (exceljs, plain loops over the cells — not monthlyReview), against
 * `check` and the finance summary, the charts as DrawingML parts, LibreOffice opening it, and the refusals.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { Workbook, type Worksheet } from "exceljs";
import { cliAt } from "./run";
import { SHEETS } from "../../src/ledger/workbook-layout";
import { findProgram, needsProgram, testIf } from "../programs";
import { shanghai } from "../fakes/clock";

jest.setTimeout(120000);
const cli = cliAt(() => shanghai(2026, 5, 30, 10, 0, 0));
let dir: string;
const p = (f: string) => path.join(dir, f);
let ledger: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-month-"));
  ledger = p("sample.xlsx");
  expect((await cli("sample", "-o", ledger)).code).toBe(0);
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------- the independent count

/** A date cell as "YYYY-MM-DD" of its wall-clock day: exceljs gives dates as UTC Dates, serials as numbers. */
function isoDay(v: unknown): string | undefined {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "number") return new Date(Math.round((v - 25569) * 86400000)).toISOString().slice(0, 10);
  return undefined;
}

interface Row {
  received?: string;
  closed?: string;
  followUp?: string;
  status: string;
  kind: string;
  market: string;
  defect: string;
  satisfaction: string;
}

async function ledgerRows(file: string): Promise<Row[]> {
  const wb = new Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet(SHEETS.ledger)!;
  const header = Array.from(ws.getRow(1).values as unknown[], (v) => String(v ?? ""));
  const col = (h: string) => {
    const i = header.findIndex((x) => x.startsWith(h));
    if (i < 0) throw new Error(`no column ${h}`);
    return i;
  };
  const c = {
    r: col("接收时间"),
    k: col("结案日期"),
    f: col("跟踪日期"),
    s: col("状态"),
    kind: col("类别"),
    m: col("国内/国际"),
    d: col("不良现象"),
    sat: col("满意度"),
  };
  const rows: Row[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const v = Array.from(row.values as unknown[]);
    const text = (i: number) => (v[i] === null || v[i] === undefined ? "" : String(v[i]).trim());
    if (!text(1)) return;
    rows.push({
      received: isoDay(v[c.r]),
      closed: isoDay(v[c.k]),
      followUp: isoDay(v[c.f]),
      status: text(c.s),
      kind: text(c.kind),
      market: text(c.m),
      defect: text(c.d),
      satisfaction: text(c.sat),
    });
  });
  return rows;
}

function countMonth(rows: readonly Row[], month: string) {
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
  let received = 0,
    closed = 0,
    openAtEnd = 0;
  const kinds: Record<string, number> = {};
  const markets: Record<string, number> = {};
  const defects: Record<string, number> = {};
  const satisfaction: Record<string, number> = {};
  for (const r of rows) {
    if (r.received?.startsWith(month)) {
      received++;
      kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
      markets[r.market || "(blank)"] = (markets[r.market || "(blank)"] ?? 0) + 1;
      defects[r.defect] = (defects[r.defect] ?? 0) + 1;
    }
    if (r.closed?.startsWith(month)) closed++;
    if (r.followUp?.startsWith(month)) satisfaction[r.satisfaction] = (satisfaction[r.satisfaction] ?? 0) + 1;
    const closedByEnd = r.closed !== undefined ? r.closed <= last : r.status === "已结案" || r.status === "已跟踪";
    if (r.received !== undefined && r.received <= last && !closedByEnd) openAtEnd++;
  }
  return { received, closed, openAtEnd, kinds, markets, defects, satisfaction };
}

// ---------------------------------------------------------------- the workbook's figures

/** The block under a title cell (column A): its header row and rows up to the first blank row. */
function block(ws: Worksheet, title: string): { header: string[]; rows: unknown[][] } {
  let at = 0;
  ws.eachRow((row, n) => {
    if (!at && textOf(row.getCell(1).value).startsWith(title)) at = n;
  });
  if (!at) throw new Error(`no block ${title}`);
  const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
  const rows: unknown[][] = [];
  for (let n = at + 2; ws.getRow(n).getCell(1).value !== null && ws.getRow(n).getCell(1).value !== undefined; n++) rows.push(values(n));
  return { header: values(at + 1).map(String), rows };
}

async function reviewSheet(file: string): Promise<Worksheet> {
  const wb = new Workbook();
  await wb.xlsx.readFile(file);
  return wb.getWorksheet(SHEETS.review)!;
}

/** A cell's text, rich text (as LibreOffice saves some cells) included. */
const textOf = (v: unknown): string =>
  v && typeof v === "object" && "richText" in v ? (v as { richText: { text: string }[] }).richText.map((t) => t.text).join("") : String(v ?? "");

/** The summary's value by the start of its label. */
function summary(ws: Worksheet, label: string): unknown {
  let v: unknown;
  ws.eachRow((row) => {
    if (v === undefined && textOf(row.getCell(1).value).startsWith(label)) v = row.getCell(2).value;
  });
  return v;
}

describe("report --month: the workbook against the ledger's rows", () => {
  test.each(["2026-05", "2026-06", "2026-02"])("%s: received, closed, open at the end, by kind and market, defects, satisfaction", async (month) => {
    const out = p(`review-${month}.xlsx`);
    const r = await cli("report", ledger, "--month", month, "-o", out);
    expect(r.code).toBe(0);
    const mine = countMonth(await ledgerRows(ledger), month);
    expect(mine.received).toBeGreaterThan(0);
    const ws = await reviewSheet(out);
    expect({ received: summary(ws, "本月接收"), closed: summary(ws, "本月结案"), openAtEnd: summary(ws, "月末未结") }).toEqual({
      received: mine.received,
      closed: mine.closed,
      openAtEnd: mine.openAtEnd,
    });
    // By kind: every label the ledger shows, with its count; the sheet's label starts with the ledger's 中文 label.
    const kinds = block(ws, "按类别").rows.filter((x) => Number(x[1]) > 0);
    expect(Object.fromEntries(kinds.map((x) => [String(x[0]).split(" ")[0], x[1]]))).toEqual(mine.kinds);
    const markets = block(ws, "按市场").rows.filter((x) => Number(x[1]) > 0);
    expect(Object.fromEntries(markets.map((x) => [String(x[0]).split(" ")[0].replace("(空)", "(blank)"), x[1]]))).toEqual(mine.markets);
    // Pareto of defects: the counts, in order, top 10 then the rest; the last running share is 100 %.
    const defects = block(ws, "不良现象柏拉图").rows;
    const counts = Object.values(mine.defects).sort((a, b) => b - a);
    const expected = counts.length > 10 ? [...counts.slice(0, 10), counts.slice(10).reduce((a, b) => a + b, 0)] : counts;
    expect(defects.map((x) => x[1])).toEqual(expected);
    expect(defects[defects.length - 1][2]).toBeCloseTo(1, 4);
    for (const x of defects.slice(0, 10)) expect(mine.defects[String(x[0])]).toBe(x[1]);
    // Satisfaction of the month's follow-ups.
    const sat = block(ws, "满意度(本月回访").rows.filter((x) => Number(x[1]) > 0);
    expect(Object.fromEntries(sat.map((x) => [String(x[0]).split(" ")[0].replace("(空)", ""), x[1]]))).toEqual(mine.satisfaction);
    // The trend's last month is the month.
    const trend = block(ws, "12 个月趋势").rows;
    expect(trend).toHaveLength(12);
    expect(trend[11].slice(0, 4)).toEqual([month, mine.received, mine.closed, mine.openAtEnd]);
  });

  test("the figures agree with check and the finance summary on the same ledger", async () => {
    const json = JSON.parse((await cli("report", ledger, "--month", "2026-06", "--json")).out);
    expect(Object.keys(json).slice(0, 4)).toEqual(["month", "start", "end", "received"]);
    expect(json).toMatchObject({ month: "2026-06" });
    // check counts every case; the sample's cases are all received in the twelve months of June's trend.
    const check = JSON.parse((await cli("check", ledger, "--json")).out);
    const trendReceived = json.trend.reduce((t: number, m: { received: number }) => t + m.received, 0);
    expect(trendReceived + json.undated).toBe(check.cases);
    for (const month of ["2026-05", "2026-06"]) {
      const rev = JSON.parse((await cli("report", ledger, "--month", month, "--json")).out);
      const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
      const fin = JSON.parse((await cli("report", ledger, "--finance", "--json", "--from", `${month}-01`, "--to", last)).out);
      expect(rev.freeCharged.free).toEqual({ n: fin.total.free, cost: fin.total.freeCost });
      expect(rev.freeCharged.charged).toEqual({ n: fin.total.charged, cost: fin.total.chargedCost });
      // Cost by responsibility covers the same booked cases' cost as finance, and more (unmarked cases too).
      const booked = rev.costByResponsibility.reduce((t: number, l: { cost: number }) => t + l.cost, 0);
      expect(booked).toBeGreaterThanOrEqual(fin.total.freeCost + fin.total.chargedCost - 0.01);
    }
  });
});

describe("report --month: the streaming pass is the review of the loaded ledger", () => {
  test("the command's JSON equals reviewOfLedger over the same file (every case and the audit log)", async () => {
    const { openLedgerFile } = await import("../../src/stores/xlsx/file");
    const { Ledger } = await import("../../src/ledger/service");
    const { reviewOfLedger } = await import("../../src/reports/monthly-review-sheet");
    const { store } = await openLedgerFile(ledger);
    const l = new Ledger(store, { now: () => shanghai(2026, 5, 30, 10, 0, 0) });
    await l.load();
    for (const month of ["2026-03", "2026-06"]) {
      const json = JSON.parse((await cli("report", ledger, "--month", month, "--json")).out);
      expect(json).toEqual(JSON.parse(JSON.stringify(reviewOfLedger(l, month))));
      expect(json.onTime.some((o: { met: number }) => o.met > 0)).toBe(true);
    }
  });
});

describe("report --month: the money trail", () => {
  test("a dealer debit to book shows in a month that does not book its case, from the file as from the loaded ledger", async () => {
    const { defaultPolicy } = await import("../../src/domain/policy/policy");
    const { ymdToSerial } = await import("../../src/domain/dates");
    const { ledgerColumns } = await import("../../src/ledger/workbook-layout");
    const { recordToRow } = await import("../../src/ledger/records");
    const { createLedgerWorkbook } = await import("../../src/stores/xlsx/workbook");
    const { saveWorkbook, openLedgerFile } = await import("../../src/stores/xlsx/file");
    const { Ledger } = await import("../../src/ledger/service");
    const { reviewOfLedger } = await import("../../src/reports/monthly-review-sheet");
    const { caseAt, recordOf } = await import("../ledger/cases");
    const policy = defaultPolicy();
    const cols = ledgerColumns(policy);
    const keys = cols.map((c) => c.key);
    const feb = (d: number) => ymdToSerial(2026, 2, d);
    const debit = caseAt("JUDGED", policy, {
      caseNo: "KS-2026-0001",
      receivedAt: feb(3) + 0.4,
      dealerDebitAmount: 640,
      dealerNotifiedAt: feb(20),
    });
    const other = caseAt("CLOSED", policy, { caseNo: "KS-2026-0002", closedAt: ymdToSerial(2026, 3, 9) });
    const file = p("money.xlsx");
    const rows = [debit, other].map((c) => recordToRow(keys, recordOf(c, policy)));
    await saveWorkbook(createLedgerWorkbook({ policy, header: cols.map((c) => c.header), rows, peopleRows: [], now: shanghai(2026, 3, 1) }), file);
    const json = JSON.parse((await cli("report", file, "--month", "2026-03", "--json")).out);
    expect(json.received).toBe(1);
    expect(json.money.debitsToBook).toEqual([expect.objectContaining({ caseNo: "KS-2026-0001", amount: 640, date: "2026-02-20" })]);
    const l = new Ledger((await openLedgerFile(file)).store, { now: () => shanghai(2026, 5, 30, 10, 0, 0) });
    await l.load();
    expect(json).toEqual(JSON.parse(JSON.stringify(reviewOfLedger(l, "2026-03"))));
  });
});

describe("report --month: charts, files and refusals", () => {
  test("the workbook carries native charts: a Pareto (bars + cumulative line on a second axis) and the trend", async () => {
    const out = p("charts.xlsx");
    expect((await cli("report", ledger, "--month", "2026-05", "-o", out)).code).toBe(0);
    const { zipParts, partText } = await import("../../src/stores/xlsx/zip/zip-write");
    const parts = new Map(zipParts(await fs.readFile(out)).map((x) => [x.name, x]));
    const charts = [...parts.keys()].filter((n) => /^xl\/charts\/chart\d+\.xml$/.test(n)).map((n) => partText(parts.get(n)!));
    expect(charts.length).toBeGreaterThanOrEqual(2);
    const trend = charts.find((c) => c.includes("12-month trend"))!;
    const pareto = charts.find((c) => c.includes("Pareto of defects"))!;
    for (const c of [trend, pareto]) {
      expect(c).toContain("<c:barChart>");
      expect(c).toContain("<c:lineChart>");
      expect(c.match(/<c:valAx>/g)).toHaveLength(2);
      expect(c).toMatch(/<c:f>'月度检讨 Review'!\$A\$\d+:\$A\$\d+<\/c:f>/);
    }
    expect(partText(parts.get("[Content_Types].xml")!)).toContain("drawingml.chart+xml");
    expect(partText(parts.get("xl/worksheets/sheet1.xml")!)).toMatch(/<drawing r:id="rIdDrawing1"\/><\/worksheet>$/);
  });

  test("a month with no cases writes zeros; bad input is refused in both languages (exit 2) and nothing is overwritten", async () => {
    const empty = JSON.parse((await cli("report", ledger, "--month", "2024-01", "--json")).out);
    expect(empty).toMatchObject({ month: "2024-01", received: 0, closed: 0, openAtEnd: 0 });
    for (const bad of ["2026-13", "2026/05", "May"]) {
      const zh = await cli("report", ledger, "--month", bad, "-o", p("bad.xlsx"), "--lang", "zh");
      expect(zh.code).toBe(2);
      expect(zh.err).toMatch(/月份.*无效/);
      const en = await cli("report", ledger, "--month", bad, "-o", p("bad.xlsx"), "--lang", "en");
      expect(en.code).toBe(2);
      expect(en.err).toMatch(/is not a month: write YYYY-MM/);
    }
    await expect(fs.stat(p("bad.xlsx"))).rejects.toThrow();
    expect((await cli("report", ledger, "--month", "2026-05")).code).toBe(2);
    expect((await cli("report", ledger, "--month", "2026-05", "-o", p("x.csv"))).code).toBe(2);
    expect((await cli("report", ledger, "--month", "2026-05", "--finance")).code).toBe(2);
    const out = p("exists.xlsx");
    await fs.writeFile(out, "keep me");
    const refused = await cli("report", ledger, "--month", "2026-05", "-o", out, "--lang", "en");
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/already exists/);
    expect(await fs.readFile(out, "utf8")).toBe("keep me");
    expect((await cli("report", ledger, "--month", "2026-05", "-o", out, "--force")).code).toBe(0);
    expect((await reviewSheet(out)).name).toBe(SHEETS.review);
  });

  test("without --month, report keeps its contract", async () => {
    expect((await cli("report", ledger)).code).toBe(2);
    expect((await cli("report", ledger, "--finance", "-o", p("f.xlsx"))).code).toBe(2);
    expect((await cli("report", ledger, "--finance", "--json")).code).toBe(0);
  });
});

const office = findProgram(["libreoffice", "soffice"]);
const maybe = testIf(
  needsProgram("LibreOffice (libreoffice/soffice) for the monthly review workbook", office !== undefined, "apt-get install libreoffice-calc"),
);

maybe("LibreOffice opens the review workbook and keeps its charts when it saves it again", async () => {
  const out = p("lo-in.xlsx");
  expect((await cli("report", ledger, "--month", "2026-05", "-o", out)).code).toBe(0);
  const outDir = p("lo");
  const profile = `file://${p("lo-profile")}`;
  const r = spawnSync(office!, [`-env:UserInstallation=${profile}`, "--headless", "--convert-to", "xlsx", "--outdir", outDir, out], {
    encoding: "utf8",
    timeout: 110_000,
  });
  expect(r.status).toBe(0);
  const { zipParts, partText } = await import("../../src/stores/xlsx/zip/zip-write");
  const parts = zipParts(await fs.readFile(path.join(outDir, "lo-in.xlsx")));
  const charts = parts.filter((x) => /^xl\/charts\/chart\d+\.xml$/.test(x.name)).map(partText);
  const mine = zipParts(await fs.readFile(out)).filter((x) => /^xl\/charts\/chart\d+\.xml$/.test(x.name));
  expect(charts).toHaveLength(mine.length);
  expect(charts.some((c) => c.includes("Pareto of defects") && c.includes("<c:lineChart>") && c.includes("<c:barChart>"))).toBe(true);
  // The values LibreOffice read back are the sheet's own.
  const wb = new Workbook();
  await wb.xlsx.readFile(path.join(outDir, "lo-in.xlsx"));
  const ws = wb.getWorksheet(SHEETS.review)!;
  expect(summary(ws, "本月接收")).toBe(summary(await reviewSheet(out), "本月接收"));
});
