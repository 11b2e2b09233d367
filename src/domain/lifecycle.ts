/**
 * The case lifecycle (流程, process.md §4): states in order, what a case must
 * hold to be in each, and whether a move is allowed — with the reasons in both
 * languages when it is not. A state may be passed over only when it does not
 * apply to the case (no goods to receive, nothing to sign); passing over one
 * that applies is a skipped step and is refused.
 */
import type { Case } from "./case";
import type { Bilingual } from "./errors";
import { goodsReturned, missingAmong, missingReplyApprovals, needs8D, requiredForms, slotLabel } from "./disposition";
import { findNamed, type ApprovalFormDef, type Policy } from "./policy/policy";
import { chargeConflict } from "./responsibility";
import { caseField, REQUIRED_KEYS, signatureKey, STATES, type CaseKey } from "./schema";

export type State = "RECEIVED" | "GOODS_BACK" | "JUDGED" | "RESPONSIBILITY" | "DISPOSITION" | "APPROVED" | "EXECUTED" | "REPLIED" | "CLOSED" | "FOLLOWED_UP";

export const STATE_ORDER: readonly State[] = STATES.map((s) => s.code as State);

/** What is missing, tied to the field a person must fill. */
export interface Requirement extends Bilingual {
  field: string;
  /** Set by canMove on what belongs to a step the move would pass over. */
  skipped?: true;
}

function need(c: Case, key: CaseKey): Requirement[] {
  const v = c[key];
  if (v !== undefined && v !== null && v !== "") return [];
  const f = caseField(key);
  return [{ field: key, zh: `缺少${f.zh}`, en: `${f.en} is missing` }];
}

/**
 * What judging one case's states needs more than once: the approval forms it
 * requires (its disposition and situation), worked out at most once per case
 * while missingFor, canMove or reachedState walk the states.
 */
interface FormsMemo {
  forms?: ApprovalFormDef[];
}
const formsOf = (c: Case, policy: Policy, facts: FormsMemo) => (facts.forms ??= requiredForms(c, policy));

/** No signatures at all: whether the approval step applies is whether an unsigned case would lack any. */
const NO_SIGNATURES: Case["signatures"] = {};

/** Whether a state applies to this case at all. */
export function stateApplies(state: State, c: Case, policy: Policy): boolean {
  return applies(state, c, policy, {});
}

function applies(state: State, c: Case, policy: Policy, facts: FormsMemo): boolean {
  switch (state) {
    case "GOODS_BACK":
      return goodsReturned(c);
    case "DISPOSITION":
    case "EXECUTED":
      return c.confirmed !== false || goodsReturned(c);
    case "APPROVED":
      return missingAmong(formsOf(c, policy, facts), NO_SIGNATURES).length > 0;
    default:
      return true;
  }
}

/** What a case must hold to be in `state`, beyond the states before it. */
export function requirementsOf(state: State, c: Case, policy: Policy): Requirement[] {
  return requirements(state, c, policy, {});
}

function requirements(state: State, c: Case, policy: Policy, facts: FormsMemo): Requirement[] {
  switch (state) {
    case "RECEIVED":
      return REQUIRED_KEYS.flatMap((k) => need(c, k));
    case "GOODS_BACK":
      return need(c, "goodsBackAt");
    case "JUDGED":
      return [...need(c, "judgedAt"), ...need(c, "confirmed"), ...need(c, "severity")];
    case "RESPONSIBILITY": {
      const out = [...need(c, "responsibility"), ...need(c, "charge")];
      const conflict = chargeConflict(c.charge, c.responsibility, policy);
      if (conflict) out.push({ field: "charge", ...conflict });
      return out;
    }
    case "DISPOSITION":
      return need(c, "disposition");
    case "APPROVED":
      return missingAmong(formsOf(c, policy, facts), c.signatures).map((m) => {
        const who = slotLabel(m.roles, policy);
        return {
          field: signatureKey(m.roles[0]),
          zh: `《${m.form.zh}》缺少${who.zh}签核`,
          en: `${m.form.en} lacks the sign-off of ${who.en}`,
        };
      });
    case "EXECUTED":
      return need(c, "executedAt");
    case "REPLIED": {
      const out = need(c, "repliedAt");
      if (needs8D(c.severity, c.customerRequests8D, policy) && c.eightDStatus !== "SENT") {
        out.push({ field: "eightDStatus", zh: "需要8D报告,但8D尚未审核发送", en: "An 8D report is required but has not been reviewed and sent" });
      }
      // 处理措施经品质部经理及部长审核批准后…回复客户: every reply; the VP's 8D review when the case asks for it.
      for (const m of missingReplyApprovals(c, policy)) {
        const who = slotLabel(m.roles, policy);
        out.push({ field: signatureKey(m.roles[0]), zh: `《${m.form.zh}》缺少${who.zh}签核`, en: `${m.form.en} lacks the sign-off of ${who.en}` });
      }
      return out;
    }
    case "CLOSED":
      return [...flagSteps(c), ...need(c, "closedAt")];
    case "FOLLOWED_UP":
      return [...need(c, "followUpAt"), ...need(c, "satisfaction")];
  }
}

