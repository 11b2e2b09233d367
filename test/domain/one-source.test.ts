/**
 * Issue 16: each rule written once. The Case type comes from the field list, case numbers have one
 * format, 是/否 one pair of labels, and the codes the program names are checked when a policy loads.
 */
import { caseNoKey, caseNoShape, caseValue, formatCaseNo, nextCaseNo, parseCaseNo, readCase, type Case } from "../../src/domain/case";
import type { AuditAction, ProblemKind, ReasonCode, ViolationCode } from "../../src/domain/codes";
import { serialToIso, ymdToSerial } from "../../src/domain/dates";
import { inLang, translator } from "../../src/domain/errors";
import { calendarFor, caseClocks, clockOf, dueDate } from "../../src/domain/sla";
import { requirementsOf } from "../../src/domain/lifecycle";
import { defaultPolicy, PEOPLE_ADMIN_ROLES, RELIED_ON } from "../../src/domain/policy/policy";
import { PEOPLE_ADMIN_ROLES as ServiceAdmins } from "../../src/ledger/service";
import { policyFromRows, policyToRows, type Cell } from "../../src/domain/policy/policy-table";
import {
  CASE_FIELDS,
  caseField,
  DATE_KEYS,
  isCaseKey,
  isSignatureKey,
  readYesNo,
  REQUIRED_KEYS,
  signatureKey,
  vocabularyOf,
  yesNo,
  type CaseKey,
} from "../../src/domain/schema";

const policy = defaultPolicy();

describe("Case is derived from the field list", () => {
  test("every field is read into the key of the same name, with the value type its field type promises", () => {
    // One valid cell per field: a date, a number, 是, the first label of its vocabulary, or text.
    const sample: Record<string, Cell> = {};
    for (const f of CASE_FIELDS) {
      if (f.type === "date" || f.type === "datetime") sample[f.key] = "2026-03-05";
      else if (f.type === "number" || f.type === "money") sample[f.key] = 12;
      else if (f.type === "bool") sample[f.key] = "是";
      else if ("vocabulary" in f && f.vocabulary) sample[f.key] = vocabularyOf(f.vocabulary, policy)[0].zh;
      else sample[f.key] = "text";
    }
    sample.market = "出口";
    const { case: c, problems } = readCase(sample, policy);
    expect(problems).toEqual([]);
    for (const f of CASE_FIELDS) {
      const v = caseValue(c, f.key);
      const want =
        f.type === "date" || f.type === "datetime" || f.type === "number" || f.type === "money" ? "number" : f.type === "bool" ? "boolean" : "string";
      expect([f.key, typeof v]).toEqual([f.key, want]);
    }
    expect(c.market).toBe("INTERNATIONAL"); // 出口 is a synonym; the domain resolves it
  });

  test("keys are checked by the compiler and at run time", () => {
    const c: Case = { signatures: {} };
    // @ts-expect-error a misspelt field is a type error, not a silently blank column
    expect(c.markt).toBeUndefined();
    // @ts-expect-error a signature column is not a case field
    const notAField: CaseKey = "sign_VP";
    expect(isCaseKey(notAField)).toBe(false);
    expect(isCaseKey("market")).toBe(true);
    expect(caseField("market").vocabulary).toBe("market");
  });

  test("signature columns have one spelling", () => {
    expect(isSignatureKey(signatureKey("VP"))).toBe(true);
    expect(isSignatureKey("market")).toBe(false);
  });

  test("required fields come from the schema's flags, and the lifecycle asks for exactly those", () => {
    expect(REQUIRED_KEYS).toEqual(CASE_FIELDS.filter((f) => "required" in f && f.required).map((f) => f.key));
    expect(requirementsOf("RECEIVED", { signatures: {} }, policy).map((r) => r.field)).toEqual(REQUIRED_KEYS);
  });
});

