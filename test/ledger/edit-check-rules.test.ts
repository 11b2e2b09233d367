/**
 * Enforcement bugs that planting found alive (issue 30), one named test each, and the close rule as a
 * property: no sequence of edits the checker accepts reaches 结案 without what closing needs.
 */
import fc from "fast-check";
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
      { numRuns: 300 },
    );
    // Not vacuous: accepted sequences did reach 结案.
    expect(closedReached).toBeGreaterThan(10);
  });
});
