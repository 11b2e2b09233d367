/**
 * A schema version as data: the ledger columns, signing roles, default Policy
 * rows and relied-on codes a release wrote. One JSON file per version
 * (v1.json, v2.json…) is recorded by `npm run schema:snapshot` and checked in;
 * a test fails when the live code differs from the current version's file, so
 * a column or default row added without a new version cannot ship. Migrations
 * diff two snapshots (steps.ts), which is how "deleted by the user" is told
 * from "never had": a row of the old defaults missing from a sheet was deleted.
 */
import type { Cell } from "../../domain/policy/policy-table";
import { policyToRows } from "../../domain/policy/policy-table";
import { defaultPolicy, RELIED_ON } from "../../domain/policy/policy";
import { CASE_FIELDS, headerOf, signingRoles, type FieldDef } from "../../domain/schema";
import { computedColumns, PEOPLE_COLUMNS } from "../workbook-layout";
import { cellText as text } from "../../domain/text";

export interface SnapshotColumn {
  key: string;
  header: string;
}

/** One section of the default Policy sheet: its marker (`FORMS`), title row, header row and data rows. */
export interface SnapshotSection {
  marker: string;
  title: string;
  header: string[];
  rows: Cell[][];
}

export interface SchemaSnapshot {
  version: string;
  /** The release that first wrote this version. */
  release: string;
  /** Case fields, then computed columns, in a new ledger's order (signature columns come from the policy). */
  columns: SnapshotColumn[];
  /** Roles that sign some form under the default policy. */
  signatures: string[];
  people: string[];
  policy: SnapshotSection[];
  /** Policy sections → codes the program relies on (policy.ts RELIED_ON), by section marker. */
  reliedOn: Record<string, string[]>;
}

/** RELIED_ON's lists by the Policy sheet's section markers. */
export const MARKER_OF_LIST: Record<(typeof RELIED_ON)[number]["list"], string> = {
  roles: "ROLES",
  forms: "FORMS",
  clocks: "CLOCKS",
  severities: "SEVERITIES",
  responsibilities: "RESPONSIBILITY",
};

const trimRow = (r: readonly Cell[]): Cell[] => {
  let n = r.length;
  while (n > 0 && text(r[n - 1]) === "") n--;
  return r.slice(0, n).map((x) => (x === undefined ? null : x));
};

/** Splits Policy rows into sections; a marker repeated further down continues its section. Rows outside any section are dropped. */
export function policySections(rows: readonly (readonly unknown[])[]): SnapshotSection[] {
  const out: SnapshotSection[] = [];
  let cur: SnapshotSection | undefined;
  let expectHeader = false;
  for (const raw of rows) {
    const cells = raw.map((x) => (x instanceof Date ? x.toISOString().slice(0, 10) : (x ?? null))) as Cell[];
    const m = /^\[([A-Z_]+)\]$/.exec(text(cells[0]));
    if (m) {
      cur = out.find((s) => s.marker === m[1]);
      if (!cur) {
        cur = { marker: m[1], title: text(cells[1]), header: [], rows: [] };
        out.push(cur);
      }
      expectHeader = true;
      continue;
    }
    if (cells.every((x) => text(x) === "")) continue;
    if (!cur) continue;
    if (expectHeader) {
      expectHeader = false;
      if (!cur.header.length) cur.header = trimRow(cells).map(text);
      continue;
    }
    cur.rows.push(trimRow(cells));
  }
  return out;
}

/** What makes a Policy row the same row across versions: its code, a setting's key, a limit's clock/class/severity/urgent, a calendar date and scope. */
export function rowIdentity(marker: string, row: readonly Cell[]): string {
  const at = (i: number) => text(row[i]).toUpperCase();
  switch (marker) {
    case "LIMITS":
      return [0, 1, 2, 3].map(at).join("|");
    case "CALENDAR":
      return `${at(0)}|${at(2)}`;
    case "SETTINGS":
      return text(row[0]);
    default:
      return at(0);
  }
}

/** The snapshot of the code as it stands: what `npm run schema:snapshot` writes for SCHEMA_VERSION. */
export function liveSnapshot(version: string, release: string): SchemaSnapshot {
  const policy = defaultPolicy();
  return {
    version,
    release,
    columns: [
      ...CASE_FIELDS.map((f) => ({ key: f.key, header: headerOf(f as FieldDef) })),
      ...computedColumns(policy).map((c) => ({ key: c.key, header: `${c.zh} ${c.en}` })),
    ],
    signatures: signingRoles(policy),
    people: PEOPLE_COLUMNS.map((c) => c.header),
    policy: policySections(policyToRows(policy)),
    reliedOn: Object.fromEntries(RELIED_ON.map((r) => [MARKER_OF_LIST[r.list], [...r.codes]])),
  };
}