/**
 * Steps a case's own flags add before the close: 先补发 (客服部投诉建议) needs the first response, the
 * promised date and the replacement's shipment, and the part back where the part must come back.
 */
function flagSteps(c: Case): Requirement[] {
  if (c.replacementFirst !== true) return [];
  const partBack = c.market !== "INTERNATIONAL" || c.partBackRequired === true;
  return [...need(c, "firstResponseAt"), ...need(c, "replacementPromisedAt"), ...need(c, "replacementShippedAt"), ...(partBack ? need(c, "goodsBackAt") : [])];
}

/** Requirements not met, per applicable state, from the first state up to index `upTo`. */
function unmetUpTo(upTo: number, c: Case, policy: Policy): { state: State; missing: Requirement[] }[] {
  const facts: FormsMemo = {};
  const out: { state: State; missing: Requirement[] }[] = [];
  for (let i = 0; i <= upTo && i < STATE_ORDER.length; i++) {
    const state = STATE_ORDER[i];
    if (!applies(state, c, policy, facts)) continue;
    const missing = requirements(state, c, policy, facts);
    if (missing.length > 0) out.push({ state, missing });
  }
  return out;
}

/** Everything a case lacks to stand in `state`: the requirements of every applicable state up to it. */
export function missingFor(state: State, c: Case, policy: Policy): Requirement[] {
  return unmetUpTo(STATE_ORDER.indexOf(state), c, policy).flatMap((x) => x.missing);
}

export type MoveResult = { ok: true } | { ok: false; reasons: Requirement[] };

const stateName = (s: string) => findNamed(STATES, s);

/**
 * Whether a case may move from `from` to `to`, judged on the case as it
 * would be after the move. Moving back (reopening) is allowed; moving
 * forward needs every applicable step on the way complete.
 *
 * `canMove(c, "REPLIED", "CLOSED", policy)` → {ok: false, reasons: [{zh: "缺少结案日期", …}]}
 */
export function canMove(c: Case, from: string | undefined, to: string, policy: Policy): MoveResult {
  const target = stateName(to);
  if (!target) {
    return { ok: false, reasons: [{ field: "status", zh: `未知的状态"${to}"`, en: `Unknown status "${to}"` }] };
  }
  const a = from ? STATE_ORDER.indexOf((stateName(from)?.code ?? "RECEIVED") as State) : -1;
  const b = STATE_ORDER.indexOf(target.code as State);
  if (b <= a) return { ok: true };
  const reasons = unmetUpTo(b, c, policy).flatMap(({ state, missing }) => {
    if (STATE_ORDER.indexOf(state) === b) return missing;
    const name = stateName(state)!;
    return missing.map((m) => ({ field: m.field, zh: `不能跳过"${name.zh}":${m.zh}`, en: `Cannot skip "${name.en}": ${m.en}`, skipped: true as const }));
  });
  return reasons.length ? { ok: false, reasons } : { ok: true };
}

/** The furthest state a case's data supports: where its status should be. */
export function reachedState(c: Case, policy: Policy): State {
  let reached: State = "RECEIVED";
  const facts: FormsMemo = {};
  for (const s of STATE_ORDER) {
    if (!applies(s, c, policy, facts)) continue;
    if (requirements(s, c, policy, facts).length > 0) break;
    reached = s;
  }
  return reached;
}

/**
 * Where saving data moves a case by itself: the furthest state its data
 * supports, when further than `current` — but never into 结案 CLOSED, which
 * only the close action reaches (a close date typed earlier must not close
 * the case silently once the other dates arrive). Undefined: no move.
 */
export function autoAdvance(c: Case, current: string | undefined, policy: Policy): State | undefined {
  const from = STATE_ORDER.indexOf((stateName(current ?? "")?.code ?? "RECEIVED") as State);
  let to = STATE_ORDER.indexOf(reachedState(c, policy));
  const closed = STATE_ORDER.indexOf("CLOSED");
  if (from < closed && to >= closed) to = closed - 1;
  return to > from ? STATE_ORDER[to] : undefined;
}

/** One thing a case still lacks before it may close, with the step it belongs to. */
export interface CloseItem extends Requirement {
  state: State;
}

/**
 * What stands between a case and 结案: every requirement of every applicable
 * step up to the reply (steps, approvals, 8D, responsibility, free/charged).
 * Empty: the close action may close it. The close date itself is not on the
 * list; the action writes it.
 */
export function closeChecklist(c: Case, policy: Policy): CloseItem[] {
  const out: CloseItem[] = unmetUpTo(STATE_ORDER.indexOf("REPLIED"), c, policy).flatMap(({ state, missing }) => missing.map((m) => ({ ...m, state })));
  for (const m of flagSteps(c)) if (!out.some((x) => x.field === m.field)) out.push({ ...m, state: "CLOSED" });
  // Finance books a closed free/charged case by its cost (validate.ts COST_MISSING).
  if (c.charge && c.cost === undefined) {
    out.push({
      state: "CLOSED",
      field: "cost",
      zh: "缺少费用(收费/免费的案件结案前需填写)",
      en: "Cost is missing (a free/charged case needs it before closing)",
    });
  }
  return out;
}
