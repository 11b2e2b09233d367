/**
 * The shapes planAdoption works with and returns, apart from the planner so
 * that its steps in other modules (sheet-says.ts) can name them without an
 * import cycle.
 */
import type { CellValue } from "../domain/case";
import type { ProblemKind } from "../domain/codes";
import type { Bilingual } from "../domain/errors";
import type { Policy } from "../domain/policy/policy";
import type { FieldDef } from "../domain/schema";
import type { AuditInput } from "../ledger/audit";
import type { AdoptCheck } from "./preview";
import type { CaseRows } from "./case-rows";

/** Where a case's kind came from: its goods back, its disposition, its number's prefix, the sheet's title, or the one answer asked. */
export type KindSource = "goods" | "disposition" | "prefix" | "title" | "asked";

/** A sheet's used range as values. */
export interface SheetGrid {
  name: string;
  /** Values from the top-left of the used range; Excel date cells may come as serials or Date objects. */
  values: CellValue[][];
  /** 0-based sheet position of values[0][0] (default 0,0), for the row/column numbers users see. */
  origin?: { row: number; col: number };
  /** Number formats parallel to values, where the adapter has them. */
  numberFormats?: (string | null | undefined)[][];
  /**
   * Cells present beyond the ledger's block (adoption/block.ts), 0-based sheet
   * coordinates: listed on the Problems sheet, kept in the backup, not read.
   * At most OUTSIDE_LISTED of them; `outsideCount` says how many there were.
   */
  outside?: { row: number; col: number; value: CellValue }[];
  outsideCount?: number;
  /** Merged areas, 0-based in `values` (inclusive): the value is in the top-left cell only, as in the file. */
  merges?: { top: number; left: number; bottom: number; right: number }[];
  /** Cells holding a formula with no computed result (a program wrote it), 0-based in `values`; their value is null. */
  formulas?: { row: number; col: number; formula: string }[];
}

/** Cells outside the ledger listed one by one on the Problems sheet; more are counted in one line. */
export const OUTSIDE_LISTED = 1000;

/** How one source column maps to the ledger. */
export interface ColumnMapping {
  /** 0-based index in the grid. */
  index: number;
  /** The column's letter in the sheet. */
  letter: string;
  /** The header as typed. */
  header: string;
  /** Field key, or null: kept as an extra column under its own header. */
  key: string | null;
  /** How the mapping was found: the exact header or name, a synonym, the user, or not at all. */
  how: "exact" | "synonym" | "user" | "none";
  /** Why it matched (or why not), for the plan and the adoption screen. */
  why: Bilingual;
  /** A yes/no question column (是否收费, 是否免费, 是否结案): the code its "yes" means. */
  yesMeans?: string;
  /** A row counter (序号 1, 2, 3…): kept as an extra column, never a case number. */
  counter?: boolean;
}

/** A name found in the sheet's people columns, with the roles the header suggests. */
export interface PersonProposal {
  name: string;
  /** Headers of the columns the name appears in. */
  columns: string[];
  /** Role codes suggested by those columns (a sign-off column's role); empty: ask. */
  roles: string[];
  /** Rows (cases) the name appears in. */
  cases: number;
}

export type RowKind = "case" | "blank" | "total" | "note" | "header";

export interface AdoptProblem {
  /** 1-based sheet row of the original. */
  row: number;
  /** Column letter of the original ("" for a whole row). */
  column: string;
  header: string;
  value: CellValue;
  kind: ProblemKind;
  zh: string;
  en: string;
}

export interface AdoptOptions {
  policy: Policy;
  /** Today as a serial: the last-resort year for dates typed without one, and the year of new case numbers. */
  today: number;
  /** The user's corrections: source column index → field key, or null to keep the column as an extra. */
  mapping?: Record<number, string | null>;
  /** The user's choice of header row (0-based in the grid), when detection picked wrong. */
  headerRow?: number;
  /** Give duplicate and missing case numbers new ones (the user confirmed). */
  renumber?: boolean;
  /** The kind (类别 code) of every row whose own data names none; default 客诉 COMPLAINT, shown in the plan. */
  kind?: string;
  user?: string;
}

/**
 * The ledger's rows made when asked (the writer asks 0, 1, 2…): each case held once in the columns the sheet
 * gives, not the ledger's 75 (issue 26: a 200,000-row sheet). `row(i)` is a new array each time.
 */
