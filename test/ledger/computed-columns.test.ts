/**
 * One rule for the computed columns (issue 27, items 2, 3 and 7): the sheet's formulas (workbook-layout.ts
 * computedColumns, run here through a small evaluator with the real CL.* functions) and the JavaScript that writes
 * their cached results into .xlsx files (stores/xlsx/columns.ts computedValues) give the same reply due date and
 * reply status on the same cases — whichever market words, reply and close dates, or closed history they carry.
 */
import { defaultPolicy } from "../../src/domain/policy/policy";
import { CLOCK } from "../../src/domain/policy/policy";
import { clockOf, replyClockFor } from "../../src/domain/sla";
import { dueDate, setPolicy, slaStatus } from "../../src/functions/functions";
import { keysOfHeader } from "../../src/ledger/records";
import { computedColumnOf, computedColumns, computedHeader } from "../../src/ledger/workbook-layout";
import { generateSample } from "../../src/sample/ledger-sample";
import { computeContext, computedValues } from "../../src/stores/xlsx/columns";
import { evaluate, parseFormula, type Value } from "./formula-eval";

const NOW = new Date("2026-07-15T02:00:00Z");

beforeAll(() => {
  jest.useFakeTimers({ now: NOW });
});
afterAll(() => jest.useRealTimers());

/** A CL.* call as Excel makes it: an error shows as an error value, which the cached result leaves blank. */
const orBlank =
  (fn: (...a: never[]) => Value) =>
  (...args: Value[]): Value => {
    try {
      return fn(...(args as never[]));
    } catch {
      return null;
    }
  };

test("the sheet's formulas and the cached results agree on every case of a ledger", async () => {
  const policy = defaultPolicy();
  setPolicy(policy);
  const data = await generateSample({ seed: 7, cases: 150 });
  const keys = keysOfHeader(data.header, policy);
  const col = (k: string) => keys.indexOf(k);
  // Vary what the rule turns on: market words the policy must resolve, closed history with no dates at all.
  const markets = ["出口", "外销", "国际", "国内", null, "export", "Domestic"];
  const rows = data.rows.map((r, i) => {
    const row = [...r];
    row[col("market")] = markets[i % markets.length];
    if (i % 11 === 0) {
      row[col("repliedAt")] = null;
      row[col("closedAt")] = null;
      row[col("status")] = "已结案";
    }
    return row;
  });
  const columns = computedColumns(policy);
  const formulas = columns.map((c) => ({ key: c.key, header: computedHeader(c), ast: parseFormula(c.formula) }));
  const ctx = computeContext(data.header, policy, NOW);
  const seen = new Map<string, number>();
  for (const row of rows) {
    const results = new Map<string, Value>();
    const cell = (header: string): Value => {
      if (results.has(header)) return results.get(header)!;
      const i = data.header.indexOf(header);
      if (i < 0) throw new Error(`no column ${header}`);
      const v = row[i];
      return v instanceof Date || v === undefined ? null : v;
    };
    for (const f of formulas) {
      const v = evaluate(f.ast, cell, { "CL.DUEDATE": orBlank(dueDate), "CL.SLASTATUS": orBlank(slaStatus) });
      results.set(f.header, v === "" ? null : v);
    }
    const cached = computedValues(row, ctx);
    expect({ replyDue: results.get("回复到期 Reply due"), replyStatus: results.get("回复时效 Reply status") }).toEqual(cached);
    const status = String(cached.replyStatus ?? "(blank)");
    seen.set(status, (seen.get(status) ?? 0) + 1);
  }
  // The comparison covered the rule's branches: running and finished statuses, and the unjudged closed history.
  expect(seen.get("(blank)")).toBeGreaterThan(0);
  expect(seen.size).toBeGreaterThanOrEqual(4);
});

test("the reply clock of a market is the domain's: every market word gives the clock clockApplies runs", () => {
  const policy = defaultPolicy();
  const intl = clockOf(CLOCK.REPLY_INTERNATIONAL, policy)!;
  const dom = clockOf(CLOCK.REPLY_DOMESTIC, policy)!;
  expect(intl.code).not.toBe(dom.code);
  expect(replyClockFor("INTERNATIONAL", policy)).toBe(intl);
  expect(replyClockFor("DOMESTIC", policy)).toBe(dom);
  expect(replyClockFor(undefined, policy)).toBe(dom);
  // A policy whose international limit differs gives different due dates through the sheet's function too.
  setPolicy(policy);
  const start = 46200;
  expect(dueDate(start, "REPLY_DOMESTIC", "A", null, null, "出口")).toBe(dueDate(start, "REPLY_INTERNATIONAL", "A"));
  expect(dueDate(start, "REPLY_DOMESTIC", "A", null, null, "国内")).toBe(dueDate(start, "REPLY_DOMESTIC", "A"));
});

test("computed-column headers are read in one place: bilingual, 中文 or English alone", () => {
  const policy = defaultPolicy();
  for (const c of computedColumns(policy)) {
    for (const h of [computedHeader(c), c.zh, c.en, ` ${c.zh} `]) expect(computedColumnOf(h, policy)?.key).toBe(c.key);
    expect(keysOfHeader([computedHeader(c), c.zh], policy)).toEqual([c.key, c.key]);
  }
  expect(computedColumnOf("回复", policy)).toBeUndefined();
  // The status formula refers to the due column by the header the due column is written with.
  const [due, status] = computedColumns(policy);
  expect(status.formula).toContain(`[@[${computedHeader(due)}]]`);
});
