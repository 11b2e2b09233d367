/**
 * A write to a few parts of a ledger file without loading the workbook (issue 29): `calendar import --into`
 * replaces the Policy sheet, appends audit rows, sets meta keys and refreshes the cached results of the
 * ledger's computed columns (their due dates follow the calendar). Every other part is copied as it is
 * stored; the big sheets (ledger, Audit) stream through row by row. Memory is what reading the ledger
 * took (as `check`), not exceljs's whole workbook, and a file another program saved (LibreOffice without
 * a theme, openpyxl's absolute part paths) keeps whatever exceljs could not write again.
 */
import * as zlib from "zlib";
import { Readable } from "stream";
import type { CellValue } from "../../domain/case";
import type { Policy } from "../../domain/policy/policy";
import { columnLetter, SHEETS, TABLES } from "../../ledger/workbook-layout";
import { parseRels, parseWorkbook, resolveTarget } from "./reader/book-parts";
import { tablesOfSync, type TablePlace } from "./reader/table-parts";
import { columnsOfHeader, computedValues, computeContext, isDateColumn } from "./columns";
import { serialToDateCell } from "./cells";
import { needsEscape, toStoredText } from "./stored-text";
import { xmlText } from "./sheet-xml";
import { partText, slicedParts, storedPieces, ZipWriter, zipParts, type RawPart, type ZipSink } from "./zip/zip-write";
import type { ZipSlices } from "./reader/zip-read";
import { crc32 } from "./reader/crc32";
import { checkRowsFit, crcMismatch, LIMITS, partTooBig, sizeLie } from "./limits";

/** What changes: the whole Policy sheet, audit rows after the last, meta keys, and the ledger's computed results. */
export interface PartsPatch {
  policy: readonly (readonly CellValue[])[];
  audit: readonly (readonly CellValue[])[];
  meta: Record<string, string>;
  /** The ledger's header, the policy its computed columns now follow, and their new results by sheet row (computedFor). */
  ledger: { header: readonly string[]; policy: Policy; computed: Pick<ReadonlyMap<number, Record<string, CellValue>>, "get"> };
  /** Every meta key and value the file has now, in order (the meta sheet is written whole). */
  oldMeta: Record<string, string>;
  /** Audit rows the file has (its table body up to the last non-blank row). */
  auditCount: number;
}

const sAttr = (s: string | undefined) => (s && s !== "0" ? ` s="${s}"` : "");

/** A value cell as our writers write it: numbers, booleans, text inline (stored form: text.ts), Dates as ISO text. */
export function cellXml(ref: string, s: string | undefined, v: CellValue): string {
  if (v === null || v === undefined || v === "") return s && s !== "0" ? `<c r="${ref}"${sAttr(s)}/>` : "";
  if (typeof v === "number") return Number.isFinite(v) ? `<c r="${ref}"${sAttr(s)}><v>${v}</v></c>` : `<c r="${ref}"${sAttr(s)} t="e"><v>#NUM!</v></c>`;
  if (typeof v === "boolean") return `<c r="${ref}"${sAttr(s)} t="b"><v>${v ? 1 : 0}</v></c>`;
  const text = v instanceof Date ? v.toISOString() : String(v);
  const stored = needsEscape(text) ? toStoredText(text) : text;
  return `<c r="${ref}"${sAttr(s)} t="inlineStr"><is><t xml:space="preserve">${xmlText(stored)}</t></is></c>`;
}

export const rowXml = (r: number, values: readonly CellValue[], styles: (j: number) => string | undefined, left = 1) =>
  `<row r="${r}">${values.map((v, j) => cellXml(`${columnLetter(left - 1 + j)}${r}`, styles(j), v)).join("")}</row>`;

/** The `s` of each cell of a row's XML, by column letter. */
export const stylesOf = (row: string) => new Map([...row.matchAll(/<c r="([A-Z]+)\d+"[^>]*?\bs="(\d+)"/g)].map((m) => [m[1], m[2]]));

/**
 * A part's bytes as they inflate, piece by piece: never more than the zip declares, and its size and CRC checked
 * at its end, so a part that lies (a zip bomb declaring little) is refused, not written on into the new file.
 */
async function* inflated(p: RawPart): AsyncGenerator<Buffer> {
  const src = Readable.from(storedPieces(p));
  const pieces = p.method === 0 ? src : src.pipe(zlib.createInflateRaw({ chunkSize: 1 << 16 }));
  let total = 0;
  let crc = 0;
  try {
    for await (const piece of pieces as AsyncIterable<Buffer>) {
      total += piece.length;
      if (total > p.usize) throw sizeLie(p.name);
      crc = crc32(piece, crc);
      yield piece;
    }
  } finally {
    pieces.destroy();
  }
  if (total !== p.usize) throw sizeLie(p.name);
  if (crc !== p.crc) throw crcMismatch(p.name);
}

