/**
 * `adopt` without exceljs's model of the input (decision 148): the sheet is read by the fast reader into the
 * grid `planAdoption` reads (input-grid.ts), exceljs builds only the new sheets (ledger, Policy, People,
 * Audit, Problems, meta; their big bodies streamed as #40), and the output is the input's parts copied as
 * stored — the adopted sheet's own part becomes the backup untouched, renamed in workbook.xml — with the new
 * sheets' parts added and workbook.xml, its rels, [Content_Types].xml, styles.xml and the shared strings
 * patched. Memory: the grid and the plan, not a model of every cell of the workbook.
 *
 * `adoptByParts` returns undefined for what it does not write as exceljs's path would — a 1904 workbook (its
 * dates are converted), a file the fast reader does not read, a refusal of any kind (exceljs's path then
 * gives the very same error), a table name or a sheet name the new sheets would take — and the caller adopts
 * through exceljs.
 */
import type { Workbook } from "exceljs";
import { DomainError } from "../../../domain/errors";
import { defaultPolicy } from "../../../domain/policy/policy";
import type { AdoptPlan, PlannedRows } from "../../../adoption/planner";
import { safeSheetName, SHEETS, TABLES } from "../../../ledger/workbook-layout";
import { adoptedContent, planRowsOf, type AdoptWorkbookOptions } from "./content";
import { bodyPieces, checkBodyRows } from "../book-write";
import { checkBodyText, frameOf, sharedTextsAfter, type DeferredBody } from "../sheet-xml";
import { CellTooLong, storeWorkbookText } from "../stored-text";
import { cellTooLong } from "../limits";
import { addLedgerSheet, addSupportSheets } from "../workbook";
import { FastReadUnsupported, FastWorkbook } from "../reader/fast-read";
import { resolveTarget } from "../reader/book-parts";
import { partBytes, partText, ZipWriter, zipParts, type RawPart, type ZipSink } from "../zip/zip-write";
import { gridOfSheet } from "./input-grid";
import {
  bookSheets,
  CONTENT,
  countItems,
  countOurItems,
  mergeStrings,
  patchRels,
  patchTypes,
  patchWorkbook,
  SHARED_STRINGS_REL,
  type BookSheet,
  type NewSheet,
} from "./book-xml";
import { mergeStyles, remapSheet, PartsUnsupported, type StyleMap } from "./merge-styles";

const WORKBOOK = "xl/workbook.xml",
  RELS = "xl/_rels/workbook.xml.rels",
  TYPES = "[Content_Types].xml",
  STYLES = "xl/styles.xml",
  STRINGS = "xl/sharedStrings.xml";

/** The input as the parts writer needs it. */
interface Input {
  parts: RawPart[];
  text: (name: string) => string | undefined;
  sheets: BookSheet[];
  /** The adopted sheet, its part and its index among the fast reader's sheets. */
  at: BookSheet;
  fastIndex: number;
}

const hidden = (s: BookSheet) => s.state === "hidden" || s.state === "veryHidden";

