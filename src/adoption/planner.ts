/**
 * Adopting a hand-kept ledger: one pure operation on cell values, shared by
 * the Excel adapter and the .xlsx adapter (they only move the cells).
 *
 * planAdoption(grid) finds the header row (under merged titles and notes),
 * maps columns to the schema, sorts rows into cases / blank / total / note /
 * repeated-header rows, normalises every value it can read and keeps every
 * value it cannot exactly as typed, listing it as a problem. The adapters
 * then keep a backup copy of the original sheet, write `plan.table` as the
 * ledger table and `plan.problems` on the Problems sheet. Nothing typed is
 * lost: the backup keeps the original, the table keeps unreadable cells as
 * typed, the responsibility column keeps its original text beside the code,
 * and extra columns the schema does not know are carried over unchanged.
 */
import type { ProblemKind } from "../domain/codes";
import { formatCaseNo, isBlank, parseCaseNo, parseSignature, readCase, readValue, type CellValue } from "../domain/case";
import { matchDisposition } from "../domain/disposition";
import { serialToYmd, toSerial } from "../domain/dates";
import { DomainError } from "../domain/errors";
import { reachedState } from "../domain/lifecycle";
import { findNamed, type Policy } from "../domain/policy";
import { matchResponsibility } from "../domain/responsibility";
import { BOOLS, CHARGES, headerOf, ledgerSchema, matchHeader, STATES, vocabularyOf, type FieldDef } from "../domain/schema";
import type { Bilingual } from "../domain/errors";
import { normalizeText } from "../domain/text";
import type { AuditInput } from "../ledger/audit";
import { columnLetter, ledgerColumns, PEOPLE_COLUMNS } from "../ledger/workbook-layout";
import { cellOf, numberFormatOf, sameCell } from "../ledger/records";

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
  user?: string;
}

export interface AdoptPlan {
  sheet: string;
  /** 0-based in the grid. */
  headerRow: number;
  columns: ColumnMapping[];
  /** Kind of every grid row below the header. */
  rowKinds: { row: number; kind: RowKind }[];
  /** The ledger table to write: header texts (layout.ledgerColumns) and one row per case. */
  table: { header: string[]; rows: CellValue[][]; numberFormats: string[]; sourceRows: number[] };
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
}

const cellText = (v: CellValue) => (v === null || v === undefined ? "" : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim());

/** How many schema fields a row's cells name: the header row names the most. */
function headerScore(row: readonly CellValue[], fields: readonly FieldDef[]): number {
  const hit = new Set<string>();
  for (const v of row) {
    if (typeof v !== "string") continue;
    const f = matchHeader(v, fields);
    if (f) hit.add(f.key);
  }
  return hit.size;
}

/** The header row: the row among the first 40 that names the most fields (at least 2). */
export function detectHeaderRow(values: readonly (readonly CellValue[])[], policy: Policy): number {
  const fields = ledgerSchema(policy);
  let best = -1;
  let bestScore = 1;
  for (let r = 0; r < Math.min(values.length, 40); r++) {
    const score = headerScore(values[r] ?? [], fields);
    if (score > bestScore) [best, bestScore] = [r, score];
  }
  if (best < 0) {
    throw new DomainError(
      "NO_HEADER",
      "找不到表头行:前 40 行中没有一行包含至少两个已知列名(如 客户、不良现象、日期)",
      "No header row found: none of the first 40 rows names at least two known columns (such as 客户 Customer, 不良现象 Defect, 日期 Date)",
    );
  }
  return best;
}