/**
 * A sheet part streamed row by row (text as latin1, so UTF-8 bytes pass unchanged): `row` may rewrite or drop
 * each row, `end` gives XML to put before `</sheetData>`, `head` rewrites what precedes the first row, `tail` (held
 * whole: validations, formats, table parts) what follows `</sheetData>`.
 */
export async function* byRows(
  p: RawPart,
  fns: { row: (xml: string, r: number) => string; end: () => string | Promise<string>; head: (xml: string) => string; tail?: (xml: string) => string },
): AsyncGenerator<Buffer> {
  let carry = "";
  let inHead = true;
  let done = false;
  const START = /<row[\s>/]|<\/sheetData>|<sheetData\/>/g;
  for await (const chunk of inflated(p)) {
    // One string per piece, read by position: slicing it row by row would copy it over and over.
    carry += (chunk as Buffer).toString("latin1");
    // One row, or what follows the rows, is held whole: bounded as a part read whole is (a hostile sheet's one endless row).
    if (carry.length > LIMITS.wholePartBytes) throw partTooBig(`${p.name} (one row or the part after the rows)`, carry.length, LIMITS.wholePartBytes, false);
    const out: string[] = [];
    let pos = 0;
    while (!done) {
      START.lastIndex = pos;
      const m = START.exec(carry);
      if (!m) {
        // Keep a tail that could start a tag; the rest goes out (or, before the first row, waits: the head is rewritten whole).
        if (!inHead) {
          const keep = Math.max(pos, carry.length - 16);
          out.push(carry.slice(pos, keep));
          pos = keep;
        } else if (carry.length > 1 << 20) throw new Error("internal: no rows in the first megabyte of a sheet");
        break;
      }
      const at = m.index;
      if (inHead) {
        out.push(fns.head(carry.slice(0, at)));
        inHead = false;
      } else out.push(carry.slice(pos, at));
      pos = at;
      if (m[0] !== "<row" && !m[0].startsWith("<row")) {
        const rows = Buffer.from(await fns.end(), "utf8").toString("latin1");
        out.push(m[0] === "<sheetData/>" ? `<sheetData>${rows}</sheetData>` : `${rows}</sheetData>`);
        pos = at + m[0].length;
        done = true;
        break;
      }
      const tagEnd = carry.indexOf(">", at);
      if (tagEnd < 0) break;
      const selfClosing = carry[tagEnd - 1] === "/";
      const close = selfClosing ? tagEnd + 1 : carry.indexOf("</row>", tagEnd);
      if (close < 0) break;
      const end = selfClosing ? close : close + 6;
      const r = Number(/\br="(\d+)"/.exec(carry.slice(at, tagEnd))?.[1] ?? NaN);
      out.push(fns.row(carry.slice(at, end), r));
      pos = end;
    }
    if (done && !fns.tail) {
      out.push(carry.slice(pos));
      pos = carry.length;
    }
    carry = carry.slice(pos);
    if (out.length) yield Buffer.from(out.join(""), "latin1");
  }
  if (!done) throw new Error("internal: a sheet part ends without </sheetData>");
  if (fns.tail) carry = fns.tail(carry);
  if (carry) yield Buffer.from(carry, "latin1");
}

/** A serial as a date cell's number (what ledgerBodyWriter writes). */
const dateNumber = (serial: number) => 25569 + serialToDateCell(serial).getTime() / 86400000;

/** A computed cell with its formula kept and its cached result replaced. */
function computedCell(old: string, v: CellValue, asDate: boolean): string {
  const f = /<f\b[^>]*\/>|<f\b[^>]*>[^]*?<\/f>/.exec(old)?.[0];
  if (!f) return old;
  const head = /^<c\b[^>]*?(?=\/?>)/.exec(old)![0].replace(/\s+t="[^"]*"/, "");
  if (v === null || v === undefined || v === "") return `${head} t="str">${f}<v></v></c>`;
  if (typeof v === "number") return `${head}>${f}<v>${asDate ? dateNumber(v) : v}</v></c>`;
  return `${head} t="str">${f}<v>${Buffer.from(xmlText(String(v)), "utf8").toString("latin1")}</v></c>`;
}

