/**
 * The messages between the page and the workbench's worker: requests, what
 * opening answers, progress and errors. Types and two small functions only,
 * so the page's side imports it without loading exceljs.
 */
import { DomainError } from "../../domain/errors";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The steps of opening a file, in order; the page shows them as progress. */
export const OPEN_STEPS = ["parse", "read", "cases"] as const;
export type OpenStep = (typeof OPEN_STEPS)[number];

export interface Progress {
  step: OpenStep;
}

export type StoreOp = "read" | "readHead" | "write" | "addSheet" | "writeSheet";
export type AdopterOp = "sheets" | "grid" | "apply";

/** `gen` names the workbook a request is for: a screen still holding a closed workbook's store is refused. */
export type Request =
  | { op: "sample"; now: Date }
  | { op: "open"; name: string; bytes: ArrayBuffer; now: Date }
  | { op: "store"; gen: number; method: StoreOp; args: unknown[]; now: Date }
  | { op: "adopter"; gen: number; method: AdopterOp; args: unknown[]; now: Date }
  /** After adoption the workbook holds a ledger: use it as one. */
  | { op: "asLedger"; gen: number; now: Date }
  | { op: "bytes"; gen: number }
  /** The dashboard's figures, worked out beside the page (a few seconds of CPU at 50,000 cases). */
  | { op: "dashboard"; gen: number; today: number; now: Date };

/** What "sample", "open" and "asLedger" answer: whether there is a ledger, or sheets to adopt. */
export interface Opened {
  name: string;
  gen: number;
  ledger: boolean;
}

/** An error as it crosses to the page: a DomainError keeps its code and both languages. */
export interface WireError {
  message: string;
  code?: string;
  zh?: string;
  en?: string;
}

export function toWire(e: unknown): WireError {
  if (e instanceof DomainError) return { message: e.message, code: e.code, zh: e.zh, en: e.en };
  return { message: e instanceof Error ? e.message : String(e) };
}

export function fromWire(w: WireError): Error {
  if (w.zh !== undefined && w.en !== undefined) return new DomainError(w.code ?? "WORKER", w.zh, w.en);
  return new Error(w.message);
}
