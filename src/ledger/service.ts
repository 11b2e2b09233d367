/**
 * The ledger as the task pane and the command line see it: cases, people,
 * policy and the audit log, over any LedgerStore (Excel, an .xlsx file,
 * memory). Every write is checked by enforce.ts, recorded in the audit chain
 * and sent to the store as one batch.
 *
 * Round trips: `load` is one store read; `updateCase` and `sign` read the
 * head (fresh case numbers and audit head) once and write once; `addCase`
 * reads the head again after writing to catch a co-author's same number.
 * The copy in memory is then patched, not reloaded.
 */
import type { AuditAction } from "../domain/codes";
import { readCase, formatSignature, nextCaseNo, parseAmount, type Case, type CellProblem, type CellValue, type Signature } from "../domain/case";
import { chooseDocument, stepRefusals } from "./step-rules";
import { serialToYmd } from "../domain/dates";
import { instantToSerial } from "../domain/zone";
import { closeChecklist } from "../domain/lifecycle";
import { findNamed, defaultPolicy, PEOPLE_ADMIN_ROLES, ROLE, type Policy } from "../domain/policy/policy";
import { applyNotice, festivalList, noticeCoverage, type Festival, type ParsedNotice } from "../domain/calendar/notice";
import { policyFromRows, policyToRows, type PolicyProblem, type SuppliedCode } from "../domain/policy/policy-table";
import { ledgerSchema, signatureKey, signingRoles } from "../domain/schema";
import { validateRead, type LedgerCheck } from "../domain/validate";
import {
  auditText,
  chain,
  chainItem,
  hashInput,
  headOf,
  rowToEntry,
  sha256,
  verifyLedgerAudit,
  writtenByUs,
  type AuditEntry,
  type AuditInput,
  type AuditVerdict,
  type ChainItem,
} from "./audit";
import { checkEdit, reasonText, type EditReason } from "./edit-check";
import { reviewEntries } from "./finance-marks";
import { META, PEOPLE_COLUMNS, SCHEMA_VERSION } from "./workbook-layout";
import { planUpgrade, SNAPSHOTS, type UpgradeChange, type UpgradePlan } from "./migrations/steps";
import type { SchemaSnapshot } from "./migrations/snapshot";
import { newerLedgerError, refuseNewer, schemaStatus, type SchemaStatus } from "./schema-version";
import { cellOf, keysOfHeader, recordToRow, rowToRecord, sameCell, type CaseRecord } from "./records";
import { inSlices } from "./slices";
import { evidenceLine, evidenceProblems, evidenceRow, kindName, readEvidence, type Evidence } from "../domain/evidence";
import { costLineProblems, costLineRow, DEFAULT_CURRENCY, nextLineNo, readCostLines, type CostLine } from "../domain/money/cost-lines";
import { AuditHeadMoved, type LedgerData, type LedgerHead, type LedgerStore, type LedgerWrite } from "./store";
import { cellText as text } from "../domain/text";

export interface Person {
  name: string;
  /** Role codes (none while deactivated). */
  roles: string[];
  account?: string;
  email?: string;
  /** Deactivated: kept on the sheet (past signatures stay readable) but holds no role. */
  inactive?: true;
  /** The roles held before deactivation, shown so a reactivation can restore them. */
  formerRoles?: string[];
  /** 0-based row in the People table body. */
  row?: number;
}

/** The word in the roles cell that marks a person deactivated (停用), read in either language. */
export const INACTIVE_MARK = "停用 Inactive";
const isInactiveWord = (w: string) => /^(停用|inactive|已停用)$/i.test(w);

/**
 * An audit reason with how the actor's identity is known, so every entry says whether its "who" was verified
 * by Microsoft 365 sign-in (source "office": the account matched People 账号) or chosen by hand in the pane.
 */
export function withIdentity(reason: string, by: Pick<Actor, "source">): string {
  const how =
    by.source === "office"
      ? "身份经 Microsoft 365 登录验证 / identity verified by Microsoft 365 sign-in"
      : by.source === "cli"
        ? "身份:命令行 / identity: command line"
        : "身份为手动选择,未经验证 / identity chosen by hand, not verified";
  return reason ? `${reason} [${how}]` : `[${how}]`;
}

/** Who acts, and how we know: from Office (SSO / account) or chosen by hand in the pane, or the command line. */
export interface Actor {
  name: string;
  account?: string;
  source: "office" | "chosen" | "cli";
}

export interface CaseRow {
  /** 0-based row in the table body. */
  row: number;
  record: CaseRecord;
  case: Case;
  problems: CellProblem[];
}

export type SaveResult = { ok: true; caseNo: string; row: number } | { ok: false; reasons: EditReason[] };

/** People rows → people; roles are codes or names separated by 、,;/ and matched against the policy. */
export function readPeople(rows: readonly CellValue[][], policy: Policy): Person[] {
  const at = (k: string) => PEOPLE_COLUMNS.findIndex((c) => c.key === k);
  return rows
    .map((r, row) => ({ r, row }))
    .filter(({ r }) => text(r[at("name")]) !== "")
    .map(({ r, row }) => {
      const words = text(r[at("roles")])
        .split(/[、,，;；/\s]+/)
        .filter(Boolean);
      const roles = words.filter((w) => !isInactiveWord(w)).map((x) => findNamed(policy.roles, x)?.code ?? x);
      const inactive = words.some(isInactiveWord);
      const p: Person = {
        name: text(r[at("name")]),
        roles: inactive ? [] : roles,
        account: text(r[at("account")]) || undefined,
        email: text(r[at("email")]) || undefined,
        row,
      };
      if (inactive) {
        p.inactive = true;
        p.formerRoles = roles;
      }
      return p;
    });
}

/** A person as a People row: role labels in the policy's Chinese (people read the sheet), the inactive mark first. */
export function personRow(p: Pick<Person, "name" | "roles" | "account" | "email" | "inactive" | "formerRoles">, policy: Policy): CellValue[] {
  const roles = (p.inactive ? (p.formerRoles ?? []) : p.roles).map((r) => findNamed(policy.roles, r)?.zh ?? r);
  const cell = [...(p.inactive ? [INACTIVE_MARK] : []), ...roles].join("、");
  return PEOPLE_COLUMNS.map((c) => (c.key === "name" ? p.name : c.key === "roles" ? cell : c.key === "account" ? (p.account ?? null) : (p.email ?? null)));
}

/** Roles that manage the People sheet once someone holds them (before that, anyone may add the first people): the policy's. */
export { PEOPLE_ADMIN_ROLES };

