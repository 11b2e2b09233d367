/**
 * One case, and a whole ledger, → violations. The same list feeds the sheet's
 * problem marks, the task pane and `complaint-ledger check`.
 */
import type { ViolationCode } from "./codes";
import { isHistory } from "./history";
import { caseNoKey, readCase, type Case, type CellProblem, type CellValue } from "./case";
import { serialToIso } from "./dates";
import { dispositionConflict, eightDReviewMissing, needs8D } from "./disposition";
import { missingFor, type Requirement, type State, STATE_ORDER } from "./lifecycle";
import type { Policy } from "./policy/policy";
import { chargeConflict, responsibilityOf } from "./responsibility";
import { returnJudgementConflicts } from "./classify";
import { MONEY_AMOUNTS, moneyViolations } from "./money/money-rules";
import { caseField, isSignatureKey, type CaseKey, type DateKey } from "./schema";

export interface Violation {
  caseNo?: string;
  /** Stable code for tools: STATE_INCOMPLETE, CHARGE_CONFLICT… */
  code: ViolationCode;
  field: string;
  /** The message in both languages (the CLI's JSON names them message_zh / message_en). */
  zh: string;
  en: string;
}

const v = (code: ViolationCode, field: string, zh: string, en: string): Violation => ({ code, field, zh, en });

/** Step dates that must not precede the receipt, and pairs that must keep their order. */
const STEP_DATES = ["loggedAt", "firstResponseAt", "goodsBackAt", "judgedAt", "analysedAt", "executedAt", "repliedAt", "closedAt", "followUpAt"] as const;
/*
 * Goods back may follow the judgement: a complaint is judged on photos or
 * samples and its goods come back later (客诉 → 客退), whatever kind it is
 * by then; the judgement clock after goods back still runs from their date.
 */
const ORDER: [DateKey, DateKey][] = [
  ["judgedAt", "executedAt"],
  ["repliedAt", "closedAt"],
  ["executedAt", "closedAt"],
  ["closedAt", "followUpAt"],
];
const label = (key: CaseKey) => caseField(key);

/**
 * Dates that claim a step is done, and the step that must stand complete
 * first: a close date says everything up to the reply is done, a reply date
 * that the case was executed. Typed onto a case whose steps do not support
 * it, such a date would read as "closed on time" and later close the case by
 * itself; it is a violation of its own (the status check covers cases whose
 * status already claims the step).
 */
const CLAIMS: { key: "closedAt" | "repliedAt"; step: State; needs: State; code: ViolationCode }[] = [
  { key: "closedAt", step: "CLOSED", needs: "REPLIED", code: "CLOSE_DATE_UNSUPPORTED" },
  { key: "repliedAt", step: "REPLIED", needs: "EXECUTED", code: "REPLY_DATE_UNSUPPORTED" },
];

const list = (ms: readonly Requirement[], sep: string, lang: "zh" | "en") => ms.map((m) => m[lang]).join(sep);

/** What a dated claim lacks: the case's own state requirements up to `needs` (its status, when further, already says so). */
function unsupportedClaims(c: Case, status: State, policy: Policy): Violation[] {
  const out: Violation[] = [];
  for (const claim of CLAIMS) {
    if (c[claim.key] === undefined || STATE_ORDER.indexOf(status) >= STATE_ORDER.indexOf(claim.step)) continue;
    const missing = missingFor(claim.needs, c, policy);
    if (missing.length === 0) continue;
    const f = label(claim.key);
    out.push(
      v(
        claim.code,
        claim.key,
        `已填${f.zh},但案件尚未完成:${list(missing, ";", "zh")}`,
        `${f.en} is filled in, but the case is not finished: ${list(missing, "; ", "en")}`,
      ),
    );
  }
  // "Sent" claims the external report was reviewed: the signatures the policy's 8D form needs
  // (from 已签核 on, the status check already lists them as missing approvals).
  const approvalsClaimed = STATE_ORDER.indexOf(status) >= STATE_ORDER.indexOf("APPROVED");
  const review =
    !approvalsClaimed && c.eightDStatus === "SENT" && needs8D(c.severity, c.customerRequests8D, policy) ? eightDReviewMissing(c, policy) : undefined;
  if (review) {
    const { form, slots } = review;
    out.push(
      v(
        "EIGHT_D_SENT_UNSIGNED",
        "eightDStatus",
        `8D状态为"已发送",但《${form.zh}》缺少${slots.map((rs) => rs.map((r) => r.zh).join("或")).join("、")}签核`,
        `The 8D status is "Sent", but the ${form.en} lacks the sign-off of ${slots.map((rs) => rs.map((r) => r.en).join(" or ")).join(", ")}`,
      ),
    );
  }
  return out;
}

