/**
 * Whether one edit of a ledger row may stand. The rule: an edit may not make
 * a case worse. It may not move a case forward past a step that is not done
 * (closing without approvals or 8D, skipping judgement), introduce a rule
 * violation the case did not have (free against a customer-fault code, a
 * disposition that does not fit), record execution before the approvals are
 * signed (scrap without the VP), type a value the column cannot hold, or
 * touch a column only the add-in writes (sign-offs, computed columns).
 * Violations a case already had (years of hand-kept history) do not block
 * unrelated edits; they are reported by `check` instead.
 *
 * The Excel change handler and the task pane both ask this function, so a
 * rule holds the same way whichever way the edit comes.
 */
import { MONEY_VIOLATION_CODES } from "../domain/money/money-rules";
import type { ReasonCode, ViolationCode } from "../domain/codes";
import { readCase, type CellValue } from "../domain/case";
import { missingAmong, missingApprovals, needsGmForReturn, slotLabel } from "../domain/disposition";
import type { Case } from "../domain/case";
import { canMove } from "../domain/lifecycle";
import { findNamed, FORM, type Policy } from "../domain/policy/policy";
import { ledgerSchema, STATES } from "../domain/schema";
import { validateCase } from "../domain/validate";
import { computedColumns } from "./workbook-layout";
import { sameCell, type CaseRecord } from "./records";

export interface EditReason {
  field: string;
  code: ReasonCode;
  zh: string;
  en: string;
}

export type EditCheck = { ok: true; changed: string[] } | { ok: false; changed: string[]; reasons: EditReason[] };

/** Violation codes an edit may not introduce. */
const ENFORCED = new Set<ViolationCode>([
  "STATE_INCOMPLETE",
  "APPROVAL_MISSING",
  "CHARGE_CONFLICT",
  "CHARGE_WITHOUT_RESPONSIBILITY",
  "UNCONFIRMED_INTERNAL",
  "DISPOSITION_MISFIT",
  "COST_MISSING",
  "NEGATIVE",
  "DATE_BEFORE_RECEIPT",
  "DATE_ORDER",
  "CLOSE_DATE_UNSUPPORTED",
  "REPLY_DATE_UNSUPPORTED",
  "EIGHT_D_SENT_UNSIGNED",
  "SHIP_DATE_AFTER_RECEIPT",
  "RETURN_JUDGEMENT_CONFLICT",
  ...MONEY_VIOLATION_CODES,
]);

export interface EditOptions {
  /** True when the add-in itself writes (task pane signing): sign-off columns may change. */
  viaAddin?: boolean;
  defaultYear?: number;
}

/**
 * `before` is the row as it was (undefined for a new row), `after` as the
 * edit left it; both keyed by field (see records.ts).
 */
