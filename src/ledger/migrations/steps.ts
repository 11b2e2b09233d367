/**
 * Migrations as data: one step per schema version (1 → 2, 2 → 3…), each a
 * pure function of the ledger's header and Policy rows plus the snapshots of
 * the two versions (snapshot.ts). A step only adds:
 * - ledger columns the newer version has and the older had not, at the
 *   table's end (the store gives each its formula, validation and format);
 * - a signature column for each role the merged policy has sign a form;
 * - Policy rows the release added, below the sheet's last row (a repeated
 *   section marker continues its section), so no cell the user wrote moves.
 *   A row of the older defaults missing from the sheet was deleted on purpose
 *   and stays deleted, unless the program relies on its code.
 * Nothing is rewritten. A version whose change a diff cannot express gets a
 * custom step in CUSTOM_STEPS, run after the diff.
 */
import type { CellValue } from "../../domain/case";
import { defaultPolicy, type Policy } from "../../domain/policy/policy";
import { policyFromRows, type Cell } from "../../domain/policy/policy-table";
import { headerOf, isSignatureKey, ledgerSchema } from "../../domain/schema";
import { keysOfHeader } from "../records";
import { SCHEMA_VERSION } from "../workbook-layout";
import { policySections, rowIdentity, type SchemaSnapshot, type SnapshotColumn, type SnapshotSection } from "./snapshot";
import v1 from "./v1.json";
import v2 from "./v2.json";
import v3 from "./v3.json";
import { cellText as text } from "../../domain/text";

/** Every recorded version, oldest first. Add the new file here when SCHEMA_VERSION is raised. */
export const SNAPSHOTS: readonly SchemaSnapshot[] = [v1, v2, v3];

export type ChangeKind = "column" | "signature" | "policy" | "custom";

/** One change an upgrade makes, for the pane, the CLI's --json and the audit entry. */
export interface UpgradeChange {
  kind: ChangeKind;
  /** Neutral text: a bilingual header, or a Policy row as "FORMS DEBIT_NOTE 扣款单 Debit note". */
  detail: string;
  zh: string;
  en: string;
}

/** What a step reads: the ledger's header and Policy rows as they stand (after earlier steps). */
export interface StepInput {
  header: readonly string[];
  policyRows: readonly (readonly CellValue[])[];
}

export interface StepResult {
  changes: UpgradeChange[];
  /** Columns to add at the ledger table's end, in order. */
  columns: SnapshotColumn[];
  /** Rows to add below the Policy sheet's last row. */
  policyAppend: Cell[][];
}

export type Step = (input: StepInput, from: SchemaSnapshot, to: SchemaSnapshot) => StepResult;

/** Custom steps by target version, for a change a diff cannot express (a renamed column, a split one…). */
export const CUSTOM_STEPS: Record<string, Step> = {};

const rowLabel = (s: SnapshotSection, row: readonly Cell[]) => `${s.marker} ${row.slice(0, 3).map(text).filter(Boolean).join(" ")}`;

/** The Policy rows the newer defaults add to a sheet (see the module comment), as sections to append. */
function mergePolicy(rows: StepInput["policyRows"], from: SchemaSnapshot, to: SchemaSnapshot): { add: SnapshotSection[]; changes: UpgradeChange[] } {
  const sheet = policySections(rows);
  const add: SnapshotSection[] = [];
  const changes: UpgradeChange[] = [];
  const revivedClocks = new Set<string>();
  for (const sec of to.policy) {
    const mine = sheet.find((s) => s.marker === sec.marker);
    const newSection = !from.policy.some((s) => s.marker === sec.marker);
    if (!mine && newSection && sheet.length && sec.rows.length) {
      // A section this release adds (issue 23: cost categories, journal layouts) is written whole, so the
      // people who edit the Policy sheet see its rows; it read as the defaults before.
      add.push({ ...sec, rows: sec.rows.map((r) => [...r]) });
      for (const row of sec.rows) {
        const what = rowLabel(sec, row);
        changes.push({ kind: "policy", detail: what, zh: `设置表新增:${what}`, en: `Policy: added ${what}` });
      }
      continue;
    }
    if (!mine) continue; // a missing section reads as the defaults: nothing to merge
    const have = new Set(mine.rows.map((r) => rowIdentity(sec.marker, r)));
    const had = new Set((from.policy.find((s) => s.marker === sec.marker)?.rows ?? []).map((r) => rowIdentity(sec.marker, r)));
    const relied = new Set(to.reliedOn[sec.marker] ?? []);
    const limitClocks = new Set(mine.rows.map((r) => text(r[0]).toUpperCase()));
    const rowsToAdd: Cell[][] = [];
    for (const row of sec.rows) {
      const id = rowIdentity(sec.marker, row);
      if (have.has(id)) continue;
      const revived =
        relied.has(text(row[0])) || (sec.marker === "LIMITS" && revivedClocks.has(text(row[0]).toUpperCase()) && !limitClocks.has(text(row[0]).toUpperCase()));
      if (had.has(id) && !revived) continue; // deleted on purpose: stays deleted
      if (sec.marker === "CLOCKS") revivedClocks.add(text(row[0]).toUpperCase());
      rowsToAdd.push([...row]);
      have.add(id);
      const what = rowLabel(sec, row);
      changes.push(
        had.has(id)
          ? { kind: "policy", detail: what, zh: `设置表补回程序依赖的行:${what}`, en: `Policy: restored a row the add-in relies on: ${what}` }
          : { kind: "policy", detail: what, zh: `设置表新增:${what}`, en: `Policy: added ${what}` },
      );
    }
    if (rowsToAdd.length) add.push({ ...sec, rows: rowsToAdd });
  }
  return { add, changes };
}