export interface PlannedRows {
  readonly length: number;
  row(i: number): CellValue[];
}

/** The plan; `R` is how the ledger's rows are held: an array (planAdoption, the pane) or made when asked (planAdoptionRows). */
export interface AdoptPlan<R extends CellValue[][] | PlannedRows = CellValue[][]> {
  sheet: string;
  /** 0-based in the grid. */
  headerRow: number;
  columns: ColumnMapping[];
  /** Kind of every grid row below the header. */
  rowKinds: { row: number; kind: RowKind }[];
  /** The ledger table to write: header texts (layout.ledgerColumns) and one row per case. */
  table: { header: string[]; rows: R; numberFormats: string[]; sourceRows: number[] };
  problems: AdoptProblem[];
  renumbered: { row: number; from: string; to: string }[];
  counts: {
    rows: number;
    cases: number;
    blank: number;
    total: number;
    note: number;
    header: number;
    normalised: number;
    problems: number;
    duplicates: number;
    missingCaseNo: number;
    renumbered: number;
    /** Cases whose blank status was filled with the furthest step their data supports. */
    statusInferred: number;
    /** Cases adopted as finished history (a close date, or a result that finishes the case). */
    history: number;
    /** Case numbers generated because the sheet had none (or only a row counter). */
    generated: number;
    /** Cases by state code, as they will be written: shown before writing. */
    states: Record<string, number>;
  };
  /** Names found in 处理人 / 负责人 / 签核 columns: proposed for the People sheet. */
  people: PersonProposal[];
  /** Cases closed on or before this day (serial) are history: written as the policy's historyUntil. */
  historyUntil: number;
  /** Year assumed for dates typed without one, and where it came from. */
  defaultYear: { year: number; from: "title" | "dates" | "today" };
  /** Entries for the audit log (the adoption summary and each renumbering). */
  audit: AuditInput[];
  /** Where each case's kind came from; `asked`: the rows nothing names a kind for, given the one answer for the sheet. */
  kinds: {
    from: Record<KindSource, number>;
    asked?: { rows: number; default: string; chosen?: string };
    /** The kind the sheet's name or title names, if one. */
    title?: string;
  };
  /** Each text of the progress column, the state it names and the states its rows were written with. */
  progress: { text: string; state?: string; rows: number; written: Record<string, number> }[];
  /** The ledger's own check on the adopted rows: what `check` will say after writing. */
  check: AdoptCheck;
}

/** A plan whichever way its ledger rows are held (what the CLI prints reads no row). */
export type AnyAdoptPlan = AdoptPlan<CellValue[][] | PlannedRows>;

/** What every step of planAdoption reads: the sheet, its header and the column mapping; problems are collected in sheet order. */
export interface Planning {
  grid: SheetGrid;
  opts: AdoptOptions;
  policy: Policy;
  values: readonly (readonly CellValue[])[];
  headerRow: number;
  columns: ColumnMapping[];
  schema: readonly FieldDef[];
  fieldOf: (key: string | null) => FieldDef | undefined;
  /** 1-based sheet row of a grid row, as users see it. */
  sheetRow: (r: number) => number;
  problems: AdoptProblem[];
  /** Formulas without a result (grid.formulas), by row then column. */
  formulas: Map<number, Map<number, string>>;
  /** Lets the grid's row r go once the cases are read from it (planAdoptionRows' `consume`). */
  release?: (r: number) => void;
}

/** The case rows and what reading them found out. */
export interface RowsRead {
  rowKinds: AdoptPlan["rowKinds"];
  /** The case rows, packed as read. */
  cases: CaseRows;
  normalised: number;
  /** 处理结果 text that was read as a code: the words are kept in a column of their own. */
  resultTexts: CellValue[];
  resultRead: boolean;
  /** Indexes in cases of the cases the sheet says are finished (a result, or 是 to 是否结案). */
  finishedRows: Set<number>;
  /** What each case's progress column (处理进度 / 状态) says, by index in cases: the text and the state it names. */
  progress: ({ text: string; state?: string } | undefined)[];
  /** Whether a progress text was read by its words (not an exact state name): the words are kept beside. */
  progressRead: boolean;
  /** The names in the people columns, counted as the rows are read. */
  people: { add(row: readonly CellValue[]): void; proposals(): PersonProposal[] };
}