export function checkEdit(before: CaseRecord | undefined, after: CaseRecord, policy: Policy, opts: EditOptions = {}): EditCheck {
  const schema = ledgerSchema(policy);
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const changed = [...keys].filter((k) => !sameCell(before?.[k] ?? null, after[k] ?? null));
  if (changed.length === 0) return { ok: true, changed };
  const reasons: EditReason[] = [];

  const computed = new Set(computedColumns(policy).map((c) => c.key));
  for (const k of changed) {
    const field = schema.find((f) => f.key === k);
    if (computed.has(k)) {
      reasons.push({ field: k, code: "PROTECTED", zh: "此列由公式计算,不能手工修改", en: "This column is computed by a formula and cannot be edited" });
    } else if (field?.protected && !opts.viaAddin) {
      reasons.push({ field: k, code: "PROTECTED", zh: "签核只能在任务窗格中进行", en: "Sign-offs can only be made in the task pane" });
    }
  }

  const a = readCase(after, policy, opts);
  const b = before ? readCase(before, policy, opts) : undefined;
  for (const p of a.problems) {
    if (changed.includes(p.field)) reasons.push({ field: p.field, code: p.code ?? "BAD_VALUE", zh: p.zh, en: p.en });
  }

  const from = b?.case.status;
  const to = a.case.status ?? "RECEIVED";
  // Whether canMove refused the move (and so already named what the target state lacks). A move back is
  // allowed by canMove without a look at the data: what the earlier state needs is judged below like any edit,
  // so reopening 已回访 to 结案 while clearing the close date is refused.
  let refusedMove = false;
  if ((from ?? "") !== to) {
    const m = canMove(a.case, from, to, policy);
    if (!m.ok) {
      refusedMove = true;
      for (const r of m.reasons) reasons.push({ field: r.field, code: r.skipped ? "SKIPPED_STEP" : "STATE_INCOMPLETE", zh: r.zh, en: r.en });
    }
  }

  if (changed.includes("executedAt") && a.case.executedAt !== undefined) {
    for (const m of missingApprovals(a.case, policy)) {
      const who = slotLabel(m.roles, policy);
      reasons.push({
        field: "executedAt",
        code: "EXECUTION_UNAPPROVED",
        zh: `《${m.form.zh}》缺少${who.zh}签核,不能执行`,
        en: `${m.form.en} lacks the sign-off of ${who.en}; it cannot be executed`,
      });
    }
  }

  reasons.push(...gatedDates(a.case, changed, policy));

  const had = new Set((b ? validateCase(b.case, policy) : []).map((v) => `${v.code}|${v.field}`));
  for (const v of validateCase(a.case, policy)) {
    if (!ENFORCED.has(v.code) || had.has(`${v.code}|${v.field}`)) continue;
    // A status move already explained why; do not say it twice.
    if (refusedMove && (v.code === "STATE_INCOMPLETE" || v.code === "APPROVAL_MISSING")) continue;
    if (reasons.some((r) => r.field === v.field && r.zh === v.zh)) continue;
    reasons.push({ field: v.field, code: v.code, zh: v.zh, en: v.en });
  }

  return reasons.length ? { ok: false, changed, reasons } : { ok: true, changed };
}

/**
 * Dates that record a step which may only happen after someone said yes: goods back after the return
 * authorisation (客户原因不可返修与产品无质量问题不可以退货,总经理同意除外; 在没有接到退货通知的情况下不可以拿退货),
 * a replacement's shipment after the customer-service manager (先补发 经客服经理确认后).
 */
function gatedDates(c: Case, changed: readonly string[], policy: Policy): EditReason[] {
  const out: EditReason[] = [];
  const unsigned = (code: string) => {
    const form = findNamed(policy.forms, code);
    return form ? missingAmong([form], c.signatures) : [];
  };
  if (changed.includes("goodsBackAt") && c.goodsBackAt !== undefined) {
    if (c.returnReason !== undefined && c.returnAuthorisedAt === undefined) {
      out.push({
        field: "goodsBackAt",
        code: "RETURN_NOT_AUTHORISED",
        zh: "没有退货通知,不可以拿退货(请先填写退货通知日期)",
        en: "No return notice yet: the goods may not be taken back (record the return authorisation first)",
      });
    }
    if (needsGmForReturn(c)) {
      for (const m of unsigned(FORM.ACCEPT_CUSTOMER_FAULT)) {
        const who = slotLabel(m.roles, policy);
        out.push({
          field: "goodsBackAt",
          code: "RETURN_NOT_AUTHORISED",
          zh: `客户原因不可返修或无质量问题的产品不可以退货,须《${m.form.zh}》${who.zh}签核同意`,
          en: `Customer-caused goods that cannot be repaired, or goods with no quality problem, may not come back without the ${who.en}'s sign-off on the ${m.form.en}`,
        });
      }
    }
  }
  if (changed.includes("replacementShippedAt") && c.replacementShippedAt !== undefined) {
    for (const m of unsigned(FORM.REPLACEMENT_FIRST)) {
      const who = slotLabel(m.roles, policy);
      out.push({
        field: "replacementShippedAt",
        code: "REPLACEMENT_UNCONFIRMED",
        zh: `先补发须经${who.zh}确认(《${m.form.zh}》未签核),不能填写补发日期`,
        en: `A replacement ships first only once the ${who.en} confirms (${m.form.en} unsigned); the ship date cannot be recorded`,
      });
    }
  }
  return out;
}

/** One line for the audit log and the notice: "中文 / English". */
export function reasonText(reasons: readonly EditReason[]): string {
  return `${reasons.map((r) => r.zh).join(";")} / ${reasons.map((r) => r.en).join("; ")}`;
}

/** The status label of a record, for messages. */
export function statusLabel(v: CellValue): string {
  const s = findNamed(STATES, v);
  return s ? `${s.zh} ${s.en}` : String(v ?? "");
}