/** Maps each column of the header row; the first column claiming a field wins, later ones are kept as extras. */
export function mapColumns(header: readonly CellValue[], width: number, policy: Policy, user: Record<number, string | null> = {}, origin = 0): ColumnMapping[] {
  const fields = ledgerSchema(policy);
  const taken = new Set<string>();
  const out: ColumnMapping[] = [];
  for (let i = 0; i < width; i++) {
    const text = cellText(header[i] ?? null);
    const letter = columnLetter(origin + i);
    let key: string | null = null;
    let how: ColumnMapping["how"] = "none";
    let why: Bilingual = { zh: "不在台账结构中,原样保留为附加列", en: "Not in the ledger schema; kept unchanged as an extra column" };
    if (i in user) {
      key = user[i];
      how = "user";
      why = { zh: "您指定的对应", en: "Your choice" };
    } else {
      const f = matchHeader(text, fields);
      if (f) {
        key = f.key;
        const h = normalizeText(text.replace(/\*|\(必填\)|（必填）/g, ""));
        how = [headerOf(f), f.zh, f.en, f.key].some((x) => normalizeText(x) === h) ? "exact" : "synonym";
        why =
          how === "exact"
            ? { zh: `表头即"${f.zh}"`, en: `The header is "${f.en}"` }
            : { zh: `"${text}"是"${f.zh}"的常用表头`, en: `"${text}" is a usual header for "${f.en}"` };
      }
    }
    if (key !== null && (taken.has(key) || !fields.some((f) => f.key === key))) {
      const first = out.find((c) => c.key === key);
      why = first
        ? {
            zh: `"${key}"已由 ${first.letter} 列"${first.header}"对应,原样保留为附加列`,
            en: `${key} is already mapped from column ${first.letter} "${first.header}"; kept as an extra column`,
          }
        : { zh: `未知字段"${key}"`, en: `Unknown field "${key}"` };
      key = null;
      how = "none";
    }
    if (key) taken.add(key);
    const yesMeans = key ? questionPolarity(text, key) : undefined;
    if (yesMeans && how !== "user") {
      const yes = key === "charge" ? findNamed(CHARGES, yesMeans)! : findNamed(STATES, yesMeans)!;
      why = { zh: `${why.zh};是/否问题:"是"表示${yes.zh}`, en: `${why.en}; a yes/no question: "yes" means ${yes.en}` };
    }
    out.push({ index: i, letter, header: text, key, how, why, ...(yesMeans ? { yesMeans } : {}) });
  }
  // A ledger with a model column and no product-name column names its products by model (产品型号, 规格).
  const part = out.find((c) => c.key === "partNo" && c.how !== "user");
  if (part && !taken.has("product") && !out.some((c) => c.how === "user" && c.key === null && c.index === part.index)) {
    part.key = "product";
    part.why = { zh: `没有"产品名称"列,型号列"${part.header}"作为产品`, en: `No product-name column: the model column "${part.header}" names the product` };
  }
  return out;
}

/**
 * What "yes" means when a free/charged or status column holds yes/no: the side
 * its header names. 是否收费 / 收费否 / chargeable → CHARGED; 是否免费 / 免费否 /
 * free of charge → FREE (the polarity of the question); 是否结案 / 结案否 /
 * 是否完成 / closed? → CLOSED. A header naming both sides (收费/免费) says nothing.
 */
export function questionPolarity(header: string, key: string): string | undefined {
  const h = normalizeText(header);
  if (key === "charge") {
    const free = /免费|free/.test(h);
    const charged = /收费|charge/.test(h.replace(/freeofcharge/g, ""));
    return free === charged ? undefined : free ? "FREE" : "CHARGED";
  }
  if (key === "status" && (/是否|否$/.test(h) || /\?|y\s*\/\s*n/i.test(header)) && /结案|完成|关闭|closed|done/.test(h)) return "CLOSED";
  return undefined;
}

const TOTAL = /^(合计|总计|小计|共计|汇总|total|subtotal|sum|grand total)(?![a-z])/i;
const NOTE = /^(注|备注|说明|制表|审核|编制|批准|填表|核准|note|remark|prepared|approved)/i;
const YEAR_IN_TITLE = /((?:19|20)\d{2})\s*(?:年|-|\/|\.|$|\s)/;

function classify(row: readonly CellValue[], columns: readonly ColumnMapping[], headerTexts: readonly string[]): RowKind {
  const filled = columns.filter((c) => !isBlank(row[c.index] ?? null));
  if (filled.length === 0) return "blank";
  const texts = filled.map((c) => cellText(row[c.index] ?? null));
  const sameAsHeader = filled.filter((c) => cellText(row[c.index] ?? null) === headerTexts[c.index] && headerTexts[c.index] !== "").length;
  if (sameAsHeader >= Math.max(2, Math.ceil(filled.length / 2))) return "header";
  if (texts.some((t) => TOTAL.test(t.replace(/\s+/g, " ")))) return "total";
  if (filled.length <= 2 && NOTE.test(texts[0])) return "note";
  if (filled.length === 1) {
    const only = row[filled[0].index];
    const looksLikeCaseNo = typeof only === "string" && /^[A-Za-z]{0,6}[-_]?\d[\d\-_/]*$/.test(only.trim());
    if (typeof only === "string" && !looksLikeCaseNo) return "note";
  }
  return "case";
}

/** The year for dates typed without one: a year in the title rows, else the most common year among the dates, else today's. */
function sheetYear(values: readonly (readonly CellValue[])[], headerRow: number, dateCols: readonly number[], today: number): AdoptPlan["defaultYear"] {
  for (let r = 0; r < headerRow; r++) {
    for (const v of values[r] ?? []) {
      const m = typeof v === "string" ? YEAR_IN_TITLE.exec(v) : null;
      if (m) return { year: Number(m[1]), from: "title" };
    }
  }
  const counts = new Map<number, number>();
  for (let r = headerRow + 1; r < values.length; r++) {
    for (const c of dateCols) {
      const p = toSerial(values[r]?.[c]);
      if (p.ok) {
        const y = serialToYmd(Math.floor(p.serial)).year;
        counts.set(y, (counts.get(y) ?? 0) + 1);
      }
    }
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0];
  return top ? { year: top[0], from: "dates" } : { year: serialToYmd(Math.floor(today)).year, from: "today" };
}