/** What a person form holds. */
export interface PersonInput {
  name: string;
  roles: string[];
  account?: string;
  email?: string;
}

/**
 * A new People sheet: one row per signing role with the name left blank, so
 * the quality manager fills in names instead of looking up role codes.
 * Rows without a name are not people (readPeople skips them).
 */
export function peopleTemplate(policy: Policy): CellValue[][] {
  return signingRoles(policy).map((code) => {
    const role = findNamed(policy.roles, code);
    return PEOPLE_COLUMNS.map((c) => (c.key === "roles" ? (role?.zh ?? code) : null));
  });
}

/** Attempts at a write whose audit head a co-author keeps moving. */
export const COMMIT_TRIES = 5;

/** The role that reviews free/charged markings (process.md §5). */
export const FINANCE_ROLE = ROLE.FINANCE;

function caseRowOf(keys: string[], policy: Policy, cells: readonly CellValue[], row: number, defaultYear: number): CaseRow {
  const record = rowToRecord(keys, cells);
  const r = readCase(record, policy, { defaultYear });
  return { row, record, case: r.case, problems: r.problems };
}

/** The plan for a ledger's data: throws SCHEMA_NEWER for a newer one; no steps for a current one. */
function planOf(data: Pick<LedgerData, "header" | "policyRows" | "meta">, opts: { to?: string; snapshots?: readonly SchemaSnapshot[] }): UpgradePlan {
  const st = schemaStatus(data.meta, opts.to ?? SCHEMA_VERSION);
  if (st.state === "newer") throw newerLedgerError(st);
  if (st.state === "same") return { from: st.version, to: st.current, steps: [], changes: [], columns: [], policyAppend: [] };
  return planUpgrade({ header: data.header, policyRows: data.policyRows }, st.version, st.current, opts.snapshots ?? SNAPSHOTS);
}

/** The audit reason of one step: counts, then every change, bounded (a cell holds 32,767 characters). */
function upgradeReason(from: string, to: string, changes: readonly UpgradeChange[]): string {
  const n = (k: UpgradeChange["kind"]) => changes.filter((c) => c.kind === k).length;
  const list = changes.map((c) => `${c.kind}: ${c.detail}`).join("; ");
  const detail = list.length > 8000 ? `${list.slice(0, 8000)}…` : list;
  return (
    `升级台账结构 ${from} → ${to}:新增列 ${n("column")},签核列 ${n("signature")},设置行 ${n("policy")} / ` +
    `Upgraded the ledger schema ${from} → ${to}: ${n("column")} columns, ${n("signature")} sign-off columns, ${n("policy")} Policy rows added` +
    (detail ? ` — ${detail}` : "")
  );
}

export class Ledger {
  private data?: LedgerData;
  /** auditEntries() of the loaded audit rows, the first `n` of them read. */
  private entries?: { rows: readonly CellValue[][]; n: number; list: AuditEntry[] };
  private _policy: Policy = defaultPolicy();
  private _policyProblems: PolicyProblem[] = [];
  private _policySupplied: SuppliedCode[] = [];
  private _keys: string[] = [];
  private _rows: CaseRow[] = [];
  private _people: Person[] = [];

  constructor(
    readonly store: LedgerStore,
    private readonly opts: { now?: () => Date } = {},
  ) {}

  private now(): Date {
    return this.opts.now ? this.opts.now() : new Date();
  }

  /** Now on the ledger's clock (Policy timeZone), as a serial: what "today" and every stamp are read from. */
  nowSerial(policy: Policy = this._policy): number {
    return instantToSerial(this.now(), policy.settings.timeZone);
  }

  /** The ledger's time zone (Policy setting timeZone). */
  get zone(): string {
    return this._policy.settings.timeZone;
  }

  /** Today on the ledger's clock: a case received on the 5th in Shanghai is not received on the 4th in California. */
  today(): number {
    return Math.floor(this.nowSerial());
  }

  /** Reads everything once. A policy sheet that does not read falls back to the defaults and says why (policyProblems). */
  async load(): Promise<void> {
    await this.readData(await this.store.read());
  }

  /**
   * Reading 50,000 rows into cases is seconds of work: it runs in slices that
   * let the page answer in between (slices.ts), and the ledger takes the new
   * data all at once at the end, so no screen sees half of it.
   */
  private async readData(data: LedgerData): Promise<void> {
    let policy = defaultPolicy();
    let problems: PolicyProblem[] = [];
    let supplied: SuppliedCode[] = [];
    if (data.policyRows.length) {
      const r = policyFromRows(data.policyRows);
      policy = r.policy ?? defaultPolicy();
      problems = r.problems;
      supplied = r.supplied;
    }
    const keys = keysOfHeader(data.header, policy);
    const defaultYear = this.year(policy);
    const rows: CaseRow[] = new Array(data.rows.length);
    await inSlices(data.rows.length, (i) => {
      rows[i] = caseRowOf(keys, policy, data.rows[i], i, defaultYear);
    });
    this.data = data;
    this._policy = policy;
    this._policyProblems = problems;
    this._policySupplied = supplied;
    this._keys = keys;
    this._rows = rows;
    this._people = readPeople(data.peopleRows, policy);
  }

  /** This year: dates typed without one ("3月5日") are read in it. */
  private year(policy: Policy = this._policy): number {
    return serialToYmd(Math.floor(this.nowSerial(policy))).year;
  }

  private readRow(cells: readonly CellValue[], row: number, defaultYear = this.year()): CaseRow {
    return caseRowOf(this._keys, this._policy, cells, row, defaultYear);
  }

  /**
   * Applies a batch we just wrote to the copy in memory, so a save costs no
   * full reload. `head` is the sheet as it stands after the write; when it no
   * longer matches our copy plus the batch (a co-author sorted, inserted or
   * deleted rows meanwhile), we reload instead.
   */
  private async applyOwnWrite(head: LedgerHead, w: LedgerWrite): Promise<void> {
    const d = this.loaded;
    const col = this._keys.indexOf("caseNo");
    // Only the rows the batch updates are copied (copying all 50,000 on every save was work in proportion to the ledger).
    const rows = [...d.rows, ...(w.appends ?? []).map((r) => r.map((v) => (v === undefined ? null : v)))];
    for (const i of new Set((w.updates ?? []).map((u) => u.row))) rows[i] = [...rows[i]];
    for (const u of w.updates ?? []) rows[u.row][u.col] = u.value;
    const same =
      col >= 0 &&
      head.header.join("\u0000") === d.header.join("\u0000") &&
      rows.length === head.caseNos.length &&
      head.caseNos.every((v, i) => sameCell(v, rows[i][col]));
    if (!same) {
      await this.load();
      return;
    }
    const touched = new Set([...(w.updates ?? []).map((u) => u.row), ...(w.appends ?? []).map((_, i) => d.rows.length + i)]);
    d.rows = rows;
    d.auditRows.push(...(w.audit ?? []));
    Object.assign(d.meta, w.meta ?? {});
    for (const i of touched) this._rows[i] = this.readRow(rows[i], i);
  }

