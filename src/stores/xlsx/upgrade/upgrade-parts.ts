/**
 * An upgrade written as a patch of the file's parts (issue 26), as `calendar import --into` writes (patch.ts):
 * the ledger sheet streams through once, each row of the table given its new columns' cells; the table part,
 * the sheet's columns, dimension and validations, the styles (the new columns' number formats), the Policy
 * rows appended, the audit rows appended, the meta sheet; every other part copied as stored. What it writes is
 * what XlsxStore.addColumns, appendPolicyRows, the audit append and setMeta write through exceljs, without
 * exceljs's model of the workbook: memory is that of reading the small sheets, whatever the row count.
 * New columns that need more (a formula, a conditional format) are left to exceljs (`upgradePatchable`).
 */
import { Readable } from "stream";
import * as zlib from "zlib";
import type { CellValue } from "../../../domain/case";
import type { Policy } from "../../../domain/policy/policy";
import { AUDIT_COLUMNS, columnLetter, columnNumber, ledgerColumns, META, SHEETS, TABLES, type LedgerColumn } from "../../../ledger/workbook-layout";
import { GENESIS, rechain } from "../../../ledger/audit";
import { numberFormatOf } from "../../../ledger/records";
import { FORMAT_HEADROOM, FORMAT_ROWS_KEY } from "../columns";
import { validationOf, type ValidationRule } from "../../../ledger/column-validation";
import { checkRowsFit, columnSpaceTaken } from "../limits";
import { auditAppend, byRows, cellXml, metaSheet, PatchConflict, rowXml, stylesOf, tableParts, withRef, type PatchPlace } from "../patch";
import type { TablePlace } from "../reader/table-parts";
import { resolveTarget } from "../reader/book-parts";
import { partText, storedPieces, ZipWriter, type RawPart, type ZipSink } from "../zip/zip-write";
import { xmlText } from "../sheet-xml";

/** What an upgrade's one store write holds (LedgerWrite's columns, policyAppend, audit, meta), with what the patch must know of the file. */
export interface UpgradePatch {
  columns: readonly { key: string; header: string }[];
  policyAppend: readonly (readonly CellValue[])[];
  /** The policy the ledger runs on after the upgrade (its Policy rows with the appended ones). */
  policy: Policy;
  audit: readonly (readonly CellValue[])[];
  /**
   * Audit rows the file has (its table body up to the last non-blank row), when a scan found them; without it the
   * audit sheet's rows are read as they stream, and `audit` is chained again on the entry with the highest
   * sequence when that is not `auditBase` (the head the rows were chained on: the meta sheet's).
   */
  auditCount?: number;
  auditBase: { seq: number; hash: string };
  meta: Record<string, string>;
  /** Every meta key and value the file has now, in order. */
  oldMeta: Record<string, string>;
}

/** Keys whose columns carry conditional formats (formatLedgerRows): an upgrade adding one goes through exceljs. */
const FORMATTED = new Set(["replyStatus", "replyDue", "severity"]);

/** The new columns as the store defines them (XlsxStore.addColumns). */
const newColumns = (patch: UpgradePatch): LedgerColumn[] => {
  const known = ledgerColumns(patch.policy);
  return patch.columns.map((a) => ({ ...(known.find((k) => k.key === a.key) ?? { key: a.key }), header: a.header }));
};

/** Whether the patch can write these columns: no formula, no conditional format (exceljs writes those). */
export const upgradePatchable = (patch: UpgradePatch): boolean => newColumns(patch).every((c) => !c.computed && !FORMATTED.has(c.key));

const unattr = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[e]!);
/** Text for a sheet streamed as latin1 (one character per byte): UTF-8 bytes as characters. */
const latin1 = (s: string) => Buffer.from(s, "utf8").toString("latin1");
const letterOf = (n: number) => columnLetter(n - 1);

/** Number formats Excel has built in (styles.xml names them by id only). */
const BUILT_IN: Record<string, number> = { General: 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49 };

