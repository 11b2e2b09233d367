/**
 * One source for the market (issue 16): a person types the valid synonym
 * 出口 in the market column of the sheet. The sheet's reply-due formula, the
 * pane (the case's clocks) and `check` (with the due date the .xlsx file
 * caches for the same formula) all take it as international: 15 working days,
 * not the domestic 7.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { calendarFor, caseClocks } from "../../../src/domain/sla";
import * as functions from "../../../src/functions/functions";
import { SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import { Ledger } from "../../../src/ledger/service";
import { computeContext, computedValues } from "../../../src/stores/xlsx/columns";
import { PLATFORMS } from "../../fakes/excel-fake";
import { at, ledgerWith, NOW, records, serial, type Setup, value } from "./setup";

const policy = defaultPolicy();
const RECEIVED = serial(2026, 9, 30);
const international = functions.dueDate(RECEIVED, "REPLY_INTERNATIONAL");
const domestic = functions.dueDate(RECEIVED, "REPLY_DOMESTIC");

describe.each(PLATFORMS)("出口 typed in the sheet, on %s", (platform) => {
  let s: Setup;
  let ledger: Ledger;

  beforeAll(async () => {
    const recs = records(3, policy).map((r) => ({ ...r, receivedAt: RECEIVED, market: "DOMESTIC", urgent: null, repliedAt: null }));
    s = await ledgerWith(recs, policy, platform);
    s.fake.functions = { "CL.DUEDATE": functions.dueDate as (...a: unknown[]) => unknown, "CL.SLASTATUS": functions.slaStatus as (...a: unknown[]) => unknown };
    s.fake.user.edit(SHEETS.ledger, at(s, 1, "market"), [["出口"]]);
    await s.fake.settle();
    ledger = new Ledger(s.store, { now: () => NOW });
    await ledger.load();
  });

  test("the domestic and international limits differ (the test can tell them apart)", () => {
    expect(international).toBeGreaterThan(domestic);
  });

  test("the sheet's formula gives the international reply due date", () => {
    expect(value(s, 1, "market")).toBe("出口");
    expect(value(s, 1, "replyDue")).toBe(international);
    expect(value(s, 0, "replyDue")).toBe(domestic);
  });

  test("the pane's clocks for the case: the international reply clock, with the same due date", () => {
    const c = ledger.rows[1].case;
    expect(c.market).toBe("INTERNATIONAL");
    const clocks = caseClocks(c, policy, calendarFor(policy), RECEIVED);
    const reply = clocks.find((k) => k.clock.code.startsWith("REPLY_"))!;
    expect(reply.clock.code).toBe("REPLY_INTERNATIONAL");
    expect(reply.due).toBe(international);
  });

  test("check accepts 出口, and the due date a file caches for the formula is the international one", () => {
    const r = ledger.check();
    expect(r.violations.filter((v) => v.field === "market")).toEqual([]);
    const header = s.fake.header(TABLES.ledger);
    const row = s.fake.body(TABLES.ledger)[1].map((v) => (v === "" ? null : v));
    expect(computedValues(row, computeContext(header, policy, NOW)).replyDue).toBe(international);
  });
});
