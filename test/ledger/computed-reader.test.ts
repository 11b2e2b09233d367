/**
 * computedValues reads each row with one RowReader per ComputeContext (issue 26): its remembered answers for
 * repeated labels must give every row what a reader of that row alone gives, and what readCase of the row's
 * record gives (the reply clock's inputs: receipt, market, customer class, severity, urgency, the judgement).
 */
import { defaultPolicy } from "../../src/domain/policy/policy";
import { readCase } from "../../src/domain/case";
import { rowToRecord } from "../../src/ledger/records";
import { generateSample } from "../../src/sample/ledger-sample";
import { computeContext, computedValues } from "../../src/stores/xlsx/columns";
import { shanghai } from "../fakes/clock";

test("one context over many rows gives each row what a fresh context gives", async () => {
  const policy = defaultPolicy();
  const d = await generateSample({ cases: 400, mistakes: 12, seed: 7 });
  const now = shanghai(2026, 6, 30, 10, 0, 0);
  const shared = computeContext(d.header, policy, now);
  let due = 0;
  let judged = 0;
  for (const row of d.rows) {
    const got = computedValues(row, shared);
    expect(got).toEqual(computedValues(row, computeContext(d.header, policy, now)));
    if (got.replyDue !== null) due++;
    if (got.replyStatus !== null) judged++;
  }
  // The rows reach the clock: a due date and its status, not the blanks of a row without one.
  expect(due).toBeGreaterThan(300);
  expect(judged).toBeGreaterThan(300);
});

test("the row's Case as the reader reads it is readCase's of its record", async () => {
  const policy = defaultPolicy();
  const d = await generateSample({ cases: 200, mistakes: 20, seed: 11 });
  const ctx = computeContext(d.header, policy, shanghai(2026, 6, 30, 10, 0, 0));
  computedValues(d.rows[0], ctx);
  for (const row of d.rows) expect(ctx.reader!.read(row).case).toEqual(readCase(rowToRecord(ctx.keys, row), policy, { defaultYear: 2026 }).case);
});
