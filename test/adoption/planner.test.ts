import { readCase, readValue, type CellValue } from "../../src/domain/case";
import { withHistoryUntil } from "../../src/domain/history";
import { policyFromRows, policyToRows } from "../../src/domain/policy/policy-table";
import { calendarFor, caseClocks } from "../../src/domain/sla";
import { validateLedger } from "../../src/domain/validate";
import { buildDashboard } from "../../src/reports/dashboard";
import { handKeptSheet, type HandKeptRowTruth, type HandKeptSheet } from "../../src/sample/handkept";
import { peopleTemplate } from "../../src/ledger/service";
import { applyView } from "../../src/reports/views";
import { computeContext, computedValues } from "../../src/stores/xlsx/columns";
import { XlsxAdopter } from "../../src/stores/xlsx/xlsx-adopter";
import { SHEETS } from "../../src/ledger/workbook-layout";
import { Workbook } from "exceljs";
import { ymdToSerial } from "../../src/domain/dates";
import { DomainError } from "../../src/domain/errors";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { headerOf, ledgerSchema } from "../../src/domain/schema";
import { adoptionPeopleRows, planAdoption, questionPolarity, type AdoptPlan, type SheetGrid } from "../../src/adoption/planner";
import { keysOfHeader, rowToRecord } from "../../src/ledger/records";

const policy = defaultPolicy();
const today = ymdToSerial(2026, 11, 26);

/** A hand-kept ledger: merged title rows (value only in the first cell), a note, Chinese headers. */
function messy(rows: CellValue[][], title = "2025年客诉处置台账"): SheetGrid {
  return {
    name: "客诉台账",
    values: [
      [title, null, null, null, null, null, null, null, null, null, null],
      ["制表:品质部  更新:每周一", null, null],
      ["序号", "投诉日期", "客户名称", "品名", "不良描述", "责任单位", "客户类别", "是否加急", "金额", "回厂日期", "跟单员备注"],
      ...rows,
    ],
  };
}

const table = (plan: AdoptPlan) => {
  const keys = keysOfHeader(plan.table.header, policy);
  return plan.table.rows.map((r) => rowToRecord(keys, r));
};

