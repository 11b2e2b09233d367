import { readCase } from "../../src/domain/case";
import { ymdToSerial } from "../../src/domain/dates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { CASE_FIELDS, headerOf, ledgerSchema, matchHeader, vocabularyOf } from "../../src/domain/schema";

const p = defaultPolicy();
const fields = ledgerSchema(p);

describe("ledger schema", () => {
  test.each([
    ["序号", "caseNo"],
    ["客诉单号", "caseNo"],
    ["不良现象", "defect"],
    ["问题描述", "defect"],
    ["责任单位", "responsibility"],
    ["处理方式", "disposition"],
    ["收费/免费", "charge"],
    ["免费/收费", "charge"],
    ["客户名称", "customer"],
    ["退货回厂日期", "goodsBackAt"],
    ["Case No.", "caseNo"],
    ["customer", "customer"],
    ["客诉单号 Case No.", "caseNo"],
    ["客诉单号*", "caseNo"],
    ["  产品名称 ", "product"],
    ["结案日期", "closedAt"],
    ["满意度", "satisfaction"],
  ])("header %p is %s", (header, key) => {
    expect(matchHeader(header, fields)?.key).toBe(key);
  });

  test("unknown headers are not forced onto a field", () => {
    expect(matchHeader("车牌号", fields)).toBeUndefined();
    expect(matchHeader("", fields)).toBeUndefined();
  });

  test("keys and headers are unique, and every synonym points to one field only", () => {
    expect(new Set(fields.map((f) => f.key)).size).toBe(fields.length);
    expect(new Set(fields.map(headerOf)).size).toBe(fields.length);
    const owners = new Map<string, string>();
    for (const f of fields)
      for (const s of [f.zh, f.en, ...f.synonyms]) {
        const k = s.toLowerCase().replace(/\s/g, "");
        expect([undefined, f.key]).toContain(owners.get(k));
        owners.set(k, f.key);
      }
  });

  test("one protected signature column per signing role, each enum field with a vocabulary", () => {
    const sigs = fields.filter((f) => f.type === "signature");
    expect(sigs.map((f) => f.role).sort()).toEqual([
      "CS_MANAGER",
      "DEPT_HEAD",
      "GM",
      "LEADER",
      "OQC_INSPECTOR",
      "PLANNING_MANAGER",
      "QUALITY_MANAGER",
      "RECEIVING_HEAD",
      "VP",
    ]);
    expect(sigs.every((f) => f.protected)).toBe(true);
    for (const f of CASE_FIELDS.filter((x) => x.type === "enum" || x.type === "bool")) {
      expect(vocabularyOf(f.vocabulary!, p).length).toBeGreaterThan(1);
    }
  });
});

describe("reading a hand-kept row", () => {
  test("labels, synonyms and typed dates become codes and serials", () => {
    const { case: c, problems } = readCase(
      {
        caseNo: " KS-0001 ",
        kind: "退货",
        receivedAt: "2026年3月2日 09:30",
        customerClass: "B类",
        market: "外销",
        urgent: "Y",
        confirmed: "是",
        severity: "严重",
        responsibility: "供应商",
        disposition: "报废",
        charge: "免费",
        cost: "1,200元",
        goodsBackAt: 46084,
        status: "结案",
        sign_VP: "李副总 2026-03-10 14:00 同意",
      },
      p,
    );
    expect(problems).toEqual([]);
    expect(c).toMatchObject({
      caseNo: "KS-0001",
      kind: "RETURN",
      customerClass: "B",
      market: "INTERNATIONAL",
      urgent: true,
      confirmed: true,
      severity: "SERIOUS",
      responsibility: "SUPPLIER",
      disposition: "SCRAP",
      charge: "FREE",
      cost: 1200,
      goodsBackAt: 46084,
      status: "CLOSED",
    });
    expect(c.receivedAt).toBeCloseTo(ymdToSerial(2026, 3, 2) + 9.5 / 24, 9);
    expect(c.signatures.VP).toEqual({ name: "李副总", at: ymdToSerial(2026, 3, 10) + 14 / 24, comment: "同意" });
  });

  test("what cannot be read is listed and left out, never coerced", () => {
    const { case: c, problems } = readCase({ kind: "投诉建议", receivedAt: "下周一", quantity: "很多", urgent: "maybe", sign_QUALITY_MANAGER: "OK" }, p);
    expect(problems.map((x) => x.field).sort()).toEqual(["kind", "quantity", "receivedAt", "sign_QUALITY_MANAGER", "urgent"]);
    expect(c.kind).toBeUndefined();
    expect(c.receivedAt).toBeUndefined();
    for (const x of problems) expect(x.zh).toMatch(/[\u4e00-\u9fff]/);
  });
});