  private get loaded(): LedgerData {
    if (!this.data) throw new Error("Ledger.load() first / 请先读取台账");
    return this.data;
  }

  get policy(): Policy {
    return this._policy;
  }
  get policyProblems(): PolicyProblem[] {
    return this._policyProblems;
  }
  /** Codes the program relies on that the Policy sheet lacked, taken from the defaults until an upgrade writes them. */
  get policySupplied(): SuppliedCode[] {
    return this._policySupplied;
  }
  /** The ledger's schema version against this release's: older (can be upgraded), same, or newer (read-only). */
  get schema(): SchemaStatus {
    return schemaStatus(this.loaded.meta);
  }
  /** True for a ledger written by a newer release: every write is refused. */
  get readOnly(): boolean {
    return this.data !== undefined && this.schema.state === "newer";
  }
  get people(): Person[] {
    return this._people;
  }
  get keys(): string[] {
    return this._keys;
  }
  get rows(): CaseRow[] {
    return this._rows;
  }
  get meta(): Record<string, string> {
    return this.loaded.meta;
  }

  find(caseNo: string): CaseRow | undefined {
    return this._rows.find((r) => r.case.caseNo === caseNo);
  }

  /** Every case validated (the same list `complaint-ledger check` prints). */
  check(): LedgerCheck {
    return validateRead(this._rows, this._policy);
  }

  /** Roles a person holds, found by account first, then by name. */
  rolesOf(actor: Actor): string[] {
    const p =
      (actor.account && this._people.find((x) => x.account && x.account.toLowerCase() === actor.account!.toLowerCase())) ||
      this._people.find((x) => x.name === actor.name);
    return p?.roles ?? [];
  }

  /** KS-2026-0001 style: prefix, year, then one more than the highest number of that year among `caseNos`. */
  nextCaseNo(year?: number, caseNos: readonly CellValue[] = this._rows.map((r) => r.record.caseNo ?? null)): string {
    return nextCaseNo(
      this._policy.settings.caseNoPrefix,
      year ?? this.year(),
      caseNos.map((v) => text(v)),
    );
  }

  /** Turns field values (codes, serials, booleans, or cell text) into the cells the sheet shows. */
  private cells(values: Record<string, unknown>): CaseRecord {
    const schema = ledgerSchema(this._policy);
    const out: CaseRecord = {};
    for (const [k, v] of Object.entries(values)) {
      const field = schema.find((f) => f.key === k);
      out[k] = field ? cellOf(field, v, this._policy) : (v as CellValue);
    }
    return out;
  }

  /**
   * Logs a new case. `values` are by field key; the case number is assigned
   * here from the freshest numbers in the workbook, so two people adding at
   * once do not collide (a collision found after writing is renumbered and logged).
   */
  async addCase(values: Record<string, unknown>, by: Actor): Promise<SaveResult> {
    let keys: string[] = [];
    let caseNo = "";
    let record: CaseRecord = {};
    let refused: SaveResult | undefined;
    // Numbered from the head each attempt: a retry after a co-author's append takes the next free number.
    const done = await this.commit(await this.store.readHead(), async (head) => {
      keys = keysOfHeader(head.header, this._policy);
      const year = typeof values.receivedAt === "number" ? serialToYmd(Math.floor(values.receivedAt)).year : undefined;
      caseNo = this.nextCaseNo(year, head.caseNos);
      // The LOG clock stops when the case is logged: now, unless the form says otherwise.
      record = { ...this.cells({ loggedAt: this.nowSerial(), ...values }), caseNo };
      if (!record.status)
        record.status = cellOf(
          ledgerSchema(this._policy).find((f) => f.key === "status")!,
          "RECEIVED",
          this._policy,
        );
      // A value for a column the sheet lacks would be dropped without a word: refuse and say why (an older ledger: upgrade it).
      const lost = Object.keys(record).filter((k) => !keys.includes(k) && text(record[k] ?? null) !== "");
      const verdict = checkEdit(undefined, record, this._policy, { viaAddin: true });
      const notYours = stepRefusals(Object.keys(values), by.name, this.rolesOf(by), this._people, this._policy);
      const reasons = lost.length ? lost.map((k) => this.noColumn(k)) : !verdict.ok ? verdict.reasons : notYours;
      if (reasons.length) {
        refused = { ok: false, reasons };
        return undefined;
      }
      const required = ledgerSchema(this._policy).filter((f) => f.required && f.key !== "caseNo" && text(record[f.key] ?? null) === "");
      if (required.length) {
        refused = { ok: false, reasons: required.map((f) => ({ field: f.key, code: "REQUIRED", zh: `请填写${f.zh}`, en: `${f.en} is required` })) };
        return undefined;
      }
      const { rows: audit } = await chain(
        headOf(head.auditRows),
        [{ user: by.name, action: "CASE_ADDED", caseNo, reason: withIdentity("登记 / Logged", by) }],
        this.now(),
        this.zone,
      );
      return { appends: [recordToRow(keys, record)], audit, meta: this.headMeta(audit) };
    });
    if (!done) return refused!;
    const write = done.write;
    // Read the numbers again: a co-author's case with the same number shows up only now.
    const after = await this.store.readHead();
    if (after.caseNos.filter((v) => text(v) === caseNo).length > 1) {
      await this.load();
      return this.renumberCollision(caseNo, record, by);
    }
    if (!done.rechained && keys.join("\u0000") === this._keys.join("\u0000")) await this.applyOwnWrite(after, write);
    else await this.load();
    return { ok: true, caseNo, row: this.find(caseNo)?.row ?? this._rows.length - 1 };
  }

