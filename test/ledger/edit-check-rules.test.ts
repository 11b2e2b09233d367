/**
 * Enforcement bugs that planting found alive (issue 30), one named test each, and the close rule as a
 * property: no sequence of edits the checker accepts reaches 结案 without what closing needs.
 */
import fc from "fast-check";
import { propertyRuns } from "../fakes/runs";
import type { Case } from "../../src/domain/case";
import { closeChecklist, STATE_ORDER, type State } from "../../src/domain/lifecycle";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { ledgerSchema } from "../../src/domain/schema";
import { checkEdit, reasonText, statusLabel } from "../../src/ledger/edit-check";
import { cellOf, type CaseRecord } from "../../src/ledger/records";
import { readCase } from "../../src/domain/case";
import { caseAt, RECEIVED_AT, recordOf } from "./cases";

const policy = defaultPolicy();
const field = (k: string) => ledgerSchema(policy).find((f) => f.key === k)!;
const edit = (rec: CaseRecord, changes: Record<string, unknown>): CaseRecord => {
  const out = { ...rec };
  for (const [k, v] of Object.entries(changes)) out[k] = cellOf(field(k), v, policy);
  return out;
};
const reasons = (r: ReturnType<typeof checkEdit>) => (r.ok ? [] : r.reasons.map((x) => `${x.code}:${x.field}`));

describe("enforcement bugs planting found alive (issue 30)", () => {
  test("a negative quantity or cost typed into the sheet is refused (NEGATIVE is enforced)", () => {
    const before = recordOf(caseAt("JUDGED", policy), policy);
    expect(reasons(checkEdit(before, edit(before, { quantity: -3 }), policy))).toEqual(["NEGATIVE:quantity"]);
    expect(reasons(checkEdit(before, edit(before, { cost: -0.5 }), policy))).toEqual(["NEGATIVE:cost"]);
    expect(checkEdit(before, edit(before, { quantity: 0, cost: 12.5 }), policy).ok).toBe(true);
  });

  test("a violation the case already had excuses that field only: the same code on another field is refused", () => {
    const legacy = edit(recordOf(caseAt("JUDGED", policy), policy), { quantity: -1 });
    // Unrelated edits of a row with an old violation stand…
    expect(checkEdit(legacy, edit(legacy, { owner: "王五" }), policy).ok).toBe(true);
    // …but a new negative in another column is new.
    expect(reasons(checkEdit(legacy, edit(legacy, { cost: -5 }), policy))).toEqual(["NEGATIVE:cost"]);
  });

  // Also caught, since the fix below, by the validation of the new row; rule-bugs.test.ts kills the canMove bug itself.
  test("a new row pasted as 已登记 without a customer is refused; with one it stands", () => {
    const row = recordOf(caseAt("RECEIVED", policy), policy);
    expect(checkEdit(undefined, row, policy).ok).toBe(true);
    const r = checkEdit(undefined, { ...row, customer: null }, policy);
    expect(r.ok).toBe(false);
    expect(reasons(r)).toEqual(["STATE_INCOMPLETE:customer"]);
  });
});

test("a move back that clears what the earlier state needs is refused (the property below found it)", () => {
  const followed = recordOf(caseAt("FOLLOWED_UP", policy, { severity: "SERIOUS" }), policy);
  // Reopening to 结案 is fine; reopening to 结案 while clearing the close date or the 8D is not.
  expect(checkEdit(followed, edit(followed, { status: "CLOSED" }), policy).ok).toBe(true);
  expect(reasons(checkEdit(followed, edit(followed, { status: "CLOSED", closedAt: null }), policy))).toEqual(["STATE_INCOMPLETE:closedAt"]);
  expect(reasons(checkEdit(followed, edit(followed, { status: "CLOSED", eightDStatus: "DRAFT" }), policy))).toEqual(["STATE_INCOMPLETE:eightDStatus"]);
});

