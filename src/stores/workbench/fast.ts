/**
 * Opening a ledger in the workbench without exceljs (issue 15, decisions
 * #45–#47): the fast reader of the CLI (stores/xlsx/reader/fast-read.ts) reads the
 * ledger, People and Audit tables, the Policy and meta sheets straight from
 * the file's bytes — in the browser through `DecompressionStream` — into the
 * LedgerData an exceljs-backed XlsxStore would read. The workbook is parsed
 * with exceljs only when something needs it: a write patch.ts does not do
 * (a new Policy, columns, People, Evidence, a generated sheet), adoption.
 *
 * Tables are found as exceljs finds them (store.ts, tables.ts): by name in a
 * table part, placed by its `ref`; body rows keep their positions (blank ones
 * inside the table included), so a write's row numbers mean the same rows.
 */
import { Buffer } from "buffer";
import type { Workbook } from "exceljs";
import type { CellValue } from "../../domain/case";
import { DomainError } from "../../domain/errors";
import { quote } from "../../domain/text";
import { defaultPolicy } from "../../domain/policy/policy";
import { policyFromRows } from "../../domain/policy/policy-table";
import type { SheetLayout } from "../../ledger/generated-sheet";
import { SHEETS, TABLES } from "../../ledger/workbook-layout";
import { caseNoColumn } from "../../ledger/records";
import type { LedgerData, LedgerHead, LedgerStore, LedgerWrite } from "../../ledger/store";
import { isBlank } from "../xlsx/cells";
import { FastWorkbook, type Inflater } from "../xlsx/reader/fast-read";
import type { XlsxStore } from "../xlsx/store";
import { refuseNewer } from "../../ledger/schema-version";
import { patchable, patchWrite, type Patched, type PatchPlaces } from "./patch";
import type { ZipParts } from "./zip-parts";
import { hiddenLedgerFinding, tablesOf, type TablePlace } from "../xlsx/reader/table-parts";
import { NOT_A_LEDGER } from "../xlsx/limits";

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

/** A ledger read by the fast path, with where its parts are for saves without exceljs (patch.ts). */
export interface FastLedger {
  data: LedgerData;
  places: PatchPlaces;
}

/**
 * The LedgerData of a file holding a ledger table, read by the fast path; undefined when it
 * holds none (a hand-kept sheet: adoption needs exceljs). Throws FastReadUnsupported for a
 * file the fast path does not read like exceljs, and the limits' bilingual errors.
 */
export async function readLedgerFast(bytes: ArrayBuffer, inflate?: Inflater): Promise<LedgerData | undefined> {
  return (await openLedgerFast(bytes, inflate))?.data;
}

/** readLedgerFast, and where the ledger's tables and meta sheet are in the file. */
export async function openLedgerFast(bytes: ArrayBuffer | Uint8Array, inflate?: Inflater): Promise<FastLedger | undefined> {
  const book = await FastWorkbook.openAsync(bytes instanceof ArrayBuffer ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    inflate,
  });
  const tables = await tablesOf(book);
  const find = (name: string) => tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  // The ledger is the CaseLedger table on a sheet Excel shows, as check reads it; one on a hidden sheet is a decoy.
  const hiddenSheet = (path: string) => book.sheets.find((s) => s.path === path)?.state !== undefined;
  const nameOf = (path: string) => book.sheets.find((s) => s.path === path)?.name ?? path;
  const ledgers = tables.filter((t) => t.name.toLowerCase() === TABLES.ledger.toLowerCase());
  const ledger = ledgers.find((t) => !hiddenSheet(t.sheet));
  const findings = ledgers.filter((t) => hiddenSheet(t.sheet)).map((t) => hiddenLedgerFinding(nameOf(t.sheet)));
  if (!ledger) {
    if (findings.length)
      throw NOT_A_LEDGER(
        `只在隐藏的工作表"${quote(findings[0].sheet)}"中有台账表`,
        `the only ledger table is on the hidden sheet "${quote(findings[0].sheet)}"`,
      );
    return undefined;
  }
  const { header, body: rows } = await tableRows(book, ledger);
  const people = find(TABLES.people);
  const audit = find(TABLES.audit);
  const evidence = find(TABLES.evidence);
  const costs = find(TABLES.costs);
  const meta: Record<string, string> = {};
  const metaRows = await sheetRows(book, SHEETS.meta, false);
  // Each key's sheet row, found as setMeta finds it (the first cell's text as it is).
  const metaAt = new Map<string, number>();
  (metaRows ?? []).forEach((r, i) => {
    const k = String(r[0] ?? "").trim();
    if (k) meta[k] = String(r[1] ?? "");
    if (!isBlank(r[0])) metaAt.set(String(r[0]), i + 1);
  });
  const metaPath = book.sheets.find((s) => s.name === SHEETS.meta)?.path;
  const policyRows = await sheetRows(book, SHEETS.policy, true);
  const data: LedgerData = {
    header: header.map((v) => String(v ?? "").trim()),
    rows,
    policyRows: policyRows ?? [],
    peopleRows: people ? (await tableRows(book, people)).body : [],
    auditRows: audit ? (await tableRows(book, audit)).body : [],
    evidenceRows: evidence ? (await tableRows(book, evidence)).body : [],
    costRows: costs ? (await tableRows(book, costs)).body : [],
    meta,
    sheets: { policy: policyRows !== undefined, audit: !!audit, meta: metaRows !== undefined },
    ...(findings.length ? { findings } : {}),
  };
  return {
    data,
    places: { ledger, ledgerSheet: nameOf(ledger.sheet), audit, meta: metaPath ? { path: metaPath, rows: metaAt, last: metaRows?.length ?? 0 } : undefined },
  };
}