  /**
   * A co-author took the same number between our read and our write (Excel
   * merges both appends). Ours is the row that holds exactly what we wrote;
   * it moves to the next free number and the move is logged.
   */
  private async renumberCollision(caseNo: string, record: CaseRecord, by: Actor): Promise<SaveResult> {
    const ours = [...this._rows]
      .reverse()
      .find((r) => r.case.caseNo === caseNo && Object.entries(record).every(([k, v]) => sameCell(r.record[k] ?? null, v ?? null)));
    // The first row with the number keeps it (both writers run this rule, so exactly one row moves).
    if (!ours || ours === this.find(caseNo)) return { ok: true, caseNo, row: (ours ?? this.find(caseNo))!.row };
    let next = caseNo;
    await this.commit(await this.store.readHead(), async (head) => {
      const keys = keysOfHeader(head.header, this._policy);
      next = this.nextCaseNo(Number(caseNo.split("-")[1]) || undefined, head.caseNos);
      const { rows: audit } = await chain(
        headOf(head.auditRows),
        [
          {
            user: by.name,
            action: "RENUMBERED",
            caseNo: next,
            field: "caseNo",
            oldValue: caseNo,
            newValue: next,
            reason: withIdentity("单号与同时登记的案件重复 / Number taken by a case logged at the same time", by),
          },
        ],
        this.now(),
        this.zone,
      );
      return { updates: [{ row: ours.row, col: keys.indexOf("caseNo"), value: next }], audit, meta: this.headMeta(audit) };
    });
    await this.load();
    return { ok: true, caseNo: next, row: ours.row };
  }

  /** The refusal for a value whose column the sheet lacks, naming the column and, for an older ledger, the upgrade that adds it. */
  private noColumn(key: string): EditReason {
    const f = ledgerSchema(this._policy).find((x) => x.key === key);
    const zh = f ? `${f.zh}` : key,
      en = f ? f.en : key;
    const s = this.data ? this.schema : undefined;
    const older = s?.state === "older";
    return {
      field: key,
      code: "NO_COLUMN",
      zh: `台账中没有"${zh}"列,未保存${older ? `。此台账的结构版本为 ${s!.version},升级到 ${s!.current} 后即有此列` : ",请在表格末尾添加此列"}`,
      en: `The ledger has no "${en}" column; nothing was saved${older ? `. This ledger's schema is version ${s!.version}; upgrading it to ${s!.current} adds the column` : "; add the column at the table's end"}`,
    };
  }

  /** What upgrading this ledger to this release would change (nothing for a current one); read from the loaded copy. */
  upgradePlan(opts: { to?: string; snapshots?: readonly SchemaSnapshot[] } = {}): UpgradePlan {
    return planOf(this.loaded, opts);
  }

  /**
   * Upgrades the ledger to this release's schema (ledger/migrations): new
   * columns at the table's end, the release's Policy rows below the user's,
   * one UPGRADED audit entry per step, the new version in the meta sheet, in
   * one store write. Nothing is written for a current ledger or a dry run;
   * a newer one is refused. Store cost: read, write, read again.
   */
  async upgrade(by: Actor, opts: { dryRun?: boolean; to?: string; snapshots?: readonly SchemaSnapshot[] } = {}): Promise<UpgradePlan> {
    const data = await this.store.read();
    const plan = planOf(data, opts);
    if (opts.dryRun || plan.steps.length === 0) {
      await this.readData(data);
      return plan;
    }
    const inputs: AuditInput[] = plan.steps.map((step) => ({
      user: by.name,
      action: "UPGRADED",
      field: "schema",
      oldValue: step.from,
      newValue: step.to,
      reason: withIdentity(upgradeReason(step.from, step.to, step.changes), by),
    }));
    const was = data.meta[META.schemaVersion];
    // The first attempt chains on the data just read (no second read); a retry gives up when a co-author upgraded meanwhile.
    const first: LedgerHead = { header: data.header, caseNos: [], auditRows: data.auditRows, meta: data.meta };
    await this.commit(first, async (head) => {
      if (head.meta[META.schemaVersion] !== was) return undefined;
      const { rows: audit } = await chain(headOf(head.auditRows), inputs, this.now());
      return { columns: plan.columns, policyAppend: plan.policyAppend, audit, meta: { ...this.headMeta(audit), [META.schemaVersion]: plan.to } };
    });
    await this.load();
    return plan;
  }

  /** Changes fields of a case; refused (nothing written) when the rules say no. */
  async updateCase(caseNo: string, changes: Record<string, unknown>, by: Actor, opts: { action?: AuditAction; reason?: string } = {}): Promise<SaveResult> {
    const before = this.find(caseNo)?.record ?? {};
    const cells = this.cells(changes);
    const changed = Object.keys(cells).filter((k) => !sameCell(before[k] ?? null, cells[k] ?? null));
    const notYours = stepRefusals(changed, by.name, this.rolesOf(by), this._people, this._policy);
    if (notYours.length) {
      await this.record([{ user: by.name, action: "STEP_REFUSED", caseNo, field: notYours[0].field, reason: withIdentity(reasonText(notYours), by) }]);
      return { ok: false, reasons: notYours };
    }
    return this.change(caseNo, this.cells(changes), by, opts.action ?? "CASE_UPDATED", opts.reason ?? "", false);
  }

  /**
   * Signs one document for a role: refused unless the People sheet gives the person that role, the case
   * needs that role on that document, and the document holds what it must (a 8D without its root cause is
   * not reviewed). `form` names the document; without it, the one document awaiting this role is signed,
   * and several awaiting are refused until one is chosen. The signature is added to the role's cell as a
   * line naming the document, so each signature approves exactly one document.
   */
  async sign(caseNo: string, role: string, by: Actor, comment?: string, form?: string): Promise<SaveResult> {
    const def = findNamed(this._policy.roles, role);
    const code = def?.code ?? role;
    const refuse = async (reasons: EditReason[]): Promise<SaveResult> => {
      await this.record([{ user: by.name, action: "SIGN_REFUSED", caseNo, field: signatureKey(code), reason: withIdentity(reasonText(reasons), by) }]);
      return { ok: false, reasons };
    };
    if (!this.rolesOf(by).includes(code)) {
      return refuse([
        {
          field: signatureKey(code),
          code: "NOT_YOUR_ROLE",
          zh: `${by.name} 在人员表中没有"${def?.zh ?? code}"角色,不能代签`,
          en: `${by.name} does not hold the role "${def?.en ?? code}" in the People sheet and cannot sign for it`,
        },
      ]);
    }
    const mine = this.find(caseNo);
    if (!mine) return { ok: false, reasons: [{ field: "caseNo", code: "NOT_FOUND", zh: `找不到客诉单 ${caseNo}`, en: `Case ${caseNo} was not found` }] };
    const chosen = chooseDocument(mine.case, code, form, this._policy);
    if (!chosen.ok) return refuse(chosen.reasons.map((r) => ({ ...r, field: signatureKey(code) })));
    const doc = chosen.form;
    // Forms the Policy sheet reserves for signers verified by sign-in: a name chosen by hand cannot sign them.
    if ((this._policy.settings.verifiedSignForms ?? []).includes(doc.code) && by.source !== "office") {
      return refuse([
        {
          field: signatureKey(code),
          code: "NOT_VERIFIED",
          zh: `《${doc.zh}》须由经 Microsoft 365 登录验证身份的人签核;${by.name} 的身份是手动选择的,未经验证`,
          en: `The ${doc.en} must be signed by someone verified by Microsoft 365 sign-in; ${by.name} was chosen by hand and is not verified`,
        },
      ]);
    }
    const at = this.nowSerial();
    const line: Signature = { name: by.name, at, comment: comment || undefined, forms: [doc.code] };
    const had = mine.case.signatures[code];
    const value = formatSignature(had ? { ...had, more: [...(had.more ?? []), line] } : line);
    return this.change(
      caseNo,
      { [signatureKey(code)]: value },
      by,
      "SIGNED",
      `${def?.zh ?? code}签核《${doc.zh}》(${by.source === "office" ? "Office 账号" : by.source === "cli" ? "命令行" : "手动选择身份"}) / Signed the ${doc.en} as ${def?.en ?? code} (${by.source})`,
      true,
    );
  }