/** Sections as rows below a sheet: a blank row, the marker (titled with the release that added them), the header, the rows. */
function appendRows(add: readonly SnapshotSection[], to: SchemaSnapshot, sheetHasRows: boolean): Cell[][] {
  const out: Cell[][] = [];
  for (const s of add) {
    if (sheetHasRows || out.length) out.push([]);
    out.push([`[${s.marker}]`, `${s.title} · ${to.release} 新增 / added in ${to.release}`]);
    out.push([...s.header]);
    out.push(...s.rows.map((r) => [...r]));
  }
  return out;
}

/** The policy a ledger runs on after the merge (the defaults when the sheet has none or does not read). */
function mergedPolicy(rows: readonly (readonly CellValue[])[]): Policy | undefined {
  if (!rows.length) return defaultPolicy();
  return policyFromRows(rows).policy;
}

/** The step every version gets: the diff of two snapshots applied to one ledger. */
export const diffStep: Step = (input, from, to) => {
  const { add, changes: policyChanges } = mergePolicy(input.policyRows, from, to);
  // Columns first: what people see in the sheet, listed before the Policy rows.
  const changes: UpgradeChange[] = [];
  const policyAppend = appendRows(add, to, input.policyRows.length > 0);
  const policy = mergedPolicy([...input.policyRows, ...policyAppend]) ?? defaultPolicy();
  const keys = new Set(keysOfHeader(input.header, policy));
  const headers = new Set(input.header.map(text));
  const columns: SnapshotColumn[] = [];
  const fromKeys = new Set(from.columns.map((c) => c.key));
  for (const c of to.columns) {
    if (fromKeys.has(c.key) || keys.has(c.key) || headers.has(c.header)) continue;
    columns.push({ ...c });
    changes.push({ kind: "column", detail: c.header, zh: `台账新增列:${c.header}`, en: `Ledger: added column ${c.header}` });
  }
  for (const f of ledgerSchema(policy).filter((x) => isSignatureKey(x.key))) {
    const header = headerOf(f);
    if (keys.has(f.key) || headers.has(header)) continue;
    columns.push({ key: f.key, header });
    changes.push({ kind: "signature", detail: header, zh: `台账新增签核列:${header}`, en: `Ledger: added sign-off column ${header}` });
  }
  return { changes: [...changes, ...policyChanges], columns, policyAppend };
};

/** Where a ledger stands against this release. */
export interface UpgradePlan {
  from: string;
  to: string;
  /** One entry per step run, oldest first (empty when the ledger is current). */
  steps: { from: string; to: string; changes: UpgradeChange[] }[];
  changes: UpgradeChange[];
  columns: SnapshotColumn[];
  policyAppend: Cell[][];
}

/**
 * The steps from a ledger's version to this release's, applied one after
 * another on the header and Policy rows (each sees what the one before added).
 * Throws for a version this release does not know (newer, or not a number).
 */
export function planUpgrade(
  input: StepInput,
  fromVersion: string,
  toVersion: string = SCHEMA_VERSION,
  snapshots: readonly SchemaSnapshot[] = SNAPSHOTS,
): UpgradePlan {
  const at = (v: string) => snapshots.findIndex((s) => s.version === v);
  const i = at(fromVersion),
    j = at(toVersion);
  if (i < 0 || j < 0 || i > j) throw new Error(`no upgrade from schema ${fromVersion} to ${toVersion}`);
  const plan: UpgradePlan = { from: fromVersion, to: toVersion, steps: [], changes: [], columns: [], policyAppend: [] };
  let header = [...input.header];
  let policyRows: CellValue[][] = input.policyRows.map((r) => [...r]);
  for (let k = i; k < j; k++) {
    const from = snapshots[k],
      to = snapshots[k + 1];
    const results = [diffStep, ...(CUSTOM_STEPS[to.version] ? [CUSTOM_STEPS[to.version]] : [])].map((step) => {
      const r = step({ header, policyRows }, from, to);
      header = [...header, ...r.columns.map((c) => c.header)];
      policyRows = [...policyRows, ...r.policyAppend];
      return r;
    });
    const changes = results.flatMap((r) => r.changes);
    plan.steps.push({ from: from.version, to: to.version, changes });
    plan.changes.push(...changes);
    plan.columns.push(...results.flatMap((r) => r.columns));
    plan.policyAppend.push(...results.flatMap((r) => r.policyAppend));
  }
  return plan;
}
