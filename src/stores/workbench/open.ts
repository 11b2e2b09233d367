/**
 * The workbench: the real task pane on an .xlsx ledger in the browser, for
 * machines without Excel. It starts on the bundled sample ledger — the same
 * generator as `complaint-ledger sample`, dated up to today so the work
 * lists are alive — written into an exceljs workbook exactly as the CLI
 * writes the file. Another .xlsx can be opened (a ledger is used as it is; a
 * hand-kept sheet goes through adoption), and the result downloaded.
 * Loaded on demand: exceljs stays out of the pane's first download. In the
 * browser this runs inside the workbench's worker (workbench-worker-core.ts).
 */
import { Workbook } from "exceljs";
import { todayIn } from "../../domain/zone";
import { DomainError } from "../../domain/errors";
import { defaultPolicy } from "../../domain/policy/policy";
import { TABLES } from "../../ledger/workbook-layout";
import { generateSample } from "../../sample/ledger-sample";
import { XlsxAdopter } from "../xlsx/xlsx-adopter";
import { XlsxStore } from "../xlsx/store";
import { findTable } from "../xlsx/tables";
import { createLedgerWorkbook, workbookBuffer } from "../xlsx/workbook";

export interface OpenedWorkbook {
  name: string;
  workbook: Workbook;
  /** Set when the workbook holds a ledger. */
  store?: XlsxStore;
  /** Set when it does not: its sheets can be adopted. */
  adopter?: XlsxAdopter;
}

/** The bundled sample dated up to `now`; `clock` is the store's clock afterwards (the worker follows the page's). */
export async function sampleWorkbook(now: Date = new Date(), clock: () => Date = () => now): Promise<OpenedWorkbook> {
  const data = await generateSample({ today: todayIn(now) });
  const workbook = createLedgerWorkbook({
    policy: defaultPolicy(),
    header: data.header,
    rows: data.rows,
    peopleRows: data.peopleRows,
    auditRows: data.auditRows,
    meta: data.meta,
    now,
  });
  return { name: "示例台账 sample-ledger.xlsx", workbook, store: new XlsxStore(workbook, { now: clock }) };
}

/** Reads an uploaded file. A file that is not an .xlsx gives a bilingual error and nothing changes. */
export async function openWorkbook(name: string, bytes: ArrayBuffer, now: () => Date = () => new Date()): Promise<OpenedWorkbook> {
  let workbook: Workbook;
  try {
    workbook = await loadWorkbook(bytes);
  } catch (e) {
    throw new DomainError(
      "UNREADABLE",
      `"${name}"不是可读取的 .xlsx 文件(${String((e as Error)?.message ?? e)})`,
      `"${name}" is not a readable .xlsx file (${String((e as Error)?.message ?? e)})`,
    );
  }
  if (findTable(workbook, TABLES.ledger)) return { name, workbook, store: new XlsxStore(workbook, { now }) };
  return { name, workbook, adopter: new XlsxAdopter(workbook, defaultPolicy(), now) };
}

/** exceljs's parse of a file's bytes (the bytes stay usable). */
export async function loadWorkbook(bytes: ArrayBuffer): Promise<Workbook> {
  const workbook = new Workbook();
  await workbook.xlsx.load(bytes);
  return workbook;
}

/** The workbook as .xlsx bytes, for the download button. */
export async function workbookBytes(workbook: Workbook): Promise<Blob> {
  // Text a cell cannot hold raw is stored as Excel stores it (_xHHHH_), so the download reads back as it shows.
  const buf = await workbookBuffer(workbook);
  return new Blob([buf], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
}

// Kept beside the page's side of the worker, which must not load exceljs.
export { downloadName } from "./client";