/** The input's parts and the sheet to adopt, or undefined where exceljs's path must decide (it may refuse). */
function openInput(buf: Buffer, fast: FastWorkbook, sheet: string | undefined): Input | undefined {
  const parts = zipParts(buf);
  const byName = new Map(parts.map((p) => [p.name, p]));
  const text = (name: string) => {
    const p = byName.get(name);
    return p ? partText(p) : undefined;
  };
  const book = text(WORKBOOK);
  const rels = text(RELS);
  if (!book || !rels || !byName.has(TYPES) || !byName.has(STYLES)) return undefined;
  if (/<workbookPr\b[^>]*\bdate1904="(1|true)"/.test(book)) return undefined;
  const sheets = bookSheets(book);
  if (!sheets) return undefined;
  const target = (rid: string) => {
    const m = new RegExp(`<Relationship\\b[^>]*\\bId="${rid.replace(/[^\w.-]/g, "")}"[^>]*>`).exec(rels)?.[0];
    const t = m && /\bTarget="([^"]*)"/.exec(m)?.[1];
    return t ? resolveTarget(WORKBOOK, t) : undefined;
  };
  // The shared strings and styles the fast reader reads are the ones the rels name.
  for (const [type, part] of [
    [SHARED_STRINGS_REL, STRINGS],
    ["relationships/styles", STYLES],
  ]) {
    for (const m of rels.matchAll(/<Relationship\b[^>]*>/g))
      if (m[0].includes(type) && resolveTarget(WORKBOOK, /\bTarget="([^"]*)"/.exec(m[0])?.[1] ?? "") !== part) return undefined;
  }
  const fastSheets = fast.sheets;
  // exceljs's worksheets: the <sheet>s whose part is a worksheet, in workbook order.
  const worksheets = sheets.filter((s) => fastSheets.some((f) => f.path === target(s.rid)));
  const at = sheet === undefined ? worksheets.find((s) => !hidden(s)) : worksheets.find((s) => s.name === sheet);
  if (!at) return undefined;
  const taken = new Set(sheets.map((s) => s.name.toLowerCase()));
  const backupName = safeSheetName(`${SHEETS.backupPrefix}${at.name}`);
  if ([SHEETS.policy, SHEETS.people, SHEETS.audit, SHEETS.problems, SHEETS.meta, backupName].some((n) => taken.has(n.toLowerCase()))) return undefined;
  // A table with one of the new tables' names (CaseLedger above all: the workbook already is a ledger).
  const ours = new Set(Object.values(TABLES).map((t) => t.toLowerCase()));
  for (const p of parts) {
    if (!/^xl\/tables\/[^/]+\.xml$/.test(p.name)) continue;
    const root = /<table\b[^>]*>/.exec(text(p.name) ?? "")?.[0] ?? "";
    for (const m of root.matchAll(/\b(?:name|displayName)="([^"]*)"/g)) if (ours.has(m[1].toLowerCase())) return undefined;
  }
  return { parts, text, sheets, at, fastIndex: fastSheets.findIndex((f) => f.path === target(at.rid)) };
}

/** A planned adoption by parts: the plan, and the writer of the adopted workbook. */
export interface PartsAdoption {
  /** The plan; its ledger rows made when asked (the writer streams them). */
  plan: AdoptPlan<PlannedRows>;
  /** The meta sheet's audit head (for a head file). */
  meta: Record<string, string>;
  write(sink: ZipSink): Promise<void>;
}

/**
 * Plans an adoption as exceljs's path does (adoptWorkbook + saveLedgerBook) and prepares its parts;
 * undefined (nothing done) when this path does not take the file. A cell over Excel's limit is refused
 * before `write` writes a byte, as saveLedgerBook refuses it.
 */
export async function adoptByParts(buf: Buffer, opts: AdoptWorkbookOptions): Promise<PartsAdoption | undefined> {
  let fast: FastWorkbook;
  let input: Input | undefined;
  try {
    fast = FastWorkbook.open(buf);
    input = openInput(buf, fast, opts.sheet);
  } catch (e) {
    if (e instanceof FastReadUnsupported || e instanceof DomainError) return undefined;
    throw e;
  }
  if (!input) return undefined;
  const policy = opts.policy ?? defaultPolicy();
  const now = opts.now ?? new Date();
  let plan: AdoptPlan<PlannedRows>;
  try {
    const grid = await gridOfSheet(fast, input.fastIndex, input.at.name);
    if (!grid) return undefined;
    plan = planRowsOf(grid, opts, policy, now);
  } catch (e) {
    // A refusal (no header, a limit): exceljs's path gives it, word for word.
    if (e instanceof FastReadUnsupported || e instanceof DomainError) return undefined;
    throw e;
  }
  const content = await adoptedContent(plan, input.at.name, opts, policy, now);
  const { Workbook } = await import("exceljs");
  const wb = new Workbook();
  const bodies: DeferredBody[] = [];
  const { formatRows } = addLedgerSheet(wb, content, bodies);
  addSupportSheets(wb, content, formatRows, bodies);
  let sk: Skeleton;
  let styles: ReturnType<typeof mergeStyles>;
  try {
    sk = await skeletonOf(input, wb, bodies);
    styles = mergeStyles(input.text(STYLES)!, sk.styles);
  } catch (e) {
    if (e instanceof CellTooLong) throw cellTooLong(`${e.sheet}!${e.cell}`, e.chars);
    if (e instanceof PartsUnsupported) return undefined;
    throw e;
  }
  const ready = input;
  return {
    plan,
    meta: content.meta ?? {},
    async write(sink) {
      try {
        await writeParts(ready, sk, styles, sink);
      } catch (e) {
        if (e instanceof CellTooLong) throw cellTooLong(`${e.sheet}!${e.cell}`, e.chars);
        throw e;
      }
    },
  };
}

