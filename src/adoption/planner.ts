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
import { caseNoKey, caseNoShape, formatCaseNo, isBlank, parseCaseNo, parseSignature, readValue, type CellValue } from "../domain/case";
import { matchDisposition } from "../domain/disposition";
import { serialToYmd, toSerial } from "../domain/dates";
import { DomainError } from "../domain/errors";
import { findNamed, type Policy } from "../domain/policy/policy";
import { matchResponsibility } from "../domain/responsibility";
import { BOOLS, CHARGES, headerOf, ledgerSchema, matchHeader, STATES, vocabularyOf, type FieldDef } from "../domain/schema";
import type { Bilingual } from "../domain/errors";
import { matchProgress } from "../domain/progress-words";
import { normalizeText, quote } from "../domain/text";
import { decideStatuses, fitYearlessDates, inferKinds } from "./sheet-says";
import { fillMerges, formulasByCell, markedCell } from "./cell-marks";
import { fieldName, kindFix, previewCheck, type AdoptFix, type ViolationGroup } from "./preview";
import type { AuditInput } from "../ledger/audit";
import { columnLetter, ledgerColumns, PEOPLE_COLUMNS, type LedgerColumn } from "../ledger/workbook-layout";
import { cellOf, numberFormatOf, sameCell } from "../ledger/records";
import { CaseRows } from "./case-rows";
import type { AdoptOptions, AdoptPlan, ColumnMapping, PersonProposal, PlannedRows, Planning, RowKind, RowsRead, SheetGrid } from "./planning";

