/**
 * Opening a ledger in the workbench without exceljs (issue 15, decisions
 * #45–#47): the fast reader of the CLI (stores/xlsx/reader/fast-read.ts) reads the
 * ledger, People and Audit tables, the Policy and meta sheets straight from
 * the file's bytes — in the browser through `DecompressionStream` — into the
 * LedgerData an exceljs-backed XlsxStore would read. The workbook is parsed
 * with exceljs only when something needs it: the first write, a download
 * after a write, adoption.
 *
 * Tables are found as exceljs finds them (store.ts, tables.ts): by name in a
 * table part, placed by its `ref`; body rows keep their positions (blank ones
 * inside the table included), so a write's row numbers mean the same rows.
 */
import { Buffer } from "buffer";
import type { Workbook } from "exceljs";
import type { CellValue } from "../../domain/case";
import { DomainError } from "../../domain/errors";
import { defaultPolicy } from "../../domain/policy/policy";
import { policyFromRows } from "../../domain/policy/policy-table";
import type { SheetLayout } from "../../ledger/generated-sheet";
import { SHEETS, TABLES } from "../../ledger/workbook-layout";
import { caseNoColumn } from "../../ledger/records";
import type { LedgerData, LedgerHead, LedgerStore, LedgerWrite } from "../../ledger/store";
import { isBlank } from "../xlsx/cells";
import { FastWorkbook, type Inflater } from "../xlsx/reader/fast-read";
import type { XlsxStore } from "../xlsx/store";
import { tablesOf, type TablePlace } from "../xlsx/reader/table-parts";

export { tableOfXml, type TablePlace } from "../xlsx/reader/table-parts";

const sheetIndex = (book: FastWorkbook, path: string) => book.sheets.findIndex((s) => s.path === path);

/** Rows top..top+bodyRows of a table, `width` cells from `left`, by position (missing rows blank). */
async function tableRows(book: FastWorkbook, t: TablePlace): Promise<{ header: CellValue[]; body: CellValue[][] }> {
  const bottom = t.top + t.bodyRows;
  const cut = (vals: CellValue[]) => Array.from({ length: t.width }, (_, j) => vals[t.left - 1 + j] ?? null);
  let header: CellValue[] = cut([]);
  const body: CellValue[][] = [];
  await book.streamRows(sheetIndex(book, t.sheet), false, (n, vals) => {
    if (n > bottom) return false;
    if (n === t.top) header = cut(vals);
    else if (n > t.top) {
      while (body.length < n - t.top - 1) body.push(cut([]));
      body.push(cut(vals));
    }
  });
  while (body.length && body[body.length - 1].every(isBlank)) body.pop();
  return { header, body };
}

/** A whole sheet from A1 as store.ts's sheetRows gives it: every row to the widest one, trailing blank rows dropped. */
async function sheetRows(book: FastWorkbook, name: string, keepDates: boolean): Promise<CellValue[][] | undefined> {
  const i = book.sheets.findIndex((s) => s.name === name);
  if (i < 0) return undefined;
  const rows: CellValue[][] = [];
  let width = 0;
  await book.streamRows(i, keepDates, (n, vals) => {
    while (rows.length < n - 1) rows.push([]);
    rows.push(vals);
    width = Math.max(width, vals.length);
  });
  const out = rows.map((r) => Array.from({ length: width }, (_, j) => r[j] ?? null));
  while (out.length && out[out.length - 1].every(isBlank)) out.pop();
  return out;
}

/**
 * The LedgerData of a file holding a ledger table, read by the fast path; undefined when it
 * holds none (a hand-kept sheet: adoption needs exceljs). Throws FastReadUnsupported for a
 * file the fast path does not read like exceljs, and the limits' bilingual errors.
 */
