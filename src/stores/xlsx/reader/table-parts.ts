/**
 * Tables as Excel finds them, from the file's parts: each sheet's rels name its table parts, each
 * table part its name and range. Read without exceljs (the fast reader's CLI passes and the workbench).
 */
import { resolveTarget } from "./book-parts";
import { quote } from "../../../domain/text";
import { columnNumber, TABLES } from "../../../ledger/workbook-layout";

/** A hidden sheet claiming to be the ledger (a ledger header or a CaseLedger table): what check, verify-audit and the workbench say. */
export const hiddenLedgerFinding = (sheet: string) => ({
  code: "HIDDEN_LEDGER" as const,
  sheet,
  zh: `隐藏的工作表"${quote(sheet)}"自称台账(台账表头或 ${TABLES.ledger} 表格);Excel 中看不到它,本工具也不读它。请检查是否被人放入了冒充的台账`,
  en: `The hidden sheet "${quote(sheet)}" claims to be the ledger (a ledger header or a ${TABLES.ledger} table); Excel does not show it and this tool does not read it. Check whether a decoy ledger was planted`,
});

/** Where a table sits: the geometry tables.ts derives from exceljs's model. */
export interface TablePlace {
  name: string;
  /** Zip path of the sheet part that holds it. */
  sheet: string;
  top: number;
  left: number;
  width: number;
  bodyRows: number;
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    out[m[1]] = (m[2] ?? m[3]).replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[e]!);
  }
  return out;
}

/** The first element named `name` (any prefix), its attributes; undefined when absent. */
const element = (xml: string, name: string) => {
  const m = new RegExp(`<(?:[\\w.-]+:)?${name}\\b([^>]*)>`).exec(xml);
  return m ? attrs(m[1]) : undefined;
};

const colNo = (s: string) => columnNumber(s.toUpperCase());

/** A table part's name and range, as tables.ts decodes exceljs's `tableRef`. */
export function tableOfXml(xml: string): Omit<TablePlace, "sheet"> | undefined {
  const a = element(xml, "table");
  if (!a?.name) return undefined;
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec((a.ref ?? "A1").trim());
  if (!m) return undefined;
  const top = Number(m[2]),
    left = colNo(m[1]);
  const bottom = m[4] ? Number(m[4]) : top,
    right = m[3] ? colNo(m[3]) : left;
  return { name: a.name, top, left, width: right - left + 1, bodyRows: Math.max(0, bottom - top) };
}

/** The rels part of a sheet part: xl/worksheets/sheet1.xml → xl/worksheets/_rels/sheet1.xml.rels. */
export const relsPathOf = (sheetPath: string) => sheetPath.replace(/([^/]+)$/, "_rels/$1.rels");

/** The table parts a sheet's rels name, as zip paths (relative or absolute targets). */
export function tablePartsOfRels(sheetPath: string, rels: string): string[] {
  const out: string[] = [];
  for (const m of rels.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const a = attrs(m[1]);
    if (!a.Target || !/\/table$/.test(a.Type ?? "") || a.TargetMode === "External") continue;
    out.push(resolveTarget(sheetPath, a.Target));
  }
  return out;
}

/** The part reader tablesOf needs (FastWorkbook has both). */
interface PartSource {
  sheets: { path: string }[];
  partNames: string[];
  partText(name: string): Promise<string | undefined>;
}

/** Every table of the workbook with the sheet part holding it, in sheet order. */
export async function tablesOf(book: PartSource): Promise<TablePlace[]> {
  const names = new Set(book.partNames);
  const out: TablePlace[] = [];
  for (const sheet of book.sheets) {
    const relsPath = relsPathOf(sheet.path);
    if (!names.has(relsPath)) continue;
    for (const part of tablePartsOfRels(sheet.path, (await book.partText(relsPath)) ?? "")) {
      const xml = await book.partText(part);
      const t = xml === undefined ? undefined : tableOfXml(xml);
      if (t) out.push({ ...t, sheet: sheet.path });
    }
  }
  return out;
}

/** tablesOf on a synchronous part reader (the CLI's fast path, Node's zlib). */
export function tablesOfSync(sheets: { path: string }[], partNames: string[], text: (name: string) => string | undefined): TablePlace[] {
  const names = new Set(partNames);
  const out: TablePlace[] = [];
  for (const sheet of sheets) {
    const relsPath = relsPathOf(sheet.path);
    if (!names.has(relsPath)) continue;
    for (const part of tablePartsOfRels(sheet.path, text(relsPath) ?? "")) {
      const xml = names.has(part) ? text(part) : undefined;
      const t = xml === undefined ? undefined : tableOfXml(xml);
      if (t) out.push({ ...t, sheet: sheet.path });
    }
  }
  return out;
}