/** The next free number in `names` for paths `prefix<n>.xml`. */
function nextNumber(names: Iterable<string>, prefix: string): () => number {
  let n = 0;
  const re = new RegExp(`^${prefix.replace(/[/.]/g, "\\$&")}(\\d+)\\.xml$`, "i");
  for (const name of names) n = Math.max(n, Number(re.exec(name)?.[1] ?? 0));
  return () => ++n;
}

/** What exceljs wrote for the new sheets: their parts under new names, and how they join the workbook. */
interface Skeleton {
  parts: RawPart[];
  strings: string;
  styles: string;
  /** exceljs's part name → the output's. */
  rename: Map<string, string>;
  ledger: NewSheet;
  support: NewSheet[];
  /** Per exceljs sheet part: its body (if deferred). */
  bodies: Map<string, DeferredBody>;
  /** Relationships and overrides to add. */
  rels: { id: string; target: string }[];
  types: { part: string; type: string }[];
}

async function skeletonOf(input: Input, wb: Workbook, bodies: readonly DeferredBody[]): Promise<Skeleton> {
  checkBodyRows(bodies);
  checkBodyText(bodies);
  const restore = storeWorkbookText(wb as never);
  let bytes: Buffer;
  try {
    bytes = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  } finally {
    restore();
  }
  const parts = zipParts(bytes);
  const text = (name: string) => {
    const p = parts.find((x) => x.name === name);
    return p ? partText(p) : "";
  };
  const sheets = bookSheets(text(WORKBOOK)) ?? [];
  if (/<definedName\b/.test(text(WORKBOOK))) throw new Error("internal: exceljs wrote defined names for the new sheets");
  const names = input.parts.map((p) => p.name);
  const nextSheet = nextNumber(names, "xl/worksheets/sheet");
  const nextTable = nextNumber(names, "xl/tables/table");
  let sheetId = Math.max(0, ...input.sheets.map((s) => s.sheetId));
  const rename = new Map<string, string>();
  const made: NewSheet[] = [];
  const rels: Skeleton["rels"] = [];
  const types: Skeleton["types"] = [];
  const byId = new Map<string, DeferredBody>();
  const skRels = text(RELS);
  for (const [k, s] of sheets.entries()) {
    const rel = new RegExp(`<Relationship\\b[^>]*\\bId="${s.rid}"[^>]*>`).exec(skRels)?.[0] ?? "";
    const from = resolveTarget(WORKBOOK, /\bTarget="([^"]*)"/.exec(rel)?.[1] ?? "");
    if (!parts.some((p) => p.name === from)) throw new Error(`internal: exceljs's sheet part ${from} is missing`);
    const to = `xl/worksheets/sheet${nextSheet()}.xml`;
    rename.set(from, to);
    rename.set(from.replace(/([^/]+)$/, "_rels/$1.rels"), to.replace(/([^/]+)$/, "_rels/$1.rels"));
    const rid = `rIdCl${k + 1}`;
    made.push({ name: s.name, sheetId: ++sheetId, rid, ...(s.state ? { state: s.state } : {}) });
    rels.push({ id: rid, target: to.slice(3) });
    types.push({ part: to, type: CONTENT.sheet });
    const body = bodies.find((b) => `xl/worksheets/sheet${b.sheetId}.xml` === from);
    if (body) byId.set(from, body);
  }
  for (const p of parts) {
    if (!/^xl\/tables\/table\d+\.xml$/.test(p.name)) continue;
    const to = `xl/tables/table${nextTable()}.xml`;
    rename.set(p.name, to);
    types.push({ part: to, type: CONTENT.table });
  }
  if (input.text(RELS)!.includes('Id="rIdCl')) throw new PartsUnsupported("the workbook's rels already use our ids");
  if (made[0]?.name !== input.at.name || byId.size !== bodies.length) throw new Error("internal: exceljs's new sheets are not as written");
  return { parts, strings: text(STRINGS), styles: text(STYLES), rename, ledger: made[0], support: made.slice(1), bodies: byId, rels, types };
}