/** What every step of planAdoption reads: the sheet, its header and the column mapping; problems are collected in sheet order. */
interface Planning {
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
}

/** One case row as read: its record, the values of its extra columns, and the grid row it came from. */
interface CaseRecord {
  source: number;
  rec: Record<string, CellValue>;
  extras: CellValue[];
}

/** The case rows and what reading them found out. */
interface RowsRead {
  rowKinds: AdoptPlan["rowKinds"];
  records: CaseRecord[];
  normalised: number;
  /** 处理结果 text that was read as a code: the words are kept in a column of their own. */
  resultTexts: CellValue[];
  resultRead: boolean;
  /** Indexes in records of cases the sheet says are finished (a result, or 是 to 是否结案). */
  finishedRows: Set<number>;
}

/**
 * Plans the adoption of one sheet. Pure: the same plan whether the cells came
 * from Excel or from a file. Throws DomainError NO_HEADER when no header row is found.
 */
export function planAdoption(grid: SheetGrid, opts: AdoptOptions): AdoptPlan {
  const { policy } = opts;
  const values = grid.values;
  const origin = grid.origin ?? { row: 0, col: 0 };
  const width = values.reduce((w, r) => Math.max(w, r?.length ?? 0), 0);
  const headerRow = opts.headerRow ?? detectHeaderRow(values, policy);
  const columns = mapColumns(values[headerRow] ?? [], width, policy, opts.mapping, origin.col);
  markCounters(columns, values, headerRow);
  const schema = ledgerSchema(policy);
  const p: Planning = {
    grid,
    opts,
    policy,
    values,
    headerRow,
    columns,
    schema,
    problems: [],
    fieldOf: (key) => (key ? schema.find((f) => f.key === key) : undefined),
    sheetRow: (r) => origin.row + r + 1,
  };
  const { extras, extraHeaders } = extraColumns(p);
  const dateCols = columns.filter((c) => ["date", "datetime"].includes(p.fieldOf(c.key)?.type ?? "")).map((c) => c.index);
  const defaultYear = sheetYear(values, headerRow, dateCols, opts.today);
  const read = readRows(p, extras, dateCols, defaultYear.year);
  const { records } = read;
  const numbering = numberCases(p, records, defaultYear.year);
  const inferred = inferStatuses(p, read, defaultYear.year);
  if (read.resultRead) keepResultWords(p, read, extraHeaders);
  warnUnmappedRequired(p);
  const people = proposePeople(
    columns,
    records.map((x) => x.source),
    values,
    policy,
    schema,
  );

  const cols = ledgerColumns(policy, extraHeaders);
  const extraIndex = new Map(extraHeaders.map((h, i) => [`extra:${h}`, i]));
  const rows = records.map(({ rec, extras: ex }) =>
    cols.map((col) => (col.computed ? undefined : col.key.startsWith("extra:") ? ex[extraIndex.get(col.key)!] : (rec[col.key] ?? null))),
  );

  const { rowKinds, normalised } = read;
  outsideProblems(p);
  const { problems } = p;
  const count = (k: RowKind) => rowKinds.filter((x) => x.kind === k).length;
  const counts = {
    rows: rowKinds.length,
    cases: records.length,
    blank: count("blank"),
    total: count("total"),
    note: count("note"),
    header: count("header"),
    normalised,
    problems: problems.length,
    duplicates: numbering.duplicates,
    missingCaseNo: numbering.missing,
    renumbered: numbering.renumbered.length,
    statusInferred: inferred.statusInferred,
    history: inferred.history,
    generated: numbering.generated,
    states: inferred.states,
  };
  const audit = numbering.audit;
  audit.unshift({
    user: opts.user ?? "",
    action: "ADOPTED",
    cell: grid.name,
    reason:
      `接管工作表"${grid.name}":${counts.cases} 条案件,规范化 ${normalised} 个单元格,${problems.length} 个问题(原表已备份) / ` +
      `Adopted sheet "${grid.name}": ${counts.cases} cases, ${normalised} cells normalised, ${problems.length} problems (original kept as a backup)`,
  });

  return {
    sheet: grid.name,
    headerRow,
    columns,
    rowKinds,
    table: { header: cols.map((c) => c.header), rows, numberFormats: cols.map(numberFormatOf), sourceRows: records.map((x) => p.sheetRow(x.source)) },
    problems,
    renumbered: numbering.renumbered,
    counts,
    defaultYear,
    audit,
    people,
    historyUntil: Math.floor(opts.today),
  };
}

