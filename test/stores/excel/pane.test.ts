/**
 * What the pane adds on top of the Excel store: following the selection to
 * a case, adopting a sheet of the open workbook, and the Policy sheet
 * feeding the custom functions (read, applied, recalculated; re-read when
 * the sheet changes). Against the instrumented fake, with round trips counted.
 */
import { defaultPolicy, type Policy } from "../../../src/domain/policy/policy";
import { policyToRows } from "../../../src/domain/policy/policy-table";
import { planAdoption } from "../../../src/adoption/planner";
import { SHEETS } from "../../../src/ledger/workbook-layout";
import { ExcelAdopter, PaneExcelStore } from "../../../src/stores/excel/pane-store";
import { loadPolicy, watchPolicy } from "../../../src/stores/excel/policy-watch";
import { Ledger } from "../../../src/ledger/service";
import { FakeExcel } from "../../fakes/excel-fake";
import { at, ledgerWith, NOW, records, USER } from "./setup";
import { instantToSerial } from "../../../src/domain/zone";

describe("PaneExcelStore.onSelectRow", () => {
  test("selecting a cell in the ledger names its body row; outside the table nothing; one round trip to subscribe", async () => {
    const s = await ledgerWith(records(10, defaultPolicy()));
    const store = new PaneExcelStore({ run: s.fake.run });
    const rows: number[] = [];
    s.fake.syncs = 0;
    await store.onSelectRow((r) => rows.push(r));
    expect(s.fake.syncs).toBeLessThanOrEqual(2);
    s.fake.user.select(SHEETS.ledger, at(s, 3, "customer"));
    s.fake.user.select(SHEETS.ledger, at(s, 7, "caseNo"));
    s.fake.user.select(SHEETS.ledger, "A1");
    s.fake.user.select(SHEETS.ledger, "A40");
    await s.fake.settle();
    expect(rows).toEqual([3, 7]);
    expect(s.fake.handlerErrors).toEqual([]);
  });

  test("a whole row selected names its case; a whole column names none", async () => {
    const s = await ledgerWith(records(10, defaultPolicy()));
    const store = new PaneExcelStore({ run: s.fake.run });
    const rows: number[] = [];
    await store.onSelectRow((r) => rows.push(r));
    s.fake.user.select(SHEETS.ledger, "6:6"); // sheet row 6: the header is row 1, so body row 4
    s.fake.user.select(SHEETS.ledger, "C:C");
    s.fake.user.select(SHEETS.ledger, "$8:$9");
    await s.fake.settle();
    expect(rows).toEqual([4, 6]);
    expect(s.fake.handlerErrors).toEqual([]);
  });
});

describe("ExcelAdopter", () => {
  test("offers the user's sheets (active first), reads one, and writes the plan with a People template", async () => {
    const fake = new FakeExcel(["说明", "2025台账"]);
    fake.seed("说明", 0, 0, [["本工作簿记录客诉"]]);
    fake.seed("2025台账", 0, 0, [
      ["2025年客诉台账", "", "", "", ""],
      ["单号", "日期", "客户", "产品", "问题描述"],
      ["A-1", "2025/3/5", "华为", "支架", "划伤"],
      ["A-2", "2025/3/6", "中兴", "壳体", "裂纹"],
    ]);
    fake.active = 1;
    const adopter = new ExcelAdopter(fake.run);
    expect(await adopter.sheets()).toEqual(["2025台账", "说明"]);
    const grid = await adopter.grid("2025台账");
    const plan = planAdoption(grid, { policy: defaultPolicy(), today: instantToSerial(NOW), user: USER });
    expect(plan.counts.cases).toBe(2);
    expect(await adopter.apply(plan, { user: USER })).toEqual({ backup: "备份 2025台账", cases: 2 });
    expect(await adopter.sheets()).not.toContain(SHEETS.people);

    const ledger = new Ledger(new PaneExcelStore({ run: fake.run }), { now: () => NOW });
    await ledger.load();
    expect(ledger.rows.map((r) => r.case.customer)).toEqual(["华为", "中兴"]);
    expect(fake.body("People").length).toBeGreaterThan(5);
    expect(ledger.people).toEqual([]); // names are left for the quality manager to fill in
  });
});

describe("Policy sheet → custom functions", () => {
  function withPolicySheet(rows: (string | number | boolean | null)[][]): FakeExcel {
    const fake = new FakeExcel([SHEETS.policy]);
    fake.seed(
      SHEETS.policy,
      0,
      0,
      rows.map((r) => r.map((v) => v ?? "")),
    );
    return fake;
  }

  test("a clean sheet is applied and the workbook recalculated in full: two round trips", async () => {
    const fake = withPolicySheet(policyToRows(defaultPolicy()));
    const applied: Policy[] = [];
    fake.syncs = 0;
    const r = await loadPolicy(fake.run, (p) => applied.push(p));
    expect(r.problems).toEqual([]);
    expect(applied).toHaveLength(1);
    expect(applied[0].limits).toEqual(defaultPolicy().limits);
    expect(fake.calculations).toEqual(["Full"]);
    expect(fake.syncs).toBe(2);
  });

  test("a sheet with errors keeps the last rules: nothing applied, nothing recalculated, problems by row", async () => {
    const rows = policyToRows(defaultPolicy());
    const at = rows.findIndex((r) => String(r[0]).startsWith("[LIMITS]")) + 2;
    rows[at] = [...rows[at]];
    rows[at][4] = "很快";
    const fake = withPolicySheet(rows);
    const applied: Policy[] = [];
    const r = await loadPolicy(fake.run, (p) => applied.push(p));
    expect(applied).toEqual([]);
    expect(fake.calculations).toEqual([]);
    expect(r.problems[0]).toMatchObject({ row: at + 1 });
  });

  test("editing a limit on the sheet re-reads the policy and the functions get the new limit", async () => {
    const fake = withPolicySheet(policyToRows(defaultPolicy()));
    const applied: Policy[] = [];
    await watchPolicy(
      fake.run,
      (p) => applied.push(p),
      () => undefined,
    );
    const rows = policyToRows(defaultPolicy());
    const i = rows.findIndex((r) => r[0] === "REPLY_DOMESTIC" && r[3] === "");
    fake.user.edit(SHEETS.policy, `E${i + 1}`, [[5]]);
    await fake.settle();
    expect(applied.at(-1)!.limits.find((l) => l.clock === "REPLY_DOMESTIC" && l.urgent === undefined)!.limit).toBe(5);
    expect(fake.calculations).toEqual(["Full"]);
  });
});
