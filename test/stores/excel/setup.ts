/**
 * Ledgers in the fake workbook, made the way the add-in makes them: a plan
 * of records (records.ts / layout.ts helpers, no hard-coded positions)
 * written by applyAdoption.
 */
import type { Case } from "../../../src/domain/case";
import { ymdToSerial } from "../../../src/domain/dates";
import type { State } from "../../../src/domain/lifecycle";
import { defaultPolicy, type Policy } from "../../../src/domain/policy/policy";
import type { AdoptPlan } from "../../../src/adoption/planner";
import { applyAdoption } from "../../../src/stores/excel/adopt";
import { FIRST_ROWS, READ_CELLS } from "../../../src/stores/excel/chunks";
import { ExcelStore } from "../../../src/stores/excel/store";
import { ledgerColumns, SHEETS, TABLES } from "../../../src/ledger/workbook-layout";
import { keysOfHeader, numberFormatOf, recordToRow, type CaseRecord } from "../../../src/ledger/records";
import { FakeExcel, type Platform, type Prim } from "../../fakes/excel-fake";
import { caseAt, recordOf } from "../../ledger/cases";
import { shanghai } from "../../fakes/clock";

export const NOW = shanghai(2026, 2, 10, 9, 30, 0);
export const USER = "李质检";

export function caseNo(i: number): string {
  return `KS-2026-${String(i + 1).padStart(4, "0")}`;
}

/** A case's record at `state`, numbered `i`. */
export function record(i: number, state: State, policy: Policy, overrides: Partial<Case> = {}): CaseRecord {
  return recordOf(caseAt(state, policy, { caseNo: caseNo(i), ...overrides }), policy);
}

/** `n` cases cycling through a few states (built once per state, then renumbered: fast at 10,000). */
export function records(n: number, policy: Policy): CaseRecord[] {
  const states: State[] = ["RECEIVED", "JUDGED", "DISPOSITION", "CLOSED"];
  const base = states.map((s) => record(0, s, policy));
  return Array.from({ length: n }, (_, i) => ({ ...base[i % base.length], caseNo: caseNo(i) }));
}

/** A plan that writes `recs` as the ledger (what planAdoption yields for a clean sheet). */
export function planOf(recs: CaseRecord[], policy: Policy, sheet: string = SHEETS.ledger): AdoptPlan {
  const cols = ledgerColumns(policy);
  const header = cols.map((c) => c.header);
  const keys = keysOfHeader(header, policy);
  return {
    sheet,
    headerRow: 0,
    columns: [],
    rowKinds: [],
    table: { header, rows: recs.map((r) => recordToRow(keys, r)), numberFormats: cols.map(numberFormatOf), sourceRows: recs.map((_, i) => i + 2) },
    problems: [],
    renumbered: [],
    counts: {
      rows: recs.length,
      cases: recs.length,
      blank: 0,
      total: 0,
      note: 0,
      header: 0,
      normalised: 0,
      problems: 0,
      duplicates: 0,
      missingCaseNo: 0,
      renumbered: 0,
      statusInferred: 0,
      history: 0,
      generated: 0,
      states: {},
    },
    defaultYear: { year: 2026, from: "today" },
    people: [],
    historyUntil: 0,
    audit: [{ user: USER, action: "ADOPTED", cell: sheet, reason: "测试接管 / Test adoption" }],
    kinds: { from: { goods: 0, disposition: 0, prefix: 0, title: 0, asked: 0 } },
    progress: [],
    check: { cases: recs.length, violations: 0, casesWithViolations: 0, groups: [] },
  };
}

export interface Setup {
  fake: FakeExcel;
  store: ExcelStore;
  policy: Policy;
  keys: string[];
  header: string[];
}

/** A workbook whose ledger holds `recs`, adopted by the adapter. */
export async function ledgerWith(
  recs: CaseRecord[],
  policy: Policy = defaultPolicy(),
  platform: Platform = "web",
  adopted?: (fake: FakeExcel) => void,
  /** Changes the plan before it is written (e.g. a ledger of an earlier schema, without a column). */
  shape?: (plan: AdoptPlan) => void,
): Promise<Setup> {
  const fake = new FakeExcel([SHEETS.ledger], { platform });
  fake.seed(SHEETS.ledger, 0, 0, [["旧台账"]]);
  fake.resetMeter();
  const plan = planOf(recs, policy);
  shape?.(plan);
  await fake.run((ctx) => applyAdoption(ctx, plan, { user: USER, now: NOW, policy }));
  adopted?.(fake);
  fake.resetMeter();
  const header = fake.header(TABLES.ledger);
  return { fake, store: new ExcelStore({ run: fake.run, policy }), policy, keys: keysOfHeader(header, policy), header };
}

/** Column index of a field in the ledger table. */
export const col = (s: Setup, key: string): number => {
  const i = s.keys.indexOf(key);
  if (i < 0) throw new Error(`no column ${key}`);
  return i;
};

/** Sheet address of a body cell ("AF5"), for user edits. */
export function at(s: Setup, row: number, key: string): string {
  const t = s.fake.table(TABLES.ledger)!;
  return `${letter(t.c + col(s, key))}${t.r + 2 + row}`;
}

export function letter(i: number): string {
  let out = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

/** A body cell's value as Excel returns it. */
export function value(s: Setup, row: number, key: string): Prim {
  return s.fake.body(TABLES.ledger)[row][col(s, key)];
}

export const serial = (y: number, m: number, d: number) => ymdToSerial(y, m, d);

/**
 * Round trips a chunked read of `rows` × `cols` takes after its first batch
 * (src/stores/excel/chunks.ts): none for a small table, then one per chunk of
 * a fixed number of cells — so a count grows with the rows, a batch's size does not.
 */
export function readChunks(rows: number, cols: number): number {
  return rows <= FIRST_ROWS ? 0 : Math.ceil((rows - FIRST_ROWS) / Math.max(1, Math.floor(READ_CELLS / cols)));
}

/** Chunks to read the ledger table's body of `s`. */
export const bodyChunks = (s: Setup): number => {
  const t = s.fake.table(TABLES.ledger)!;
  return readChunks(t.n, t.w);
};
