/**
 * One named test per rule bug that planting bugs by hand (issue 30) found the suite blind to. Each was
 * checked by planting the bug: the test fails with it and passes without it.
 */
import type { Case } from "../../src/domain/case";
import { ymdToSerial } from "../../src/domain/dates";
import { allowedDispositions, dispositionConflict, goodsReturned } from "../../src/domain/disposition";
import { autoAdvance, canMove, reachedState } from "../../src/domain/lifecycle";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { calendarFor, caseClocks, clockApplies, clockOf } from "../../src/domain/sla";
import { caseAt } from "../ledger/cases";

const p = defaultPolicy();

describe("the rule bugs planting found alive (issue 30)", () => {
  test("canMove: a new row (no previous state) must meet 已登记's own requirements; a blank customer is refused", () => {
    const c: Case = { ...caseAt("RECEIVED", p), customer: undefined };
    const r = canMove(c, undefined, "RECEIVED", p);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.reasons.map((x) => x.field)).toEqual(["customer"]);
    // The same case with its customer moves in; an existing row already at 已登记 may stay there.
    expect(canMove(caseAt("RECEIVED", p), undefined, "RECEIVED", p)).toEqual({ ok: true });
    expect(canMove(c, "RECEIVED", "RECEIVED", p)).toEqual({ ok: true });
  });

  test("a blank responsibility does not let a disposition restricted to a responsibility group through", () => {
    const blank = caseAt("JUDGED", p, { responsibility: undefined, charge: undefined });
    expect(dispositionConflict(blank, "RETURN_TO_SUPPLIER", p)?.en).toMatch(/only fits a responsibility that is the supplier's/);
    expect(allowedDispositions(blank, p).map((d) => d.code)).not.toContain("RETURN_TO_SUPPLIER");
    // With the supplier's responsibility it fits; with an internal one it does not.
    expect(dispositionConflict({ ...blank, responsibility: "SUPPLIER" }, "RETURN_TO_SUPPLIER", p)).toBeUndefined();
    expect(dispositionConflict({ ...blank, responsibility: "QC" }, "RETURN_TO_SUPPLIER", p)).toBeDefined();
  });

  test("a LOAN case counts as goods returned, as RETURN and EXCHANGE do; a complaint only once its goods are back", () => {
    const base = caseAt("RECEIVED", p, { kind: "COMPLAINT" });
    expect(goodsReturned(base)).toBe(false);
    for (const kind of ["RETURN", "EXCHANGE", "LOAN"]) expect([kind, goodsReturned({ ...base, kind })]).toEqual([kind, true]);
    expect(goodsReturned({ ...base, goodsBackAt: ymdToSerial(2026, 3, 4) })).toBe(true);
    // What follows from it: a loan may be scrapped, a complaint with nothing back may not.
    expect(dispositionConflict({ ...base, kind: "LOAN" }, "SCRAP", p)).toBeUndefined();
    expect(dispositionConflict(base, "SCRAP", p)).toBeDefined();
  });

  test("the NOT_OUR_FAULT clock runs for a customer-fault responsibility as well as for an unconfirmed complaint", () => {
    const notice = clockOf("NOT_OUR_FAULT_NOTICE", p)!;
    expect(notice.appliesWhen).toBe("NOT_OUR_FAULT");
    const judged = caseAt("JUDGED", p);
    expect(clockApplies(notice, { ...judged, responsibility: "QC" }, p)).toBe(false);
    expect(clockApplies(notice, { ...judged, responsibility: "DEALER" }, p)).toBe(true);
    expect(clockApplies(notice, { ...judged, responsibility: "NO_FAULT" }, p)).toBe(true);
    expect(clockApplies(notice, { ...judged, confirmed: false, responsibility: undefined }, p)).toBe(true);
    const today = ymdToSerial(2026, 3, 20);
    const clocks = (c: Case) => caseClocks(c, p, calendarFor(p), today).map((s) => s.clock.code);
    expect(clocks({ ...judged, responsibility: "DEALER", charge: "CHARGED" })).toContain("NOT_OUR_FAULT_NOTICE");
    expect(clocks(judged)).not.toContain("NOT_OUR_FAULT_NOTICE");
  });

  test("autoAdvance never moves a case into 结案 by itself, even with a close date typed and every step done", () => {
    const done = caseAt("CLOSED", p);
    expect(reachedState(done, p)).toBe("CLOSED");
    expect(autoAdvance({ ...done, status: "EXECUTED" }, "EXECUTED", p)).toBe("REPLIED");
    expect(autoAdvance({ ...done, status: "REPLIED" }, "REPLIED", p)).toBeUndefined();
    expect(autoAdvance(done, undefined, p)).toBe("REPLIED");
    // Past the close, the follow-up is an ordinary step again.
    const followed = caseAt("FOLLOWED_UP", p);
    expect(autoAdvance({ ...followed, status: "CLOSED" }, "CLOSED", p)).toBe("FOLLOWED_UP");
  });
});