describe("case numbers: one format", () => {
  test("format, parse and next agree", () => {
    expect(formatCaseNo("KS", 2026, 7)).toBe("KS-2026-0007");
    expect(formatCaseNo("KS", 2026, 12345)).toBe("KS-2026-12345");
    expect(parseCaseNo("KS", " KS-2026-0042 ")).toEqual({ year: 2026, n: 42 });
    expect(parseCaseNo("KS", "KX-2026-0042")).toBeUndefined();
    expect(nextCaseNo("KS", 2026, ["KS-2026-0007", "KS-2025-0099", "other", "KS-2026-0003"])).toBe("KS-2026-0008");
    expect(nextCaseNo("KS", 2027, [])).toBe("KS-2027-0001");
  });

  test("the same number typed with other separators, case or padding is the same number (issue 28)", () => {
    expect(parseCaseNo("KS", "KS2025-0042")).toEqual({ year: 2025, n: 42 });
    expect(parseCaseNo("KS", "ks_2025_42")).toEqual({ year: 2025, n: 42 });
    expect(parseCaseNo("KS", "KS20250042")).toEqual({ year: 2025, n: 42 });
    expect(parseCaseNo("KS", "KS-2025")).toBeUndefined();
    expect(caseNoShape("KT-2025-012")).toEqual({ letters: "KT", year: 2025, n: 12 });
    expect(caseNoShape("SO100000")).toBeUndefined();
    expect(caseNoShape("12")).toBeUndefined();
    const key = caseNoKey("KS2025-0001");
    expect(["KS-2025-0001", "ks 2025 1", "KS_2025_001"].map(caseNoKey)).toEqual([key, key, key]);
    expect(caseNoKey("KS-2025-0002")).not.toBe(key);
    // The next number follows the sheet's own and never repeats one of them up to separators.
    expect(nextCaseNo("KS", 2025, ["KS2025-0007", "KS2025-0003"])).toBe("KS-2025-0008");
    expect(nextCaseNo("KS", 2025, ["ks-2025-0001"])).toBe("KS-2025-0002");
  });

  test("the user's prefix is matched literally, never as a pattern", () => {
    expect(parseCaseNo("K+S", "K+S-2026-0001")).toEqual({ year: 2026, n: 1 });
    expect(parseCaseNo("K+S", "KKS-2026-0001")).toBeUndefined();
    expect(parseCaseNo("Q.A", "QXA-2026-0001")).toBeUndefined();
    expect(parseCaseNo("客诉(华东)", "客诉(华东)-2026-0003")).toEqual({ year: 2026, n: 3 });
    expect(() => parseCaseNo("[", "[-2026-0001")).not.toThrow();
  });
});

describe("是/否 and the language helper", () => {
  test("one pair of labels, read back with every synonym", () => {
    expect([yesNo(true).zh, yesNo(false).zh, yesNo(true).en]).toEqual(["是", "否", "Yes"]);
    for (const [v, want] of [
      ["是", true],
      ["√", true],
      ["N", false],
      [false, false],
      ["也许", undefined],
    ] as const)
      expect(readYesNo(v)).toBe(want);
  });

  test("inLang chooses, translator binds the language", () => {
    expect(inLang({ zh: "报废", en: "Scrap" }, "en")).toBe("Scrap");
    expect(translator("zh")("登记", "Intake")).toBe("登记");
  });

  test("the policy table writes and reads 是/否 through the same labels", () => {
    const rows = policyToRows(policy);
    const clock = rows.find((r) => r[0] === "REPLACEMENT_PROMISE")!;
    expect(clock[4]).toBe("是");
    clock[4] = "√";
    expect(policyFromRows(rows).policy?.clocks.find((k) => k.code === "REPLACEMENT_PROMISE")?.countStartDay).toBe(true);
  });
});