/**
 * Columns the schema does not know: kept under their own header (made up when blank but holding data;
 * empty ones are dropped), each listed as a problem once: a row counter, a repeat of a mapped column, or extra.
 */
function extraColumns(p: Planning): { extras: ColumnMapping[]; extraHeaders: string[] } {
  const { columns, values, headerRow, schema } = p;
  const hasData = (i: number) => {
    for (let r = headerRow + 1; r < values.length; r++) if (!isBlank(values[r]?.[i] ?? null)) return true;
    return false;
  };
  const extras: ColumnMapping[] = columns.filter((c) => c.key === null && (c.header !== "" || hasData(c.index)));
  const extraHeaders: string[] = [];
  for (const c of extras) {
    let h = c.header || `(${c.letter})`;
    // An extra column must not read back as a schema field (序号, 金额 are synonyms): it says it is the original's.
    if (matchHeader(h, schema)) h = `${h}(原表)`;
    while (extraHeaders.includes(h) || matchHeader(h, schema)) h = `${h} (${c.letter})`;
    extraHeaders.push(h);
    const dup = columns.find((x) => x.key !== null && x.index !== c.index && normalizeText(x.header) === normalizeText(c.header));
    const claimed = matchHeader(c.header, schema);
    const at = { row: p.sheetRow(headerRow), column: c.letter, header: c.header, value: c.header };
    if (c.counter) {
      p.problems.push({
        ...at,
        kind: "ROW_COUNTER",
        zh: `列"${c.header}"是行序号(连续的小整数),不作为客诉单号,原样保留为附加列`,
        en: `Column "${c.header}" is a row counter (consecutive small integers), not a case number; kept as an extra column`,
      });
    } else if (claimed && c.how !== "user") {
      p.problems.push({
        ...at,
        kind: "DUPLICATE_COLUMN",
        zh: `列"${c.header}"与已映射的"${claimed.zh}"重复,原样保留为附加列`,
        en: `Column "${c.header}" repeats "${claimed.en}", already mapped; kept as an extra column`,
      });
    } else if (!dup) {
      p.problems.push({
        ...at,
        kind: "EXTRA_COLUMN",
        zh: `列"${c.header || c.letter}"不在台账结构中,原样保留为附加列`,
        en: `Column "${c.header || c.letter}" is not in the ledger schema; kept unchanged as an extra column`,
      });
    }
  }
  return { extras, extraHeaders };
}

/** Sorts the rows below the header into kinds and reads every case row; total, note and repeated-header rows are listed. */
function readRows(p: Planning, extras: readonly ColumnMapping[], dateCols: readonly number[], defaultYear: number): RowsRead {
  const { columns, values, headerRow } = p;
  const headerTexts = columns.map((c) => c.header);
  const rowColumns = columns.filter((c) => !c.counter);
  const read: RowsRead = { rowKinds: [], records: [], normalised: 0, resultTexts: [], resultRead: false, finishedRows: new Set() };
  for (let r = headerRow + 1; r < values.length; r++) {
    const row = values[r] ?? [];
    const kind = classify(row, rowColumns, headerTexts);
    read.rowKinds.push({ row: r, kind });
    if (kind === "total" || kind === "note" || kind === "header") {
      const shown = columns
        .map((c) => cellText(row[c.index] ?? null))
        .filter(Boolean)
        .join(" | ");
      const what = { total: ["合计行", "total row"], note: ["备注行", "note row"], header: ["重复的表头行", "repeated header row"] }[kind];
      const code = ({ total: "TOTAL_ROW", note: "NOTE_ROW", header: "HEADER_ROW" } as const)[kind];
      p.problems.push({
        row: p.sheetRow(r),
        column: "",
        header: "",
        value: shown,
        kind: code,
        zh: `第 ${p.sheetRow(r)} 行是${what[0]},未作为案件导入(原样保留在备份表中)`,
        en: `Row ${p.sheetRow(r)} is a ${what[1]}; not imported as a case (kept in the backup sheet)`,
      });
    }
    if (kind !== "case") continue;
    const rec = readCaseRow(p, read, row, r, rowYear(row, dateCols) ?? defaultYear);
    read.records.push({ source: r, rec, extras: extras.map((c) => row[c.index] ?? null) });
  }
  return read;
}