export { OUTSIDE_LISTED } from "./planning";
export type { AdoptOptions, AdoptPlan, AdoptProblem, AnyAdoptPlan, ColumnMapping, PersonProposal, PlannedRows, RowKind, SheetGrid } from "./planning";

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
      const named = fields.find((f) => f.key === key);
      why = first
        ? {
            zh: `"${named?.zh ?? key}"已由 ${first.letter} 列"${first.header}"对应,原样保留为附加列`,
            en: `${named?.en ?? key} is already mapped from column ${first.letter} "${first.header}"; kept as an extra column`,
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

/** Whether a row repeats the header: most of its filled cells (at least two) hold their column's header text. */
function repeatsHeader(row: readonly CellValue[], filled: readonly number[], headerTexts: readonly string[]): boolean {
  const same = filled.filter((i) => headerTexts[i] !== "" && cellText(row[i] ?? null) === headerTexts[i]).length;
  return same >= Math.max(2, Math.ceil(filled.length / 2));
}

function classify(row: readonly CellValue[], columns: readonly ColumnMapping[], headerTexts: readonly string[]): RowKind {
  const filled = columns.filter((c) => !isBlank(row[c.index] ?? null));
  if (filled.length === 0) return "blank";
  const texts = filled.map((c) => cellText(row[c.index] ?? null));
  if (
    repeatsHeader(
      row,
      filled.map((c) => c.index),
      headerTexts,
    )
  )
    return "header";
  if (texts.some((t) => TOTAL.test(t.replace(/\s+/g, " ")))) return "total";
  if (filled.length <= 2 && NOTE.test(texts[0])) return "note";
  if (filled.length === 1) {
    const only = row[filled[0].index];
    const looksLikeCaseNo = typeof only === "string" && /^[A-Za-z]{0,6}[-_]?\d[\d\-_/]*$/.test(only.trim());
    if (typeof only === "string" && !looksLikeCaseNo) return "note";
  }
  return "case";
}

/**
 * Where the ledger ends: at the first row below the header that is another table's header (it names at least
 * two fields, and they are at least half its filled cells) without repeating this one (a header repeated for
 * printing continues the same table). The grid's length when there is none.
 */
function tableEnd(values: readonly (readonly CellValue[])[], headerRow: number, policy: Policy): number {
  const fields = ledgerSchema(policy);
  const headerTexts = (values[headerRow] ?? []).map((v) => cellText(v ?? null));
  for (let r = headerRow + 1; r < values.length; r++) {
    const row = values[r] ?? [];
    const filled: number[] = [];
    for (let i = 0; i < row.length; i++) if (!isBlank(row[i] ?? null)) filled.push(i);
    if (filled.length < 2) continue;
    const score = headerScore(row, fields);
    if (score >= 2 && score * 2 >= filled.length && !repeatsHeader(row, filled, headerTexts)) return r;
  }
  return values.length;
}

/** The rows from another table's header on: one problem naming the header and how many rows were left out. */
function tableEndProblem(p: Planning, all: readonly (readonly CellValue[])[], end: number): void {
  let rows = 0;
  for (let r = end; r < all.length; r++) if ((all[r] ?? []).some((v) => !isBlank(v ?? null))) rows++;
  const shown = quote(
    (all[end] ?? [])
      .map((v) => cellText(v ?? null))
      .filter(Boolean)
      .join(" | "),
  );
  const at = p.sheetRow(end);
  const last = p.sheetRow(all.length - 1);
  p.problems.push({
    row: at,
    column: "",
    header: "",
    value: shown,
    kind: "TABLE_END",
    zh: `第 ${at} 行是另一张表的表头("${shown}"),台账到此为止:第 ${at}–${last} 行(${rows} 行有内容)未作为案件导入,原样保留在备份表中`,
    en: `Row ${at} is another table's header ("${shown}"), so the ledger ends there: rows ${at}–${last} (${rows} with content) were not adopted as cases; kept in the backup sheet`,
  });
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

/**
 * Plans the adoption of one sheet. Pure: the same plan whether the cells came
 * from Excel or from a file. Throws DomainError NO_HEADER when no header row is found.
 */
export function planAdoption(grid: SheetGrid, opts: AdoptOptions): AdoptPlan {
  const plan = planAdoptionRows(grid, opts);
  const { rows } = plan.table;
  return { ...plan, table: { ...plan.table, rows: Array.from({ length: rows.length }, (_, i) => rows.row(i)) } };
}

/**
 * The ledger's rows of the packed cases, made when asked: each case keeps the values the sheet gave it (a dozen
 * on a hand-kept sheet), not a row of the ledger's 75 columns. `row(i)` is exactly the row planAdoption gives:
 * undefined in a computed column, null where the case has nothing. `words`: extra header index → its slot.
 */
function ledgerRows(cases: CaseRows, cols: readonly LedgerColumn[], extraHeaders: readonly string[], words: ReadonlyMap<number, number>): PlannedRows {
  const extraIndex = new Map(extraHeaders.map((h, i) => [`extra:${h}`, i]));
  const extraSlot = (e: number) => (e < cases.extras ? cases.extraSlot(e) : (words.get(e) ?? -1));
  // Where each column's value comes from, worked out once, not per cell: a slot, or -1 blank, -2 computed.
  const from = cols.map((c) => (c.computed ? -2 : c.key.startsWith("extra:") ? extraSlot(extraIndex.get(c.key)!) : (cases.slotOf(c.key) ?? -1)));
  const packed = cases.packed();
  return {
    length: packed.length,
    row: (i) => {
      const held = packed[i];
      return from.map((f) => (f === -2 ? undefined : f === -1 ? null : (held[f] ?? null)));
    },
  };
}

/** The rows below the header the planner reads again after reading the cases: likelyColumns looks at 50. */
const ROWS_READ_AGAIN = 50;
const NO_ROW: CellValue[] = [];

/**
 * planAdoption with the ledger's rows made when asked (the CLI's adopt: the writer streams them). With `consume`,
 * the grid is the planner's: each case row is let go once read (it holds no row a later step reads), so the sheet
 * and its cases are never held whole at once; the caller keeps no use for the grid.
 */
export function planAdoptionRows(grid: SheetGrid, opts: AdoptOptions, how: { consume?: boolean } = {}): AdoptPlan<PlannedRows> {
  const { policy } = opts;
  const origin = grid.origin ?? { row: 0, col: 0 };
  const headerRow = opts.headerRow ?? detectHeaderRow(grid.values, policy);
  // What a person sees: a merged area's value in every cell it covers; the ledger ends at another table's header.
  const merged = fillMerges(grid, headerRow);
  const end = tableEnd(merged.values, headerRow, policy);
  const values = end < merged.values.length ? merged.values.slice(0, end) : merged.values;
  const width = values.reduce((w, r) => Math.max(w, r?.length ?? 0), 0);
  const columns = mapColumns(values[headerRow] ?? [], width, policy, opts.mapping, origin.col);
  markCounters(columns, values, headerRow);
  chooseCaseNoColumn(columns, values, headerRow, policy);
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
    formulas: formulasByCell(grid),
    release: how.consume
      ? (r) => {
          if (r <= headerRow + ROWS_READ_AGAIN) return;
          for (const held of [grid.values, merged.values, values]) held[r] = NO_ROW;
        }
      : undefined,
  };
  const { extras, extraHeaders } = extraColumns(p);
  p.problems.push(...merged.problems);
  const dateCols = columns.filter((c) => ["date", "datetime"].includes(p.fieldOf(c.key)?.type ?? "")).map((c) => c.index);
  const defaultYear = sheetYear(values, headerRow, dateCols, opts.today);
  const read = readRows(p, extras, defaultYear.year);
  if (end < merged.values.length) tableEndProblem(p, merged.values, end);
  // Kinds first: a number's prefix is evidence only when the sheet typed it, not when it is generated.
  const kinds = inferKinds(p, read);
  const { cases: caseRows } = read;
  const numbering = numberCases(p, caseRows, defaultYear.year);
  const inferred = decideStatuses(p, read, defaultYear.year);
  const words = new Map<number, number>();
  if (read.resultRead) words.set(keepResultWords(p, read, extraHeaders), caseRows.resultSlot);
  if (read.progressRead) words.set(keepProgressWords(p, read, extraHeaders), caseRows.progressSlot);
  warnUnmappedRequired(p);
  const people = read.people.proposals();

  const cols = ledgerColumns(policy, extraHeaders);
  const sourceRows = caseRows.source.map((r) => p.sheetRow(r));
  const cases = caseRows.length;
  const rows = ledgerRows(caseRows, cols, extraHeaders, words);

  const { rowKinds, normalised } = read;
  outsideProblems(p);
  const { problems } = p;
  const count = (k: RowKind) => rowKinds.filter((x) => x.kind === k).length;
  const counts = {
    rows: rowKinds.length,
    cases,
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
  const historyUntil = Math.floor(opts.today);
  const check = previewCheck(
    { table: { header: cols.map((c) => c.header), rows }, policy, historyUntil: inferred.history > 0 ? historyUntil : undefined, today: opts.today },
    (g) => fixFor(p, g, kinds),
  );
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
    table: { header: cols.map((c) => c.header), rows, numberFormats: cols.map(numberFormatOf), sourceRows },
    problems,
    renumbered: numbering.renumbered,
    counts,
    defaultYear,
    audit,
    people,
    historyUntil,
    kinds,
    progress: inferred.progress,
    check,
  };
}

/** A one-click fix for a group of violations whose cause is a choice of the adoption. */
function fixFor(p: Planning, g: ViolationGroup, kinds: AdoptPlan["kinds"]): AdoptFix | undefined {
  if (g.code === "DISPOSITION_MISFIT" && kinds.asked && kinds.asked.rows > 0 && (kinds.asked.chosen ?? kinds.asked.default) !== "RETURN")
    return kindFix("RETURN");
  if (g.field === "caseNo" && ["STATE_INCOMPLETE", "DUPLICATE_CASE_NO"].includes(g.code) && !p.opts.renumber)
    return { renumber: true, label: { zh: "为缺失和重复的单号分配新单号", en: "Give missing and repeated case numbers new ones" } };
  const mapped = p.columns.find((c) => c.key === g.field);
  if (g.code === "BAD_VALUE" && mapped) {
    const name = fieldName(g.field, p.policy);
    return {
      mapping: { [mapped.index]: null },
      label: {
        zh: `${mapped.letter} 列"${mapped.header}"不作为"${name.zh}",保留为附加列`,
        en: `Keep column ${mapped.letter} "${mapped.header}" as an extra, not as ${name.en}`,
      },
    };
  }
  const field = p.schema.find((f) => f.key === g.field);
  if (!field || mapped || !["STATE_INCOMPLETE", "COST_MISSING"].includes(g.code)) return undefined;
  const [likely] = likelyColumns(field, p.columns, p.values, p.headerRow);
  if (!likely) return undefined;
  return {
    mapping: { [likely.index]: field.key },
    label: { zh: `把 ${likely.letter} 列"${likely.header}"对应为"${field.zh}"`, en: `Map column ${likely.letter} "${likely.header}" to ${field.en}` },
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

/** Where the case rows are packed: a slot for every field a record may hold, the extras, the words of the result and progress columns. */
function caseRowsOf(p: Planning, extras: readonly ColumnMapping[]): CaseRows {
  const fields = p.columns.flatMap((c): string[] => {
    const f = p.fieldOf(c.key);
    return f ? [f.key] : [];
  });
  const has = (key: string) => p.columns.some((c) => c.key === key);
  return new CaseRows([...new Set([...fields, "responsibilityText", "kind", "caseNo", "status"])], extras.length, {
    result: has("disposition"),
    progress: has("status"),
  });
}

/** Sorts the rows below the header into kinds and reads every case row; total, note and repeated-header rows are listed. */
function readRows(p: Planning, extras: readonly ColumnMapping[], defaultYear: number): RowsRead {
  const { columns, values, headerRow } = p;
  const headerTexts = columns.map((c) => c.header);
  const rowColumns = columns.filter((c) => !c.counter);
  const read: RowsRead = {
    rowKinds: [],
    cases: caseRowsOf(p, extras),
    normalised: 0,
    resultTexts: [],
    resultRead: false,
    finishedRows: new Set(),
    progress: [],
    progressRead: false,
    people: new PeopleTally(columns, p.policy, p.schema),
  };
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
    if (kind === "case") {
      const rec = readCaseRow(p, read, row, r, defaultYear);
      fitYearlessDates(p, rec, row, r, defaultYear);
      // An extra column is carried over as typed, but an error or a formula without a result is no value there either.
      read.cases.add(
        r,
        rec,
        extras.map((c) => (markedCell(p, p.formulas, r, c, row[c.index] ?? null) ? null : (row[c.index] ?? null))),
      );
      read.people.add(row);
    }
    p.release?.(r);
  }
  return read;
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
    if (markedCell(p, p.formulas, r, c, raw)) {
      rec[field.key] = null;
      continue;
    }
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
    if (yes) read.finishedRows.add(read.cases.length);
    return null; // 否 to 是否结案: the status the data supports is worked out later
  }
  if (field.key === "status") {
    // A progress column (处理进度 / 状态): the state its words name; what the data supports decides later (sheet-says.ts).
    const exact = findNamed(STATES, raw);
    const m = exact ? ({ ok: true, state: exact.code } as const) : matchProgress(raw);
    if (!exact) read.progressRead = true;
    read.progress[read.cases.length] = { text: cellText(raw), state: m.ok ? m.state : undefined };
    if (!m.ok) ambiguous(`${m.zh};状态按本行已有的数据确定,原文保留`, `${m.en}; the status follows the row's data, the words are kept`);
    return null;
  }
  if (field.key === "disposition") {
    const m = matchDisposition(raw, policy);
    // A result column (处理结果) that names what was done finishes the case; a plan or opinion (处理方案/意见) only says so in words.
    if (m.progress === "FINISHED" || (m.ok && m.progress === undefined && /结果|result/i.test(c.header))) read.finishedRows.add(read.cases.length);
    read.resultTexts[read.cases.length] = raw;
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
function numberCases(p: Planning, cases: CaseRows, defaultYear: number) {
  const { opts, columns, grid } = p;
  const renumbered: AdoptPlan["renumbered"] = [];
  const audit: AuditInput[] = [];
  const caseCol = columns.find((c) => c.key === "caseNo");
  const prefix = p.policy.settings.caseNoPrefix;
  const maxByYear = new Map<number, number>();
  // Every number the sheet has, up to separators and case: a generated one never equals any of them.
  const taken = new Set<string>();
  for (let i = 0; i < cases.length; i++) {
    const text = cellText(cases.get(i, "caseNo") ?? null);
    const m = parseCaseNo(prefix, text);
    if (m) maxByYear.set(m.year, Math.max(maxByYear.get(m.year) ?? 0, m.n));
    if (text) taken.add(caseNoKey(text));
  }
  const nextNo = (i: number) => {
    const received = toSerial(cases.get(i, "receivedAt"));
    const y = received.ok ? serialToYmd(Math.floor(received.serial)).year : defaultYear;
    let n = (maxByYear.get(y) ?? 0) + 1;
    // Each number made and keyed once (200,000 numbers: three of each were garbage; issue 26).
    let no = formatCaseNo(prefix, y, n);
    let key = caseNoKey(no);
    while (taken.has(key)) {
      no = formatCaseNo(prefix, y, ++n);
      key = caseNoKey(no);
    }
    maxByYear.set(y, n);
    taken.add(key);
    return no;
  };
  let generated = 0;
  if (!caseCol && cases.length > 0) {
    // No case-number column (or only a row counter): every case gets one from its received year.
    for (let i = 0; i < cases.length; i++) cases.set(i, "caseNo", nextNo(i));
    generated = cases.length;
    const counter = columns.find((c) => c.counter);
    p.problems.push({
      row: p.sheetRow(p.headerRow),
      column: counter?.letter ?? "",
      header: counter?.header ?? "",
      value: null,
      kind: "CASE_NO_GENERATED",
      zh: `表中没有客诉单号列${counter ? `("${counter.header}"是行序号,保留为附加列)` : ""},已按接收年份生成 ${cases.length} 个单号(${prefix}-年份-序号)`,
      en: `The sheet has no case-number column${counter ? ` ("${counter.header}" is a row counter, kept as an extra column)` : ""}; ${cases.length} numbers were generated from the received year (${prefix}-YYYY-NNNN)`,
    });
    audit.push({
      user: opts.user ?? "",
      action: "RENUMBERED",
      field: "caseNo",
      cell: grid.name,
      reason: `接管时生成 ${cases.length} 个单号 / ${cases.length} case numbers generated at adoption`,
    });
  }
  const seen = new Map<string, { row: number; no: string }>();
  let duplicates = 0;
  let missing = 0;
  for (let i = 0; caseCol && i < cases.length; i++) {
    const no = cellText(cases.get(i, "caseNo") ?? null);
    const where = p.sheetRow(cases.source[i]);
    const at = { row: where, column: caseCol?.letter ?? "", header: caseCol?.header ?? "" };
    let kind: ProblemKind | undefined;
    if (no === "") {
      missing++;
      kind = "MISSING_CASE_NO";
      p.problems.push({ ...at, value: null, kind, zh: `第 ${where} 行没有客诉单号`, en: `Row ${where} has no case number` });
    } else if (seen.has(caseNoKey(no))) {
      // The same number typed with other separators or case is the same number.
      duplicates++;
      kind = "DUPLICATE_CASE_NO";
      const first = seen.get(caseNoKey(no))!;
      const same = first.no === no ? "" : `"${first.no}"`;
      p.problems.push({
        ...at,
        value: cases.get(i, "caseNo") ?? null,
        kind,
        zh: `客诉单号"${no}"重复(第 ${first.row} 行已使用${same})`,
        en: `Case number "${no}" is repeated (already used in row ${first.row}${same ? ` as ${same}` : ""})`,
      });
    } else seen.set(caseNoKey(no), { row: where, no });
    if (kind && opts.renumber) {
      const to = nextNo(i);
      renumbered.push({ row: where, from: no, to });
      p.problems.push({
        ...at,
        value: cases.get(i, "caseNo") ?? null,
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
      cases.set(i, "caseNo", to);
      seen.set(caseNoKey(to), { row: where, no: to });
    }
  }
  return { renumbered, audit, duplicates, missing, generated };
}

/** The words of a progress column (处理进度) stay beside the status read from them. */
function keepProgressWords(p: Planning, read: RowsRead, extraHeaders: string[]): number {
  const col = p.columns.find((c) => c.key === "status")!;
  let h = `${col.header || "处理进度"}(原文)`;
  while (extraHeaders.includes(h)) h = `${h} (${col.letter})`;
  extraHeaders.push(h);
  for (let i = 0; i < read.cases.length; i++) read.cases.setSlot(i, read.cases.progressSlot, read.progress[i]?.text ?? null);
  return extraHeaders.length - 1;
}

/** The words of 处理结果 stay beside the codes read from them, in an extra column of their own. */
function keepResultWords(p: Planning, read: RowsRead, extraHeaders: string[]): number {
  const col = p.columns.find((c) => c.key === "disposition")!;
  let h = `${col.header || "处理结果"}(原文)`;
  while (extraHeaders.includes(h)) h = `${h} (${col.letter})`;
  extraHeaders.push(h);
  for (let i = 0; i < read.cases.length; i++) read.cases.setSlot(i, read.cases.resultSlot, read.resultTexts[i] ?? null);
  return extraHeaders.length - 1;
}

/** Required columns the sheet does not have: a warning with the likeliest unmapped columns (not the kind: every row gets one, sheet-says.ts). */
function warnUnmappedRequired(p: Planning): void {
  const { columns, values, headerRow } = p;
  for (const f of p.schema.filter((x) => x.required && x.key !== "caseNo" && x.key !== "kind" && !columns.some((c) => c.key === x.key))) {
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

/** Whether most of a column's values (at least two) are in the shape of case numbers: letters, a year, a running number. */
function caseNoLike(c: ColumnMapping, values: readonly (readonly CellValue[])[], headerRow: number): boolean {
  let shaped = 0;
  let filled = 0;
  for (let r = headerRow + 1; r < values.length; r++) {
    const v = values[r]?.[c.index];
    if (isBlank(v ?? null)) continue;
    const t = cellText(v ?? null);
    if (TOTAL.test(t) || NOTE.test(t)) continue;
    filled++;
    if (caseNoShape(t)) shaped++;
  }
  return shaped >= 2 && shaped >= 0.8 * filled;
}

/**
 * The sheet's own case numbers win: a column whose values look like case numbers (KS2025-0001, KT-2025-012…)
 * takes the case number from a column that does not (a row counter 序号, a column of 1, 2, 5…), whatever
 * their order. A column the user mapped, or one mapped to another field (a batch LOT2025-01), is left alone.
 */
function chooseCaseNoColumn(columns: ColumnMapping[], values: readonly (readonly CellValue[])[], headerRow: number, policy: Policy): void {
  if (columns.some((c) => c.how === "user" && c.key === "caseNo")) return;
  const current = columns.find((c) => c.key === "caseNo");
  if (current && caseNoLike(current, values, headerRow)) return;
  const field = ledgerSchema(policy).find((f) => f.key === "caseNo")!;
  const candidates = columns.filter((c) => c.key === null && c.how !== "user" && !c.counter && caseNoLike(c, values, headerRow));
  // Without numbers in that shape, a column headed as case numbers (客诉单号) that lost to a row counter takes them back.
  const named = current ? undefined : columns.find((c) => c.key === null && c.how !== "user" && !c.counter && matchHeader(c.header, [field]));
  const best = candidates.find((c) => matchHeader(c.header, [field])) ?? candidates[0] ?? named;
  if (!best) return;
  if (current) {
    current.key = null;
    current.how = "none";
    current.why = {
      zh: `值不像客诉单号;"${best.header}"列的值才是(如"${firstShaped(best, values, headerRow)}"):原样保留为附加列`,
      en: `Its values do not look like case numbers; those of "${best.header}" do: kept as an extra column`,
    };
  }
  best.key = "caseNo";
  best.how = normalizeText(best.header) === normalizeText(field.zh) ? "exact" : "synonym";
  if (best === named) {
    best.why = { zh: `表头即"${field.zh}"(行序号不作单号)`, en: `The header names the case number (the row counter is not one)` };
    return;
  }
  best.why = {
    zh: `值是客诉单号(字母+年份+序号,如"${firstShaped(best, values, headerRow)}"),作为客诉单号,保留原格式`,
    en: `Its values are case numbers (letters, year, running number, e.g. "${firstShaped(best, values, headerRow)}"): the case numbers, in their own format`,
  };
}

const firstShaped = (c: ColumnMapping, values: readonly (readonly CellValue[])[], headerRow: number) => {
  for (let r = headerRow + 1; r < values.length; r++) {
    const t = cellText(values[r]?.[c.index] ?? null);
    if (caseNoShape(t)) return t;
  }
  return "";
};

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
 * Counted row by row as the cases are read (the rows need not stay), given as a walk of the columns one after
 * another would give them: columns and roles in the columns' order, equal counts in order of first appearance.
 */
class PeopleTally {
  private readonly cols: { c: ColumnMapping; role: string | undefined }[];
  private readonly found = new Map<string, { hits: Set<number>; cases: number; col: number; seq: number }>();
  private seq = 0;

  constructor(columns: readonly ColumnMapping[], policy: Policy, schema: readonly FieldDef[]) {
    const peopleCols = columns.filter((c) => c.key === "owner" || c.key?.startsWith("sign_") || (c.key === null && !c.counter && PEOPLE_HEADER.test(c.header)));
    this.cols = peopleCols.map((c) => ({
      c,
      role: schema.find((f) => f.key === c.key)?.role ?? findNamed(policy.roles, c.header.replace(/签核|签字|签名|审核|批准|确认/g, ""))?.code,
    }));
  }

  /** One case row. */
  add(row: readonly CellValue[]): void {
    const seq = this.seq++;
    this.cols.forEach(({ c }, k) => {
      const v = row[c.index];
      if (isBlank(v ?? null)) return;
      const text = cellText(v ?? null);
      const names = (parseSignature(text)?.name ?? text).split(/[、,，;；/\s]+/).filter((x) => NAME.test(x) && !/^\d/.test(x));
      for (const name of names) {
        let t = this.found.get(name);
        if (!t) this.found.set(name, (t = { hits: new Set(), cases: 0, col: k, seq }));
        else if (k < t.col) [t.col, t.seq] = [k, seq];
        t.hits.add(k);
        t.cases++;
      }
    });
  }

  proposals(): PersonProposal[] {
    const out = [...this.found.entries()]
      .sort((a, b) => a[1].col - b[1].col || a[1].seq - b[1].seq)
      .map(([name, t]) => {
        const p: PersonProposal = { name, columns: [], roles: [], cases: t.cases };
        this.cols.forEach(({ c, role }, k) => {
          if (!t.hits.has(k)) return;
          if (!p.columns.includes(c.header)) p.columns.push(c.header);
          if (role && !p.roles.includes(role)) p.roles.push(role);
        });
        return p;
      });
    return out.sort((a, b) => b.cases - a.cases || a.name.localeCompare(b.name));
  }
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
