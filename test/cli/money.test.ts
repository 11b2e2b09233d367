/**
 * The money trail from the command line (issue 23), on ledgers generated here: the dealer debit from the
 * replacement's shipment to its booking and the journal; the supplier's 8D clock after a return; the journal
 * export's contract (once per line, --again, --layout, -o and --force, a newer ledger).
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { createHash } from "crypto";
import { shanghai } from "../fakes/clock";
import { cliAt } from "./run";
import { ymdToSerial as ymd } from "../../src/domain/dates";
import { defaultPolicy, findNamed } from "../../src/domain/policy/policy";
import { ledgerColumns } from "../../src/ledger/workbook-layout";
import { Ledger } from "../../src/ledger/service";
import { createLedgerWorkbook } from "../../src/stores/xlsx/workbook";
import { openLedgerFile, readLedgerStreaming, saveWorkbook } from "../../src/stores/xlsx/file";

jest.setTimeout(120000);
let clock = shanghai(2026, 2, 2, 9, 0, 0);
const cli = cliAt(() => clock);
let dir: string;
let n = 0;
const sha = async (f: string) =>
  createHash("sha256")
    .update(await fs.readFile(f))
    .digest("hex");

const PEOPLE: [string, string[]][] = [
  ["王建国", ["QUALITY_MANAGER"]],
  ["吴芳", ["CS_MANAGER"]],
  ["黄磊", ["CQE"]],
  ["徐静", ["SALES"]],
  ["何敏", ["CS"]],
  ["马超", ["WAREHOUSE"]],
  ["林小红", ["FINANCE"]],
];

async function emptyLedger(): Promise<string> {
  const policy = defaultPolicy();
  const file = path.join(dir, `m${++n}.xlsx`);
  const peopleRows = PEOPLE.map(([name, roles]) => [name, roles.map((r) => findNamed(policy.roles, r)!.zh).join("、"), null, null]);
  const header = ledgerColumns(policy).map((c) => c.header);
  await saveWorkbook(createLedgerWorkbook({ policy, header, rows: [], peopleRows, now: clock }), file);
  return file;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-money-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));
beforeEach(() => {
  clock = shanghai(2026, 2, 2, 9, 0, 0);
});

const INTAKE = ["--set", "接收时间=2026-03-02 09:00", "--set", "客户=华为", "--set", "产品名称=支架", "--set", "不良现象=表面划伤", "--set", "类别=客退"];
async function newCase(file: string, ...more: string[]): Promise<string> {
  const r = await cli("case", "new", file, ...INTAKE, ...more, "--as", "徐静");
  expect(r).toMatchObject({ code: 0 });
  return r.out.trim();
}
const set = (file: string, no: string, who: string, ...kv: string[]) =>
  cli("case", "set", file, no, ...kv.flatMap((x) => ["--set", x]), "--as", who, "--json", "--lang", "en");
const codes = (r: { out: string }) => (JSON.parse(r.out).reasons ?? []).map((x: { code: string }) => x.code);
const show = async (file: string, no: string) => JSON.parse((await cli("case", "show", file, no, "--json")).out);
const journalEntries = async (file: string) => (await readLedgerStreaming(file)).auditRows.filter((r) => r.includes("JOURNAL_EXPORTED"));
const csvLines = async (f: string) =>
  (await fs.readFile(f, "utf8"))
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n");

test("A dealer-caused 先补发 case carries its debit from shipment to booking, and the journal export lists it once", async () => {
  const file = await emptyLedger();
  const no = await newCase(file, "--set", "先补发=是");
  expect((await cli("case", "sign", file, no, "--role", "CS_MANAGER", "--form", "REPLACEMENT_FIRST", "--as", "吴芳")).code).toBe(0);
  expect((await set(file, no, "黄磊", "responsibility=DEALER")).code).toBe(0);

  // 先补发,再追究: no debit before the replacement has gone out.
  const early = await set(file, no, "何敏", "dealerDebitAmount=1200", "dealerNotifiedAt=2026-03-03", "dealerNotifiedBy=何敏");
  expect(early.code).toBe(1);
  expect(codes(early)).toContain("DEALER_DEBIT_BEFORE_SHIPMENT");

  expect((await set(file, no, "何敏", "replacementShippedAt=2026-03-03")).code).toBe(0);
  expect((await set(file, no, "何敏", "dealerDebitAmount=1200", "dealerNotifiedAt=2026-03-04", "dealerNotifiedBy=何敏")).code).toBe(0);

  // Booked only with the Policy's approval (the DEALER_DEBIT form, signed by the CS manager by default).
  const unapproved = await set(file, no, "林小红", "dealerDebitBookedAt=2026-03-05");
  expect(unapproved.code).toBe(1);
  expect(codes(unapproved)).toContain("DEALER_DEBIT_UNAPPROVED");
  expect((await cli("case", "sign", file, no, "--role", "CS_MANAGER", "--form", "DEALER_DEBIT", "--as", "吴芳")).code).toBe(0);
  expect((await set(file, no, "林小红", "dealerDebitBookedAt=2026-03-05")).code).toBe(0);
  const shown = await show(file, no);
  expect(shown.fields).toMatchObject({
    dealerDebitAmount: 1200,
    dealerNotifiedAt: "2026-03-04",
    dealerDebitBookedAt: "2026-03-05",
    replacementShippedAt: "2026-03-03",
  });
  expect(shown.violations).toEqual([]);

  clock = shanghai(2026, 3, 1, 10, 0, 0); // 1 April
  const out1 = path.join(dir, "march.csv");
  const first = await cli("export", "journal", file, "--from", "2026-03-01", "--to", "2026-03-31", "-o", out1, "--lang", "en");
  expect(first).toMatchObject({ code: 0 });
  const lines = await csvLines(out1);
  expect(lines[0]).toBe(
    "日期 Date,客诉单号 Case No.,科目 Account,费用类别 Category,借贷 Debit/credit,金额 Amount,币种 Currency,往来单位 Counterparty,摘要 Memo,分录号 Line",
  );
  expect(lines.slice(1)).toEqual([`2026-03-05,${no},1122,经销商扣款 Dealer debit,贷,1200.00,CNY,华为,经销商扣款 Dealer debit ${no},DEBIT:${no}`]);
  expect((await journalEntries(file)).length).toBe(1);

  // The same period again: nothing new, nothing marked twice.
  const out2 = path.join(dir, "march-again.csv");
  const second = await cli("export", "journal", file, "--from", "2026-03-01", "--to", "2026-03-31", "-o", out2, "--lang", "en");
  expect(second.code).toBe(0);
  expect(second.out).toMatch(/0 lines \(0 new; 1 exported before are left out, add --again/);
  expect(await csvLines(out2)).toHaveLength(1);
  // --again lists it for a lost file, still marked once.
  const out3 = path.join(dir, "march-lost.csv");
  expect((await cli("export", "journal", file, "--from", "2026-03-01", "--to", "2026-03-31", "-o", out3, "--again")).code).toBe(0);
  expect((await csvLines(out3)).slice(1)).toEqual(lines.slice(1));
  expect((await journalEntries(file)).length).toBe(1);
  expect((await cli("verify-audit", file)).code).toBe(0);
});

test("A non-batch supplier return runs the supplier's 8D clock and shows overdue when it lapses", async () => {
  const file = await emptyLedger();
  const no = await newCase(file);
  expect((await set(file, no, "黄磊", "responsibility=SUPPLIER")).code).toBe(0);
  clock = shanghai(2026, 2, 5, 10, 0, 0); // Thursday 5 March
  expect((await set(file, no, "黄磊", "supplierName=宏达五金", "supplierReturnedAt=2026-03-05", "supplierReturnedQty=20")).code).toBe(0);
  const clockOf = async () => (await show(file, no)).clocks.find((c: { clock: string }) => c.clock === "SUPPLIER_RETURN_8D");
  // 2 working days from the return: Friday 6th, Monday 9th (the weekend does not count).
  expect(await clockOf()).toMatchObject({ start: "2026-03-05", due: "2026-03-09", unit: "WORKDAY", limit: 2 });
  expect((await clockOf()).status).not.toBe("OVERDUE");
  clock = shanghai(2026, 2, 10, 9, 0, 0);
  expect((await clockOf()).status).toBe("OVERDUE");
  // check lists it as a finding, on its own line and in --json.
  const checked = await cli("check", file, "--json");
  expect(JSON.parse(checked.out).supplier8DOverdue).toEqual([{ caseNo: no, due: "2026-03-09" }]);
  expect((await cli("check", file, "--lang", "en")).out).toContain(`${no}\tSUPPLIER_8D_OVERDUE\tsupplier8DAt\tSupplier 8D overdue (due 2026-03-09)`);
  expect((await set(file, no, "王建国", "supplier8DAt=2026-03-10")).code).toBe(0);
  expect((await clockOf()).status).toBe("MISSED");

  // A batch return (at or above the Policy's threshold, 100 pieces by default) runs no 8D clock of its own.
  const batch = await newCase(file);
  expect((await set(file, batch, "黄磊", "responsibility=SUPPLIER", "supplierReturnedAt=2026-03-10", "supplierReturnedQty=150")).code).toBe(0);
  expect((await show(file, batch)).clocks.map((c: { clock: string }) => c.clock)).not.toContain("SUPPLIER_RETURN_8D");
  // Told otherwise by the case (not a batch per the quality agreement), the clock runs.
  expect((await set(file, batch, "黄磊", "supplierBatch=否")).code).toBe(0);
  expect((await show(file, batch)).clocks.map((c: { clock: string }) => c.clock)).toContain("SUPPLIER_RETURN_8D");
});

test("a supplier return on a case the supplier did not cause, and a debit on one the dealer did not, are refused", async () => {
  const file = await emptyLedger();
  const no = await newCase(file);
  expect((await set(file, no, "黄磊", "responsibility=PRODUCTION")).code).toBe(0);
  expect(codes(await set(file, no, "黄磊", "supplierReturnedAt=2026-03-05"))).toContain("SUPPLIER_RETURN_NOT_SUPPLIER");
  expect(codes(await set(file, no, "何敏", "dealerDebitAmount=300"))).toContain("DEALER_DEBIT_NOT_DEALER");
  expect(codes(await set(file, no, "何敏", "dealerDebitAmount=-5"))).toEqual(expect.arrayContaining(["NEGATIVE"]));
});

test("export journal: cost lines in the layout's columns and accounts; -o onto a file needs --force; bad input exits 2 with nothing written", async () => {
  const file = await emptyLedger();
  const no = await newCase(file);
  const { workbook, store, stamp } = await openLedgerFile(file, { now: () => clock });
  const ledger = new Ledger(store, { now: () => clock });
  await ledger.load();
  const by = { name: "林小红", source: "cli" as const };
  const bad = await ledger.addCostLine({ caseNo: no, item: "返修工时", amount: "1.234,50", currency: "CNY", category: "不存在", date: ymd(2026, 3, 6) }, by);
  expect(bad.ok).toBe(false);
  if (!bad.ok) expect(bad.reasons.map((r) => r.en).join(" ")).toMatch(/does not read as a number.*Unknown cost category/);
  expect(
    (
      await ledger.addCostLine(
        { caseNo: no, item: "返修工时", amount: "¥1,200.50", currency: "CNY", category: "销售成本", counterparty: "=cmd|' /C calc'!A0", date: ymd(2026, 3, 6) },
        by,
      )
    ).ok,
  ).toBe(true);
  expect(
    (
      await ledger.addCostLine(
        { caseNo: no, item: "运费", amount: 80, currency: "CNY", category: "SALES_EXPENSE", counterparty: "顺丰", date: ymd(2026, 4, 2) },
        by,
      )
    ).ok,
  ).toBe(true);
  expect(ledger.costLinesOf(no).map((l) => l.lineNo)).toEqual([`${no}-C1`, `${no}-C2`]);
  await saveWorkbook(workbook, file, { expect: stamp });

  clock = shanghai(2026, 3, 3, 9, 0, 0);
  const out = path.join(dir, "q.csv");
  const r = await cli("export", "journal", file, "--from", "2026-03-01", "--to", "2026-04-30", "-o", out);
  expect(r.code).toBe(0);
  const lines = await csvLines(out);
  // The formula-like text is neutralised (csv.ts); amounts with two decimals; the debit side in the layout's word.
  expect(lines.slice(1)).toEqual([
    `2026-03-06,${no},6401,销售成本 Cost of sales,借,1200.50,CNY,'=cmd|' /C calc'!A0,${no}-C1 返修工时,COST:${no}-C1`,
    `2026-04-02,${no},6601,销售费用 Selling expense,借,80.00,CNY,顺丰,${no}-C2 运费,COST:${no}-C2`,
  ]);
  const hash = await sha(out);
  const again = await cli("export", "journal", file, "--from", "2026-03-01", "--to", "2026-04-30", "-o", out, "--again", "--lang", "en");
  expect(again.code).toBe(2);
  expect(again.err).toMatch(/already exists/);
  expect(await sha(out)).toBe(hash);
  expect((await cli("export", "journal", file, "--from", "2026-03-01", "--to", "2026-04-30", "-o", out, "--again", "--force")).code).toBe(0);
  expect((await csvLines(out)).slice(1)).toEqual(lines.slice(1));

  const ledgerHash = await sha(file);
  for (const argv of [
    ["--from", "2026-04-30", "--to", "2026-03-01"],
    ["--from", "yesterday", "--to", "2026-03-01"],
    ["--to", "2026-03-01"],
    ["--from", "2026-03-01", "--to", "2026-03-31", "--layout", "T6"],
  ]) {
    const x = await cli("export", "journal", file, ...argv, "-o", path.join(dir, "x.csv"), "--lang", "zh");
    expect(x.code).toBe(2);
    expect(x.err).toMatch(/错误/);
  }
  await expect(fs.stat(path.join(dir, "x.csv"))).rejects.toThrow();
  expect(await sha(file)).toBe(ledgerHash);
});
