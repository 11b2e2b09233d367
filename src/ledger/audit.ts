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
import { DEFAULT_TIME_ZONE, formatInstant } from "../domain/zone";
import type { AuditAction } from "../domain/codes";
import type { CellValue } from "../domain/case";
import { AUDIT_COLUMNS } from "./workbook-layout";

export const GENESIS = "0".repeat(64);

/** What a caller records; `seq`, `at`, `prevHash` and `hash` are added here. */
export interface AuditInput {
  user: string;
  action: AuditAction;
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

/** Wall-clock time "2026-03-05 14:20:07" on the ledger's clock (Policy timeZone), whatever the machine's zone. */
export function stamp(d: Date, zone: string = DEFAULT_TIME_ZONE): string {
  return formatInstant(d, zone);
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

/** The entry `x` becomes after `prev`, without its own hash (chain hashes it; a streamed log remakes it from a kept hash). */
export function entryBase(prev: { seq: number; hash: string }, x: AuditInput, now: Date | string, zone: string = DEFAULT_TIME_ZONE): Omit<AuditEntry, "hash"> {
  return {
    seq: prev.seq + 1,
    // A stamp already made (a streamed log makes each once per time) or the instant to stamp.
    at: typeof now === "string" ? now : stamp(now, zone),
    user: x.user,
    action: x.action,
    caseNo: x.caseNo ?? "",
    field: x.field ?? "",
    cell: x.cell ?? "",
    oldValue: auditText(x.oldValue),
    newValue: auditText(x.newValue),
    reason: x.reason ?? "",
    prevHash: prev.hash,
  };
}

/** Chains new entries after `head`, returning entries and the rows to append. */
export async function chain(
  head: { seq: number; hash: string },
  inputs: readonly AuditInput[],
  now: Date,
  zone: string = DEFAULT_TIME_ZONE,
): Promise<{ entries: AuditEntry[]; rows: CellValue[][] }> {
  const entries: AuditEntry[] = [];
  let prev = head;
  for (const x of inputs) {
    const base = entryBase(prev, x, now, zone);
    const e = { ...base, hash: await hashOf(base) };
    entries.push(e);
    prev = e;
  }
  return { entries, rows: entries.map(entryToRow) };
}

/**
 * Entries already written, chained again after `head` in the given order:
 * what each says (time, who, what) is kept; only the sequence number and the
 * two hashes change. For a co-authoring race (stores/excel/tables.ts
 * settleAudit): entries appended after another session's entries that took
 * the same numbers follow them instead of forking the chain.
 */
export async function rechain(head: { seq: number; hash: string }, rows: readonly (readonly CellValue[])[]): Promise<CellValue[][]> {
  const out: CellValue[][] = [];
  let prev = head;
  for (const r of rows) {
    const { hash: _old, ...e } = rowToEntry(r);
    const base = { ...e, seq: prev.seq + 1, prevHash: prev.hash };
    const next = { ...base, hash: await hashOf(base) };
    out.push(entryToRow(next));
    prev = next;
  }
  return out;
}

export function entryToRow(e: AuditEntry): CellValue[] {
  return AUDIT_COLUMNS.map((c) => e[c.key]);
}

export function rowToEntry(r: readonly CellValue[]): AuditEntry {
  const t = (i: number) => auditText(r[i]);
  return {
    seq: Number(r[0]),
    at: t(1),
    user: t(2),
    action: t(3),
    caseNo: t(4),
    field: t(5),
    cell: t(6),
    oldValue: t(7),
    newValue: t(8),
    reason: t(9),
    prevHash: t(10),
    hash: t(11),
  };
}

export interface AuditProblem {
  /** The workbook's shape, not an entry (a hidden sheet claiming to be the ledger). */
  book?: boolean;
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

/** One entry as the chain check needs it: where it is, its links, and whether its own hash matched. */
export interface ChainItem {
  /** 1-based position among the audit rows (sheet row = header row + this). */
  row: number;
  /** The sequence cell as read (text), for the message when it is not a number. */
  seqText: string;
  seq: number;
  prevHash: string;
  hash: string;
  /** SHA-256 of the entry's fields equals its hash cell. */
  hashOk: boolean;
}

/** A row's ChainItem, with the entry hashed by `hash` (sync in Node's streaming reader, Web Crypto elsewhere). */
export function chainItem(r: readonly CellValue[], row: number, hashOk: boolean): ChainItem {
  const e = rowToEntry(r);
  return { row, seqText: auditText(r[0]), seq: e.seq, prevHash: e.prevHash, hash: e.hash, hashOk };
}

/** The text an entry's hash is taken over (JSON of its fields and the previous hash). */
export function hashInput(r: readonly CellValue[]): string {
  const { hash: _hash, ...base } = rowToEntry(r);
  return hashed(base);
}

/**
 * The chain's links, given each entry's own hash check: ordered by sequence
 * number (sorting the sheet changes nothing), gaps, repeats and broken links
 * named. Returns the problems and the last entry reached.
 */
export function checkChain(all: ChainItem[]): { problems: AuditProblem[]; entries: number; last: { seq: number; hash: string } } {
  const problems: AuditProblem[] = [];
  for (const it of all) {
    if (!Number.isInteger(it.seq) || it.seq < 1) {
      problems.push({
        row: it.row,
        zh: `第 ${it.row} 条记录的序号"${it.seqText}"无效`,
        en: `Entry at row ${it.row} has an invalid sequence number "${it.seqText}"`,
      });
    }
  }
  const sorted = all.filter((it) => Number.isInteger(it.seq) && it.seq >= 1).sort((a, b) => a.seq - b.seq || a.row - b.row);
  let prev = { seq: 0, hash: GENESIS };
  for (const { seq, row, prevHash, hash, hashOk } of sorted) {
    if (seq === prev.seq) {
      problems.push({ seq, row, zh: `序号 ${seq} 重复出现`, en: `Sequence number ${seq} appears twice` });
      continue;
    }
    if (seq !== prev.seq + 1) {
      problems.push({ seq, row, zh: `第 ${prev.seq + 1}–${seq - 1} 条记录缺失(被删除)`, en: `Entries ${prev.seq + 1}–${seq - 1} are missing (deleted)` });
    }
    if (prevHash !== prev.hash) {
      problems.push({ seq, row, zh: `第 ${seq} 条记录与前一条不衔接(前哈希不符)`, en: `Entry ${seq} does not follow the one before (previous hash differs)` });
    }
    if (!hashOk) {
      problems.push({ seq, row, zh: `第 ${seq} 条记录被修改过(哈希不符)`, en: `Entry ${seq} was altered (hash differs)` });
    }
    prev = { seq, hash };
  }
  return { problems, entries: sorted.length, last: prev };
}

const headMismatch = (expected: { seq: number; hash: string }, last: { seq: number; hash: string }): AuditProblem => ({
  seq: last.seq,
  zh: `审计记录应有 ${expected.seq} 条,现为 ${last.seq} 条:末尾记录被删除或替换`,
  en: `The audit log should end at entry ${expected.seq} but ends at ${last.seq}: entries at the end were deleted or replaced`,
});

/**
 * Checks the whole chain. `expectedHead`, when the adapter kept one outside
 * the table, catches entries cut off the end.
 */
export async function verifyAudit(rows: readonly (readonly CellValue[])[], expectedHead?: { seq: number; hash: string }): Promise<AuditVerdict> {
  const items: ChainItem[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.every((c) => c === null || c === undefined || c === "")) continue;
    items.push(chainItem(r, i + 1, (await sha256(hashInput(r))) === auditText(r[11])));
  }
  const { problems, entries, last } = checkChain(items);
  if (expectedHead && expectedHead.seq > 0 && (last.seq !== expectedHead.seq || last.hash !== expectedHead.hash))
    problems.push(headMismatch(expectedHead, last));
  return { ok: problems.length === 0, entries, problems };
}

/** What the workbook says about its audit log besides the entries: for the head rules of `verifyLedgerAudit`. */
export interface AuditContext {
  /** Key/values of the meta sheet; undefined when the workbook has no meta sheet. */
  meta: Record<string, string> | undefined;
  /** The workbook has the audit sheet. */
  auditSheet: boolean;
  /**
   * The workbook was written by this tool (see `writtenByUs`): then every
   * save wrote the audit sheet and the head, and their absence is tampering.
   */
  ours: boolean;
  /** A head kept outside the workbook (`verify-audit --head FILE`). */
  externalHead?: { seq: number; hash: string };
}

/**
 * How we know a workbook is a ledger this tool wrote, even with its audit
 * and meta sheets deleted: every writer (the CLI's sample and adopt, the
 * .xlsx store, the Excel adapter's adoption) gives the ledger table the
 * computed columns (reply due, reply status) and writes the Policy and meta
 * sheets, and names the ledger table CaseLedger (`ledgerTable`, where the
 * reader sees table parts). Any one of them is the mark; a hand-kept sheet has none.
 */
export function writtenByUs(keys: readonly string[], policySheet: boolean, metaSheet: boolean, ledgerTable = false): boolean {
  return ledgerTable || metaSheet || policySheet || keys.includes("replyDue") || keys.includes("replyStatus");
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The chain plus the head rules for a whole workbook: for a ledger this tool
 * wrote, a missing audit sheet, a missing meta sheet, a missing or
 * unreadable head is tampering, not "nothing to compare with". Ledgers
 * written before these rules carry the same sheets and head, so they verify.
 */
export function verifyLedgerAudit(items: ChainItem[], ctx: AuditContext): AuditVerdict {
  const { problems, entries, last } = checkChain(items);
  const p = (zh: string, en: string) => problems.push({ zh, en });
  const meta = ctx.meta;
  if (ctx.ours && !ctx.auditSheet)
    p("审计表(审计 Audit)不见了:本工具写的台账一定有审计表", "The audit sheet is missing: every ledger this tool writes has one");
  if (ctx.ours && meta === undefined)
    p(
      "隐藏的 _cl_meta 表不见了:审计记录的头部(条数与末条哈希)无从核对",
      "The hidden _cl_meta sheet is missing: the audit log's head (count and last hash) cannot be checked",
    );
  if (meta !== undefined) {
    const seqText = meta[META_SEQ];
    const hash = meta[META_HASH];
    if (seqText === undefined && hash === undefined) {
      if (ctx.ours && entries > 0) p("_cl_meta 表中没有审计头部(audit.seq / audit.hash)", "The _cl_meta sheet holds no audit head (audit.seq / audit.hash)");
    } else {
      const seq = Number(seqText);
      if (
        seqText === undefined ||
        !/^\d+$/.test(seqText.trim()) ||
        !Number.isSafeInteger(seq) ||
        (seq > 0 && !HEX64.test(hash ?? "")) ||
        (seq === 0 && hash !== undefined && hash !== GENESIS)
      ) {
        p(
          `_cl_meta 表中的审计头部无法读取(audit.seq="${seqText ?? ""}",audit.hash="${(hash ?? "").slice(0, 16)}")`,
          `The audit head in the _cl_meta sheet is unreadable (audit.seq="${seqText ?? ""}", audit.hash="${(hash ?? "").slice(0, 16)}")`,
        );
      } else if (seq !== last.seq || (seq > 0 && hash !== last.hash)) problems.push(headMismatch({ seq, hash: hash ?? GENESIS }, last));
    }
  }
  const ext = ctx.externalHead;
  if (ext) {
    // The chain may have grown past the head file (saved where the file was not updated): the entry at its sequence must be the one it names.
    const at = items.find((it) => it.seq === ext.seq);
    const matches = ext.seq === 0 ? true : at !== undefined && at.hash === ext.hash;
    if (!matches || last.seq < ext.seq) {
      p(
        `与头部文件不符:头部文件记录第 ${ext.seq} 条的哈希 ${ext.hash.slice(0, 12)}…,审计表${at ? `中该条哈希为 ${at.hash.slice(0, 12)}…` : `只到第 ${last.seq} 条`}`,
        `Does not match the head file: it names entry ${ext.seq} with hash ${ext.hash.slice(0, 12)}…, the audit sheet ${at ? `has ${at.hash.slice(0, 12)}… there` : `ends at entry ${last.seq}`}`,
      );
    }
  }
  return { ok: problems.length === 0, entries, problems };
}

const META_SEQ = "audit.seq";
const META_HASH = "audit.hash";