/** A ledger row's XML with each computed column's cached result replaced by the one worked out under the new policy. */
function ledgerRows(patch: PartsPatch, place: TablePlace) {
  const { header, policy, computed: results } = patch.ledger;
  const cols = columnsOfHeader(header as string[], policy);
  const computed = cols.map((c, j) => ({ c, j })).filter((x) => x.c.computed);
  return (row: string, r: number): string => {
    const vals = results.get(r);
    if (!vals || !computed.length) return row;
    let out = row;
    for (const { c, j } of computed) {
      const at = out.indexOf(`<c r="${columnLetter(place.left - 1 + j)}${r}"`);
      if (at < 0) continue;
      const tagEnd = out.indexOf(">", at);
      const end = out[tagEnd - 1] === "/" ? tagEnd + 1 : out.indexOf("</c>", tagEnd) + 4;
      if (tagEnd < 0 || end < 4) continue;
      out = out.slice(0, at) + computedCell(out.slice(at, end), vals[c.key], isDateColumn(c)) + out.slice(end);
    }
    return out;
  };
}

/** What the computed columns of one ledger row (cells as read, the header's width) hold under `policy`: for ledger.computed. */
export function computedFor(header: readonly string[], policy: Policy, now: Date): (cells: readonly CellValue[]) => Record<string, CellValue> {
  const ctx = computeContext(header as string[], policy, now);
  return (cells) => computedValues(cells as CellValue[], ctx);
}

/** Where a patch goes: the parts it rewrites, found before anything is written. */
export interface PatchPlace {
  parts: RawPart[];
  policy: string;
  audit: string;
  meta: string;
  auditTable: TablePlace;
  auditTablePart: string;
  ledgerTable: TablePlace;
}

/** Raised while streaming when the Audit sheet holds rows below its table where entries would go: nothing is renamed into place. */
export class PatchConflict extends Error {
  override name = "PatchConflict";
}

/**
 * The parts a patch rewrites; undefined when the file's shape is not one this can patch (no Policy, Audit or
 * meta sheet, no audit or visible ledger table, parts it cannot read): the caller then writes the whole workbook.
 */
export function patchPlace(buf: Buffer | ZipSlices): PatchPlace | undefined {
  try {
    // A zip in memory, or read by slices (the command line's large file: its parts read when written).
    const parts = buf instanceof Uint8Array ? zipParts(buf) : slicedParts(buf);
    const byName = new Map(parts.map((p) => [p.name, p]));
    const text = (name: string) => (byName.has(name) ? partText(byName.get(name)!) : undefined);
    const book = parseWorkbook(Buffer.from(text("xl/workbook.xml") ?? "", "utf8"));
    const rels = parseRels(Buffer.from(text("xl/_rels/workbook.xml.rels") ?? "", "utf8"));
    const sheets = book.sheets.map((s) => {
      const target = rels.find((r) => r.Id === s.rId)?.Target;
      return { name: s.name, state: s.state, path: target ? resolveTarget("xl/workbook.xml", target) : "" };
    });
    const pathOf = (name: string) => sheets.find((s) => s.name === name)?.path;
    const tables = tablesOfSync(sheets, [...byName.keys()], text);
    const [policy, audit, meta] = [pathOf(SHEETS.policy), pathOf(SHEETS.audit), pathOf(SHEETS.meta)];
    const auditTable = tables.find((t) => t.name === TABLES.audit && t.sheet === audit);
    const ledgerTable = tables.find((t) => t.name === TABLES.ledger && !sheets.find((s) => s.path === t.sheet)?.state);
    if (!policy || !audit || !meta || !auditTable || !ledgerTable || auditTable.left !== 1) return undefined;
    if (![policy, audit, meta, ledgerTable.sheet].every((x) => byName.has(x))) return undefined;
    const auditTablePart = tableParts(text, audit).find((x) => new RegExp(`\\bname="${TABLES.audit}"`).test(text(x) ?? ""));
    if (!auditTablePart) return undefined;
    return { parts, policy, audit, meta, auditTable, auditTablePart, ledgerTable };
  } catch {
    return undefined;
  }
}