/** Rule violations of one case. */
export function validateCase(c: Case, policy: Policy): Violation[] {
  const out: Violation[] = [];

  // Status: everything the current status implies must be there, except for adopted history, closed
  // before the ledger existed: its steps were never recorded here (domain/history.ts).
  const status = (c.status ?? "RECEIVED") as State;
  const history = isHistory(c, policy);
  if (STATE_ORDER.includes(status) && !history) {
    for (const m of missingFor(status, c, policy)) {
      // A marking that conflicts with the responsibility is reported once, below, at any status.
      if (m.field === "charge" && c.charge) continue;
      out.push(v(isSignatureKey(m.field) ? "APPROVAL_MISSING" : "STATE_INCOMPLETE", m.field, m.zh, m.en));
    }
  }

  // History is asked for no signature its sheet never had (the 8D's sign-offs), as for no step.
  if (STATE_ORDER.includes(status) && !history) out.push(...unsupportedClaims(c, status, policy));

  if (c.charge && !c.responsibility) {
    out.push(v("CHARGE_WITHOUT_RESPONSIBILITY", "charge", "已标记收费/免费但没有责任判定", "Free/charged is marked without a responsibility"));
  }
  const conflict = chargeConflict(c.charge, c.responsibility, policy);
  if (conflict) out.push(v("CHARGE_CONFLICT", "charge", conflict.zh, conflict.en));

  const group = responsibilityOf(c.responsibility, policy)?.group;
  if (c.confirmed === false && group && group !== "CUSTOMER") {
    out.push(
      v(
        "UNCONFIRMED_INTERNAL",
        "responsibility",
        "投诉不属实,责任却判给了公司内部或供应商",
        "Complaint not confirmed, yet responsibility is internal or the supplier's",
      ),
    );
  }

  for (const x of returnJudgementConflicts(c)) out.push(v("RETURN_JUDGEMENT_CONFLICT", "returnJudgement", x.zh, x.en));

  if (c.disposition) {
    const conflict = dispositionConflict(c, c.disposition, policy);
    if (conflict) out.push(v("DISPOSITION_MISFIT", "disposition", conflict.zh, conflict.en));
  }

  // A cost is asked of cases closed in the ledger; adopted history that recorded none never had one to give.
  if (c.charge && c.cost === undefined && STATE_ORDER.indexOf(status) >= STATE_ORDER.indexOf("CLOSED") && !history) {
    out.push(v("COST_MISSING", "cost", "已结案的收费/免费案件缺少费用", "A closed free/charged case has no cost"));
  }
  for (const x of moneyViolations(c, policy)) out.push(v(x.code, x.field, x.zh, x.en));
  for (const key of ["quantity", "cost", ...MONEY_AMOUNTS] as const) {
    const n = c[key];
    if (n !== undefined && n < 0) out.push(v("NEGATIVE", key, `${label(key).zh}不能为负数`, `${label(key).en} cannot be negative`));
  }

  if (c.receivedAt !== undefined) {
    const day = Math.floor(c.receivedAt);
    for (const key of STEP_DATES) {
      const d = c[key];
      if (d !== undefined && Math.floor(d) < day) {
        out.push(
          v(
            "DATE_BEFORE_RECEIPT",
            key,
            `${label(key).zh}(${serialToIso(d)})早于接收时间(${serialToIso(day)})`,
            `${label(key).en} (${serialToIso(d)}) is before the case was received (${serialToIso(day)})`,
          ),
        );
      }
    }
  }
  if (c.shipDate !== undefined && c.receivedAt !== undefined && Math.floor(c.shipDate) > Math.floor(c.receivedAt)) {
    out.push(
      v(
        "SHIP_DATE_AFTER_RECEIPT",
        "shipDate",
        `出货日期(${serialToIso(Math.floor(c.shipDate))})晚于接收时间,客诉的货物应已出货`,
        `Ship date (${serialToIso(Math.floor(c.shipDate))}) is after the case was received; the goods must have shipped before`,
      ),
    );
  }
  for (const [a, b] of ORDER) {
    const x = c[a];
    const y = c[b];
    if (x !== undefined && y !== undefined && Math.floor(y) < Math.floor(x)) {
      out.push(v("DATE_ORDER", b, `${label(b).zh}早于${label(a).zh}`, `${label(b).en} is before ${label(a).en}`));
    }
  }
  return out.map((x) => ({ caseNo: c.caseNo, ...x }));
}

export interface LedgerCheck {
  cases: number;
  violations: Violation[];
}

/**
 * A whole ledger: every row read and validated, plus what only shows across
 * rows (duplicate case numbers). Cells that cannot be read are violations too
 * (code BAD_VALUE), so nothing typed wrong passes silently.
 */
export function validateLedger(rows: Record<string, CellValue>[], policy: Policy, opts: { defaultYear?: number } = {}): LedgerCheck {
  return validateRead(
    rows.map((row) => readCase(row, policy, opts)),
    policy,
  );
}

/** A value that is there but unreadable (a cached #DIV/0!, "1.234,50", a formula never calculated) is listed as what it is, not also as missing. */
export const unreadableNotMissing = (v: Violation, problems: readonly CellProblem[]): boolean =>
  v.code === "COST_MISSING" && problems.some((p) => p.field === v.field);

/** validateLedger for rows already read (the service reads each row once and keeps it). */
export function validateRead(rows: readonly { case: Case; problems: CellProblem[] }[], policy: Policy): LedgerCheck {
  return validateEach(rows.length, (i) => rows[i], policy);
}

/** validateRead of `count` rows read one at a time (`readAt(0)`, `readAt(1)`…): no row's case is held past its turn. */
export function validateEach(count: number, readAt: (i: number) => { case: Case; problems: CellProblem[] }, policy: Policy): LedgerCheck {
  const violations: Violation[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const { case: c, problems } = readAt(i);
    const caseNo = c.caseNo ?? `#${i + 1}`;
    for (const p of problems) {
      violations.push({ caseNo, code: p.code ?? "BAD_VALUE", field: p.field, zh: p.zh, en: p.en });
    }
    if (c.caseNo) {
      // The same number typed with other separators or case (KS2025-0001, ks-2025-0001) is the same number.
      const key = caseNoKey(c.caseNo);
      const first = seen.get(key);
      if (first !== undefined) {
        violations.push({
          caseNo,
          code: "DUPLICATE_CASE_NO",
          field: "caseNo",
          zh: `客诉单号重复(与第 ${first + 1} 行相同)`,
          en: `Duplicate case number (same as row ${first + 1})`,
        });
      } else seen.set(key, i);
    }
    for (const x of validateCase(c, policy)) if (!unreadableNotMissing(x, problems)) violations.push({ ...x, caseNo });
  }
  return { cases: count, violations };
}
