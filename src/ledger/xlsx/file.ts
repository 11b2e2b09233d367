/**
 * Node-only file access for ledgers: open, save atomically, adopt, and a
 * streaming read for the commands that only look (check, report,
 * verify-audit). Browser code uses store.ts/workbook.ts with buffers instead.
 */
import { promises as fs, createReadStream } from "fs";
import * as path from "path";
import { Workbook, stream as xlsxStream } from "exceljs";
import type { CellValue } from "../../domain/case";
import { DomainError } from "../../domain/errors";
import { defaultPolicy } from "../../domain/policy";
import type { AdoptPlan } from "../adopt";
import { AUDIT_COLUMNS, PEOPLE_COLUMNS, SHEETS } from "../layout";
import type { LedgerData } from "../store";
import { isBlank, plainValue } from "./cells";
import { columnsOfHeader } from "./columns";
import { adoptWorkbook, type AdoptWorkbookOptions } from "./adopt";
import { FastWorkbook, type FastReadOptions } from "./fast-read";
import { NOT_A_LEDGER, XlsxStore } from "./store";

async function mustExist(file: string): Promise<void> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) throw new Error("not a file");
  } catch {
    throw new DomainError("FILE_NOT_FOUND", `找不到文件:${file}`, `File not found: ${file}`);
  }
}

const unreadable = (file: string, e: unknown) => new DomainError(
  "NOT_XLSX",
  `无法读取 ${file}:不是有效的 .xlsx 文件或文件已损坏(${e instanceof Error ? e.message : String(e)})`,
  `Cannot read ${file}: not a valid .xlsx file, or it is damaged (${e instanceof Error ? e.message : String(e)})`,
);

/** Loads a workbook; a missing, non-xlsx or damaged file is a bilingual DomainError. */
export async function readWorkbookFile(file: string): Promise<Workbook> {
  await mustExist(file);
  const wb = new Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch (e) {
    throw unreadable(file, e);
  }
  return wb;
}

/** Opens a ledger file for reading and writing. */
export async function openLedgerFile(file: string, opts: { now?: () => Date } = {}): Promise<{ workbook: Workbook; store: XlsxStore }> {
  const workbook = await readWorkbookFile(file);
  return { workbook, store: new XlsxStore(workbook, opts) };
}

/**
 * Saves to a temporary file beside the target, then renames it into place:
 * a crash or a full disk never leaves a half-written ledger behind.
 */
export async function saveWorkbook(wb: Workbook, file: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await wb.xlsx.writeFile(tmp);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw new DomainError("WRITE_FAILED", `无法写入 ${file}:${(e as Error).message}`, `Cannot write ${file}: ${(e as Error).message}`);
  }
}

/** Adopts a sheet of IN and writes the ledger to OUT; IN is only read. */
export async function adoptFile(inPath: string, outPath: string, opts: AdoptWorkbookOptions = {}): Promise<AdoptPlan> {
  if (path.resolve(inPath) === path.resolve(outPath)) {
    throw new DomainError("SAME_FILE", "输出文件不能与输入文件相同(原文件保持不变)", "The output file must differ from the input (the original is never changed)");
  }
  const wb = await readWorkbookFile(inPath);
  const plan = await adoptWorkbook(wb, opts);
  await saveWorkbook(wb, outPath);
  return plan;
}

/** Progress callback: rows read so far. */
export type Progress = (rows: number) => void;

/** What one sheet of a streaming read feeds: rows as `row.values.slice(1)` through plainValue. */
interface SheetFeed {
  /** The Policy sheet keeps Dates (policy-table reads them); others get serials. */
  keepDates: boolean;
  /** One row; false when the rest of the sheet is not wanted. */
  row(rowNumber: number, vals: CellValue[]): boolean;
  end(): void;
}

/**
 * Turns the sheets of a workbook, in the order a reader meets them, into
 * LedgerData: shared by the fast path and the exceljs streaming reader, so
 * both choose the same ledger sheet and pad, trim and key rows alike.
 */
class LedgerCollector {
  private readonly policyRows: CellValue[][] = [];
  private readonly sheets = new Map<string, CellValue[][]>();
  private best: { name: string; header: string[]; score: number; rows: CellValue[][] } | undefined;
  private readonly policy = defaultPolicy();
  private seen = 0;

  constructor(private readonly progress?: Progress) {}

  sheet(name: string): SheetFeed {
    const want = name === SHEETS.policy ? "policy" : [SHEETS.people, SHEETS.audit, SHEETS.meta].includes(name as never) ? "plain" : "ledger?";
    const rows: CellValue[][] = [];
    let header: string[] | undefined;
    let score = 0;
    return {
      keepDates: want === "policy",
      row: (number, vals) => {
        if (want === "ledger?" && header === undefined) {
          header = vals.map((v) => String(v ?? "").trim());
          const cols = columnsOfHeader(header, this.policy);
          score = cols.filter((c) => c.field).length;
          // A ledger table starts at A1 and maps the case number.
          const skip = number !== 1 || !cols.some((c) => c.key === "caseNo") || score < 5 || (this.best !== undefined && this.best.score >= score);
          if (skip) header = undefined;
          return !skip;
        }
        while (rows.length < number - (want === "ledger?" ? 2 : 1)) rows.push([]);
        rows.push(vals);
        if (want === "ledger?" && ++this.seen % 2000 === 0) this.progress?.(this.seen);
        return true;
      },
      end: () => {
        while (rows.length && rows[rows.length - 1].every(isBlank)) rows.pop();
        if (want === "policy") this.policyRows.push(...rows);
        else if (want === "plain") this.sheets.set(name, rows);
        else if (header && score >= 5 && (!this.best || score > this.best.score)) this.best = { name, header, score, rows };
      },
    };
  }