  private async change(caseNo: string, cells: CaseRecord, by: Actor, action: AuditAction, reason: string, viaAddin: boolean): Promise<SaveResult> {
    let keys: string[] = [];
    let row = -1;
    let answer: SaveResult | undefined;
    const done = await this.commit(await this.store.readHead(), async (head) => {
      keys = keysOfHeader(head.header, this._policy);
      const caseCol = keys.indexOf("caseNo");
      row = head.caseNos.findIndex((v) => text(v) === caseNo);
      const mine = this.find(caseNo);
      if (row < 0 || !mine || caseCol < 0) {
        answer = { ok: false, reasons: [{ field: "caseNo", code: "NOT_FOUND", zh: `找不到客诉单 ${caseNo}`, en: `Case ${caseNo} was not found` }] };
        return undefined;
      }
      const before = mine.record;
      const after = { ...before, ...cells };
      const verdict = checkEdit(before, after, this._policy, { viaAddin });
      if (!verdict.ok) {
        answer = { ok: false, reasons: verdict.reasons };
        return undefined;
      }
      const updates = Object.keys(cells)
        .filter((k) => keys.includes(k) && !sameCell(before[k] ?? null, cells[k] ?? null))
        .map((k) => ({ row, col: keys.indexOf(k), value: cells[k] ?? null }));
      const missing = Object.keys(cells).filter((k) => !keys.includes(k));
      if (missing.length) {
        answer = { ok: false, reasons: missing.map((k) => this.noColumn(k)) };
        return undefined;
      }
      if (updates.length === 0) {
        answer = { ok: true, caseNo, row };
        return undefined;
      }
      const inputs: AuditInput[] = updates.map((u) => ({
        user: by.name,
        action,
        caseNo,
        field: keys[u.col],
        oldValue: before[keys[u.col]],
        newValue: u.value,
        reason: withIdentity(reason, by),
      }));
      const { rows: audit } = await chain(headOf(head.auditRows), inputs, this.now(), this.zone);
      return { updates, audit, meta: this.headMeta(audit) };
    });
    if (!done) return answer!;
    // The head read before writing is the sheet as it stood; our updates change no case numbers.
    if (!done.rechained && keys.join("\u0000") === this._keys.join("\u0000")) await this.applyOwnWrite(done.head, done.write);
    else await this.load();
    return { ok: true, caseNo, row: this.find(caseNo)?.row ?? row };
  }

  /**
   * 结案 as an action: closes only when nothing is missing (closeChecklist:
   * every step, approval, the 8D, responsibility and free/charged), writing
   * the close date (today, or a supported date already in the row) and the
   * status together. A refusal lists what is missing and is logged.
   */
  async closeCase(caseNo: string, by: Actor): Promise<SaveResult> {
    const mine = this.find(caseNo);
    if (!mine) return { ok: false, reasons: [{ field: "caseNo", code: "NOT_FOUND", zh: `找不到客诉单 ${caseNo}`, en: `Case ${caseNo} was not found` }] };
    const missing = closeChecklist(mine.case, this._policy);
    if (missing.length) {
      const reasons: EditReason[] = missing.map((m) => ({ field: m.field, code: "CLOSE_BLOCKED", zh: m.zh, en: m.en }));
      await this.record([{ user: by.name, action: "CLOSE_REFUSED", caseNo, field: "closedAt", reason: withIdentity(reasonText(reasons), by) }]);
      return { ok: false, reasons };
    }
    const today = this.today();
    const typed = mine.case.closedAt;
    const closedAt = typed !== undefined && Math.floor(typed) <= today ? Math.floor(typed) : today;
    return this.change(caseNo, this.cells({ closedAt, status: "CLOSED" }), by, "CASE_CLOSED", "结案 / Closed", false);
  }

  /** Whether `by` may change the People sheet: a quality manager or general manager, or anyone while nobody holds those roles. */
  canManagePeople(by: Actor | undefined): boolean {
    if (!by) return false;
    const admins = this._people.filter((p) => p.roles.some((r) => PEOPLE_ADMIN_ROLES.includes(r)));
    return admins.length === 0 || this.rolesOf(by).some((r) => PEOPLE_ADMIN_ROLES.includes(r));
  }