/** A date typed without a year takes the year of another full date in the same row first. */
function rowYear(row: readonly CellValue[], dateCols: readonly number[]): number | undefined {
  for (const c of dateCols) {
    const p = toSerial(row[c]);
    if (p.ok) return serialToYmd(Math.floor(p.serial)).year;
  }
  return undefined;
}

/** One case row as a record of field values: normalised where they read, as typed (and listed) where they do not. */
function readCaseRow(p: Planning, read: RowsRead, row: readonly CellValue[], r: number, year: number): Record<string, CellValue> {
  const respCol = p.columns.find((c) => c.key === "responsibility");
  const respTextCol = p.columns.find((c) => c.key === "responsibilityText");
  const rec: Record<string, CellValue> = {};
  for (const c of p.columns) {
    const field = p.fieldOf(c.key);
    if (!field) continue;
    const raw = row[c.index] ?? null;
    if (isBlank(raw)) {
      rec[field.key] = raw === undefined ? null : raw;
      continue;
    }
    const written = readCell(p, read, { row, r, c, field, raw, rec, respTextCol, year });
    if (!sameCell(written, raw)) read.normalised++;
    rec[field.key] = written;
  }
  if (respCol && respTextCol === undefined && rec.responsibilityText === undefined) rec.responsibilityText = null;
  return rec;
}

interface CellAt {
  row: readonly CellValue[];
  r: number;
  c: ColumnMapping;
  field: FieldDef;
  raw: CellValue;
  rec: Record<string, CellValue>;
  respTextCol: ColumnMapping | undefined;
  year: number;
}

/** The value to write for one non-blank cell; what cannot be read is kept as typed and listed as a problem. */
function readCell(p: Planning, read: RowsRead, { row, r, c, field, raw, rec, respTextCol, year }: CellAt): CellValue {
  const { policy } = p;
  const at = { row: p.sheetRow(r), column: c.letter, header: c.header, value: raw };
  const bad = (zh: string, en: string) => p.problems.push({ ...at, kind: "BAD_VALUE", zh, en });
  const ambiguous = (zh: string, en: string) => p.problems.push({ ...at, kind: "AMBIGUOUS", zh, en });
  if (field.key === "responsibility" && !findNamed(policy.responsibilities, raw)) {
    const m = matchResponsibility(raw, policy);
    if (m.ok) {
      // The original words stay beside the code unless the sheet already had its own column for them.
      if (!respTextCol || isBlank(row[respTextCol.index] ?? null)) rec.responsibilityText = raw;
      return cellOf(field, m.code, policy);
    }
    if (m.why === "NEGATED" || m.why === "CONFLICT" || m.why === "TIE")
      ambiguous(`责任不明确,原样保留:${m.zh}`, `Responsibility is ambiguous, kept as typed: ${m.en}`);
    else bad(`责任"${cellText(raw)}"无法判定:${m.zh}`, `Responsibility "${cellText(raw)}" cannot be read: ${m.en}`);
    return raw;
  }
  if (c.yesMeans && !findNamed(vocabularyOf(field.vocabulary ?? "bool", policy), raw) && findNamed(BOOLS, raw)) {
    // A yes/no answer to the column's question: 是否免费 = 是 means free.
    const yes = findNamed(BOOLS, raw)!.code === "YES";
    if (field.key === "charge") return cellOf(field, yes === (c.yesMeans === "FREE") ? "FREE" : "CHARGED", policy);
    if (yes) read.finishedRows.add(read.records.length);
    return null; // 否 to 是否结案: the status the data supports is worked out later
  }
  if (field.key === "disposition") {
    const m = matchDisposition(raw, policy);
    // A result column (处理结果) that names what was done finishes the case; a plan or opinion (处理方案/意见) only says so in words.
    if (m.progress === "FINISHED" || (m.ok && m.progress === undefined && /结果|result/i.test(c.header))) read.finishedRows.add(read.records.length);
    read.resultTexts[read.records.length] = raw;
    // An exact name is normalised like any list value; words read by the matcher keep their original beside.
    if (!findNamed(policy.dispositions, raw)) read.resultRead = true;
    if (m.ok) return cellOf(field, m.code, policy);
    if (m.why === "STATE_ONLY") return null;
    if (m.why === "UNKNOWN") bad(`处理方式"${cellText(raw)}"无法判定:${m.zh}`, `Disposition "${cellText(raw)}" cannot be read: ${m.en}`);
    else ambiguous(`处理方式不明确,原样保留:${m.zh}`, `Disposition is ambiguous, kept as typed: ${m.en}`);
    return raw;
  }
  if (field.type === "text" || field.type === "longtext") return raw; // text is kept exactly as typed
  const v = readValue(field, raw, policy, { defaultYear: year });
  if (v.problem) {
    bad(v.problem.zh, v.problem.en);
    return raw;
  }
  return field.type === "signature" ? cellText(raw) : cellOf(field, v.value, policy);
}

