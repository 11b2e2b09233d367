import { ymdToSerial } from "../../src/domain/dates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { financeReview, reviewCsv, reviewTotals } from "../../src/reports/finance-review";
import { financeReport } from "../../src/reports/finance-summary";
import { financeLayout } from "../../src/reports/report-sheets";
import { markedCharge } from "../../src/domain/responsibility";
import { reviewEntries } from "../../src/ledger/finance-marks";
import { ledgerColumns } from "../../src/ledger/workbook-layout";
import { emptyLedgerData, MemoryStore } from "../../src/stores/memory";
import { recordToRow } from "../../src/ledger/records";
import { Ledger, type Actor } from "../../src/ledger/service";
import { caseAt, recordOf } from "../ledger/cases";
import { shanghai } from "../fakes/clock";

const policy = defaultPolicy();
const keys = ledgerColumns(policy).map((c) => c.key);
const cqe: Actor = { name: "陈工", source: "chosen" };
const finance: Actor = { name: "财务刘", source: "chosen" };

async function setup() {
  const data = emptyLedgerData(policy);
  const add = (no: string, o: Parameters<typeof caseAt>[2]) =>
    data.rows.push(recordToRow(keys, recordOf(caseAt("CLOSED", policy, { caseNo: no, ...o }), policy)));
  // Closed 2026-03-09 (caseAt: closedAt = receipt + 7): first half of March.
  add("F1", { responsibility: "QC", charge: "FREE", cost: 120 });
  add("F2", { responsibility: "DEALER", charge: "FREE", cost: 50 });
  add("C1", { responsibility: undefined, charge: "CHARGED", cost: 80 });
  add("C2", { responsibility: "DEALER", charge: "CHARGED", cost: undefined });
  // Judged, not yet marked: booked on its receipt (2026-03-02) once marked.
  data.rows.push(recordToRow(keys, recordOf(caseAt("JUDGED", policy, { caseNo: "J1" }), policy)));
  // Second half: not in this review.
  add("L1", { responsibility: "QC", charge: "FREE", cost: 10, closedAt: ymdToSerial(2026, 3, 20) });
  const store = new MemoryStore(data);
  const ledger = new Ledger(store, { now: () => shanghai(2026, 2, 16, 10, 0, 0) });
  await ledger.load();
  return { ledger, store };
}

describe("finance review", () => {
  test("lists the half-month's marked cases with their inconsistencies", async () => {
    const { ledger } = await setup();
    const r = financeReview(ledger.rows, ledger.auditEntries(), ledger.policy, ymdToSerial(2026, 3, 9));
    expect(r.period.key).toBe("2026-03 H1");
    expect(r.lines.map((l) => l.caseNo)).toEqual(["F1", "F2", "C1", "C2"]);
    const codes = Object.fromEntries(r.lines.map((l) => [l.caseNo, l.issues.map((i) => i.code)]));
    expect(codes).toEqual({ F1: [], F2: ["FREE_CUSTOMER_FAULT"], C1: ["CHARGED_NO_RESPONSIBILITY"], C2: ["COST_MISSING"] });
    expect(r.issues).toBe(3);
  });

  test("who marked a case comes from the audit log; a change after review is flagged", async () => {
    const { ledger } = await setup();
    // Marking free against the customer's fault is refused at the source, so it never reaches finance unnoticed.
    expect((await ledger.updateCase("J1", { responsibility: "DEALER", charge: "FREE" }, cqe)).ok).toBe(false);
    const u = await ledger.updateCase("J1", { responsibility: "QC", charge: "FREE", cost: 30, status: "RESPONSIBILITY" }, cqe);
    expect(u).toMatchObject({ ok: true });
    await ledger.record(reviewEntries(ledger.rows, ["J1", "C2"], finance.name));
    let r = financeReview(ledger.rows, ledger.auditEntries(), ledger.policy, ymdToSerial(2026, 3, 1));
    const j1 = r.lines.find((l) => l.caseNo === "J1")!;
    expect(j1).toMatchObject({ charge: "免费", cost: 30, markedBy: "陈工", markedAt: "2026-03-16 10:00:00", reviewed: { by: "财务刘" }, issues: [] });
    expect(r.lines.find((l) => l.caseNo === "F1")!.markedBy).toBe("");
    expect(r.reviewed).toBe(2);

    expect((await ledger.updateCase("J1", { cost: 999 }, cqe)).ok).toBe(true);
    r = financeReview(ledger.rows, ledger.auditEntries(), ledger.policy, ymdToSerial(2026, 3, 1));
    expect(r.lines.find((l) => l.caseNo === "J1")!.issues.map((i) => i.code)).toEqual(["CHANGED_AFTER_REVIEW"]);
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });

  test("the CSV opens in Excel: BOM, quoted commas, and no formula injection", async () => {
    const { ledger } = await setup();
    await ledger.updateCase("F1", { customer: '=HYPERLINK("http://x","点我")' }, cqe);
    const csv = reviewCsv(financeReview(ledger.rows, ledger.auditEntries(), ledger.policy, ymdToSerial(2026, 3, 1)));
    expect(csv.startsWith("\uFEFF客诉单号 Case No.,")).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""点我"")"`);
    expect(csv.split("\r\n").length).toBe(6); // header, four cases, final newline
  });
});