export async function readLedgerFast(bytes: ArrayBuffer, inflate?: Inflater): Promise<LedgerData | undefined> {
  const book = await FastWorkbook.openAsync(Buffer.from(bytes), { inflate });
  const tables = await tablesOf(book);
  const find = (name: string) => tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  const ledger = find(TABLES.ledger);
  if (!ledger) return undefined;
  const { header, body: rows } = await tableRows(book, ledger);
  const people = find(TABLES.people);
  const audit = find(TABLES.audit);
  const evidence = find(TABLES.evidence);
  const costs = find(TABLES.costs);
  const meta: Record<string, string> = {};
  const metaRows = await sheetRows(book, SHEETS.meta, false);
  for (const r of metaRows ?? []) {
    const k = String(r[0] ?? "").trim();
    if (k) meta[k] = String(r[1] ?? "");
  }
  const policyRows = await sheetRows(book, SHEETS.policy, true);
  return {
    header: header.map((v) => String(v ?? "").trim()),
    rows,
    policyRows: policyRows ?? [],
    peopleRows: people ? (await tableRows(book, people)).body : [],
    auditRows: audit ? (await tableRows(book, audit)).body : [],
    evidenceRows: evidence ? (await tableRows(book, evidence)).body : [],
    costRows: costs ? (await tableRows(book, costs)).body : [],
    meta,
    sheets: { policy: policyRows !== undefined, audit: !!audit, meta: metaRows !== undefined },
  };
}

/**
 * The workbench's store for a ledger read by the fast path. Reads come from
 * that data; the first write (or anything else that changes the workbook)
 * parses the file with exceljs once, and from then on an XlsxStore over that
 * workbook serves everything — the same code, and the same file on download,
 * as a workbook opened with exceljs from the start.
 */
export class FastStore implements LedgerStore {
  readonly kind = "xlsx";
  private data: LedgerData | undefined;
  private head: { caseCol: number } | undefined;
  private xlsx: Promise<XlsxStore> | undefined;
  private settled: XlsxStore | undefined;

  /** `workbook` parses the file with exceljs and gives the XlsxStore over it (called at most once unless it fails). */
  constructor(
    data: LedgerData,
    private readonly workbook: () => Promise<XlsxStore>,
  ) {
    this.data = data;
  }

  /** True once exceljs holds the workbook (a write happened, or a download after one). */
  get parsed(): boolean {
    return this.settled !== undefined;
  }

  /** The XlsxStore over the parsed workbook, parsing it on first use. A failure leaves the store as it was. */
  xlsxStore(): Promise<XlsxStore> {
    if (!this.xlsx) {
      this.xlsx = this.workbook().then(
        (s) => {
          this.settled = s;
          this.data = undefined; // exceljs holds the cells now: one copy, not two
          return s;
        },
        (e) => {
          this.xlsx = undefined;
          throw e;
        },
      );
    }
    return this.xlsx;
  }

  async read(): Promise<LedgerData> {
    if (this.settled || !this.data) return (await this.xlsxStore()).read();
    const d = this.data;
    // The caller may push to the audit rows and meta it holds (Ledger does): its own arrays, same cells.
    return {
      header: [...d.header],
      rows: d.rows.slice(),
      policyRows: d.policyRows,
      peopleRows: d.peopleRows.slice(),
      auditRows: d.auditRows.slice(),
      evidenceRows: (d.evidenceRows ?? []).slice(),
      costRows: (d.costRows ?? []).slice(),
      meta: { ...d.meta },
      ...(d.sheets ? { sheets: { ...d.sheets } } : {}),
    };
  }

  async readHead(): Promise<LedgerHead> {
    if (this.settled || !this.data) return (await this.xlsxStore()).readHead();
    const d = this.data;
    if (!this.head) {
      const policy = (d.policyRows.length ? policyFromRows(d.policyRows).policy : undefined) ?? defaultPolicy();
      this.head = { caseCol: caseNoColumn(d.header, policy) };
    }
    const col = this.head.caseCol;
    return { header: [...d.header], caseNos: d.rows.map((r) => (col >= 0 ? r[col] : null)), auditRows: d.auditRows.slice(), meta: { ...d.meta } };
  }

  async write(w: LedgerWrite): Promise<void> {
    return (await this.xlsxStore()).write(w);
  }

  async addSheet(name: string, rows: CellValue[][]): Promise<string> {
    return (await this.xlsxStore()).addSheet(name, rows);
  }

  async writeSheet(layout: SheetLayout): Promise<string> {
    return (await this.xlsxStore()).writeSheet(layout);
  }
}

/** exceljs's error on a file the fast path read, in both languages: the write is refused, nothing changes. */
export function parseFailed(name: string, e: unknown): DomainError {
  const why = String((e as Error)?.message ?? e);
  return new DomainError(
    "UNREADABLE",
    `"${name}"可以查看,但无法解析为可写入的工作簿(${why});未做任何更改`,
    `"${name}" can be viewed but not parsed into a workbook that can be written (${why}); nothing was changed`,
  );
}

/** The exceljs workbook of a store, parsing it if needed. */
export type WorkbookOf = () => Promise<Workbook>;
