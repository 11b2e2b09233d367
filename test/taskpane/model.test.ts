import { defaultPolicy } from "../../src/domain/policy/policy";
import { calendarFor } from "../../src/domain/sla";
import { todayIn } from "../../src/domain/zone";
import { MemoryStore } from "../../src/stores/memory";
import { Ledger } from "../../src/ledger/service";
import { detectLanguage } from "../../src/taskpane/i18n";
import { actorFromOffice, jwtClaims } from "../../src/taskpane/identity";
import { caseSteps, fieldDef, formProblems, formToValues, parseFormValue, toFormValue, workLists } from "../../src/taskpane/model";
import { sampleLedgerData } from "../../src/sample/pane-sample";
import { shanghai } from "../fakes/clock";

const policy = defaultPolicy();
const NOW = shanghai(2026, 2, 10, 10, 0, 0);
const today = todayIn(NOW);

async function ledger() {
  const l = new Ledger(new MemoryStore(sampleLedgerData(policy, NOW)), { now: () => NOW });
  await l.load();
  return l;
}

describe("form values", () => {
  test("inputs become field values: dates serials, enums codes, numbers numbers", () => {
    expect(parseFormValue(fieldDef("receivedAt"), "2026-03-10T09:30", policy)).toEqual({ value: 46091 + 9.5 / 24 });
    expect(parseFormValue(fieldDef("shipDate"), "2026-03-01", policy)).toEqual({ value: 46082 });
    expect(parseFormValue(fieldDef("kind"), "RETURN", policy)).toEqual({ value: "RETURN" });
    expect(parseFormValue(fieldDef("quantity"), "12", policy)).toEqual({ value: 12 });
    expect(parseFormValue(fieldDef("quantity"), "-1", policy).problem?.en).toBe("Quantity cannot be negative");
    expect(parseFormValue(fieldDef("quantity"), "abc", policy).problem?.zh).toContain("不是数字");
    expect(parseFormValue(fieldDef("shipDate"), "2026-02-30", policy).problem?.zh).toContain("不存在的日期");
    expect(parseFormValue(fieldDef("urgent"), true, policy)).toEqual({ value: true });
  });

  test("and back, for inputs that show saved values", () => {
    expect(toFormValue(fieldDef("receivedAt"), 46091 + 9.5 / 24)).toBe("2026-03-10T09:30");
    expect(toFormValue(fieldDef("shipDate"), 46082)).toBe("2026-03-01");
    expect(toFormValue(fieldDef("urgent"), undefined)).toBe(false);
  });

  test("required blanks and bad values are reported by field, in both languages", () => {
    const p = formProblems(["customer", "quantity", "urgent"], { customer: " ", quantity: "x", urgent: false }, policy, ["customer", "urgent"]);
    expect(p.customer).toEqual({ zh: "请填写客户", en: "Customer is required" });
    expect(p.quantity.en).toContain("not a number");
    expect(p.urgent).toBeUndefined();
    expect(formToValues(["customer", "quantity", "urgent"], { customer: "A", quantity: "", urgent: true }, policy)).toEqual({
      customer: "A",
      quantity: null,
      urgent: true,
    });
  });
});

describe("steps", () => {
  test("a complaint without goods: goods-back is skipped; the first unfinished step is current", async () => {
    const l = await ledger();
    const steps = caseSteps(l.find("KS-2026-0001")!.case, l.policy, calendarFor(l.policy), today, l.people);
    const by = Object.fromEntries(steps.map((s) => [s.state, s]));
    expect(by.RECEIVED.status).toBe("done");
    // Not skipped for good: a complaint's goods may still come back (客诉 → 客退).
    expect(by.GOODS_BACK.status).toBe("optional");
    expect(by.RESPONSIBILITY.status).toBe("done");
    expect(by.DISPOSITION.status).toBe("current");
    expect(by.DISPOSITION.missing.map((m) => m.field)).toEqual(["disposition"]);
    expect(by.DISPOSITION.actors.map((a) => a.role)).toEqual(["CQE", "QUALITY_MANAGER"]);
    expect(by.DISPOSITION.actors[0].people).toEqual(["李娜"]);
    expect(by.EXECUTED.status).toBe("todo");
    // The reply clock belongs to the reply step; it is overdue (received 8 working days ago, 7 allowed).
    expect(by.REPLIED.clocks.map((k) => [k.clock.code, k.status])).toContainEqual(["REPLY_DOMESTIC", "OVERDUE"]);
    // Approvals: the 8D (serious case) names its signers.
    expect(by.APPROVED.actors.map((a) => a.role)).toEqual(["QUALITY_MANAGER", "DEPT_HEAD"]);
  });
});