/** The new parts of the skeleton in the output's terms: sheets remapped, rels and tables renamed. */
function* newParts(sk: Skeleton, map: StyleMap, strings: number, tableIds: () => number): Generator<{ name: string; xml: string; body?: DeferredBody }> {
  for (const p of sk.parts) {
    const to = sk.rename.get(p.name);
    if (!to) continue;
    let xml = partText(p);
    if (p.name.endsWith(".rels")) {
      if (/Type="[^"]*\/(?!table")[^"/]*"/.test(xml)) throw new Error("internal: a new sheet relates to something other than tables");
      xml = xml.replace(/Target="\.\.\/tables\/(table\d+\.xml)"/g, (_m, t: string) => `Target="../${sk.rename.get(`xl/tables/${t}`)!.slice(3)}"`);
    } else if (p.name.startsWith("xl/tables/")) {
      xml = xml.replace(/(<table\b[^>]*?\bid=")(\d+)"/, (_m, head: string) => `${head}${tableIds()}"`);
      xml = xml.replace(/\b(dataDxfId|headerRowDxfId|totalsRowDxfId)="(\d+)"/g, (_m, a: string, n: string) => `${a}="${map.dxf(Number(n))}"`);
    } else xml = remapSheet(xml, map, strings);
    yield { name: to, xml, body: sk.bodies.get(p.name) };
  }
}

async function writeParts(input: Input, sk: Skeleton, styles: ReturnType<typeof mergeStyles>, sink: ZipSink): Promise<void> {
  const stringsPart = input.parts.find((p) => p.name === STRINGS);
  const inputStrings = stringsPart ? partBytes(stringsPart) : undefined;
  const inputCount = inputStrings ? countItems(inputStrings) : 0;
  const base = inputCount + countOurItems(sk.strings);
  const { shared, added, refs } = sharedTextsAfter(base);
  const backupName = safeSheetName(`${SHEETS.backupPrefix}${input.at.name}`);
  const types = stringsPart ? sk.types : [...sk.types, { part: STRINGS, type: CONTENT.strings }];
  const rels = stringsPart ? sk.rels : [...sk.rels, { id: "rIdClStrings", type: SHARED_STRINGS_REL, target: "sharedStrings.xml" }];
  let tableId = 0;
  for (const p of input.parts) {
    if (!p.name.startsWith("xl/tables/")) continue;
    tableId = Math.max(tableId, Number(/<table\b[^>]*?\bid="(\d+)"/.exec(input.text(p.name) ?? "")?.[1] ?? 0));
  }
  const zip = new ZipWriter(sink);
  const put = (name: string, xml: string) => zip.stream(name, [Buffer.from(xml, "utf8")]);
  for (const p of input.parts) {
    if (p.name === WORKBOOK) await put(p.name, patchWorkbook(input.text(WORKBOOK)!, input.sheets, input.at, backupName, sk.ledger, sk.support));
    else if (p.name === RELS) await put(p.name, patchRels(input.text(RELS)!, rels));
    else if (p.name === TYPES) await put(p.name, patchTypes(input.text(TYPES)!, types));
    else if (p.name === STYLES) await put(p.name, styles.xml);
    else if (p.name !== STRINGS) await zip.copy(p);
  }
  for (const n of newParts(sk, styles.map, inputCount, () => ++tableId)) {
    // A big body's sheet streams through its frame (#40); its probe row's styles are already the merged ones.
    if (n.body) await zip.stream(n.name, bodyPieces(frameOf(n.xml, n.body), n.body, shared));
    else await put(n.name, n.xml);
  }
  await zip.stream(STRINGS, [mergeStrings(inputStrings, inputCount, sk.strings, [...added.keys()], refs())]);
  await zip.finish();
}