describe("planAdoption", () => {
  test("finds the header under merged title rows and maps Chinese synonyms", () => {
    const plan = planAdoption(messy([["KS-1", "2025/3/5", "华为", "支架", "划伤"]]), { policy, today });
    expect(plan.headerRow).toBe(2);
    const byHeader = Object.fromEntries(plan.columns.map((c) => [c.header, c.key]));
    expect(byHeader).toMatchObject({
      序号: "caseNo",
      投诉日期: "receivedAt",
      客户名称: "customer",
      品名: "product",
      不良描述: "defect",
      责任单位: "responsibility",
      客户类别: "customerClass",
      是否加急: "urgent",
      金额: "cost",
      回厂日期: "goodsBackAt",
      跟单员备注: null,
    });
    expect(plan.columns.find((c) => c.header === "跟单员备注")!.letter).toBe("K");
  });

  test("every date form becomes a real date; a date without a year takes the row's year, then the title's", () => {
    const forms: [CellValue, number][] = [
      ["2025/3/5", ymdToSerial(2025, 3, 5)],
      ["2025-03-05", ymdToSerial(2025, 3, 5)],
      ["2025.3.5", ymdToSerial(2025, 3, 5)],
      ["2025年3月5日", ymdToSerial(2025, 3, 5)],
      [ymdToSerial(2024, 12, 30), ymdToSerial(2024, 12, 30)],
      [new Date(Date.UTC(2025, 6, 1)), ymdToSerial(2025, 7, 1)],
      ["3月5日", ymdToSerial(2025, 3, 5)],
    ];
    const rows = forms.map(([v], i) => [`KS-${i}`, v, "客户", "品", "缺陷"]);
    // The row's own full date (goods back in 2023) decides the year of "6月1日".
    rows.push(["KS-x", "6月1日", "客户", "品", "缺陷", null, null, null, null, "2023-06-03"]);
    const plan = planAdoption(messy(rows), { policy, today });
    const got = table(plan).map((r) => r.receivedAt);
    expect(got).toEqual([...forms.map(([, s]) => s), ymdToSerial(2023, 6, 1)]);
    expect(plan.defaultYear).toEqual({ year: 2025, from: "title" });
    expect(plan.problems.filter((p) => p.kind === "BAD_VALUE")).toEqual([]);
  });

  test("without a year in the title, the most common year among the dates is used", () => {
    const grid = messy(
      [
        ["KS-1", "2024/3/5", "A", "P", "D"],
        ["KS-2", "2024/4/5", "A", "P", "D"],
        ["KS-3", "3月6日", "A", "P", "D"],
      ],
      "客诉台账",
    );
    const plan = planAdoption(grid, { policy, today });
    expect(plan.defaultYear).toEqual({ year: 2024, from: "dates" });
    expect(table(plan)[2].receivedAt).toBe(ymdToSerial(2024, 3, 6));
  });

  test("codes, yes/no and money are normalised to the policy's labels and numbers", () => {
    const plan = planAdoption(
      messy([
        ["KS-1", "2025/3/5", "A", "P", "D", null, "b", "Y", "1,200元"],
        ["KS-2", "2025/3/5", "A", "P", "D", null, "B类", "否", 30],
        ["KS-3", "2025/3/5", "A", "P", "D", null, "A级", "N", "￥15.5"],
      ]),
      { policy, today },
    );
    const t = table(plan);
    expect(t.map((r) => r.customerClass)).toEqual(["B类客户", "B类客户", "A类客户"]);
    expect(t.map((r) => r.urgent)).toEqual(["是", "否", "否"]);
    expect(t.map((r) => r.cost)).toEqual([1200, 30, 15.5]);
    // Labels read back as the codes the rules use.
    const cls = ledgerSchema(policy).find((f) => f.key === "customerClass")!;
    expect(readValue(cls, t[0].customerClass, policy).value).toBe("B");
    expect(plan.counts.normalised).toBeGreaterThanOrEqual(8);
  });

  test("responsibility text becomes a code and the original words stay beside it", () => {
    const plan = planAdoption(
      messy([
        ["KS-1", "2025/3/5", "A", "P", "D", "供应商来料不良"],
        ["KS-2", "2025/3/5", "A", "P", "D", "质量原因"],
        ["KS-3", "2025/3/5", "A", "P", "D", "看情况"],
      ]),
      { policy, today },
    );
    const t = table(plan);
    expect(t[0]).toMatchObject({ responsibility: "原材料/供应商", responsibilityText: "供应商来料不良" });
    expect(t[1].responsibility).toBe("质量原因");
    expect(t[2].responsibility).toBe("看情况");
    expect(plan.problems).toContainEqual(expect.objectContaining({ kind: "BAD_VALUE", row: 6, column: "F", value: "看情况" }));
  });

  test("unreadable cells stay exactly as typed and are listed with row, column, value and reason", () => {
    const plan = planAdoption(messy([["KS-1", "上周三", "A", "P", "D", null, "VIP", "也许", "很多"]]), { policy, today });
    const t = table(plan)[0];
    expect([t.receivedAt, t.customerClass, t.urgent, t.cost]).toEqual(["上周三", "VIP", "也许", "很多"]);
    const bad = plan.problems.filter((p) => p.kind === "BAD_VALUE");
    expect(bad.map((p) => [p.row, p.column, p.value])).toEqual([
      [4, "B", "上周三"],
      [4, "G", "VIP"],
      [4, "H", "也许"],
      [4, "I", "很多"],
    ]);
    for (const p of bad) {
      expect(p.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(p.en).toMatch(/[a-z]/);
    }
  });

  test("blank, total, note and repeated header rows are recognised and not imported", () => {
    const plan = planAdoption(
      messy([
        ["KS-1", "2025/3/5", "A", "P", "D", null, null, null, 100],
        [null, "", "  ", null],
        ["序号", "投诉日期", "客户名称", "品名", "不良描述"],
        ["KS-2", "2025/3/6", "A", "P", "D", null, null, null, 50],
        ["合计", null, null, null, null, null, null, null, 150],
        [null, null, "Total:", null, null, null, null, null, 150],
        ["备注:2025年4月起启用新单号", null],
        ["以下为退货明细,请财务核对", null],
      ]),
      { policy, today },
    );
    expect(plan.counts).toMatchObject({ cases: 2, blank: 1, total: 2, note: 2, header: 1 });
    expect(plan.table.sourceRows).toEqual([4, 7]);
    expect(plan.problems.filter((p) => /_ROW$/.test(p.kind)).map((p) => [p.row, p.kind])).toEqual([
      [6, "HEADER_ROW"],
      [8, "TOTAL_ROW"],
      [9, "TOTAL_ROW"],
      [10, "NOTE_ROW"],
      [11, "NOTE_ROW"],
    ]);
  });

  test("duplicate and missing case numbers are listed, and renumbered only when confirmed", () => {
    const rows: CellValue[][] = [
      ["KS-2025-0007", "2025/3/5", "A", "P", "D"],
      ["KS-2025-0007", "2025/3/6", "B", "P", "D"],
      [null, "2025/3/7", "C", "P", "D"],
    ];
    const asked = planAdoption(messy(rows), { policy, today });
    expect(asked.problems.filter((p) => /CASE_NO/.test(p.kind)).map((p) => [p.row, p.kind])).toEqual([
      [5, "DUPLICATE_CASE_NO"],
      [6, "MISSING_CASE_NO"],
    ]);
    expect(table(asked).map((r) => r.caseNo)).toEqual(["KS-2025-0007", "KS-2025-0007", null]);
    expect(asked.renumbered).toEqual([]);

    const done = planAdoption(messy(rows), { policy, today, renumber: true, user: "李工" });
    expect(table(done).map((r) => r.caseNo)).toEqual(["KS-2025-0007", "KS-2025-0008", "KS-2025-0009"]);
    expect(done.renumbered).toEqual([
      { row: 5, from: "KS-2025-0007", to: "KS-2025-0008" },
      { row: 6, from: "", to: "KS-2025-0009" },
    ]);
    expect(done.audit.filter((a) => a.action === "RENUMBERED").map((a) => [a.oldValue, a.newValue, a.user])).toEqual([
      ["KS-2025-0007", "KS-2025-0008", "李工"],
      ["", "KS-2025-0009", "李工"],
    ]);
  });

  test("formula-looking and very long text is kept as typed text", () => {
    const long = "客户反馈:".padEnd(32000, "裂");
    const plan = planAdoption(messy([["KS-1", "2025/3/5", '=HYPERLINK("x")', "+86 138 0000 0000", long, null, null, null, null, null, "@sum(A1)"]]), {
      policy,
      today,
    });
    const t = table(plan)[0];
    expect(t.customer).toBe('=HYPERLINK("x")');
    expect(t.product).toBe("+86 138 0000 0000");
    expect(t.defect).toBe(long);
    expect(t["extra:跟单员备注"]).toBe("@sum(A1)");
  });

  test("nothing typed is lost: every cell of a case row is in the table as typed or as its normalised equivalent", () => {
    const grid = messy([
      ["KS-1", "2025/3/5", "华为", "支架", "划伤", "供应商来料不良", "b", "Y", "1,200元", "2025.3.9", "催"],
      ["KS-2", "3月6日", "中兴", "壳", "裂纹", "搬运损坏", "C类", "否", 30, null, null],
      ["KS-3", "坏日期", "小米", "盖", "变形", "??", "Z", "maybe", "x", "2025-13-40", "备注"],
    ]);
    const plan = planAdoption(grid, { policy, today });
    const t = table(plan);
    const schema = ledgerSchema(policy);
    plan.table.sourceRows.forEach((sheetRow, i) => {
      const source = grid.values[sheetRow - 1];
      for (const col of plan.columns) {
        const raw = source[col.index];
        if (raw === null || raw === undefined) continue;
        const key = col.key ?? `extra:${col.header}`;
        const written = t[i][key];
        const field = schema.find((f) => f.key === col.key);
        if (written === raw) continue;
        // Changed cells must mean the same thing, and the original words of a responsibility stay in their own column.
        expect(field).toBeDefined();
        if (field!.key === "responsibility") expect(t[i].responsibilityText).toBe(raw);
        else expect(readValue(field!, written, policy).value).toEqual(readValue(field!, raw, policy, { defaultYear: 2025 }).value);
      }
    });
  });

  test("the user's mapping and header row override detection", () => {
    const grid = messy([["KS-1", "2025/3/5", "A", "P", "D", null, null, null, null, null, "王五"]]);
    const plan = planAdoption(grid, { policy, today, mapping: { 10: "owner", 8: null } });
    expect(plan.columns[10]).toMatchObject({ key: "owner", how: "user" });
    expect(plan.columns[8]).toMatchObject({ key: null, how: "user" });
    expect(table(plan)[0].owner).toBe("王五");
    // Kept under a header that does not read back as the cost column.
    expect(plan.table.header).toContain("金额(原表)");

    const wrong = planAdoption(grid, { policy, today, headerRow: 3 });
    expect(wrong.headerRow).toBe(3);
  });

  test("a sheet with no recognisable header is refused with a bilingual reason", () => {
    const grid: SheetGrid = {
      name: "Sheet1",
      values: [
        ["a", "b"],
        [1, 2],
      ],
    };
    expect(() => planAdoption(grid, { policy, today })).toThrow(DomainError);
    try {
      planAdoption(grid, { policy, today });
    } catch (e) {
      expect((e as DomainError).code).toBe("NO_HEADER");
      expect((e as DomainError).zh).toContain("表头");
    }
  });

  test("the table has every schema column, computed columns, then the extras; blank status is inferred", () => {
    const plan = planAdoption(messy([["KS-1", "2025/3/5", "A", "P", "D"]]), { policy, today });
    for (const f of ledgerSchema(policy)) expect(plan.table.header).toContain(headerOf(f));
    expect(plan.table.header.slice(-3)).toEqual(["回复到期 Reply due", "回复时效 Reply status", "跟单员备注"]);
    expect(table(plan)[0].status).toBe("已登记");
    expect(plan.counts.statusInferred).toBe(1);
    expect(plan.table.numberFormats[plan.table.header.indexOf("接收时间 Received at")]).toBe("yyyy-mm-dd hh:mm");
    expect(plan.audit[0]).toMatchObject({ action: "ADOPTED" });
  });
});

describe("the ledgers people really keep (issue 13)", () => {
  const grid = (s: HandKeptSheet): SheetGrid => ({ name: s.name, values: s.values });
  const adopted = (s: HandKeptSheet) => {
    const plan = planAdoption(grid(s), { policy, today });
    const cases = table(plan).map((r) => readCase(r, policy).case);
    return { plan, cases };
  };
  const closedInTruth = (t: HandKeptRowTruth) => t.finished;

  describe.each(["counter", "numbered", "erp"] as const)("a 400-row %s sheet", (style) => {
    const sheet = handKeptSheet(style, 400);
    const { plan, cases } = adopted(sheet);

    test("adopts every row with the product, responsibility and free/charged meant, and no product or charge violation", () => {
      expect(cases).toHaveLength(400);
      cases.forEach((c, i) => {
        const t = sheet.truth[i];
        expect([c.product, c.responsibility, c.charge]).toEqual([t.product, t.responsibility, t.charge]);
        expect(c.receivedAt).toBe(ymdToSerial(...(t.receivedAt.split("-").map(Number) as [number, number, number])));
      });
      const v = validateLedger(table(plan), policy).violations;
      expect(v.filter((x) => ["product", "charge"].includes(x.field) || x.code === "BAD_VALUE" || x.code.startsWith("CHARGE"))).toEqual([]);
      expect(plan.problems.filter((p) => p.kind === "BAD_VALUE")).toEqual([]);
    });

    test("no case number is a bare row counter; numbers are unique", () => {
      const nos = cases.map((c) => c.caseNo!);
      expect(nos.filter((n) => /^\d+$/.test(n))).toEqual([]);
      expect(new Set(nos).size).toBe(400);
    });

    test("every mapping says why, in both languages", () => {
      for (const c of plan.columns) {
        expect(c.why.zh).toMatch(/[\u4e00-\u9fff]/);
        expect(c.why.en).toMatch(/[a-z]/);
      }
    });

    test("history is adopted closed with its dates; open rows are not; the plan shows the distribution", () => {
      cases.forEach((c, i) => {
        const t = sheet.truth[i];
        expect(["CLOSED", "RECEIVED"]).toContain(c.status);
        expect(c.status === "CLOSED").toBe(closedInTruth(t));
        if (t.closedAt) expect(c.closedAt).toBe(ymdToSerial(...(t.closedAt.split("-").map(Number) as [number, number, number])));
      });
      const closed = sheet.truth.filter(closedInTruth).length;
      expect(plan.counts.states).toEqual({ CLOSED: closed, RECEIVED: 400 - closed });
      expect(plan.counts.history).toBe(closed);
      expect(closed).toBeGreaterThan(100);
    });
  });

  test("a 序号 of consecutive integers is a counter kept beside generated KS-YYYY-NNNN numbers from the received year", () => {
    const sheet = handKeptSheet("counter", 400);
    const { plan, cases } = adopted(sheet);
    expect(plan.columns[0]).toMatchObject({ header: "序号", key: null, counter: true });
    const rows = table(plan);
    expect(rows.map((r) => r["extra:序号(原表)"])).toEqual(sheet.truth.map((_, i) => i + 1));
    const perYear = new Map<string, number>();
    cases.forEach((c, i) => {
      const y = sheet.truth[i].receivedAt.slice(0, 4);
      perYear.set(y, (perYear.get(y) ?? 0) + 1);
      expect(c.caseNo).toBe(`KS-${y}-${String(perYear.get(y)).padStart(4, "0")}`);
    });
    expect(plan.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(["ROW_COUNTER", "CASE_NO_GENERATED"]));
    // Numbered rows keep their own numbers.
    expect(adopted(handKeptSheet("numbered", 5)).cases.map((c) => c.caseNo)).toEqual(
      handKeptSheet("numbered", 5)
        .values.slice(2)
        .map((r) => r[0]),
    );
  });

  test("pre-numbered empty rows are blank, not cases; a counter with a gap is not a counter", () => {
    const g: SheetGrid = {
      name: "s",
      values: [
        ["序号", "客户", "投诉日期", "不良描述"],
        [1, "A", "2025/3/5", "划伤"],
        [2, "B", "2025/3/6", "裂纹"],
        [3, null, null, null],
        [4, null, null, null],
      ],
    };
    const plan = planAdoption(g, { policy, today });
    expect(plan.counts).toMatchObject({ cases: 2, blank: 2, generated: 2 });
    const gap: SheetGrid = {
      name: "s",
      values: [
        ["序号", "客户", "投诉日期", "不良描述"],
        [1, "A", "2025/3/5", "划伤"],
        [5, "B", "2025/3/6", "裂纹"],
      ],
    };
    expect(planAdoption(gap, { policy, today }).columns[0]).toMatchObject({ key: "caseNo" });
  });

  test("yes/no answers follow the question: 是否免费 = 是 means free, 是否收费 = 是 means charged", () => {
    expect(questionPolarity("是否免费", "charge")).toBe("FREE");
    expect(questionPolarity("收费否", "charge")).toBe("CHARGED");
    expect(questionPolarity("Chargeable", "charge")).toBe("CHARGED");
    expect(questionPolarity("Free of charge", "charge")).toBe("FREE");
    expect(questionPolarity("收费/免费", "charge")).toBeUndefined();
    expect(questionPolarity("是否结案", "status")).toBe("CLOSED");
    const g = (h: string): SheetGrid => ({
      name: "s",
      values: [
        ["单号", "客户", "不良描述", "责任部门", h],
        ["K1", "A", "划伤", "品质部", "是"],
        ["K2", "A", "划伤", "客户原因", "N"],
      ],
    });
    expect(table(planAdoption(g("是否免费"), { policy, today })).map((r) => r.charge)).toEqual(["免费", "收费"]);
    expect(table(planAdoption(g("是否收费"), { policy, today })).map((r) => r.charge)).toEqual(["收费", "免费"]);
  });

  test("a model column names the product when there is no product-name column; beside 品名 it stays the part number", () => {
    expect(adopted(handKeptSheet("counter", 3)).plan.columns.find((c) => c.header === "产品型号")).toMatchObject({ key: "product" });
    const numbered = adopted(handKeptSheet("numbered", 3)).plan.columns;
    expect(numbered.find((c) => c.header === "品名")).toMatchObject({ key: "product" });
    expect(numbered.find((c) => c.header === "规格")).toMatchObject({ key: "partNo" });
    const g: SheetGrid = {
      name: "s",
      values: [
        ["单号", "客户", "型号", "不良描述"],
        ["K1", "A", "XH-1", "划伤"],
      ],
    };
    const plan = planAdoption(g, { policy, today });
    expect(plan.columns[2]).toMatchObject({ key: "product" });
    expect(plan.columns[2].why.en).toMatch(/model column/);
  });

  test("处理结果 becomes a disposition code; a finishing result closes the case; ambiguous text stays as typed and is listed", () => {
    const g: SheetGrid = {
      name: "s",
      values: [
        ["单号", "客户", "产品", "不良描述", "处理结果"],
        ["K1", "A", "P", "划伤", "返工"],
        ["K2", "A", "P", "划伤", "已返修,已结案"],
        ["K3", "A", "P", "划伤", "返工或报废"],
        ["K4", "A", "P", "划伤", "处理中"],
        ["K5", "A", "P", "划伤", "不做报废"],
      ],
    };
    const plan = planAdoption(g, { policy, today });
    const t = table(plan);
    expect(t.map((r) => r.disposition)).toEqual(["返工/返修", "返工/返修", "返工或报废", null, "不做报废"]);
    expect(t.map((r) => r["extra:处理结果(原文)"])).toEqual(["返工", "已返修,已结案", "返工或报废", "处理中", "不做报废"]);
    expect(t.map((r) => r.status)).toEqual(["已结案", "已结案", "已登记", "已登记", "已登记"]);
    expect(plan.problems.filter((p) => p.kind === "AMBIGUOUS").map((p) => [p.row, p.value])).toEqual([
      [4, "返工或报废"],
      [6, "不做报废"],
    ]);
  });

  test("negated or two-cause responsibilities stay as typed and are listed as ambiguous", () => {
    const g: SheetGrid = {
      name: "s",
      values: [
        ["单号", "客户", "产品", "不良描述", "责任部门"],
        ["K1", "A", "P", "D", "不是客户原因"],
        ["K2", "A", "P", "D", "客户使用不当,供应商来料不良"],
        ["K3", "A", "P", "D", "非供应商来料不良"],
      ],
    };
    const plan = planAdoption(g, { policy, today });
    expect(table(plan).map((r) => r.responsibility)).toEqual(["不是客户原因", "客户使用不当,供应商来料不良", "非供应商来料不良"]);
    const amb = plan.problems.filter((p) => p.kind === "AMBIGUOUS");
    expect(amb.map((p) => p.row)).toEqual([2, 3, 4]);
    expect(amb[1].en).toMatch(/DEALER and SUPPLIER/);
  });

  test("a required column without a mapping is a warning naming the likely columns", () => {
    const g: SheetGrid = {
      name: "s",
      values: [
        ["单号", "客户", "产品", "客户反映内容", "收到的那天"],
        ["K1", "A", "P", "划伤", "2025/3/5"],
        ["K2", "A", "P", "裂纹", "2025/3/9"],
      ],
    };
    const plan = planAdoption(g, { policy, today });
    const warn = (key: string) => plan.problems.find((p) => p.kind === "UNMAPPED_REQUIRED" && p.en.includes(key));
    expect(warn("Received at")?.en).toMatch(/likely candidates: E "收到的那天"/);
    expect(warn("Defect description")?.zh).toMatch(/可能是:.*D "客户反映内容"/);
    // No 类别 column is no warning: every row gets a kind (its evidence, or the sheet's one answer, issue 28).
    expect(warn("Kind")).toBeUndefined();
    expect(plan.kinds.asked).toMatchObject({ rows: 2, default: "COMPLAINT" });
  });

  test("names in 处理人 and 签核 columns are proposed as people, with the role a sign-off column names", () => {
    const g: SheetGrid = {
      name: "s",
      values: [
        ["单号", "客户", "产品", "不良描述", "处理人", "品质经理签核"],
        ["K1", "A", "P", "D", "王芳", "张伟 2025-03-06"],
        ["K2", "A", "P", "D", "王芳、李娜", null],
      ],
    };
    const plan = planAdoption(g, { policy, today });
    expect(plan.people).toEqual([
      { name: "王芳", columns: ["处理人"], roles: [], cases: 2 },
      { name: "张伟", columns: ["品质经理签核"], roles: ["QUALITY_MANAGER"], cases: 1 },
      { name: "李娜", columns: ["处理人"], roles: [], cases: 1 },
    ]);
    const rows = adoptionPeopleRows(
      policy,
      [
        { name: "王芳", roles: ["CQE"] },
        { name: "张伟", roles: ["QUALITY_MANAGER"] },
      ],
      peopleTemplate(policy),
    );
    expect(rows.slice(0, 2)).toEqual([
      ["王芳", "CQE", null, null],
      ["张伟", "品质部经理", null, null],
    ]);
    // The template keeps one empty row per signing role nobody holds yet, and none for the quality manager.
    expect(rows.filter((r) => r[1] === "品质部经理")).toHaveLength(1);
    expect(rows.length).toBe(2 + peopleTemplate(policy).length - 1);
  });

  test("the workbook's People sheet gets the names with the roles the user gave", async () => {
    const wb = new Workbook();
    const ws = wb.addWorksheet("记录");
    [
      ["单号", "客户", "产品", "不良描述", "处理人", "结案日期"],
      ["K1", "A", "P", "D", "王芳", "2025/3/9"],
      ["K2", "A", "P", "D", "李娜", null],
    ].forEach((r) => ws.addRow(r));
    const adopter = new XlsxAdopter(wb, policy, () => new Date(Date.UTC(2026, 10, 26)));
    const plan = planAdoption(await adopter.grid("记录"), { policy, today });
    await adopter.apply(plan, {
      user: "王芳",
      people: [
        { name: "王芳", roles: ["CQE"] },
        { name: "李娜", roles: [] },
      ],
    });
    const people = wb.getWorksheet(SHEETS.people)!;
    const rows: unknown[][] = [];
    people.eachRow((r, i) => {
      if (i > 1) rows.push((r.values as unknown[]).slice(1, 3));
    });
    expect(rows.slice(0, 2)).toEqual([["王芳", "CQE"], ["李娜"]]);
    // The Policy sheet carries the adoption day: K1 is history.
    const policyRows: CellValue[][] = [];
    wb.getWorksheet(SHEETS.policy)!.eachRow((r) => policyRows.push((r.values as CellValue[]).slice(1)));
    expect(policyFromRows(policyRows).policy!.settings.historyUntil).toBe(Math.floor(today));
  });

  describe("adopted history counts as closed in views, dashboard and check", () => {
    const sheet = handKeptSheet("counter", 400);
    const { plan } = adopted(sheet);
    const written = withHistoryUntil(policy, plan.historyUntil);
    const rows = (p: typeof policy) => table(plan).map((record, row) => ({ row, record, ...readCase(record, p) }));
    const cal = calendarFor(policy);
    const history = new Set(
      rows(written)
        .filter((r) => r.case.status === "CLOSED")
        .map((r) => r.case.caseNo),
    );

    test("not open, never overdue; their clocks are MET or MISSED", () => {
      const r = rows(written);
      expect(
        applyView(r, "open", written, cal, today)
          .rows.map((x) => x.case.caseNo)
          .filter((n) => history.has(n)),
      ).toEqual([]);
      expect(applyView(r, "overdue", written, cal, today).rows.filter((x) => history.has(x.case.caseNo))).toEqual([]);
      expect(
        buildDashboard(
          r.map((x) => x.case),
          written,
          cal,
          today,
        ).open,
      ).toBe(400 - history.size);
      for (const x of r.filter((y) => history.has(y.case.caseNo))) {
        for (const s of caseClocks(x.case, written, cal, today)) expect([undefined, "MET", "MISSED"]).toContain(s.status);
      }
      // The same rows without the adoption day (a ledger that never adopted them) would flood the overdue list.
      expect(applyView(rows(policy), "overdue", policy, cal, today).rows.filter((x) => history.has(x.case.caseNo)).length).toBeGreaterThan(100);
    });

    test("check judges them as closed cases, not as cases missing every step", () => {
      const v = validateLedger(table(plan), written).violations.filter((x) => history.has(x.caseNo));
      expect(v.filter((x) => x.code === "STATE_INCOMPLETE" || x.code === "APPROVAL_MISSING")).toEqual([]);
      // History is asked for no cost its sheet never recorded (issue 28); a case closed in the ledger still is.
      expect(v.filter((x) => x.code === "COST_MISSING")).toEqual([]);
      expect(validateLedger(table(plan), policy).violations.filter((x) => history.has(x.caseNo) && x.code === "COST_MISSING")).toHaveLength(history.size);
      expect(validateLedger(table(plan), policy).violations.filter((x) => history.has(x.caseNo) && x.code === "STATE_INCOMPLETE").length).toBeGreaterThan(100);
    });

    test("the sheet's reply status of closed history is met or missed at the close, never overdue", () => {
      const ctx = computeContext(plan.table.header, written, new Date(Date.UTC(2026, 10, 26)));
      const shown = plan.table.rows.filter((_, i) => history.has(table(plan)[i].caseNo as string)).map((r) => computedValues(r, ctx).replyStatus);
      // Judged at the close where there is one; a case a result closed without a date shows nothing, not 逾期.
      expect(new Set(shown)).toEqual(new Set(["按时完成", "超时完成", null]));
    });

    test("the adoption day travels with the workbook's policy", () => {
      const back = policyFromRows(policyToRows(written));
      expect(back.policy!.settings.historyUntil).toBe(Math.floor(today));
      expect(policyFromRows(policyToRows(policy)).policy!.settings.historyUntil).toBeUndefined();
    });
  });
});