  /**
   * Adds a person, changes one (`name` is who it was), or deactivates one;
   * written to the People sheet and the audit log in one batch. Refused,
   * with every reason, when the form does not hold (blank or duplicate name,
   * unknown role, duplicate account) or `by` may not manage people.
   */
  async savePerson(
    input: PersonInput & { inactive?: boolean },
    by: Actor,
    name?: string,
  ): Promise<{ ok: true; person: Person } | { ok: false; reasons: EditReason[] }> {
    const reasons: EditReason[] = [];
    const refuse = async () => {
      await this.record([{ user: by.name, action: "PEOPLE_REFUSED", field: "people", newValue: input.name, reason: withIdentity(reasonText(reasons), by) }]);
      return { ok: false as const, reasons };
    };
    if (!this.canManagePeople(by)) {
      const who = this._people.filter((p) => p.roles.some((r) => PEOPLE_ADMIN_ROLES.includes(r))).map((p) => p.name);
      reasons.push({
        field: "people",
        code: "NOT_YOUR_ROLE",
        zh: `只有品质部经理或总经理可以维护人员表(${who.join("、")})`,
        en: `Only a quality manager or general manager maintains the People sheet (${who.join(", ")})`,
      });
      return refuse();
    }
    const old = name !== undefined ? this._people.find((p) => p.name === name) : undefined;
    if (name !== undefined && !old) {
      reasons.push({ field: "name", code: "NOT_FOUND", zh: `人员表中没有 ${name}`, en: `${name} is not in the People sheet` });
      return { ok: false, reasons };
    }
    const clean = input.name.trim();
    if (!clean) reasons.push({ field: "name", code: "REQUIRED", zh: "请填写姓名", en: "Name is required" });
    else if (/^[=+\-@]/.test(clean)) reasons.push({ field: "name", code: "BAD_VALUE", zh: "姓名不能以 = + - @ 开头", en: "A name cannot start with = + - @" });
    if (clean && this._people.some((p) => p !== old && p.name === clean)) {
      reasons.push({ field: "name", code: "DUPLICATE", zh: `人员表中已有 ${clean}`, en: `${clean} is already in the People sheet` });
    }
    const roles: string[] = [];
    for (const r of input.roles) {
      const def = findNamed(this._policy.roles, r);
      if (!def) reasons.push({ field: "roles", code: "BAD_VALUE", zh: `未知的角色"${r}"`, en: `Unknown role "${r}"` });
      else if (!roles.includes(def.code)) roles.push(def.code);
    }
    if (!input.inactive && roles.length === 0) reasons.push({ field: "roles", code: "REQUIRED", zh: "请至少选择一个角色", en: "Choose at least one role" });
    const account = input.account?.trim() || undefined;
    if (account && this._people.some((p) => p !== old && p.account?.toLowerCase() === account.toLowerCase())) {
      reasons.push({ field: "account", code: "DUPLICATE", zh: `账号 ${account} 已属于他人`, en: `Account ${account} already belongs to someone else` });
    }
    if (reasons.length) return refuse();

    const person: Person = { name: clean, roles: input.inactive ? [] : roles, account, email: input.email?.trim() || undefined };
    if (input.inactive) {
      person.inactive = true;
      person.formerRoles = roles;
    }
    const cells = personRow(person, this._policy);
    const show = (p?: Person) =>
      p
        ? personRow(p, this._policy)
            .filter((x) => x !== null && x !== "")
            .join(" | ")
        : "";
    const action = !old ? "PERSON_ADDED" : input.inactive && !old.inactive ? "PERSON_DEACTIVATED" : "PERSON_UPDATED";
    await this.commit(await this.store.readHead(), async (head) => {
      const { rows: audit } = await chain(
        headOf(head.auditRows),
        [
          {
            user: by.name,
            action,
            field: "people",
            oldValue: show(old),
            newValue: show(person),
            reason: withIdentity(
              action === "PERSON_ADDED"
                ? "添加人员 / Person added"
                : action === "PERSON_DEACTIVATED"
                  ? "停用人员 / Person deactivated"
                  : "修改人员 / Person changed",
              by,
            ),
          },
        ],
        this.now(),
        this.zone,
      );
      return old?.row !== undefined
        ? { peopleUpdates: [{ row: old.row, values: cells }], audit, meta: this.headMeta(audit) }
        : { people: [cells], audit, meta: this.headMeta(audit) };
    });
    // Re-read rather than patch: the sheet may hold blank template rows our copy trimmed.
    await this.load();
    return { ok: true, person: this._people.find((p) => p.name === clean) ?? person };
  }

  /**
   * Finance marks cases reviewed: refused, and the attempt logged, unless the
   * People sheet gives the person the Finance role — the same rule whatever
   * screen, ribbon or script asks.
   */
  async markReviewed(caseNos: readonly string[], by: Actor): Promise<{ ok: true; entries: AuditEntry[] } | { ok: false; reasons: EditReason[] }> {
    const role = findNamed(this._policy.roles, FINANCE_ROLE);
    if (!this.rolesOf(by).includes(FINANCE_ROLE)) {
      const who = this._people.filter((p) => p.roles.includes(FINANCE_ROLE)).map((p) => p.name);
      const reasons: EditReason[] = [
        {
          field: "charge",
          code: "NOT_YOUR_ROLE",
          zh: `${by.name} 在人员表中没有"${role?.zh ?? "财务"}"角色,不能标记审核${who.length ? `(可由 ${who.join("、")} 标记)` : ""}`,
          en: `${by.name} does not hold the role "${role?.en ?? "Finance"}" in the People sheet and cannot mark reviews${who.length ? ` (${who.join(", ")} can)` : ""}`,
        },
      ];
      await this.record([{ user: by.name, action: "REVIEW_REFUSED", caseNo: caseNos.join(" "), reason: withIdentity(reasonText(reasons), by) }]);
      return { ok: false, reasons };
    }
    const missing = caseNos.filter((no) => !this.find(no));
    if (missing.length) {
      return { ok: false, reasons: missing.map((no) => ({ field: "caseNo", code: "NOT_FOUND", zh: `找不到客诉单 ${no}`, en: `Case ${no} was not found` })) };
    }
    return {
      ok: true,
      entries: await this.record(reviewEntries(this._rows, caseNos, by.name).map((x) => ({ ...x, reason: withIdentity(x.reason ?? "", by) }))),
    };
  }

