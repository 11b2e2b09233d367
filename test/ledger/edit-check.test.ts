import { defaultPolicy } from "../../src/domain/policy/policy";
import { checkEdit, reasonText } from "../../src/ledger/edit-check";
import { cellOf, type CaseRecord } from "../../src/ledger/records";
import { ledgerSchema } from "../../src/domain/schema";
import { caseAt, recordOf } from "./cases";

const policy = defaultPolicy();
const field = (k: string) => ledgerSchema(policy).find((f) => f.key === k)!;
/** The record after setting fields to domain values (codes, serials), shown as cells. */
const edit = (rec: CaseRecord, changes: Record<string, unknown>): CaseRecord => {
  const out = { ...rec };
  for (const [k, v] of Object.entries(changes)) out[k] = cellOf(field(k), v, policy);
  return out;
};
const codes = (r: ReturnType<typeof checkEdit>) => (r.ok ? [] : r.reasons.map((x) => x.code));

describe("checkEdit: process.md §7 in the sheet", () => {
  test("closing without the approvals the disposition needs is refused", () => {
    const before = recordOf(caseAt("REPLIED", policy), policy);
    const unsigned = { ...before };
    for (const k of Object.keys(unsigned)) if (k.startsWith("sign_")) unsigned[k] = null;
    const r = checkEdit(unsigned, edit(unsigned, { status: "CLOSED", closedAt: 46100 }), policy);
    expect(r.ok).toBe(false);
    expect(codes(r)).toContain("SKIPPED_STEP");
    expect(reasonText(r.ok ? [] : r.reasons)).toMatch(/不能跳过"已签核".*缺少.*签核.*\/.*Cannot skip "Approved"/);
  });

  test("closing a serious case without the 8D being sent is refused; with it, allowed", () => {
    const serious = caseAt("REPLIED", policy, { severity: "SERIOUS" });
    const before = edit(recordOf(serious, policy), { eightDStatus: "DRAFT" });
    const r = checkEdit(before, edit(before, { status: "CLOSED", closedAt: 46100, cost: 10 }), policy);
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : reasonText(r.reasons)).toContain("8D");
    const sent = edit(before, { eightDStatus: "SENT" });
    expect(checkEdit(sent, edit(sent, { status: "CLOSED", closedAt: 46100, cost: 10 }), policy).ok).toBe(true);
  });

  test("a close date typed onto an unfinished case is refused with what is missing; a reply date likewise; on a finished case it stands", () => {
    const before = recordOf(caseAt("DISPOSITION", policy), policy);
    const r = checkEdit(before, edit(before, { closedAt: 46100 }), policy);
    expect(codes(r)).toEqual(["CLOSE_DATE_UNSUPPORTED"]);
    expect(r.ok ? "" : reasonText(r.reasons)).toMatch(
      /已填结案日期,但案件尚未完成:.*签核.*\/ Closed at is filled in, but the case is not finished: .*sign-off/,
    );
    expect(codes(checkEdit(before, edit(before, { repliedAt: 46100 }), policy))).toEqual(["REPLY_DATE_UNSUPPORTED"]);
    const replied = recordOf(caseAt("REPLIED", policy), policy);
    expect(checkEdit(replied, edit(replied, { closedAt: 46100 }), policy).ok).toBe(true);
    // A row that already carried such a date (adopted history) is not blocked for unrelated edits.
    const old = edit(before, { closedAt: 46100 });
    expect(checkEdit(old, edit(old, { remarks: "电话跟进" }), policy).ok).toBe(true);
  });

  test("8D status 已发送 needs the external report's signatures", () => {
    const before = recordOf(caseAt("RESPONSIBILITY", policy, { severity: "SERIOUS" }), policy);
    const r = checkEdit(before, edit(before, { eightDStatus: "SENT" }), policy);
    expect(codes(r)).toEqual(["EIGHT_D_SENT_UNSIGNED"]);
    expect(r.ok ? "" : reasonText(r.reasons)).toMatch(/品质部经理.*部长.*Quality manager.*Department head/);
    const signed = edit(before, { sign_QUALITY_MANAGER: "张伟 2026-03-05 10:00", sign_DEPT_HEAD: "张伟 2026-03-05 10:00" });
    expect(checkEdit(signed, edit(signed, { eightDStatus: "SENT" }), policy).ok).toBe(true);
  });

  test("a ship date after the receipt is refused", () => {
    const before = recordOf(caseAt("RECEIVED", policy), policy);
    expect(codes(checkEdit(before, edit(before, { shipDate: Math.floor(before.receivedAt as number) + 3 }), policy))).toEqual(["SHIP_DATE_AFTER_RECEIPT"]);
    expect(checkEdit(before, edit(before, { shipDate: Math.floor(before.receivedAt as number) - 30 }), policy).ok).toBe(true);
  });

  test("a complaint records goods back after its judgement and becomes a return (客诉 → 客退); before the receipt is still refused", () => {
    const complaint = recordOf(caseAt("RESPONSIBILITY", policy, { kind: "COMPLAINT", goodsBackAt: undefined }), policy);
    expect(checkEdit(complaint, edit(complaint, { goodsBackAt: 46100, kind: "RETURN" }), policy).ok).toBe(true);
    // Returned goods now open the dispositions that need them.
    const back = edit(complaint, { goodsBackAt: 46100, disposition: "SCRAP" });
    expect(checkEdit(complaint, back, policy).ok).toBe(true);
    expect(codes(checkEdit(complaint, edit(complaint, { disposition: "SCRAP" }), policy))).toContain("DISPOSITION_MISFIT");
    expect(codes(checkEdit(complaint, edit(complaint, { goodsBackAt: 46000 }), policy))).toContain("DATE_BEFORE_RECEIPT");
  });

  test("marking free against a customer-fault code is refused", () => {
    const before = recordOf(caseAt("JUDGED", policy), policy);
    const r = checkEdit(before, edit(before, { responsibility: "DEALER", charge: "FREE" }), policy);
    expect(codes(r)).toContain("CHARGE_CONFLICT");
    expect(checkEdit(before, edit(before, { responsibility: "DEALER", charge: "CHARGED" }), policy).ok).toBe(true);
  });

  test("executing a scrap without the VP's (or GM's) approval is refused", () => {
    const before = edit(recordOf(caseAt("DISPOSITION", policy), policy), { disposition: "SCRAP" });
    const r = checkEdit(before, edit(before, { executedAt: 46090 }), policy);
    expect(codes(r)).toContain("EXECUTION_UNAPPROVED");
    expect(r.ok ? "" : reasonText(r.reasons)).toMatch(/副总裁/);
  });

  test("a skipped step is refused and named", () => {
    const before = recordOf(caseAt("RECEIVED", policy), policy);
    const r = checkEdit(before, edit(before, { status: "DISPOSITION", disposition: "REWORK" }), policy);
    expect(codes(r)).toContain("SKIPPED_STEP");
    expect(r.ok ? [] : r.reasons.map((x) => x.zh)).toEqual(expect.arrayContaining([expect.stringMatching(/^不能跳过"已回厂"/)]));
  });

  test("sign-off and computed columns cannot be typed into; the add-in may sign", () => {
    const before = recordOf(caseAt("DISPOSITION", policy), policy);
    const typed = { ...before, sign_QUALITY_MANAGER: "张三 2026-03-05 10:00" };
    expect(codes(checkEdit(before, typed, policy))).toEqual(["PROTECTED"]);
    expect(checkEdit(before, typed, policy, { viaAddin: true }).ok).toBe(true);
    expect(codes(checkEdit({ ...before, replyDue: 46100 }, { ...before, replyDue: 1 }, policy))).toEqual(["PROTECTED"]);
  });

  test("a value the column cannot hold is refused; old problems do not block other edits", () => {
    const before = recordOf(caseAt("RECEIVED", policy), policy);
    expect(codes(checkEdit(before, { ...before, goodsBackAt: "下周" }, policy))).toEqual(["BAD_VALUE"]);
    const legacy = { ...before, quantity: "很多" };
    expect(checkEdit(legacy, { ...legacy, owner: "王五" }, policy).ok).toBe(true);
  });

  test("moving back (reopening) and completing steps in order are allowed", () => {
    const closed = recordOf(caseAt("CLOSED", policy), policy);
    expect(checkEdit(closed, edit(closed, { status: "EXECUTED" }), policy).ok).toBe(true);
    const judged = recordOf(caseAt("JUDGED", policy), policy);
    expect(checkEdit(judged, edit(judged, { status: "RESPONSIBILITY", responsibility: "QC", charge: "FREE" }), policy).ok).toBe(true);
    expect(checkEdit(judged, judged, policy)).toEqual({ ok: true, changed: [] });
  });

  test("clearing what a closed case needs is refused", () => {
    const closed = recordOf(caseAt("CLOSED", policy), policy);
    const r = checkEdit(closed, { ...closed, responsibility: null }, policy);
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(expect.arrayContaining(["STATE_INCOMPLETE"]));
  });
});