describe("what checkEdit says, exactly once", () => {
  test("a refused move and the validation name a charge conflict once, with the move's reasons first", () => {
    const judged = recordOf(caseAt("JUDGED", policy), policy);
    const r = checkEdit(judged, edit(judged, { status: "RESPONSIBILITY", responsibility: "DEALER", charge: "FREE" }), policy);
    expect(reasons(r)).toEqual(["STATE_INCOMPLETE:charge"]);
    expect(r.ok ? "" : r.reasons[0].en).toMatch(/^Cannot mark as free with responsibility "Dealer/);
  });

  test("executing without approvals is refused only when the execution date is set in this edit", () => {
    const scrap = edit(recordOf(caseAt("DISPOSITION", policy), policy), { disposition: "SCRAP" });
    const r = checkEdit(scrap, edit(scrap, { executedAt: 46090 }), policy);
    expect(reasons(r)).toEqual(["EXECUTION_UNAPPROVED:executedAt", "EXECUTION_UNAPPROVED:executedAt"]);
    expect(r.ok ? [] : r.reasons.map((x) => x.en)).toEqual([
      "Scrap application lacks the sign-off of Quality manager; it cannot be executed",
      "Scrap application lacks the sign-off of Vice president or General manager; it cannot be executed",
    ]);
    expect(r.ok ? "" : r.reasons[1].zh).toBe("《报废申请单》缺少副总裁或总经理签核,不能执行");
    // A row already executed without them (history) may take other edits, and the date may be cleared.
    const legacy = edit(scrap, { executedAt: 46090 });
    expect(checkEdit(legacy, edit(legacy, { owner: "王五" }), policy).ok).toBe(true);
    expect(checkEdit(legacy, edit(legacy, { executedAt: null }), policy).ok).toBe(true);
  });

  test("an unchanged row is accepted with nothing changed; the changed fields are listed", () => {
    const judged = recordOf(caseAt("JUDGED", policy), policy);
    expect(checkEdit(judged, { ...judged }, policy)).toEqual({ ok: true, changed: [] });
    expect(checkEdit(judged, edit(judged, { owner: "王五", remarks: "电话" }), policy)).toEqual({ ok: true, changed: ["owner", "remarks"] });
    const bad = checkEdit(judged, edit(judged, { quantity: -1 }), policy);
    expect(bad.changed).toEqual(["quantity"]);
  });

  test("reasons read as one line, 中文 then English; a status reads as its two names", () => {
    const two = [
      { field: "a", code: "NEGATIVE" as const, zh: "甲", en: "A" },
      { field: "b", code: "NEGATIVE" as const, zh: "乙", en: "B" },
    ];
    expect(reasonText(two)).toBe("甲;乙 / A; B");
    expect(statusLabel("CLOSED")).toBe("已结案 Closed");
    expect(statusLabel("结案")).toBe(statusLabel("CLOSED"));
    expect(statusLabel("未知")).toBe("未知");
    expect(statusLabel(null)).toBe("");
  });
});

describe("no sequence of accepted edits reaches 结案 without the close conditions", () => {
  const states = fc.constantFrom(...STATE_ORDER);
  /** Edits people make: a step's data filled in at once (with one field left out), or one field changed. */
  const step = fc.oneof(
    fc.record({
      upTo: states,
      drop: fc.constantFrom(undefined, "closedAt", "repliedAt", "cost", "eightDStatus", "sign_VP", "sign_QUALITY_MANAGER", "executedAt"),
    }),
    fc.record({
      key: fc.constantFrom(
        "status",
        "closedAt",
        "cost",
        "charge",
        "responsibility",
        "disposition",
        "severity",
        "eightDStatus",
        "sign_VP",
        "customerRequests8D",
      ),
      value: fc.oneof(
        states,
        fc.constantFrom("FREE", "CHARGED", "QC", "DEALER", "SCRAP", "REWORK", "SERIOUS", "MINOR", "SENT", "DRAFT", true, false, null),
        fc.integer({ min: Math.floor(RECEIVED_AT), max: Math.floor(RECEIVED_AT) + 30 }),
      ),
    }),
  );
  const severity = fc.constantFrom("MINOR", "SERIOUS");
  const disposition = fc.constantFrom("REWORK", "SCRAP", "RESTOCK", "REFUND");

  test("every accepted state at 结案 has an empty close checklist and a close date", () => {
    let closedReached = 0;
    fc.assert(
      fc.property(severity, disposition, fc.array(step, { minLength: 1, maxLength: 12 }), (sev, disp, steps) => {
        const shape: Partial<Case> = { severity: sev, disposition: disp };
        let rec = recordOf(caseAt("RECEIVED", policy, { severity: sev }), policy);
        for (const s of steps) {
          let next: CaseRecord;
          if ("upTo" in s) {
            next = recordOf(caseAt(s.upTo, policy, STATE_ORDER.indexOf(s.upTo) >= STATE_ORDER.indexOf("DISPOSITION") ? shape : { severity: sev }), policy);
            if (s.drop) next[s.drop] = null;
          } else {
            const f = field(s.key);
            next = { ...rec, [s.key]: s.key.startsWith("sign_") ? (s.value === null ? null : "签核人 2026-03-05 10:00") : cellOf(f, s.value, policy) };
          }
          if (!checkEdit(rec, next, policy, { viaAddin: true }).ok) continue;
          rec = next;
          const c = readCase(rec, policy).case;
          if ((c.status as State) === "CLOSED") {
            closedReached++;
            expect(c.closedAt).toBeDefined();
            expect(closeChecklist(c, policy)).toEqual([]);
          }
        }
      }),
      { numRuns: propertyRuns(300) },
    );
    // Not vacuous: accepted sequences did reach 结案 (in about one run in 20; under Stryker's fifth of the runs
    // that is one to three times, so there it is asked only to happen at all).
    expect(closedReached).toBeGreaterThan(propertyRuns(300) < 300 ? 0 : 10);
  });
});

describe("dates gated on a sign-off (gatedDates)", () => {
  const day = Math.floor(RECEIVED_AT);
  const said = (r: ReturnType<typeof checkEdit>) => (r.ok ? [] : r.reasons.map((x) => [x.code, x.field, x.zh, x.en]));
  const returnCase = (o: Partial<Case>) => recordOf(caseAt("RECEIVED", policy, { kind: "RETURN", ...o }), policy);

  test("goods back without a return notice: refused in both languages, only when the date is set in this edit", () => {
    const before = returnCase({ returnReason: "OUR_DEFECT" });
    expect(said(checkEdit(before, edit(before, { goodsBackAt: day + 1 }), policy))).toEqual([
      [
        "RETURN_NOT_AUTHORISED",
        "goodsBackAt",
        "没有退货通知,不可以拿退货(请先填写退货通知日期)",
        "No return notice yet: the goods may not be taken back (record the return authorisation first)",
      ],
    ]);
    // No return reason recorded: nothing gates the goods (a return kept by hand before the form existed).
    const unread = returnCase({});
    expect(checkEdit(unread, edit(unread, { goodsBackAt: day + 1 }), policy).ok).toBe(true);
    // A row that already holds such a date takes other edits, and the date may be cleared.
    const legacy = edit(before, { goodsBackAt: day + 1 });
    expect(checkEdit(legacy, edit(legacy, { remarks: "电话跟进" }), policy).ok).toBe(true);
    expect(checkEdit(legacy, edit(legacy, { goodsBackAt: null }), policy).ok).toBe(true);
  });

  test("customer-caused goods that cannot be repaired come back only with the GM's sign-off, said in both languages", () => {
    const before = returnCase({ returnReason: "CUSTOMER_NOT_REPAIRABLE", returnAuthorisedAt: day });
    expect(said(checkEdit(before, edit(before, { goodsBackAt: day + 1 }), policy))).toEqual([
      [
        "RETURN_NOT_AUTHORISED",
        "goodsBackAt",
        "客户原因不可返修或无质量问题的产品不可以退货,须《退货核准(总经理同意)》总经理签核同意",
        "Customer-caused goods that cannot be repaired, or goods with no quality problem, may not come back without the General manager's sign-off on the Return authorisation (GM consent)",
      ],
    ]);
    // A repairable customer-caused return needs the notice only.
    const repairable = returnCase({ returnReason: "CUSTOMER_REPAIRABLE", returnAuthorisedAt: day });
    expect(checkEdit(repairable, edit(repairable, { goodsBackAt: day + 1 }), policy).ok).toBe(true);
    // The GM signed the form: the goods may come back.
    const signed = edit(before, { sign_GM: "刘洋 2026-03-02 10:00 [ACCEPT_CUSTOMER_FAULT]" });
    expect(checkEdit(signed, edit(signed, { goodsBackAt: day + 1 }), policy).ok).toBe(true);
  });

  test("a replacement's ship date waits for the customer-service manager, only when set in this edit", () => {
    const before = recordOf(caseAt("RECEIVED", policy, { kind: "COMPLAINT", replacementFirst: true }), policy);
    expect(said(checkEdit(before, edit(before, { replacementShippedAt: day + 1 }), policy))).toEqual([
      [
        "REPLACEMENT_UNCONFIRMED",
        "replacementShippedAt",
        "先补发须经客服经理确认(《先补发确认》未签核),不能填写补发日期",
        "A replacement ships first only once the Customer-service manager confirms (Ship replacement first unsigned); the ship date cannot be recorded",
      ],
    ]);
    const legacy = edit(before, { replacementShippedAt: day + 1 });
    expect(checkEdit(legacy, edit(legacy, { remarks: "已补发" }), policy).ok).toBe(true);
    expect(checkEdit(legacy, edit(legacy, { replacementShippedAt: null }), policy).ok).toBe(true);
    // A policy without the form gates nothing.
    const noForm = { ...policy, forms: policy.forms.filter((f) => f.code !== "REPLACEMENT_FIRST") };
    expect(checkEdit(before, edit(before, { replacementShippedAt: day + 1 }), noForm).ok).toBe(true);
  });

  test("sign-off and computed columns refused with their own reason, in both languages", () => {
    const before = recordOf(caseAt("DISPOSITION", policy), policy);
    expect(said(checkEdit(before, { ...before, sign_QUALITY_MANAGER: "张三 2026-03-05 10:00" }, policy))).toEqual([
      ["PROTECTED", "sign_QUALITY_MANAGER", "签核只能在任务窗格中进行", "Sign-offs can only be made in the task pane"],
    ]);
    expect(said(checkEdit({ ...before, replyDue: 46100 }, { ...before, replyDue: 1 }, policy, { viaAddin: true }))).toEqual([
      ["PROTECTED", "replyDue", "此列由公式计算,不能手工修改", "This column is computed by a formula and cannot be edited"],
    ]);
  });

  test("a bad value is named for the changed column only, as BAD_VALUE with the reader's words", () => {
    const before = { ...recordOf(caseAt("RECEIVED", policy), policy), quantity: "很多" };
    const r = checkEdit(before, { ...before, goodsBackAt: "下周" }, policy);
    expect(r.ok ? [] : r.reasons.map((x) => [x.code, x.field])).toEqual([["BAD_VALUE", "goodsBackAt"]]);
    expect(r.ok ? "" : r.reasons[0].zh).toMatch(/下周/);
    expect(r.ok ? "" : r.reasons[0].en).toMatch(/下周/);
  });
});

describe("a status move: what is judged and said once", () => {
  test("a new row with no status is judged as 已登记: complete it stands, without a customer it is refused", () => {
    const row = { ...recordOf(caseAt("RECEIVED", policy), policy), status: null };
    expect(checkEdit(undefined, row, policy)).toEqual({ ok: true, changed: expect.arrayContaining(["customer", "caseNo"]) });
    expect(reasons(checkEdit(undefined, { ...row, customer: null }, policy))).toEqual(["STATE_INCOMPLETE:customer"]);
  });

  test("a move refused for missing approvals names them as skipped steps only, not again as APPROVAL_MISSING", () => {
    const replied = recordOf(caseAt("REPLIED", policy, { disposition: "SCRAP" }), policy);
    const unsigned = { ...replied, sign_VP: null };
    const r = checkEdit(unsigned, edit(unsigned, { status: "CLOSED", closedAt: Math.floor(RECEIVED_AT) + 9, cost: 10 }), policy);
    expect(reasons(r)).toEqual(["SKIPPED_STEP:sign_VP"]);
    expect(r.ok ? "" : r.reasons[0].zh).toBe('不能跳过"已签核":《报废申请单》缺少副总裁或总经理签核');
  });

  test("a move past an unsigned approval names the signature as a skipped step only, not again as APPROVAL_MISSING", () => {
    // Scrap chosen, nobody signed yet: at 已定处理方式 the row lacks nothing, so the VP's signature is new with the move.
    const chosen = recordOf(caseAt("DISPOSITION", policy, { disposition: "SCRAP" }), policy);
    expect(checkEdit(undefined, chosen, policy).ok).toBe(true);
    const r = checkEdit(chosen, edit(chosen, { status: "EXECUTED" }), policy);
    expect(reasons(r).filter((x) => x.endsWith(":sign_VP"))).toEqual(["SKIPPED_STEP:sign_VP"]);
  });

  test("a move that skips a step with data missing names it as a skipped step only, not again as STATE_INCOMPLETE", () => {
    // 已判定 → 已执行 with no disposition: the disposition step is skipped; the row's new status lacks it too.
    const judged = recordOf(caseAt("RESPONSIBILITY", policy), policy);
    const r = checkEdit(judged, edit(judged, { status: "EXECUTED", executedAt: Math.floor(RECEIVED_AT) + 5 }), policy);
    expect(reasons(r).filter((x) => x.endsWith(":disposition"))).toEqual(["SKIPPED_STEP:disposition"]);
    expect(reasons(r)).not.toContain("STATE_INCOMPLETE:disposition");
  });
});

describe("cells as typed", () => {
  test("a date typed without its year reads in the ledger's year when one is given, else it is refused as unreadable", () => {
    const before = recordOf(caseAt("RECEIVED", policy), policy);
    const typed = { ...before, goodsBackAt: "3月4日" };
    expect(checkEdit(before, typed, policy, { defaultYear: 2026 })).toEqual({ ok: true, changed: ["goodsBackAt"] });
    expect(reasons(checkEdit(before, typed, policy))).toEqual(["BAD_VALUE:goodsBackAt"]);
  });

  test("a column the schema does not know (a user's own) may be edited freely", () => {
    const before = { ...recordOf(caseAt("JUDGED", policy), policy), 我的备注: "旧" };
    expect(checkEdit(before, { ...before, 我的备注: "新" }, policy)).toEqual({ ok: true, changed: ["我的备注"] });
  });
});

describe("every reason of one edit is said, each once", () => {
  test("a refused move does not hide another rule the same edit breaks", () => {
    const judged = recordOf(caseAt("JUDGED", policy), policy);
    const r = checkEdit(judged, edit(judged, { status: "CLOSED", quantity: -1 }), policy);
    expect(reasons(r)).toContain("NEGATIVE:quantity");
    expect(reasons(r).filter((x) => x.startsWith("STATE_INCOMPLETE") || x.startsWith("SKIPPED_STEP")).length).toBeGreaterThan(0);
  });

  test("two different reasons on the same field are both said", () => {
    const scrap = edit(recordOf(caseAt("DISPOSITION", policy), policy), { disposition: "SCRAP" });
    const r = checkEdit(scrap, edit(scrap, { executedAt: Math.floor(RECEIVED_AT) - 3 }), policy);
    expect(reasons(r)).toEqual([
      "EXECUTION_UNAPPROVED:executedAt",
      "EXECUTION_UNAPPROVED:executedAt",
      "DATE_BEFORE_RECEIPT:executedAt",
      "DATE_ORDER:executedAt",
    ]);
  });
});