describe("work lists", () => {
  test("each list holds what its name says", async () => {
    const l = await ledger();
    const cal = calendarFor(l.policy);
    const ids = (xs: { row: { case: { caseNo?: string } } }[]) => xs.map((x) => x.row.case.caseNo);
    const vp = workLists(l.rows, l.policy, cal, today, { name: "赵总", source: "chosen" }, ["VP", "GM", "LEADER"]);
    expect(ids(vp.toSign)).toEqual(["KS-2026-0004"]);
    expect(ids(vp.mine)).toEqual([]);
    expect(ids(vp.overdue)).toContain("KS-2026-0001");
    expect(vp.open).toHaveLength(4);
    const sales = workLists(l.rows, l.policy, cal, today, { name: "王芳", source: "chosen" }, ["SALES", "CS"]);
    expect(ids(sales.mine).sort()).toEqual(["KS-2026-0002", "KS-2026-0003"]);
    expect(sales.toSign).toEqual([]);
    // The CS manager signs a replacement-first before any disposition exists.
    expect(ids(workLists(l.rows, l.policy, cal, today, undefined, ["CS_MANAGER"]).toSign)).toEqual(["KS-2026-0003"]);
    // Due soon excludes what is already overdue.
    for (const x of vp.dueSoon) expect(x.overdue).toEqual([]);
  });
});

describe("language and identity", () => {
  test("Chinese unless Office says otherwise", () => {
    expect(detectLanguage(undefined)).toBe("zh");
    expect(detectLanguage("zh-CN")).toBe("zh");
    expect(detectLanguage("zh-TW")).toBe("zh");
    expect(detectLanguage("en-US")).toBe("en");
    expect(detectLanguage("de-DE")).toBe("en");
  });

  test("an SSO token's claims are read as UTF-8; the account is matched to People", async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const token = `${b64({ alg: "none" })}.${b64({ name: "赵总", preferred_username: "Zhao@Example.cn" })}.sig`;
    expect(jwtClaims(token)).toEqual({ name: "赵总", preferred_username: "Zhao@Example.cn" });
    expect(jwtClaims("not a token")).toBeUndefined();
    const l = await ledger();
    expect(actorFromOffice(l.people, { account: "zhao@example.cn" })).toEqual({ name: "赵总", account: "zhao@example.cn", source: "office" });
    expect(actorFromOffice(l.people, { name: "Someone Else", account: "x@y" })).toBeUndefined();
  });
});

describe("one definition of overdue", () => {
  test("My work, the views and the dashboard count the same cases, a closed case with a late follow-up included", async () => {
    const { generateSample } = await import("../../src/sample/ledger-sample");
    const { viewCounts, caseFacts } = await import("../../src/reports/views");
    const { ymdToSerial } = await import("../../src/domain/dates");
    const day = ymdToSerial(2026, 6, 30);
    const data = await generateSample({ cases: 200, today: day });
    // Followed-up cases closed long ago, made "closed, follow-up not done": the late follow-ups.
    const { CASE_FIELDS, headerOf } = await import("../../src/domain/schema");
    const at = (key: string) => data.header.indexOf(headerOf(CASE_FIELDS.find((f) => f.key === key)!));
    const followed = data.rows.filter((r) => r[at("status")] === "已跟踪" && typeof r[at("closedAt")] === "number" && (r[at("closedAt")] as number) < day - 40);
    for (const r of followed.slice(0, 3)) {
      r[at("status")] = "已结案";
      r[at("followUpAt")] = null;
      r[at("satisfaction")] = null;
    }
    const l = new Ledger(new MemoryStore(data), { now: () => shanghai(2026, 5, 30, 10) });
    await l.load();
    const cal = calendarFor(policy);
    const lists = workLists(l.rows, policy, cal, day, undefined, []);
    const lateFollowUps = l.rows.filter((r) => {
      const f = caseFacts(r, policy, cal, day);
      return !f.open && f.overdue;
    });
    // The case that made the numbers differ exists in this ledger, and is counted on both sides.
    expect(lateFollowUps.length).toBeGreaterThan(0);
    expect(lists.overdue.length).toBe(viewCounts(l.rows, policy, cal, day).overdue);
    expect(lists.overdue.map((i) => i.row.case.caseNo)).toEqual(expect.arrayContaining(lateFollowUps.map((r) => r.case.caseNo)));
  });
});

describe("complaint → return", () => {
  test("the 先补发 defective-part clock stops when a complaint's goods come back", async () => {
    const { caseClocks } = await import("../../src/domain/sla");
    const cal = calendarFor(policy);
    const base = {
      caseNo: "X",
      kind: "COMPLAINT",
      receivedAt: today - 40,
      customerClass: "A",
      market: "DOMESTIC",
      severity: "MINOR",
      replacementFirst: true,
      replacementShippedAt: today - 39,
      signatures: {},
    };
    const part = (c: object) => caseClocks(c as never, policy, cal, today).find((k) => k.clock.code === "PART_BACK")!;
    expect(part(base).status).toBe("OVERDUE");
    const back = part({ ...base, goodsBackAt: today - 20 });
    expect([back.status, back.done]).toEqual(["MET", today - 20]);
  });
});
