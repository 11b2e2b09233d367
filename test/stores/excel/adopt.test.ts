/**
 * Adoption in Excel: read the hand-kept sheet (1 sync), plan it (pure),
 * apply it (2 syncs) — at 10 and at 10,000 rows — keeping a backup of every
 * original cell, and leaving a ledger table with its formats and rules,
 * the Problems, Policy, People, Audit and meta sheets, and an intact chain.
 */
import { ymdToSerial } from "../../../src/domain/dates";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { policyFromRows, policyToRows } from "../../../src/domain/policy/policy-table";
import { ledgerSchema } from "../../../src/domain/schema";
import { planAdoption } from "../../../src/adoption/planner";
import { verifyAudit } from "../../../src/ledger/audit";
import { applyAdoption, backupName, readSheetGrid } from "../../../src/stores/excel/adopt";
import { applyRules, FILLS, listSource } from "../../../src/stores/excel/rules";
import { ExcelStore } from "../../../src/stores/excel/store";
import { columnLetter, computedColumns, ledgerColumns, META, SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import { keysOfHeader, numberFormatOf } from "../../../src/ledger/records";
import { Ledger } from "../../../src/ledger/service";
import { FakeExcel, PAYLOAD_LIMIT, type Prim } from "../../fakes/excel-fake";
import { NOW, readChunks, USER } from "./setup";

jest.setTimeout(120_000);

const SHEET = "2026年客诉台账";
const HEADER = ["客诉单号", "投诉日期", "客户名称", "产品名称", "型号", "不良现象", "责任部门", "处理方式", "是否收费", "业务员"];

/** A hand-kept sheet: merged title, Chinese headers, `n` cases, a total row. */
function handKept(n: number): FakeExcel {
  const fake = new FakeExcel([SHEET]);
  const rows: Prim[][] = [["2026年客诉处置台账"], HEADER];
  for (let i = 0; i < n; i++) {
    rows.push([
      `KS-2026-${String(i + 1).padStart(4, "0")}`,
      ymdToSerial(2026, 3, 2) + (i % 5),
      i % 2 ? "华为" : "美的",
      "支架",
      "0012",
      "表面划伤",
      i % 3 ? "品质部" : "经销商",
      i % 3 ? "返工" : "退回",
      i % 3 ? "免费" : "收费",
      "张三",
    ]);
  }
  rows.push(["合计", "", "", "", "", "", "", "", "", ""]);
  fake.seed(SHEET, 0, 0, rows);
  fake.sheet(SHEET)!.merges.push({ r: 0, c: 0, h: 1, w: HEADER.length });
  return fake;
}

describe.each([10, 10_000])("adopting a sheet of %i cases", (n) => {
  const policy = defaultPolicy();
  let fake: FakeExcel;
  let readSyncs = 0;
  let applySyncs = 0;
  let backup = "";

  beforeAll(async () => {
    fake = handKept(n);
    fake.syncs = 0;
    const grid = await fake.run((ctx) => readSheetGrid(ctx, SHEET));
    readSyncs = fake.syncs;
    const plan = planAdoption(grid, { policy, today: ymdToSerial(2026, 3, 10), user: USER });
    fake.syncs = 0;
    const result = await fake.run((ctx) => applyAdoption(ctx, plan, { policy, user: USER, now: NOW }));
    applySyncs = fake.syncs;
    backup = result.backup;
    expect(result.cases).toBe(n);
  });

  test("reads in 1 sync and applies in 2 for a small sheet; a big one adds chunks under the 5 MB limit", () => {
    expect(readSyncs).toBe(1 + readChunks(n + 3, HEADER.length));
    if (n === 10) expect(applySyncs).toBe(2);
    else expect(applySyncs).toBeLessThanOrEqual(2 + 8 + Math.ceil(fake.bytesSent / (2 * 1024 * 1024)));
    expect(fake.maxRequest).toBeLessThan(PAYLOAD_LIMIT);
    expect(fake.eventsEnabled).toBe(true);
  });

  test("the original is kept whole in a backup copy, merges and all", () => {
    expect(backup).toBe(`${SHEETS.backupPrefix}${SHEET}`);
    const b = fake.sheet(backup)!;
    expect(fake.cells(b, { r: 0, c: 0, h: 2, w: 3 })).toEqual([["2026年客诉处置台账", "", ""], HEADER.slice(0, 3)]);
    expect(fake.cells(b, { r: n + 2, c: 0, h: 1, w: 1 })[0][0]).toBe("合计");
    expect(b.merges).toHaveLength(1);
  });

  test("the sheet becomes the ledger table at A1: unmerged, formatted, typed text kept", () => {
    const s = fake.sheet(SHEET)!;
    expect(s.merges).toEqual([]);
    const t = fake.table(TABLES.ledger)!;
    expect(t.sheet).toBe(s);
    expect({ r: t.r, c: t.c, n: t.n }).toEqual({ r: 0, c: 0, n });
    const cols = ledgerColumns(policy, ["业务员"]);
    expect(fake.header(TABLES.ledger)).toEqual(cols.map((c) => c.header));
    const keys = keysOfHeader(fake.header(TABLES.ledger), policy);
    const body = fake.body(TABLES.ledger);
    expect(body[0][keys.indexOf("partNo")]).toBe("0012");
    expect(body[0][keys.indexOf("extra:业务员")]).toBe("张三");
    expect(body[0][keys.indexOf("responsibility")]).toBe("经销商/客户原因");
    cols.forEach((c, j) => expect(fake.cell(s, 1, j)?.fmt ?? "General").toBe(numberFormatOf(c)));
  });

  test("computed columns are calculated columns of the custom functions", () => {
    const t = fake.table(TABLES.ledger)!;
    const keys = keysOfHeader(fake.header(TABLES.ledger), policy);
    for (const c of computedColumns(policy)) expect(t.calc[keys.indexOf(c.key)]).toBe(c.formula);
  });

  test("rules: lists in the policy's language, date checks, status colours, serious rows, frozen header, filter", () => {
    const s = fake.sheet(SHEET)!;
    const t = fake.table(TABLES.ledger)!;
    const keys = keysOfHeader(fake.header(TABLES.ledger), policy);
    const dvAt = (key: string) => s.validations.find((v) => v.rect.c === keys.indexOf(key) && v.rect.r === 1 && v.rect.h === n)?.rule;
    const schema = ledgerSchema(policy);
    expect(dvAt("responsibility")?.list?.source).toBe(
      listSource(
        schema.find((f) => f.key === "responsibility")!,
        policy,
      ),
    );
    expect(dvAt("responsibility")?.list?.source).toContain("经销商/客户原因");
    expect(dvAt("urgent")?.list?.source).toBe("是,否");
    expect(dvAt("receivedAt")?.date).toBeDefined();
    expect(dvAt("customer")).toBeUndefined();
    const status = keys.indexOf("replyStatus");
    const texts = s.cfs.filter((c) => c.rect.c === status).map((c) => [c.textComparison.rule?.text, c.textComparison.format.fill.color]);
    expect(texts).toEqual(
      expect.arrayContaining([
        ["逾期", FILLS.overdue.fill],
        ["Overdue", FILLS.overdue.fill],
        ["即将到期", FILLS.dueSoon.fill],
        ["Due soon", FILLS.dueSoon.fill],
      ]),
    );
    const serious = s.cfs.find((c) => c.type === "Custom")!;
    expect(serious.rect).toEqual({ r: 1, c: 0, h: n, w: t.w });
    expect(serious.custom.rule.formula).toMatch(/^=OR\(\$[A-Z]+2="严重",\$[A-Z]+2="Serious"\)$/);
    // Reply due dates on an estimated holiday calendar are marked by CL.ESTIMATE over the due date and the receipt.
    const due = keys.indexOf("replyDue");
    const estimate = s.cfs.find((c) => c.type === "Custom" && c.rect.c === due)!;
    const letter = (i: number) => columnLetter(t.c + i);
    expect(estimate.custom.rule.formula).toBe(`=CL.ESTIMATE($${letter(due)}2,$${letter(keys.indexOf("receivedAt"))}2)`);
    expect(estimate.custom.format.fill.color).toBe(FILLS.estimate.fill);
    expect(s.frozenRows).toBe(1);
    expect(t.showFilterButton).toBe(true);
  });

  test("Problems, Policy, People, Audit and the very hidden meta sheet exist; the chain verifies", async () => {
    expect(fake.body(TABLES.problems).some((r) => r[4] === "TOTAL_ROW")).toBe(true);
    expect(fake.sheet(SHEETS.policy)).toBeDefined();
    expect(fake.table(TABLES.people)).toBeDefined();
    expect(fake.sheet(SHEETS.meta)!.visibility).toBe("VeryHidden");
    const ledger = new Ledger(new ExcelStore({ run: fake.run, policy }), { now: () => NOW });
    await ledger.load();
    expect(ledger.policyProblems).toEqual([]);
    expect(ledger.rows).toHaveLength(n);
    expect(ledger.auditEntries()[0]).toMatchObject({ action: "ADOPTED", user: USER });
    const v = await verifyAudit((await new ExcelStore({ run: fake.run }).read()).auditRows, {
      seq: Number(ledger.meta[META.auditSeq]),
      hash: ledger.meta[META.auditHash],
    });
    expect(v.ok).toBe(true);
  });
});

test("backup names are cut to 31 characters and made unique", () => {
  const long = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十";
  const first = backupName(long, []);
  expect(first.length).toBeLessThanOrEqual(31);
  const second = backupName(long, [first]);
  expect(second).not.toBe(first);
  expect(second.length).toBeLessThanOrEqual(31);
});

test("a second ledger in the same workbook is refused before anything changes", async () => {
  const fake = handKept(3);
  const policy = defaultPolicy();
  const plan = planAdoption(await fake.run((ctx) => readSheetGrid(ctx, SHEET)), { policy, today: ymdToSerial(2026, 3, 10) });
  await fake.run((ctx) => applyAdoption(ctx, plan, { policy, user: USER, now: NOW }));
  fake.seed("Other", 0, 0, [HEADER, HEADER.map(() => "x")]);
  const sheets = fake.sheets.length;
  const other = planAdoption(await fake.run((ctx) => readSheetGrid(ctx, "Other")), { policy, today: ymdToSerial(2026, 3, 10) });
  await expect(fake.run((ctx) => applyAdoption(ctx, other, { policy, user: USER, now: NOW }))).rejects.toThrow(/already holds the ledger/);
  expect(fake.sheets.length).toBe(sheets);
  expect(fake.eventsEnabled).toBe(true);
});

test("rules can be re-applied on their own in 2 syncs", async () => {
  const fake = handKept(5);
  const policy = defaultPolicy();
  const plan = planAdoption(await fake.run((ctx) => readSheetGrid(ctx, SHEET)), { policy, today: ymdToSerial(2026, 3, 10) });
  await fake.run((ctx) => applyAdoption(ctx, plan, { policy, user: USER, now: NOW }));
  const s = fake.sheet(SHEET)!;
  s.validations = [];
  s.cfs = [];
  fake.syncs = 0;
  const applied = await applyRules(fake.run);
  expect(fake.syncs).toBe(2);
  expect(applied.lists).toContain("责任判定 Responsibility");
  expect(s.validations.length).toBeGreaterThan(10);
  expect(s.cfs.length).toBe(6); // 4 status texts, serious rows, estimated due dates
});

describe("the adoption day on a Policy sheet the workbook already has", () => {
  const policy = defaultPolicy();
  /** A hand-kept sheet with one case closed before the adoption and one open. */
  function withHistory(policyRows: Prim[][]): FakeExcel {
    const fake = new FakeExcel([SHEET, SHEETS.policy]);
    fake.seed(SHEET, 0, 0, [
      ["客诉单号", "投诉日期", "客户名称", "产品名称", "不良现象", "结案日期"],
      ["KS-2026-0001", ymdToSerial(2026, 1, 5), "美的", "支架", "划伤", ymdToSerial(2026, 1, 20)],
      ["KS-2026-0002", ymdToSerial(2026, 3, 2), "华为", "支架", "变形", ""],
    ]);
    fake.seed(SHEETS.policy, 0, 0, policyRows);
    return fake;
  }
  const used = (fake: FakeExcel) => {
    const s = fake.sheet(SHEETS.policy)!;
    return fake.cells(s, fake.usedRect(s, true)!);
  };
  const read = (fake: FakeExcel) => policyFromRows(used(fake));

  test("is written into the existing sheet, and the user's own edits stay", async () => {
    const edited = { ...policy, settings: { ...policy.settings, dueSoonWorkdays: policy.settings.dueSoonWorkdays + 3 } };
    const fake = withHistory(policyToRows(edited) as Prim[][]);
    const plan = planAdoption(await fake.run((ctx) => readSheetGrid(ctx, SHEET)), { policy: edited, today: ymdToSerial(2026, 3, 10) });
    expect(plan.counts.history).toBe(1);
    const result = await fake.run((ctx) => applyAdoption(ctx, plan, { policy: edited, user: USER, now: NOW }));
    expect(result.historyNote).toBeUndefined();
    const back = read(fake).policy!;
    expect(back.settings.historyUntil).toBe(plan.historyUntil);
    expect(back.settings.dueSoonWorkdays).toBe(edited.settings.dueSoonWorkdays);
  });

  test("an older sheet without the historyUntil row gains it", async () => {
    const rows = (policyToRows(policy) as Prim[][]).filter((r) => r[0] !== "historyUntil");
    const fake = withHistory(rows);
    const plan = planAdoption(await fake.run((ctx) => readSheetGrid(ctx, SHEET)), { policy, today: ymdToSerial(2026, 3, 10) });
    await fake.run((ctx) => applyAdoption(ctx, plan, { policy, user: USER, now: NOW }));
    expect(read(fake).policy!.settings.historyUntil).toBe(plan.historyUntil);
  });

  test("a sheet that does not read as a policy is left alone, and the user is told why", async () => {
    const rows: Prim[][] = [
      ["[NOT_A_SECTION]", "x"],
      ["a", "b"],
    ];
    const fake = withHistory(rows);
    const plan = planAdoption(await fake.run((ctx) => readSheetGrid(ctx, SHEET)), { policy, today: ymdToSerial(2026, 3, 10) });
    const result = await fake.run((ctx) => applyAdoption(ctx, plan, { policy, user: USER, now: NOW }));
    expect(used(fake)).toEqual(rows);
    expect(result.historyNote?.en).toMatch(/adoption day was not written/);
    expect(result.historyNote?.zh).toMatch(/接管日期/);
  });
});