  /**
   * Writes a published year's holidays (a parsed State Council notice) to the
   * Policy sheet, replacing that year's provisional estimate, with an audit
   * entry, in one store write. Refused while the Policy sheet has errors: it
   * would be rewritten from the defaults and lose the company's rules.
   *
   * An import never makes a year worse: a notice that leaves out statutory
   * festivals is refused (code NOTICE_INCOMPLETE, naming them) unless
   * `partial` is given, and then merged: the festivals it does not mention
   * keep their estimated days, still marked as estimates (notice.ts applyNotice).
   */
  async importCalendar(
    notice: Pick<ParsedNotice, "year" | "days">,
    by: Actor,
    opts: { partial?: boolean } = {},
  ): Promise<{ ok: true; policy: Policy } | { ok: false; reasons: EditReason[] }> {
    if (!this.data) await this.load();
    // A newer ledger refuses every write before anything is judged (as put would).
    refuseNewer(this.data?.meta ?? {});
    const { missing } = noticeCoverage(notice);
    if (missing.length && !opts.partial) return { ok: false, reasons: [incompleteNotice(notice.year, missing)] };
    const partial = missing.length > 0;
    if (this._policyProblems.length) {
      return {
        ok: false,
        reasons: [
          {
            field: "policy",
            code: "POLICY_HAS_ERRORS",
            zh: `设置表有 ${this._policyProblems.length} 处错误,请先改正再导入放假安排`,
            en: `The Policy sheet has ${this._policyProblems.length} error(s): correct them before importing holidays`,
          },
        ],
      };
    }
    const policy = applyNotice(this._policy, notice, { partial });
    const rows = policyToRows(policy);
    const check = policyFromRows(rows);
    if (!check.policy) {
      return {
        ok: false,
        reasons: check.problems.map((p) => ({ field: "policy", code: "POLICY_INVALID", zh: `第 ${p.row} 行:${p.zh}`, en: `Row ${p.row}: ${p.en}` })),
      };
    }
    const off = notice.days.filter((d) => d.kind === "OFF").length;
    const on = notice.days.length - off;
    await this.commit(await this.store.readHead(), async (head) => {
      const { rows: audit } = await chain(
        headOf(head.auditRows),
        [
          {
            user: by.name,
            action: "CALENDAR_IMPORTED",
            field: "calendar",
            newValue: String(notice.year),
            reason: withIdentity(
              partial
                ? `导入 ${notice.year} 年部分放假安排:放假 ${off} 天,调休上班 ${on} 天;${festivalList(missing).zh}仍为估算 / Imported part of the ${notice.year} holiday notice: ${off} days off, ${on} make-up working days; ${festivalList(missing).en} still estimated`
                : `导入 ${notice.year} 年放假安排:放假 ${off} 天,调休上班 ${on} 天 / Imported the ${notice.year} holiday notice: ${off} days off, ${on} make-up working days`,
              by,
            ),
          },
        ],
        this.now(),
        this.zone,
      );
      return { policy: rows, audit, meta: this.headMeta(audit) };
    });
    await this.load();
    return { ok: true, policy: this._policy };
  }

  /** Every evidence record of the ledger (the Evidence sheet; none when the sheet is missing). */
  get evidence(): Evidence[] {
    return readEvidence(this.data?.evidenceRows ?? []);
  }

  /** A case's evidence records, in the order they were recorded. */
  evidenceOf(caseNo: string): Evidence[] {
    return this.evidence.filter((e) => e.caseNo === caseNo);
  }