/**
 * styles.xml with a cell style for each number format (found, else added): a plain one, or style `base`'s with
 * the format (a header cell keeps its row's font and fill); the styles' indices in `ids`.
 */
export function stylesWith(xml: string, formats: readonly string[], base?: number): { xml: string; ids: number[] } {
  const ids: number[] = [];
  for (const fmt of formats) {
    let numFmtId = BUILT_IN[fmt];
    if (numFmtId === undefined) {
      const found = [...xml.matchAll(/<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"/g)];
      numFmtId = Number(found.find((m) => unattr(m[2]) === fmt)?.[1] ?? NaN);
      if (Number.isNaN(numFmtId)) {
        numFmtId = Math.max(163, ...found.map((m) => Number(m[1]))) + 1;
        const el = `<numFmt numFmtId="${numFmtId}" formatCode="${xmlText(fmt)}"/>`;
        xml = /<numFmts\b[^>]*>/.test(xml)
          ? xml
              .replace(/<numFmts\b([^>]*?)count="\d+"([^>]*)>/, (_m, a: string, b: string) => `<numFmts${a}count="${found.length + 1}"${b}>`)
              .replace("</numFmts>", `${el}</numFmts>`)
          : xml.replace(/(<styleSheet\b[^>]*>)/, `$1<numFmts count="1">${el}</numFmts>`);
      }
    }
    const xfs = /<cellXfs\b[^>]*>([^]*?)<\/cellXfs>/.exec(xml);
    if (!xfs) throw new PatchConflict("no cellXfs in the styles part");
    const list = [...xfs[1].matchAll(/<xf\b[^>]*?(?:\/>|>[^]*?<\/xf>)/g)].map((m) => m[0]);
    const plain = (x: string, a: string, v: string) => new RegExp(`\\b${a}="${v}"`).test(x);
    const from = base === undefined ? undefined : list[base];
    const el = from
      ? from.replace(/\bnumFmtId="\d+"/, `numFmtId="${numFmtId}"`).replace(/^<xf\b(?![^>]*applyNumberFormat)/, '<xf applyNumberFormat="1"')
      : `<xf numFmtId="${numFmtId}" fontId="0" fillId="0" borderId="0" xfId="0"${numFmtId ? ' applyNumberFormat="1"' : ""}/>`;
    let at = from
      ? list.indexOf(el)
      : list.findIndex(
          (x) =>
            x.endsWith("/>") &&
            plain(x, "numFmtId", String(numFmtId)) &&
            ["fontId", "fillId", "borderId"].every((a) => plain(x, a, "0") || !x.includes(`${a}=`)),
        );
    if (at < 0) {
      at = list.length;
      xml = xml.replace(
        /<cellXfs\b([^>]*?)count="\d+"([^>]*)>([^]*?)<\/cellXfs>/,
        (_m, a: string, b: string, body: string) => `<cellXfs${a}count="${at + 1}"${b}>${body}${el}</cellXfs>`,
      );
    }
    ids.push(at);
  }
  return { xml, ids };
}

/** A table part widened by `headers`: its ranges (and its filter's) end at column `right`, one tableColumn each. */
export function widenedTable(x: string, oldRight: string, right: string, headers: readonly string[]): string {
  const cols = /<tableColumns\b[^>]*>([^]*?)<\/tableColumns>/.exec(x);
  if (!cols) throw new PatchConflict("a table part without tableColumns");
  let id = Math.max(0, ...[...cols[1].matchAll(/<tableColumn\b[^>]*?\bid="(\d+)"/g)].map((m) => Number(m[1])));
  const count = [...cols[1].matchAll(/<tableColumn\b/g)].length + headers.length;
  const added = headers.map((h) => `<tableColumn id="${++id}" name="${xmlText(h)}"/>`).join("");
  return x
    .replace(/\bref="([A-Z]+\d+):([A-Z]+)(\d+)"/g, (m, a: string, col: string, row: string) => (col === oldRight ? `ref="${a}:${right}${row}"` : m))
    .replace(
      /<tableColumns\b([^>]*?)count="\d+"([^>]*)>([^]*?)<\/tableColumns>/,
      (_m, a: string, b: string, body: string) => `<tableColumns${a}count="${count}"${b}>${body}${added}</tableColumns>`,
    );
}

/** Elements that follow dataValidations in a worksheet (ECMA-376 order): a new dataValidations goes before the first. */
const AFTER_VALIDATIONS =
  /<(hyperlinks|printOptions|pageMargins|pageSetup|headerFooter|rowBreaks|colBreaks|customProperties|cellWatches|ignoredErrors|smartTags|drawing|legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)\b|<\/worksheet>/;

/** One validation as exceljs writes it (DataValidationsXform; a date as its serial). */
function validationXml(rule: ValidationRule, sqref: string): string {
  const a = [`type="${rule.type}"`];
  if (rule.operator && rule.type !== "list") a.push(`operator="${rule.operator}"`);
  a.push(
    'allowBlank="1"',
    'showErrorMessage="1"',
    `errorStyle="${rule.errorStyle}"`,
    `errorTitle="${xmlText(rule.errorTitle)}"`,
    `error="${xmlText(rule.error)}"`,
    `sqref="${sqref}"`,
  );
  const formulae = rule.formulae.map((f, i) => {
    const v = f instanceof Date ? 25569 + f.getTime() / 86400000 : f;
    return `<formula${i + 1}>${xmlText(String(v))}</formula${i + 1}>`;
  });
  return `<dataValidation ${a.join(" ")}>${formulae.join("")}</dataValidation>`;
}

/** The sheet's tail (after sheetData) with the validations added. */
function withValidations(tail: string, add: string[]): string {
  if (!add.length) return tail;
  const body = latin1(add.join(""));
  const has = /<dataValidations\b([^>]*?)count="(\d+)"([^>]*)>/.exec(tail);
  if (has) {
    const count = Number(has[2]) + add.length;
    return tail.replace(has[0], `<dataValidations${has[1]}count="${count}"${has[3]}>`).replace("</dataValidations>", `${body}</dataValidations>`);
  }
  const at = AFTER_VALIDATIONS.exec(tail)?.index ?? tail.length;
  return `${tail.slice(0, at)}<dataValidations count="${add.length}">${body}</dataValidations>${tail.slice(at)}`;
}

/** Whether a cell's XML holds a value (a blank cell only has a style). */
const hasValue = (c: string) =>
  (c.includes("<v>") && /<v>[^<]+<\/v>/.test(c)) || (c.includes("<t") && /<t\b[^>]*>[^<]*\S[^<]*<\/t>/.test(c)) || (c.includes("<f") && /<f\b/.test(c));

/** The ledger sheet's part, its rows given the new columns: what the stream needs to know. */
interface LedgerSheetPlan {
  top: number;
  bottom: number;
  start: number;
  /** One cell style per new column, and its header cell's (the last header cell's style with the column's format). */
  styles: number[];
  headerStyles: (number | undefined)[];
  headers: string[];
  /** Column letters of the new columns. */
  letters: string[];
  widths: number[];
  validations: string[];
}

/** A table row with the new cells at its end: blank styled cells replaced, a value there refused (COLUMN_SPACE_TAKEN). */
function rowWithColumns(x: string, r: number, plan: LedgerSheetPlan): string {
  const n = plan.styles.length;
  const end = plan.start + n - 1;
  const header = r === plan.top;
  const selfClosing = x.endsWith("/>");
  if (!header && (selfClosing || !hasValue(x))) return x;
  // Most rows end left of the new columns: the cells go before </row>.
  const lastCell = x.lastIndexOf('<c r="');
  const lastCol = lastCell < 0 ? 0 : columnNumber(/^<c r="([A-Z]+)/.exec(x.slice(lastCell, lastCell + 12))?.[1] ?? "A");
  if (!header && lastCol < plan.start && !selfClosing) {
    const open = x.indexOf(">");
    const spans = /\bspans="(\d+):(\d+)"/.exec(x.slice(0, open));
    const head = spans ? x.slice(0, open).replace(spans[0], `spans="${spans[1]}:${Math.max(Number(spans[2]), end)}"`) : x.slice(0, open);
    return `${head}${x.slice(open, -6)}${plan.letters.map((L, j) => `<c r="${L}${r}" s="${plan.styles[j]}"/>`).join("")}</row>`;
  }
  const cells = selfClosing ? [] : [...x.matchAll(/<c\b[^>]*?(?:\/>|>[^]*?<\/c>)/g)];
  const add = plan.headers.map((h, j) => {
    const ref = `${letterOf(plan.start + j)}${r}`;
    return header ? latin1(cellXml(ref, plan.headerStyles[j]?.toString(), h)) : `<c r="${ref}" s="${plan.styles[j]}"/>`;
  });
  const before: string[] = [];
  const after: string[] = [];
  for (const m of cells) {
    const col = columnNumber(/^<c\b[^>]*?\br="([A-Z]+)\d+"/.exec(m[0])?.[1] ?? "A");
    if (col < plan.start) before.push(m[0]);
    else if (col > end) after.push(m[0]);
    else if (hasValue(m[0])) throw columnSpaceTaken(`${letterOf(col)}${r}`);
  }
  const open = (selfClosing ? x.slice(0, -2) + ">" : x.slice(0, x.indexOf(">") + 1)).replace(
    /\bspans="(\d+):(\d+)"/,
    (_m, a: string, b: string) => `spans="${a}:${Math.max(Number(b), end)}"`,
  );
  return `${open}${before.join("")}${add.join("")}${after.join("")}</row>`;
}

/** What precedes the rows: the dimension widened, a <col> per new column (width, number format). */
function headWithColumns(x: string, plan: LedgerSheetPlan): string {
  const end = plan.start + plan.styles.length - 1;
  let out = x.replace(/(<dimension ref="[A-Z]+\d+:)([A-Z]+)(\d+)"/, (m, a: string, col: string, row: string) =>
    columnNumber(col) < end ? `${a}${letterOf(end)}${row}"` : m,
  );
  const cols = plan.widths
    .map((w, j) => `<col min="${plan.start + j}" max="${plan.start + j}" width="${w}" style="${plan.styles[j]}" customWidth="1"/>`)
    .join("");
  const have = /<cols>([^]*?)<\/cols>/.exec(out);
  if (have) {
    if ([...have[1].matchAll(/<col\b[^>]*?\bmax="(\d+)"/g)].some((m) => Number(m[1]) >= plan.start))
      throw new PatchConflict("column definitions right of the ledger table");
    out = out.replace("</cols>", `${cols}</cols>`);
  } else out = out.replace(/<sheetData\b/, `<cols>${cols}</cols>$&`);
  return out;
}

/** Width of a new column as XlsxStore.addColumns sets it. */
const widthOf = (col: LedgerColumn) => {
  const t = col.field?.type;
  return t === "longtext" ? 36 : t === "datetime" ? 17 : t === "date" ? 12 : col.field?.protected ? 24 : 14;
};

/** The Policy sheet with rows below its last row that holds a value (blank rows there give way); markers in the first marker's style. */
function policyAppended(x: string, rows: UpgradePatch["policyAppend"]): string {
  const all = [...x.matchAll(/<row\b[^>]*?(?:\/>|>[^]*?<\/row>)/g)];
  let last = 0;
  for (const m of all) if (!m[0].endsWith("/>") && hasValue(m[0])) last = Math.max(last, Number(/\br="(\d+)"/.exec(m[0])?.[1] ?? 0));
  const marker = /<c r="A1"[^>]*?\bs="(\d+)"/.exec(x)?.[1];
  const kept = all.filter((m) => Number(/\br="(\d+)"/.exec(m[0])?.[1] ?? 0) <= last).map((m) => m[0]);
  const added = rows.map((r, i) => rowXml(last + 1 + i, r, () => (/^\[[A-Z_]+\]$/.test(String(r[0] ?? "")) ? marker : undefined)));
  const width = Math.max(1, ...rows.map((r) => r.length), ...[...x.matchAll(/<c r="([A-Z]+)\d+"/g)].map((m) => columnNumber(m[1])));
  const body = `<sheetData>${kept.join("")}${added.join("")}</sheetData>`;
  const y = /<sheetData\/>/.test(x) ? x.replace(/<sheetData\/>/, body) : x.replace(/<sheetData>[^]*<\/sheetData>/, body);
  return y.replace(/<dimension ref="[^"]*"\/>/, `<dimension ref="A1:${letterOf(width)}${Math.max(1, last + rows.length)}"/>`);
}

/** The styles part of a workbook (by the workbook's rels). */
function stylesPart(byName: Map<string, RawPart>): string | undefined {
  const rels = byName.get("xl/_rels/workbook.xml.rels");
  const rel = [...(rels ? partText(rels) : "").matchAll(/<Relationship\b[^>]*>/g)].find((m) => /\bType="[^"]*\/styles"/.test(m[0]))?.[0];
  const target = rel ? unattr(/\bTarget="([^"]*)"/.exec(rel)?.[1] ?? "") : undefined;
  const name = target ? resolveTarget("xl/workbook.xml", target) : undefined;
  return name && byName.has(name) ? name : undefined;
}

/** Raised when an audit row's sequence or hash is a shared string: the caller scans the sheet first (auditCount) and writes again (a PatchConflict, so the save passes it on untouched). */
export class AuditHeadUnread extends PatchConflict {}

/** The text of cell `ref` in a row's XML (inline, a number or a formula's cached text); undefined when absent. */
function rawCell(row: string, ref: string): string | undefined {
  const at = row.indexOf(`<c r="${ref}"`);
  if (at < 0) return undefined;
  const close = row.indexOf(">", at);
  if (row[close - 1] === "/") return undefined;
  if (row.slice(at, close).includes('t="s"')) throw new AuditHeadUnread(ref);
  const end = row.indexOf("</c>", close);
  const tag = row.indexOf(row.startsWith("<is", close + 1) ? "<t" : "<v", close);
  if (tag < 0 || tag > end) return "";
  const v = row.indexOf(">", tag);
  const text = row.slice(v + 1, row.indexOf("<", v + 1));
  return text.includes("&") ? unattr(text) : text;
}

/** What the audit stream found: the rows written (chained on the file's head) and the table's new last row. */
interface AuditOutcome {
  rows: CellValue[][];
  bottom: number;
}

/**
 * The audit sheet with the upgrade's entries after its last, the head found as the rows stream (no scan before):
 * blank rows wait until a row with a value follows them (at the end they give way, or, below the table, stop the
 * patch as auditAppend does). The dimension is set before the rows are seen: to the most the sheet can reach.
 */
function auditStreamed(p: RawPart, table: TablePlace, patch: UpgradePatch, done: (o: AuditOutcome) => void): AsyncIterable<Buffer> {
  const tableBottom = table.top + table.bodyRows;
  const seqAt = AUDIT_COLUMNS.findIndex((c) => c.key === "seq");
  const hashAt = AUDIT_COLUMNS.findIndex((c) => c.key === "hash");
  let pending: { r: number; x: string }[] = [];
  let lastRow = "";
  let lastValue = table.top;
  let head = { seq: 0, hash: GENESIS };
  return byRows(p, {
    head: (x) =>
      x.replace(/(<dimension ref="[A-Z]+\d+:[A-Z]+)(\d+)"/, (_m, a: string, b: string) => `${a}${Math.max(Number(b), tableBottom + patch.audit.length)}"`),
    row: (x, r) => {
      if (x.endsWith("/>") || !hasValue(x)) {
        pending.push({ r, x });
        return "";
      }
      const out = pending.map((b) => b.x).join("") + x;
      pending = [];
      lastRow = x;
      lastValue = r;
      if (r > table.top) {
        const seq = Number(rawCell(x, `${letterOf(table.left + seqAt)}${r}`));
        if (Number.isInteger(seq) && seq > head.seq) head = { seq, hash: rawCell(x, `${letterOf(table.left + hashAt)}${r}`) ?? "" };
      }
      return out;
    },
    end: async () => {
      if (pending.some((b) => b.r > tableBottom)) throw new PatchConflict(`row ${pending.find((b) => b.r > tableBottom)!.r} below the audit table`);
      const same = head.seq === patch.auditBase.seq && head.hash === patch.auditBase.hash;
      const rows = same ? patch.audit.map((r) => [...r]) : await rechain(head, patch.audit);
      const first = lastValue + 1;
      // The last entry is known only here: past the grid, the save stops and its temporary file is dropped (the file unchanged).
      checkRowsFit(SHEETS.audit, lastValue, rows.length);
      done({ rows, bottom: Math.max(tableBottom, first + rows.length - 1) });
      const styles = stylesOf(lastRow);
      return rows.map((row, k) => rowXml(first + k, row, (j) => styles.get(columnLetter(j)))).join("");
    },
  });
}

/**
 * Deflate level of the two big sheets rewritten (ledger, audit): 3 rather than zlib's 6 halves their deflating
 * (at 50,000 cases 5.4 s CPU in all instead of 6.9 s) for a file ~12% bigger; Excel deflates it again at its next save.
 */
export const BIG_PART_LEVEL = 3;

/** The style of the ledger's last header cell (left of column `start`), read from the sheet's first rows; undefined when it has none. */
async function headerStyle(p: RawPart, top: number, start: number): Promise<number | undefined> {
  const rows = p.method === 0 ? Readable.from(storedPieces(p)) : Readable.from(storedPieces(p)).pipe(zlib.createInflateRaw());
  let seen = "";
  try {
    for await (const chunk of rows) {
      seen += (chunk as Buffer).toString("latin1");
      const row = new RegExp(`<row\\b[^>]*?\\br="${top}"[^>]*>([^]*?)</row>`).exec(seen);
      if (!row && seen.length < 1 << 22 && !seen.includes("</sheetData>")) continue;
      const cells = [...(row?.[1] ?? "").matchAll(/<c\b[^>]*?\br="([A-Z]+)\d+"[^>]*>/g)].filter((m) => columnNumber(m[1]) < start);
      const s = /\bs="(\d+)"/.exec(cells.at(-1)?.[0] ?? "")?.[1];
      return s === undefined ? undefined : Number(s);
    }
  } finally {
    rows.destroy();
  }
  return undefined;
}

/**
 * Writes the upgraded file to `sink`. Throws PatchConflict (nothing is renamed into place; the caller upgrades
 * through exceljs) for a shape it does not write, and COLUMN_SPACE_TAKEN, as the store does, for a value where a
 * new column goes. `level`: deflate level of the parts rewritten.
 */
export async function writeUpgrade(place: PatchPlace, patch: UpgradePatch, sink: ZipSink, level = BIG_PART_LEVEL): Promise<void> {
  const byName = new Map(place.parts.map((p) => [p.name, p]));
  const text = (name: string) => (byName.has(name) ? partText(byName.get(name)!) : undefined);
  const t = place.ledgerTable;
  const tablePart = tableParts(text, t.sheet).find((x) => new RegExp(`\\bname="${TABLES.ledger}"`, "i").test(text(x) ?? ""));
  const styles = stylesPart(byName);
  if (!tablePart || !styles) throw new PatchConflict("no ledger table part or styles part");
  const cols = newColumns(patch);
  const formats = cols.map(numberFormatOf);
  const { xml: withBody, ids } = stylesWith(text(styles)!, formats);
  const headerBase = await headerStyle(byName.get(t.sheet)!, t.top, t.left + t.width);
  const { xml: stylesXml, ids: headerIds } = headerBase === undefined ? { xml: withBody, ids: [] } : stylesWith(withBody, formats, headerBase);
  const start = t.left + t.width;
  const covered = Number(patch.oldMeta[FORMAT_ROWS_KEY]) || t.top + t.bodyRows + FORMAT_HEADROOM;
  const plan: LedgerSheetPlan = {
    top: t.top,
    bottom: t.top + t.bodyRows,
    start,
    styles: ids,
    headerStyles: formats.map((_f, j) => headerIds[j]),
    headers: cols.map((c) => c.header),
    letters: cols.map((_c, j) => letterOf(start + j)),
    widths: cols.map(widthOf),
    validations: cols.flatMap((c, j) => {
      const rule = validationOf(c, patch.policy);
      const L = letterOf(start + j);
      return rule ? [validationXml(rule, `${L}${t.top + 1}:${L}${covered}`)] : [];
    }),
  };
  const table = widenedTable(text(tablePart)!, letterOf(start - 1), letterOf(start + cols.length - 1), plan.headers);
  const policy = patch.policyAppend.length ? policyAppended(text(place.policy)!, patch.policyAppend) : undefined;
  // The audit rows as given (a scan counted the entries) or as the stream finds the head; meta and the audit
  // table's range follow from them, so those two parts are written once the audit sheet is.
  let outcome: AuditOutcome | undefined;
  const auditPart = byName.get(place.audit)!;
  let auditPieces: AsyncIterable<Buffer>;
  if (patch.auditCount !== undefined) {
    const a = auditAppend(auditPart, place.auditTable, patch.auditCount, patch.audit);
    outcome = { rows: patch.audit.map((r) => [...r]), bottom: a.bottom };
    auditPieces = a.pieces;
  } else auditPieces = auditStreamed(auditPart, place.auditTable, patch, (o) => (outcome = o));
  const small = (s: string) => [Buffer.from(s, "utf8")];
  const zip = new ZipWriter(sink);
  const later: RawPart[] = [];
  const writeLater = async (p: RawPart) => {
    const o = outcome!;
    const last = o.rows[o.rows.length - 1];
    const headMeta: Record<string, string> = last
      ? { [META.auditSeq]: String(last[0]), [META.auditHash]: String(last[AUDIT_COLUMNS.findIndex((c) => c.key === "hash")]) }
      : {};
    if (p.name === place.meta) await zip.stream(p.name, small(metaSheet(partText(p), { ...patch.oldMeta, ...patch.meta, ...headMeta })));
    else await zip.stream(p.name, small(withRef(partText(p), o.bottom)));
  };
  for (const p of place.parts) {
    if (p.name === styles) await zip.stream(p.name, small(stylesXml));
    else if (p.name === tablePart) await zip.stream(p.name, small(table));
    else if (p.name === place.policy && policy !== undefined) await zip.stream(p.name, small(policy));
    else if (p.name === place.meta || p.name === place.auditTablePart) {
      if (outcome) await writeLater(p);
      else later.push(p);
    } else if (p.name === place.audit) {
      await zip.stream(p.name, auditPieces, level);
      for (const q of later.splice(0)) await writeLater(q);
    } else if (p.name === t.sheet) {
      const pieces = byRows(p, {
        head: (x) => headWithColumns(x, plan),
        row: (x, r) => (r >= plan.top && r <= plan.bottom ? rowWithColumns(x, r, plan) : x),
        end: () => "",
        tail: (x) => withValidations(x, plan.validations),
      });
      await zip.stream(p.name, pieces, level);
    } else await zip.copy(p);
  }
  await zip.finish();
}
