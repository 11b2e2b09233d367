/**
 * The audit log: append-only, each entry chained to the one before by
 * SHA-256 over (entry + previous hash). Editing, inserting or deleting an
 * entry anywhere but at the very end breaks the chain and `verifyAudit`
 * names the first entry that no longer fits. Entries are ordered by their
 * sequence number, not by sheet row, so sorting or filtering the audit sheet
 * changes nothing.
 *
 * Known limit: cutting entries off the end leaves a shorter chain that is
 * still intact. The head (count and last hash) is therefore also kept
 * outside the table by adapters that can (see LedgerStore), and
 * `verifyAudit` compares it when given.
 */
import type { CellValue } from "../domain/case";
import { AUDIT_COLUMNS } from "./layout";

export const GENESIS = "0".repeat(64);

/** What a caller records; `seq`, `at`, `prevHash` and `hash` are added here. */
export interface AuditInput {
  user: string;
  /** EDIT_REVERTED, EDIT_ACCEPTED, CASE_ADDED, CASE_UPDATED, SIGNED, SIGN_REFUSED, ADOPTED, RENUMBERED, ROW_DELETED… */
  action: string;
  caseNo?: string;
  field?: string;
  cell?: string;
  oldValue?: CellValue;
  newValue?: CellValue;
  /** "中文 / English" */
  reason?: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  user: string;
  action: string;
  caseNo: string;
  field: string;
  cell: string;
  oldValue: string;
  newValue: string;
  reason: string;
  prevHash: string;
  hash: string;
}

/** Cell values as the log keeps them: text, so a round trip through any file format hashes the same. */
export function auditText(v: CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** Local wall-clock time "2026-03-05 14:20:07", the way the people reading the sheet expect it. */
export function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const hashed = (e: Omit<AuditEntry, "hash">) =>
  JSON.stringify([e.seq, e.at, e.user, e.action, e.caseNo, e.field, e.cell, e.oldValue, e.newValue, e.reason, e.prevHash]);

export async function sha256(text: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error("Web Crypto (crypto.subtle) is not available / 当前环境没有 Web Crypto");
  const buf = await subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function hashOf(e: Omit<AuditEntry, "hash">): Promise<string> {
  return sha256(hashed(e));
}

/** The chain's head: the entry with the highest sequence number (ignores row order). */
export function headOf(rows: readonly (readonly CellValue[])[]): { seq: number; hash: string } {
  let head = { seq: 0, hash: GENESIS };
  for (const r of rows) {
    const seq = Number(r[0]);
    if (Number.isInteger(seq) && seq > head.seq) head = { seq, hash: String(r[11] ?? "") };
  }
  return head;
}

/** Chains new entries after `head`, returning entries and the rows to append. */
export async function chain(head: { seq: number; hash: string }, inputs: readonly AuditInput[], now: Date):
  Promise<{ entries: AuditEntry[]; rows: CellValue[][] }> {
  const entries: AuditEntry[] = [];
  let prev = head;
  for (const x of inputs) {
    const base = {
      seq: prev.seq + 1, at: stamp(now), user: x.user, action: x.action, caseNo: x.caseNo ?? "", field: x.field ?? "",
      cell: x.cell ?? "", oldValue: auditText(x.oldValue), newValue: auditText(x.newValue), reason: x.reason ?? "", prevHash: prev.hash,
    };
    const e = { ...base, hash: await hashOf(base) };
    entries.push(e);
    prev = e;
  }
  return { entries, rows: entries.map(entryToRow) };
}

export function entryToRow(e: AuditEntry): CellValue[] {
  return AUDIT_COLUMNS.map((c) => e[c.key]);
}

export function rowToEntry(r: readonly CellValue[]): AuditEntry {
  const t = (i: number) => auditText(r[i]);
  return {
    seq: Number(r[0]), at: t(1), user: t(2), action: t(3), caseNo: t(4), field: t(5), cell: t(6),
    oldValue: t(7), newValue: t(8), reason: t(9), prevHash: t(10), hash: t(11),
  };
}

export interface AuditProblem {
  seq?: number;
  /** 1-based position in the given rows (sheet row = header row + this). */
  row?: number;
  zh: string;
  en: string;
}

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  problems: AuditProblem[];
}

/**
 * Checks the whole chain. `expectedHead`, when the adapter kept one outside
 * the table, catches entries cut off the end.
 */
export async function verifyAudit(rows: readonly (readonly CellValue[])[], expectedHead?: { seq: number; hash: string }): Promise<AuditVerdict> {
  const problems: AuditProblem[] = [];
  const items = rows
    .map((r, i) => ({ e: rowToEntry(r), row: i + 1 }))
    .filter((_item, i) => !(rows[i].every((c) => c === null || c === undefined || c === "")));
  for (const it of items) {
    if (!Number.isInteger(it.e.seq) || it.e.seq < 1) {
      problems.push({ row: it.row, zh: `第 ${it.row} 条记录的序号"${auditText(rows[it.row - 1][0])}"无效`, en: `Entry at row ${it.row} has an invalid sequence number "${auditText(rows[it.row - 1][0])}"` });
    }
  }
  const sorted = items.filter((it) => Number.isInteger(it.e.seq) && it.e.seq >= 1).sort((a, b) => a.e.seq - b.e.seq);
  let prev = { seq: 0, hash: GENESIS };
  for (const { e, row } of sorted) {
    if (e.seq === prev.seq) {
      problems.push({ seq: e.seq, row, zh: `序号 ${e.seq} 重复出现`, en: `Sequence number ${e.seq} appears twice` });
      continue;
    }
    if (e.seq !== prev.seq + 1) {
      problems.push({ seq: e.seq, row, zh: `第 ${prev.seq + 1}–${e.seq - 1} 条记录缺失(被删除)`, en: `Entries ${prev.seq + 1}–${e.seq - 1} are missing (deleted)` });
    }
    if (e.prevHash !== prev.hash) {
      problems.push({ seq: e.seq, row, zh: `第 ${e.seq} 条记录与前一条不衔接(前哈希不符)`, en: `Entry ${e.seq} does not follow the one before (previous hash differs)` });
    }
    const { hash, ...base } = e;
    if ((await hashOf(base)) !== hash) {
      problems.push({ seq: e.seq, row, zh: `第 ${e.seq} 条记录被修改过(哈希不符)`, en: `Entry ${e.seq} was altered (hash differs)` });
    }
    prev = { seq: e.seq, hash };
  }
  if (expectedHead && expectedHead.seq > 0 && (prev.seq !== expectedHead.seq || prev.hash !== expectedHead.hash)) {
    problems.push({
      seq: prev.seq,
      zh: `审计记录应有 ${expectedHead.seq} 条,现为 ${prev.seq} 条:末尾记录被删除或替换`,
      en: `The audit log should end at entry ${expectedHead.seq} but ends at ${prev.seq}: entries at the end were deleted or replaced`,
    });
  }
  return { ok: problems.length === 0, entries: sorted.length, problems };
}