  /**
   * Records evidence on a case (an attachment's link, an inspection, an
   * isolation, a containment check, a section's text): the row and its audit
   * entry in one write. Refused, with every reason, when the record does not
   * hold or the case does not exist; nothing is written then.
   */
  async addEvidence(input: Evidence, by: Actor): Promise<{ ok: true; evidence: Evidence } | { ok: false; reasons: EditReason[] }> {
    const e: Evidence = { ...input, by: input.by?.trim() || by.name };
    delete e.row;
    const reasons: EditReason[] = evidenceProblems(e).map((p) => ({ field: "evidence", code: "BAD_VALUE", zh: p.zh, en: p.en }));
    if (!this.find(e.caseNo)) reasons.push({ field: "caseNo", code: "NOT_FOUND", zh: `找不到客诉单 ${e.caseNo}`, en: `Case ${e.caseNo} was not found` });
    if (reasons.length) return { ok: false, reasons };
    const row = evidenceRow(e);
    await this.appendRecord("evidence", row, {
      user: by.name,
      action: "EVIDENCE_ADDED",
      caseNo: e.caseNo,
      field: "evidence",
      newValue: evidenceLine(e, "zh"),
      reason: withIdentity(`记录证据:${kindName(e.kind).zh} / Evidence recorded: ${kindName(e.kind).en}`, by),
    });
    const rows = this.loaded.evidenceRows ?? [];
    const same = (r: CellValue[]) => row.every((v, i) => sameCell(r[i] ?? null, v ?? null));
    const at = rows.map((r, i) => (same(r) ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    return { ok: true, evidence: { ...e, row: at < 0 ? rows.length - 1 : at } };
  }

  /** Every cost line of the ledger (the CostLines sheet; none when the sheet is missing). */
  get costLines(): CostLine[] {
    return readCostLines(this.data?.costRows ?? [], this._policy);
  }

  /** A case's cost lines, in the order they were recorded. */
  costLinesOf(caseNo: string): CostLine[] {
    return this.costLines.filter((l) => l.caseNo === caseNo);
  }

  /**
   * Records a cost line on a case (issue 23): a known category, an amount above zero, a date; its number is the
   * case's next (`KS-2026-0001-C3`). The row and its COST_LINE_ADDED audit entry in one write; refused with every
   * reason, nothing written, when the line does not hold or the case does not exist.
   */
  async addCostLine(
    input: Omit<CostLine, "lineNo" | "row" | "amount"> & { amount: number | string },
    by: Actor,
  ): Promise<{ ok: true; line: CostLine } | { ok: false; reasons: EditReason[] }> {
    if (!this.data) await this.load();
    refuseNewer(this.data?.meta ?? {});
    const problems = costLineProblems(input, this._policy);
    const reasons: EditReason[] = problems.map((p) => ({ field: "costLine", code: "BAD_VALUE", zh: p.zh, en: p.en }));
    if (input.caseNo && !this.find(input.caseNo))
      reasons.push({ field: "caseNo", code: "NOT_FOUND", zh: `找不到客诉单 ${input.caseNo}`, en: `Case ${input.caseNo} was not found` });
    if (reasons.length) return { ok: false, reasons };
    const amount = typeof input.amount === "string" ? parseAmount(input.amount)! : input.amount;
    const category = findNamed(this._policy.money.categories, input.category)!;
    const line: CostLine = {
      ...input,
      amount,
      category: category.code,
      currency: input.currency || DEFAULT_CURRENCY,
      by: input.by?.trim() || by.name,
      lineNo: nextLineNo(input.caseNo, this.costLines),
    };
    await this.appendRecord("costLines", costLineRow(line, this._policy), {
      user: by.name,
      action: "COST_LINE_ADDED",
      caseNo: line.caseNo,
      field: "costLine",
      newValue: `${line.lineNo} ${category.zh} ${line.amount} ${line.currency} ${line.item}`,
      reason: withIdentity(`记录费用 ${line.lineNo}:${category.zh} / Cost line ${line.lineNo} recorded: ${category.en}`, by),
    });
    return { ok: true, line: { ...line, row: (this.data?.costRows?.length ?? 1) - 1 } };
  }

  /**
   * One row of a records sheet (Evidence, CostLines) and its audit entry in one write; our copy follows it.
   * Re-chained after a co-author's entries, our copy misses theirs, so it is read again instead.
   */
  private async appendRecord(sheet: "evidence" | "costLines", row: CellValue[], entry: AuditInput): Promise<void> {
    const done = await this.commit(await this.store.readHead(), async (head) => {
      const { rows: audit } = await chain(headOf(head.auditRows), [entry], this.now(), this.zone);
      return { ...(sheet === "evidence" ? { evidence: [row] } : { costLines: [row] }), audit, meta: this.headMeta(audit) };
    });
    if (done!.rechained) return void (await this.load());
    const d = this.loaded;
    (sheet === "evidence" ? (d.evidenceRows ??= []) : (d.costRows ??= [])).push(row);
    d.auditRows.push(...done!.write.audit!);
    Object.assign(d.meta, done!.write.meta);
  }

  /** Appends audit entries (e.g. an adoption, an 8D export). */
  async record(inputs: AuditInput[]): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    const done = await this.commit(await this.store.readHead(), async (head) => {
      const { rows } = await chain(headOf(head.auditRows), inputs, this.now(), this.zone);
      return { audit: rows, meta: this.headMeta(rows) };
    });
    const rows = done!.write.audit!;
    if (done!.rechained) await this.load();
    else if (this.data) {
      this.data.auditRows.push(...rows);
      Object.assign(this.data.meta, this.headMeta(rows));
    }
    return rows.map(rowToEntry);
  }

  /**
   * Every write of the service goes through here. Writes a batch whose audit rows are chained on `head`. A co-author who
   * appended since makes the store refuse it untouched (AuditHeadMoved): the
   * head is read again, the batch rebuilt on it and sent again, at most
   * `COMMIT_TRIES` times — a lost race is retried, never forked. `build`
   * returns undefined to give up (e.g. the case is gone). When the store had
   * to re-chain our rows after a co-author's (stores/excel/tables.ts), the
   * returned write holds them as written and `rechained` says the copy in
   * memory misses a co-author's entries (callers reload then).
   */
  private async commit(
    head: LedgerHead,
    build: (head: LedgerHead) => Promise<LedgerWrite | undefined>,
  ): Promise<{ head: LedgerHead; write: LedgerWrite; rechained: boolean } | undefined> {
    for (let attempt = 1; ; attempt++) {
      const w = await build(head);
      if (!w) return undefined;
      // A ledger a newer release wrote is refused by the meta read just now (a co-author's newer add-in may have
      // upgraded it since we loaded), else by the loaded one. The stores check again (store.ts).
      refuseNewer(Object.keys(head.meta).length ? head.meta : (this.data?.meta ?? {}));
      if (w.audit?.length) w.auditBase = headOf(head.auditRows);
      try {
        const outcome = await this.store.write(w);
        if (outcome?.audit) {
          w.audit = outcome.audit;
          w.meta = { ...w.meta, ...this.headMeta(outcome.audit) };
        }
        return { head, write: w, rechained: !!outcome?.audit };
      } catch (e) {
        if (!(e instanceof AuditHeadMoved) || attempt >= COMMIT_TRIES) throw e;
        head = await this.store.readHead();
      }
    }
  }

  private headMeta(rows: CellValue[][]): Record<string, string> {
    const h = headOf(rows);
    return { [META.auditSeq]: String(h.seq), [META.auditHash]: h.hash };
  }

  /**
   * The audit log's entries in sequence order. Kept between calls: a save appends rows to the loaded ones, so only
   * those are read again (250,000 entries at 50,000 cases, read on every save by the screens, were a long task on
   * the pane's thread); a load brings new rows and starts over. Callers get their own array.
   */
  auditEntries(): AuditEntry[] {
    const rows = this.loaded.auditRows;
    let kept = this.entries;
    if (!kept || kept.rows !== rows || kept.n > rows.length) kept = this.entries = { rows, n: 0, list: [] };
    if (kept.n < rows.length) {
      const from = kept.list.length;
      for (let i = kept.n; i < rows.length; i++) kept.list.push(rowToEntry(rows[i]));
      kept.n = rows.length;
      const list = kept.list;
      let ordered = from > 0;
      for (let i = Math.max(1, from); ordered && i < list.length; i++) ordered = list[i - 1].seq <= list[i].seq;
      if (!ordered) list.sort((a, b) => a.seq - b.seq);
    }
    return kept.list.slice();
  }

  /**
   * The audit log's verdict with the head rules of the CLI's verify-audit
   * (audit.ts verifyLedgerAudit): for a ledger this tool wrote, a missing
   * audit or meta sheet, or a missing or unreadable head, is tampering.
   */
  async verifyAudit(): Promise<AuditVerdict> {
    const d = this.loaded;
    const has = d.sheets ?? { policy: true, audit: true, meta: true };
    const items: ChainItem[] = [];
    for (let i = 0; i < d.auditRows.length; i++) {
      const r = d.auditRows[i];
      if (r.every((c) => c === null || c === undefined || c === "")) continue;
      items.push(chainItem(r, i + 1, (await sha256(hashInput(r))) === auditText(r[11])));
    }
    const v = await verifyLedgerAudit(items, {
      meta: has.meta ? d.meta : undefined,
      auditSheet: has.audit,
      ours: writtenByUs(this._keys, has.policy, has.meta),
    });
    // A decoy ledger on a hidden sheet is no entry's fault, but the verdict cannot be "intact" (as the CLI's).
    if (!d.findings?.length) return v;
    return { ...v, ok: false, problems: [...d.findings.map((f) => ({ book: true, zh: f.zh, en: f.en })), ...v.problems] };
  }
}

/** The refusal of a notice that leaves festivals out, naming them, in both languages. */
export function incompleteNotice(year: number, missing: readonly Festival[]): EditReason {
  const names = festivalList(missing);
  return {
    field: "calendar",
    code: "NOTICE_INCOMPLETE",
    zh: `这份通知没有 ${year} 年的${names.zh}:整份导入会把这些节日当作工作日。请粘贴通知全文;或确认合并,未提到的节日保留估算`,
    en: `This notice has no ${names.en} for ${year}: importing it whole would make those festivals working days. Paste the whole notice, or confirm a merge that keeps the estimate for the festivals it does not mention`,
  };
}