describe("policy load checks what the code relies on", () => {
  const rowsWithout = (code: string): Cell[][] => policyToRows(defaultPolicy()).filter((r) => r[0] !== code);

  test.each(RELIED_ON.flatMap((need) => need.codes.map((code) => [need.list, code] as const)))(
    "a table without %s %s still loads, with the default row supplied and said, keeping the user's other rows",
    (list, code) => {
      // Limits name their clock in the first column too: drop those rows with the clock.
      const rows = rowsWithout(code);
      const prefix = rows.findIndex((r) => r[0] === "caseNoPrefix");
      rows[prefix][1] = "QC";
      const r = policyFromRows(rows);
      expect(r.problems).toEqual([]);
      expect(r.policy?.settings.caseNoPrefix).toBe("QC");
      expect((r.policy![list] as { code: string }[]).map((x) => x.code)).toContain(code);
      if (list === "clocks") expect(r.policy!.limits.some((l) => l.clock === code)).toBe(true);
      const said = r.supplied.find((x) => x.code === code);
      expect(said?.en).toContain(`"${code}", which the add-in relies on`);
      expect(said?.zh).toContain(`"${code}"`);
    },
  );

  test("a section repeated further down continues it (an upgrade's appended rows), not an error", () => {
    const rows = policyToRows(defaultPolicy());
    const at = rows.findIndex((r) => r[0] === "QUALITY_MANAGER");
    const [moved] = rows.splice(at, 1);
    rows.push([], ["[ROLES]", "角色 Roles"], ["代码 Code", "中文", "English", "同义词 Synonyms"], moved);
    const r = policyFromRows(rows);
    expect(r.problems).toEqual([]);
    expect(r.supplied).toEqual([]);
    expect(r.policy!.roles.map((x) => x.code)).toEqual(
      defaultPolicy()
        .roles.map((x) => x.code)
        .filter((c) => c !== "QUALITY_MANAGER")
        .concat("QUALITY_MANAGER"),
    );
  });

  test("the People sheet's admin roles are named once, in the policy, and checked at load (issue 27, item 8)", () => {
    const roles = RELIED_ON.find((r) => r.list === "roles")!.codes;
    expect(PEOPLE_ADMIN_ROLES.length).toBeGreaterThan(0);
    for (const r of PEOPLE_ADMIN_ROLES) {
      expect(roles).toContain(r);
      expect(defaultPolicy().roles.map((x) => x.code)).toContain(r);
    }
    expect(ServiceAdmins).toBe(PEOPLE_ADMIN_ROLES);
  });

  test("the defaults rely on nothing missing", () => {
    expect(policyFromRows(policyToRows(defaultPolicy())).problems).toEqual([]);
  });

  test("a clock's start must be a date field; letter case is forgiven, the key comes back canonical", () => {
    const rows = policyToRows(defaultPolicy());
    const i = rows.findIndex((r) => r[0] === "JUDGEMENT");
    rows[i][5] = "GOODSBACKAT";
    expect(policyFromRows(rows).policy?.clocks.find((k) => k.code === "JUDGEMENT")?.startField).toBe("goodsBackAt");
    rows[i][5] = "customer";
    const r = policyFromRows(rows);
    expect(r.policy).toBeUndefined();
    expect(r.problems.find((x) => x.row === i + 1)?.en).toMatch(/"customer" is not a date field/);
    expect(DATE_KEYS).toContain("receivedAt");
    expect(DATE_KEYS).not.toContain("customer");
  });

  test("a blank case-number prefix does not load", () => {
    const rows = policyToRows(defaultPolicy());
    rows[rows.findIndex((r) => r[0] === "caseNoPrefix")][1] = "";
    const r = policyFromRows(rows);
    expect(r.policy).toBeUndefined();
    expect(r.problems.some((x) => /客诉单号前缀/.test(x.zh) && /prefix/.test(x.en))).toBe(true);
  });
});

describe("codes are literal unions", () => {
  test("a misspelt violation, reason, audit action or problem kind does not compile", () => {
    const ok: [ViolationCode, ReasonCode, AuditAction, ProblemKind] = ["CHARGE_CONFLICT", "PROTECTED", "SIGNED", "TOTAL_ROW"];
    // @ts-expect-error not a violation code
    const v: ViolationCode = "CHARGE_CONFLICTS";
    // @ts-expect-error not an audit action
    const a: AuditAction = "SIGN";
    expect([ok.length, v, a]).toEqual([4, "CHARGE_CONFLICTS", "SIGN"]);
  });
});

describe("a market typed as a synonym", () => {
  test("出口 reads as international, so the reply clock the pane and check use is the 15-working-day one", () => {
    const received = ymdToSerial(2026, 3, 2); // a Monday in a year with official holiday data
    const row = { caseNo: "KS-2026-0001", kind: "客诉", receivedAt: serialToIso(received), customer: "A", product: "P", defect: "D" };
    const cal = calendarFor(policy);
    const replyOf = (market: string) =>
      caseClocks(readCase({ ...row, market }, policy).case, policy, cal, received).filter((k) => k.clock.code.startsWith("REPLY_"));
    const abroad = replyOf("出口");
    expect(abroad.map((k) => k.clock.code)).toEqual(["REPLY_INTERNATIONAL"]);
    expect(abroad[0].due).toBe(dueDate(received, clockOf("REPLY_INTERNATIONAL", policy)!, {}, policy, cal));
    expect(replyOf("内销").map((k) => k.clock.code)).toEqual(["REPLY_DOMESTIC"]);
    expect(abroad[0].due! - replyOf("内销")[0].due!).toBeGreaterThan(7); // 15 vs 7 working days
  });
});