/** Case numbers: missing and repeated ones are listed, and renumbered when the user said so; none at all are generated. */
function numberCases(p: Planning, records: readonly CaseRecord[], defaultYear: number) {
  const { opts, columns, grid } = p;
  const renumbered: AdoptPlan["renumbered"] = [];
  const audit: AuditInput[] = [];
  const caseCol = columns.find((c) => c.key === "caseNo");
  const prefix = p.policy.settings.caseNoPrefix;
  const maxByYear = new Map<number, number>();
  for (const { rec } of records) {
    const m = parseCaseNo(prefix, cellText(rec.caseNo ?? null));
    if (m) maxByYear.set(m.year, Math.max(maxByYear.get(m.year) ?? 0, m.n));
  }
  const nextNo = (rec: Record<string, CellValue>) => {
    const received = toSerial(rec.receivedAt);
    const y = received.ok ? serialToYmd(Math.floor(received.serial)).year : defaultYear;
    const n = (maxByYear.get(y) ?? 0) + 1;
    maxByYear.set(y, n);
    return formatCaseNo(prefix, y, n);
  };
  let generated = 0;
  if (!caseCol && records.length > 0) {
    // No case-number column (or only a row counter): every case gets one from its received year.
    for (const item of records) item.rec.caseNo = nextNo(item.rec);
    generated = records.length;
    const counter = columns.find((c) => c.counter);
    p.problems.push({
      row: p.sheetRow(p.headerRow),
      column: counter?.letter ?? "",
      header: counter?.header ?? "",
      value: null,
      kind: "CASE_NO_GENERATED",
      zh: `表中没有客诉单号列${counter ? `("${counter.header}"是行序号,保留为附加列)` : ""},已按接收年份生成 ${records.length} 个单号(${prefix}-年份-序号)`,
      en: `The sheet has no case-number column${counter ? ` ("${counter.header}" is a row counter, kept as an extra column)` : ""}; ${records.length} numbers were generated from the received year (${prefix}-YYYY-NNNN)`,
    });
    audit.push({
      user: opts.user ?? "",
      action: "RENUMBERED",
      field: "caseNo",
      cell: grid.name,
      reason: `接管时生成 ${records.length} 个单号 / ${records.length} case numbers generated at adoption`,
    });
  }
  const seen = new Map<string, number>();
  let duplicates = 0;
  let missing = 0;
  for (const item of caseCol ? records : []) {
    const no = cellText(item.rec.caseNo ?? null);
    const where = p.sheetRow(item.source);
    const at = { row: where, column: caseCol?.letter ?? "", header: caseCol?.header ?? "" };
    let kind: ProblemKind | undefined;
    if (no === "") {
      missing++;
      kind = "MISSING_CASE_NO";
      p.problems.push({ ...at, value: null, kind, zh: `第 ${where} 行没有客诉单号`, en: `Row ${where} has no case number` });
    } else if (seen.has(no)) {
      duplicates++;
      kind = "DUPLICATE_CASE_NO";
      p.problems.push({
        ...at,
        value: item.rec.caseNo ?? null,
        kind,
        zh: `客诉单号"${no}"重复(第 ${seen.get(no)} 行已使用)`,
        en: `Case number "${no}" is repeated (already used in row ${seen.get(no)})`,
      });
    } else seen.set(no, where);
    if (kind && opts.renumber) {
      const to = nextNo(item.rec);
      renumbered.push({ row: where, from: no, to });
      p.problems.push({
        ...at,
        value: item.rec.caseNo ?? null,
        kind: "RENUMBERED",
        zh: `第 ${where} 行的客诉单号由"${no || "(空)"}"改为"${to}"`,
        en: `Row ${where}: case number "${no || "(blank)"}" became "${to}"`,
      });
      audit.push({
        user: opts.user ?? "",
        action: "RENUMBERED",
        caseNo: to,
        field: "caseNo",
        oldValue: no,
        newValue: to,
        cell: `${grid.name}!${caseCol?.letter ?? "?"}${where}`,
        reason: `接管时${kind === "MISSING_CASE_NO" ? "缺少" : "重复"}的单号 / ${kind === "MISSING_CASE_NO" ? "Missing" : "Repeated"} case number at adoption`,
      });
      item.rec.caseNo = to;
      seen.set(to, where);
    }
  }
  return { renumbered, audit, duplicates, missing, generated };
}

/**
 * A blank status is filled with the state the data supports. History is history: a case with a
 * close date, or a result that finishes it, was closed before the ledger existed (its clocks are
 * judged MET/MISSED against the close, domain/history.ts), not a new case overdue for years.
 */