  result(): LedgerData {
    const best = this.best;
    if (!best) throw NOT_A_LEDGER("没有找到台账表 / no ledger table was found");
    this.progress?.(best.rows.length);
    const width = best.header.length;
    // Rows are this reader's own arrays: cut or fill them to n cells in place (holes and undefined become null).
    const pad = (rows: CellValue[][] | undefined, n: number, skipHeader: boolean) => {
      const out = (rows ?? []).slice(skipHeader ? 1 : 0);
      for (const r of out) {
        if (r.length > n) r.length = n;
        for (let i = 0; i < n; i++) if (r[i] === undefined) r[i] = null;
      }
      return out;
    };
    const meta: Record<string, string> = {};
    for (const r of this.sheets.get(SHEETS.meta) ?? []) {
      const k = String(r[0] ?? "").trim();
      if (k) meta[k] = String(r[1] ?? "");
    }
    const trimBlank = (rows: CellValue[][]) => rows.filter((r) => !r.every(isBlank));
    return {
      header: best.header,
      rows: pad(best.rows, width, false),
      policyRows: this.policyRows,
      peopleRows: trimBlank(pad(this.sheets.get(SHEETS.people), PEOPLE_COLUMNS.length, true)),
      auditRows: trimBlank(pad(this.sheets.get(SHEETS.audit), AUDIT_COLUMNS.length, true)),
      meta,
    };
  }
}

/** Which reader readLedgerStreaming uses: the fast path with exceljs as fallback (default), or one of them only. */
export type LedgerReader = "auto" | "fast" | "exceljs";

/**
 * Reads a ledger file as LedgerData without holding the workbook in memory:
 * what check, report and verify-audit need.
 *
 * No table definitions are read, so the ledger is the sheet whose first row
 * maps the case-number column and the most schema fields; its body runs to
 * the last non-blank row. Files written by this project and by the Excel
 * adapter keep the table at A1, so both agree.
 *
 * The fast path (fast-read.ts: zlib + hand-written XML scanners) reads the
 * file; whatever it does not understand falls back to exceljs's streaming
 * reader, which gives the same LedgerData (or its error) more slowly.
 * `reader` picks one of them only (tests, diagnosis): "fast" then throws
 * FastReadUnsupported instead of falling back.
 */
export async function readLedgerStreaming(file: string, progress?: Progress, reader: LedgerReader = "auto"): Promise<LedgerData> {
  await mustExist(file);
  if (reader !== "exceljs") {
    let buf: Buffer | undefined;
    try {
      buf = await fs.readFile(file);
    } catch (e) {
      if (reader === "fast") throw unreadable(file, e);
    }
    if (buf) {
      try {
        return readLedgerBuffer(buf, { progress });
      } catch (e) {
        if (e instanceof DomainError || reader === "fast") throw e;
        // Not understood: exceljs reads it (or reports why it cannot).
      }
    }
  }
  return readLedgerExceljs(file, progress);
}

/**
 * The fast path alone, on a file's bytes: LedgerData, NOT_A_LEDGER, or
 * FastReadUnsupported when the file needs exceljs.
 */
export function readLedgerBuffer(buf: Buffer, opts: FastReadOptions & { progress?: Progress } = {}): LedgerData {
  const book = FastWorkbook.open(buf, opts);
  const collect = new LedgerCollector(opts.progress);
  book.sheets.forEach((sheet, i) => {
    const feed = collect.sheet(sheet.name);
    book.readRows(i, feed.keepDates, (n, vals) => feed.row(n, vals));
    feed.end();
  });
  return collect.result();
}

async function readLedgerExceljs(file: string, progress?: Progress): Promise<LedgerData> {
  const collect = new LedgerCollector(progress);
  try {
    const reader = new xlsxStream.xlsx.WorkbookReader(createReadStream(file), {
      worksheets: "emit", sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", entries: "ignore",
    } as never);
    for await (const ws of reader as unknown as AsyncIterable<AsyncIterable<{ number: number; values: unknown[] }> & { name: string }>) {
      const feed = collect.sheet(ws.name);
      let skip = false;
      // Rows are read to the end even of sheets that are not wanted: leaving a sheet early stalls the reader.
      for await (const row of ws) {
        if (skip) continue;
        skip = !feed.row(row.number, (row.values ?? []).slice(1).map((v) => plainValue(v, feed.keepDates)));
      }
      feed.end();
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw unreadable(file, e);
  }
  return collect.result();
}