/** The audit sheet with `audit` appended after its `count` entries (blank body rows at the table's end give way); `bottom`: the table's new last row. */
export function auditAppend(p: RawPart, table: TablePlace, count: number, audit: PartsPatch["audit"]): { bottom: number; pieces: AsyncIterable<Buffer> } {
  const first = table.top + 1 + count;
  // Refused before the stream starts (nothing written) when the entries would pass Excel's grid.
  checkRowsFit(SHEETS.audit, first - 1, audit.length);
  const tableBottom = table.top + table.bodyRows;
  const bottom = Math.max(tableBottom, first + audit.length - 1);
  let lastRow = "";
  const pieces = byRows(p, {
    head: (x) => x.replace(/(<dimension ref="[A-Z]+\d+:[A-Z]+)\d+"/, (_m, a: string) => `${a}${bottom}"`),
    row: (x, r) => {
      if (r > tableBottom && r >= first) throw new PatchConflict(`row ${r} below the audit table`);
      if (r >= first) return "";
      lastRow = x;
      return x;
    },
    end: () => {
      const styles = stylesOf(lastRow);
      return audit.map((row, k) => rowXml(first + k, row, (j) => styles.get(columnLetter(j)))).join("");
    },
  });
  return { bottom, pieces };
}

/** Writes the patched file to `sink`: the parts of `place` rewritten, every other part copied as stored. */
export async function writePatched(place: PatchPlace, patch: PartsPatch, sink: ZipSink): Promise<void> {
  const audit = auditAppend(
    place.parts.find((p) => p.name === place.audit)!,
    place.auditTable,
    patch.auditCount,
    patch.audit,
  );
  const zip = new ZipWriter(sink);
  for (const p of place.parts) {
    if (p.name === place.policy) await zip.stream(p.name, [Buffer.from(policySheet(partText(p), patch.policy), "utf8")]);
    else if (p.name === place.meta) await zip.stream(p.name, [Buffer.from(metaSheet(partText(p), { ...patch.oldMeta, ...patch.meta }), "utf8")]);
    else if (p.name === place.auditTablePart) await zip.stream(p.name, [Buffer.from(withRef(partText(p), audit.bottom), "utf8")]);
    else if (p.name === place.audit) await zip.stream(p.name, audit.pieces);
    else if (p.name === place.ledgerTable.sheet) {
      await zip.stream(p.name, byRows(p, { head: (x) => x, row: ledgerRows(patch, place.ledgerTable), end: () => "" }));
    } else await zip.copy(p);
  }
  await zip.finish();
}

/** The table parts a sheet's rels name. */
export function tableParts(text: (name: string) => string | undefined, sheetPath: string): string[] {
  const rels = text(sheetPath.replace(/([^/]+)$/, "_rels/$1.rels")) ?? "";
  return [...rels.matchAll(/<Relationship\b[^>]*>/g)]
    .filter((m) => /Type="[^"]*\/table"/.test(m[0]))
    .map((m) => resolveTarget(sheetPath, /Target="([^"]+)"/.exec(m[0])?.[1] ?? ""));
}

/** A table part whose range (and its filter's) ends at row `bottom`. */
export const withRef = (x: string, bottom: number) => x.replace(/(\bref="[A-Z]+\d+:[A-Z]+)\d+"/g, (_m, a: string) => `${a}${bottom}"`);

/** A sheet's XML with its rows replaced. */
function withRows(x: string, rows: string, extent: string): string {
  const body = `<sheetData>${rows}</sheetData>`;
  const y = /<sheetData\/>/.test(x) ? x.replace(/<sheetData\/>/, body) : x.replace(/<sheetData>[^]*<\/sheetData>/, body);
  return y.replace(/<dimension ref="[^"]*"\/>/, `<dimension ref="${extent}"/>`);
}

/** The Policy sheet with the new rows; section markers keep the style the first one had. */
function policySheet(x: string, rows: readonly (readonly CellValue[])[]): string {
  const marker = /<c r="A1"[^>]*?\bs="(\d+)"/.exec(x)?.[1];
  const width = Math.max(1, ...rows.map((r) => r.length));
  const xmlRows = rows
    .map((r, i) => {
      const isMarker = /^\[[A-Z_]+\]$/.test(String(r[0] ?? ""));
      return rowXml(i + 1, r, () => (isMarker ? marker : undefined));
    })
    .join("");
  return withRows(x, xmlRows, `A1:${columnLetter(width - 1)}${Math.max(1, rows.length)}`);
}

/** The meta sheet, key and value per row; values keep the text format the sheet gave them. */
export function metaSheet(x: string, meta: Record<string, string>): string {
  const text = /<c r="B\d+"[^>]*?\bs="(\d+)"/.exec(x)?.[1];
  const rows = Object.entries(meta)
    .map(([k, v], i) => rowXml(i + 1, [k, v], (j) => (j === 1 ? text : undefined)))
    .join("");
  return withRows(x, rows, `A1:B${Math.max(1, Object.keys(meta).length)}`);
}