function inferStatuses(p: Planning, read: RowsRead, defaultYear: number) {
  const { policy } = p;
  let statusInferred = 0;
  let history = 0;
  const statusField = p.schema.find((f) => f.key === "status")!;
  const states: Record<string, number> = {};
  read.records.forEach(({ rec }, i) => {
    if (isBlank(rec.status ?? null)) {
      const { case: c } = readCase(rec, policy, { defaultYear });
      let state: string = reachedState(c, policy);
      if (c.closedAt !== undefined || read.finishedRows.has(i)) {
        state = c.followUpAt !== undefined && c.satisfaction !== undefined ? "FOLLOWED_UP" : "CLOSED";
        history++;
      }
      rec.status = cellOf(statusField, findNamed(STATES, state)!.code, policy);
      statusInferred++;
    }
    const code = findNamed(STATES, rec.status)?.code ?? String(rec.status);
    states[code] = (states[code] ?? 0) + 1;
  });
  return { statusInferred, history, states };
}

/** The words of 处理结果 stay beside the codes read from them, in an extra column of their own. */
function keepResultWords(p: Planning, read: RowsRead, extraHeaders: string[]): void {
  const col = p.columns.find((c) => c.key === "disposition")!;
  let h = `${col.header || "处理结果"}(原文)`;
  while (extraHeaders.includes(h)) h = `${h} (${col.letter})`;
  extraHeaders.push(h);
  read.records.forEach((item, i) => item.extras.push(read.resultTexts[i] ?? null));
}

/** Required columns the sheet does not have: a warning with the likeliest unmapped columns. */
function warnUnmappedRequired(p: Planning): void {
  const { columns, values, headerRow } = p;
  for (const f of p.schema.filter((x) => x.required && x.key !== "caseNo" && !columns.some((c) => c.key === x.key))) {
    const list = likelyColumns(f, columns, values, headerRow).map((c) => `${c.letter} "${c.header}"`);
    p.problems.push({
      row: p.sheetRow(headerRow),
      column: "",
      header: "",
      value: null,
      kind: "UNMAPPED_REQUIRED",
      zh: `必填列"${f.zh}"没有对应的列${list.length ? `;可能是:${list.join("、")}` : ";接管后需补填"}`,
      en: `Required column "${f.en}" is not mapped${list.length ? `; likely candidates: ${list.join(", ")}` : "; fill it in after adoption"}`,
    });
  }
}

const COUNTER_HEADERS = new Set(["序号", "编号", "行号", "顺序号", "no", "#", "sn", "serialno", "item", "itemno"]);

/**
 * Marks row counters: a 序号 / No. / 编号 column (or one mapped to the case
 * number) whose values are consecutive small integers (1, 2, 3…) is a counter,
 * kept as an extra column; it never becomes the case number.
 */
function markCounters(columns: ColumnMapping[], values: readonly (readonly CellValue[])[], headerRow: number): void {
  for (const c of columns) {
    if (c.how === "user" || !(c.key === "caseNo" || (c.key === null && COUNTER_HEADERS.has(normalizeText(c.header))))) continue;
    let prev: number | undefined;
    let n = 0;
    let ok = true;
    for (let r = headerRow + 1; r < values.length && ok; r++) {
      const v = values[r]?.[c.index];
      if (isBlank(v ?? null)) continue;
      const t = cellText(v ?? null);
      if (TOTAL.test(t) || NOTE.test(t)) continue;
      const x = typeof v === "number" ? v : /^\d{1,6}$/.test(t) ? Number(t) : NaN;
      ok = Number.isInteger(x) && x >= 0 && x <= 1_000_000 && (prev === undefined || x === prev + 1);
      prev = x;
      n++;
    }
    if (ok && n >= 2) {
      c.key = null;
      c.how = "none";
      c.counter = true;
      c.why = {
        zh: `行序号(${n} 个连续整数),不是客诉单号:保留为附加列,单号另行生成`,
        en: `A row counter (${n} consecutive integers), not a case number: kept as an extra column; case numbers are generated`,
      };
    }
  }
}