/** Saves without exceljs (patch.ts): the file's parts, where the ledger is in them, the store's clock. */
export interface FastPatching {
  parts: ZipParts;
  places: PatchPlaces;
  now: () => Date;
}

/**
 * The workbench's store for a ledger read by the fast path. Reads come from
 * that data; a write of cells, rows, audit entries and meta changes only
 * those in the file's parts (patch.ts, issue 26) and in the data. Anything
 * else that changes the workbook parses the file as it is then with exceljs
 * once, and from then on an XlsxStore over that workbook serves everything —
 * the same code, and the same file on download, as a workbook opened with
 * exceljs from the start.
 */
export class FastStore implements LedgerStore {
  readonly kind = "xlsx";
  private data: LedgerData | undefined;
  private head: { caseCol: number } | undefined;
  private xlsx: Promise<XlsxStore> | undefined;
  private settled: XlsxStore | undefined;
  /** Writes one after another: a save's parts are worked out from the parts the previous save left. */
  private queue: Promise<unknown> = Promise.resolve();

  /** `workbook` parses the file with exceljs and gives the XlsxStore over it (called at most once unless it fails). */
  constructor(
    data: LedgerData,
    private readonly workbook: () => Promise<XlsxStore>,
    private readonly patching?: FastPatching,
  ) {
    this.data = data;
  }

  /** True once exceljs holds the workbook (a write needed it, or a download after one). */
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

  /** Settles when the writes asked for so far have finished (a download waits for them). */
  idle(): Promise<unknown> {
    return this.queue;
  }

  async read(): Promise<LedgerData> {
    await this.queue;
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
      ...(d.findings ? { findings: d.findings } : {}),
    };
  }

  async readHead(): Promise<LedgerHead> {
    await this.queue;
    if (this.settled || !this.data) return (await this.xlsxStore()).readHead();
    const d = this.data;
    const col = this.caseCol(d);
    // The audit's head row only (all a write checks, LedgerHead says): the whole log crossed to the page before
    // every save, 250,000 rows at 50,000 cases, a structured clone of hundreds of ms on the page's thread.
    return { header: [...d.header], caseNos: d.rows.map((r) => (col >= 0 ? r[col] : null)), auditRows: auditHeadRows(d.auditRows), meta: { ...d.meta } };
  }

  private policy(d: LedgerData) {
    return (d.policyRows.length ? policyFromRows(d.policyRows).policy : undefined) ?? defaultPolicy();
  }

  private caseCol(d: LedgerData): number {
    if (!this.head) this.head = { caseCol: caseNoColumn(d.header, this.policy(d)) };
    return this.head.caseCol;
  }

  write(w: LedgerWrite): Promise<void> {
    const next = this.queue.then(() => this.writeNow(w));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async writeNow(w: LedgerWrite): Promise<void> {
    const d = this.data;
    const p = this.patching;
    if (this.settled || !d || !p || !patchable(w, d, p.places)) return (await this.xlsxStore()).write(w);
    refuseNewer(d.meta);
    this.apply(d, await patchWrite(w, { parts: p.parts, places: p.places, data: d, policy: this.policy(d), now: p.now() }));
  }

  /** The data as the file now holds it: what XlsxStore would read back after the same write. */
  private apply(d: LedgerData, r: Patched): void {
    for (const [i, row] of r.rows) d.rows[i] = row;
    d.rows.push(...r.appended);
    d.auditRows.push(...r.audit);
    Object.assign(d.meta, r.meta);
    if (r.metaRows && this.patching?.places.meta) Object.assign(this.patching.places.meta, r.metaRows);
    if (d.sheets && Object.keys(r.meta).length) d.sheets.meta = true;
    // The tables grew with the rows.
    const { ledger, audit } = this.patching!.places;
    ledger.bodyRows = Math.max(ledger.bodyRows, d.rows.length);
    if (audit) audit.bodyRows = Math.max(audit.bodyRows, d.auditRows.length);
  }

  async addSheet(name: string, rows: CellValue[][]): Promise<string> {
    await this.queue;
    return (await this.xlsxStore()).addSheet(name, rows);
  }

  async writeSheet(layout: SheetLayout): Promise<string> {
    await this.queue;
    return (await this.xlsxStore()).writeSheet(layout);
  }
}

/** The audit row with the highest sequence number (the one headOf takes), or none. */
export function auditHeadRows(rows: readonly CellValue[][]): CellValue[][] {
  let best: CellValue[] | undefined;
  let seq = 0;
  for (const r of rows) {
    const n = Number(r[0]);
    if (Number.isInteger(n) && n > seq) {
      seq = n;
      best = r;
    }
  }
  return best ? [best.slice()] : [];
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