describe("marking reviewed", () => {
  test("only someone the People sheet gives the Finance role may mark; a refusal is logged and marks nothing", async () => {
    const { ledger, store } = await setup();
    const r = await ledger.markReviewed(["F1"], cqe);
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.reasons[0].code).toBe("NOT_YOUR_ROLE");
    expect(ledger.auditEntries().map((e) => e.action)).toEqual(["REVIEW_REFUSED"]);

    store.data.peopleRows.push([finance.name, "财务", null, null]);
    await ledger.load();
    const ok = await ledger.markReviewed(["F1", "C2"], finance);
    expect(ok.ok).toBe(true);
    expect(
      ledger
        .auditEntries()
        .filter((e) => e.action === "FINANCE_REVIEWED")
        .map((e) => [e.caseNo, e.user, e.newValue]),
    ).toEqual([
      ["F1", "财务刘", "FREE|120"],
      ["C2", "财务刘", "CHARGED|"],
    ]);
    expect((await ledger.markReviewed(["NOPE"], finance)).ok).toBe(false);
  });
});

describe("csv", () => {
  test("formula-looking text is defused, numbers are not, quotes and line breaks are quoted", async () => {
    const { csvCell, toCsv } = await import("../../src/reports/csv");
    expect(csvCell("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvCell("-5")).toBe("'-5");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell('说"明",换\r\n行')).toBe('"说""明"",换\r\n行"');
    expect(csvCell(null)).toBe("");
    expect(
      toCsv(
        [
          ["a", 1],
          ["b", 2],
        ],
        "\n",
      ),
    ).toBe("a,1\nb,2\n");
  });
});

describe("one rule for what is marked and how it is totalled (issue 27, items 5 and 6)", () => {
  test("totals count the marking by code, not by the label the sheet shows; the review sheet shows those totals", async () => {
    const { ledger } = await setup();
    const r = financeReview(ledger.rows, ledger.auditEntries(), ledger.policy, ymdToSerial(2026, 3, 9));
    const t = reviewTotals(r);
    expect(t).toEqual({ free: { n: 2, cost: 170 }, charged: { n: 2, cost: 80 }, all: { n: 4, cost: 250 } });
    // Labels in another language (or renamed) change nothing: the code decides.
    const relabelled = { ...r, lines: r.lines.map((l) => ({ ...l, charge: l.chargeCode === "FREE" ? "Free" : "Charged" })) };
    expect(reviewTotals(relabelled)).toEqual(t);
    const head = financeLayout(relabelled).blocks[0];
    expect(head.rows.slice(0, 3)).toEqual([
      ["免费 Free", t.free.n, t.free.cost],
      ["收费 Charged", t.charged.n, t.charged.cost],
      ["合计 Total", t.all.n, t.all.cost],
    ]);
  });

  test("a case is marked when its charge is FREE or CHARGED, and the review, the summary and the periods agree on which", async () => {
    expect(["FREE", "CHARGED", undefined, "", "免费"].map((charge) => markedCharge({ charge }))).toEqual(["FREE", "CHARGED", undefined, undefined, undefined]);
    const { ledger } = await setup();
    const cases = ledger.rows.map((r) => r.case);
    const review = financeReview(ledger.rows, ledger.auditEntries(), ledger.policy, ymdToSerial(2026, 3, 9));
    const summary = financeReport(cases, ledger.policy, { from: review.period.start, to: review.period.end });
    expect(summary.cases).toBe(review.lines.length);
    expect(cases.filter((c) => markedCharge(c)).length).toBeGreaterThan(review.lines.length); // L1 is marked, in the next half-month
  });
});

test("the review sheet's money format sits on the cost column, whatever the column order (issue 27, item 10)", async () => {
  const { ledger } = await setup();
  const r = financeReview(ledger.rows, ledger.auditEntries(), ledger.policy, ymdToSerial(2026, 3, 9));
  const lines = financeLayout(r).blocks[1];
  const cost = lines.header!.indexOf("费用 Cost");
  expect(cost).toBeGreaterThanOrEqual(0);
  expect(lines.formats!.flatMap((f, i) => (f ? [i] : []))).toEqual([cost]);
  expect(lines.rows.map((row) => row[cost])).toEqual(r.lines.map((l) => l.cost ?? null));
  expect(financeLayout(r).widths).toHaveLength(lines.header!.length);
  // The CSV of the period has the same columns as the sheet.
  expect(reviewCsv(r).split("\r\n")[0].replace("\uFEFF", "").split(",")).toEqual(lines.header);
});