/** Unmapped columns likeliest to hold a field: shared characters with its names, and values of its type. */
function likelyColumns(f: FieldDef, columns: readonly ColumnMapping[], values: readonly (readonly CellValue[])[], headerRow: number): ColumnMapping[] {
  const names = [f.zh, f.en, ...f.synonyms].map(normalizeText);
  const chars = new Set(names.join("").replace(/[a-z0-9]/g, ""));
  const words = new Set(names.flatMap((x) => x.match(/[a-z]{3,}/g) ?? []));
  const scored = columns
    .filter((c) => c.key === null && c.header !== "" && !c.counter)
    .map((c) => {
      const h = normalizeText(c.header);
      let score = [...new Set(h)].filter((ch) => chars.has(ch)).length + (h.match(/[a-z]{3,}/g) ?? []).filter((w) => words.has(w)).length * 2;
      if (f.type === "date" || f.type === "datetime") {
        let dates = 0;
        let filled = 0;
        for (let r = headerRow + 1; r < Math.min(values.length, headerRow + 51); r++) {
          const v = values[r]?.[c.index];
          if (isBlank(v ?? null)) continue;
          filled++;
          if (toSerial(v).ok) dates++;
        }
        if (filled > 0 && dates / filled >= 0.8) score += 2;
      }
      return { c, score };
    });
  return scored
    .filter((x) => x.score >= 2)
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .map((x) => x.c);
}

const PEOPLE_HEADER = /处理人|负责人|跟进人|经办人|责任人|签核|签字|签名|审核|批准|确认人|handler|owner|approv|sign/i;
const NAME = /^(?:[\u4e00-\u9fff·]{2,5}|[A-Za-z][A-Za-z .'-]{1,40})$/;

/**
 * Names in the people columns (owner, sign-offs, and extras headed 处理人 / 负责人 / 签核…), each with the
 * columns it appears in and the roles those columns suggest (a sign-off column names its role; 处理人 does not).
 */
function proposePeople(
  columns: readonly ColumnMapping[],
  sourceRows: readonly number[],
  values: readonly (readonly CellValue[])[],
  policy: Policy,
  schema: readonly FieldDef[],
): PersonProposal[] {
  const peopleCols = columns.filter((c) => c.key === "owner" || c.key?.startsWith("sign_") || (c.key === null && !c.counter && PEOPLE_HEADER.test(c.header)));
  const found = new Map<string, PersonProposal>();
  for (const c of peopleCols) {
    const field = schema.find((f) => f.key === c.key);
    const role = field?.role ?? findNamed(policy.roles, c.header.replace(/签核|签字|签名|审核|批准|确认/g, ""))?.code;
    for (const r of sourceRows) {
      const v = values[r]?.[c.index];
      if (isBlank(v ?? null)) continue;
      const text = cellText(v ?? null);
      const names = (parseSignature(text)?.name ?? text).split(/[、,，;；/\s]+/).filter((x) => NAME.test(x) && !/^\d/.test(x));
      for (const name of names) {
        const p = found.get(name) ?? { name, columns: [], roles: [], cases: 0 };
        if (!p.columns.includes(c.header)) p.columns.push(c.header);
        if (role && !p.roles.includes(role)) p.roles.push(role);
        p.cases++;
        found.set(name, p);
      }
    }
  }
  return [...found.values()].sort((a, b) => b.cases - a.cases || a.name.localeCompare(b.name));
}

/**
 * People rows for the People sheet: each proposed person with the roles the user gave (or the
 * suggested ones), then one empty row per signing role nobody holds yet (names to fill in).
 */
export function adoptionPeopleRows(policy: Policy, people: readonly { name: string; roles: readonly string[] }[], template: CellValue[][]): CellValue[][] {
  const held = new Set(people.flatMap((p) => p.roles));
  const at = PEOPLE_COLUMNS.findIndex((c) => c.key === "roles");
  const rows: CellValue[][] = people.map((p) =>
    PEOPLE_COLUMNS.map((c) =>
      c.key === "name" ? p.name : c.key === "roles" ? p.roles.map((r) => findNamed(policy.roles, r)?.zh ?? r).join("、") || null : null,
    ),
  );
  for (const row of template) {
    const role = findNamed(policy.roles, row[at]);
    if (!role || !held.has(role.code)) rows.push(row);
  }
  return rows;
}

/** Cells beyond the ledger's block: each listed (up to OUTSIDE_LISTED), the rest counted in one row. */
function outsideProblems(p: Planning): void {
  const listed = p.grid.outside ?? [];
  for (const c of listed) {
    p.problems.push({
      row: c.row + 1,
      column: columnLetter(c.col),
      header: "",
      value: c.value,
      kind: "OUTSIDE_LEDGER",
      zh: "在台账区域之外,已保留在备份表中",
      en: "Outside the ledger, kept in the backup sheet",
    });
  }
  const more = (p.grid.outsideCount ?? listed.length) - listed.length;
  if (more > 0) {
    p.problems.push({
      row: 0,
      column: "",
      header: "",
      value: null,
      kind: "OUTSIDE_LEDGER",
      zh: `另有 ${more} 个单元格在台账区域之外,已保留在备份表中`,
      en: `${more} more cells outside the ledger, kept in the backup sheet`,
    });
  }
}
