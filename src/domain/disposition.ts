/**
 * Dispositions (处理方式, process.md §6) and the approvals (签核, §7) a case
 * needs: the forms its disposition requires plus those its situation adds
 * (8D, urgent handling, a customer-fault return, a replacement shipped first).
 */
import { quote } from "./text";
import type { Case } from "./case";
import type { Bilingual } from "./errors";
import type { Signature } from "./case";
import { findNamed, FORM, NEW_FORM, type ApprovalFormDef, type DispositionDef, type Policy } from "./policy/policy";
import { responsibilityOf } from "./responsibility";
import { buildWordIndex, foldClauses, scanWords, type WordEntry, type WordIndex } from "./wordmatch";
import { moneyForms } from "./money/money-rules";

/** Responsibility groups as people say them (codes stay for tools). */
export const GROUP_NAMES: Record<string, Bilingual> = {
  CUSTOMER: { zh: "客户原因", en: "the customer's" },
  INTERNAL: { zh: "公司内部", en: "internal" },
  SUPPLIER: { zh: "供应商", en: "the supplier's" },
  CARRIER: { zh: "承运商", en: "the carrier's" },
};

/** Whether a case needs an 8D report: a serious severity or the customer asked for one. */
export function needs8D(severity: string | undefined, customerRequested: boolean | undefined, policy: Policy): boolean {
  const sev = findNamed(policy.severities, severity)?.code;
  return (sev !== undefined && policy.settings.eightDSeverities.includes(sev)) || customerRequested === true;
}

/** Whether goods are (or will be) in the factory for this case. */
export function goodsReturned(c: Case): boolean {
  return c.goodsBackAt !== undefined || c.kind === "RETURN" || c.kind === "EXCHANGE" || c.kind === "LOAN";
}

export function dispositionOf(code: unknown, policy: Policy): DispositionDef | undefined {
  return findNamed(policy.dispositions, code);
}

/** Why a disposition does not fit the case, or undefined when it does. */
export function dispositionConflict(c: Case, code: string, policy: Policy): Bilingual | undefined {
  const d = dispositionOf(code, policy);
  if (!d) return { zh: `未知的处理方式"${code}"`, en: `Unknown disposition "${code}"` };
  if (d.needsGoods && !goodsReturned(c)) {
    return { zh: `"${d.zh}"需要退货回厂,本案没有退货`, en: `"${d.en}" needs the goods back; this case has no returned goods` };
  }
  if (d.groups.length > 0) {
    const group = responsibilityOf(c.responsibility, policy)?.group;
    if (!group || !d.groups.includes(group)) {
      return {
        zh: `"${d.zh}"只适用于责任类别:${d.groups.map((g) => GROUP_NAMES[g]?.zh ?? g).join("、")}`,
        en: `"${d.en}" only fits a responsibility that is ${d.groups.map((g) => GROUP_NAMES[g]?.en ?? g).join(" or ")}`,
      };
    }
  }
  return undefined;
}

/** The dispositions that fit a case, in policy order. */
export function allowedDispositions(c: Case, policy: Policy): DispositionDef[] {
  return policy.dispositions.filter((d) => !dispositionConflict(c, d.code, policy));
}

/** Signer slots of a disposition's forms, for APPROVALS(disposition). */
export function approvalsForDisposition(code: unknown, policy: Policy): { forms: ApprovalFormDef[]; slots: string[][] } | undefined {
  const d = dispositionOf(code, policy);
  if (!d) return undefined;
  const forms = d.forms.map((f) => findNamed(policy.forms, f)).filter((f): f is ApprovalFormDef => !!f);
  return { forms, slots: mergeSlots(forms) };
}

/** Slots of several forms, one per distinct role set: a quality manager who signs once covers all forms. */
function mergeSlots(forms: ApprovalFormDef[]): string[][] {
  const out: string[][] = [];
  for (const f of forms) {
    for (const slot of f.signers) {
      const key = [...slot].sort().join("|");
      if (!out.some((s) => [...s].sort().join("|") === key)) out.push(slot);
    }
  }
  return out;
}

/**
 * Return reasons that need the GM before the goods may come back: 客户原因不可返修与产品无质量问题不可以退货,
 * 总经理同意除外 (客退品处理流程/退仓单). A customer-caused return that can be repaired needs no GM.
 */
export const GM_RETURN_REASONS: readonly string[] = ["CUSTOMER_NOT_REPAIRABLE", "NO_FAULT"];

/** Whether the return authorisation needs the GM's consent (the ACCEPT_CUSTOMER_FAULT form). */
export const needsGmForReturn = (c: Case) => c.returnReason !== undefined && GM_RETURN_REASONS.includes(c.returnReason);

/** Every form a case needs signed before it is executed, from its disposition and its situation. */
export function requiredForms(c: Case, policy: Policy): ApprovalFormDef[] {
  const codes: string[] = [...(dispositionOf(c.disposition, policy)?.forms ?? [])];
  if (needs8D(c.severity, c.customerRequests8D, policy)) codes.push(FORM.EXTERNAL_8D);
  if (c.urgent) codes.push(FORM.URGENT);
  if (c.replacementFirst) codes.push(FORM.REPLACEMENT_FIRST);
  if (needsGmForReturn(c)) codes.push(FORM.ACCEPT_CUSTOMER_FAULT);
  return formsOfCodes(codes, policy);
}

/**
 * The documents a reply needs signed: 处理措施经品质部经理及部长审核批准后…回复客户 for every reply, and
 * 必要时报副总裁审阅 for an 8D the case marks for the VP (管理办法 5.3.4, 5.2.2.8).
 */
export function replyForms(c: Case, policy: Policy): ApprovalFormDef[] {
  const codes: string[] = [NEW_FORM.REPLY_REVIEW];
  if (c.eightDVpReview === true && needs8D(c.severity, c.customerRequests8D, policy)) codes.push(NEW_FORM.EIGHT_D_VP);
  return formsOfCodes(codes, policy);
}

/** Every document a case needs signed, in the order they fall due. */
export function documentsOf(c: Case, policy: Policy): ApprovalFormDef[] {
  return formsOfCodes(
    [...requiredForms(c, policy), ...replyForms(c, policy), ...moneyForms(c, policy)].map((f) => f.code),
    policy,
  );
}

/** Whether the urgent limit applies: the case is urgent and the leader's special approval is signed (紧急情况下经公司领导特批后可加急处理). */
export function urgentApproved(c: Case, policy: Policy): boolean {
  if (c.urgent !== true) return false;
  const form = findNamed(policy.forms, FORM.URGENT);
  return !!form && missingAmong([form], c.signatures).length === 0;
}

function formsOfCodes(codes: readonly string[], policy: Policy): ApprovalFormDef[] {
  const seen = new Set<string>();
  const forms: ApprovalFormDef[] = [];
  for (const code of codes) {
    const f = findNamed(policy.forms, code);
    if (f && !seen.has(f.code)) {
      seen.add(f.code);
      forms.push(f);
    }
  }
  return forms;
}

export interface MissingApproval {
  form: ApprovalFormDef;
  /** Any one of these roles may sign. */
  roles: string[];
}

/** The signatures a case still lacks. */
export function missingApprovals(c: Case, policy: Policy): MissingApproval[] {
  return missingAmong(requiredForms(c, policy), c.signatures);
}

/** The reply documents a case still lacks (the measures review, the VP's 8D review). */
export function missingReplyApprovals(c: Case, policy: Policy): MissingApproval[] {
  return missingAmong(replyForms(c, policy), c.signatures);
}

/**
 * Whether a role's signature approves a document: a signature names the documents it approves; one
 * that names none (written before signatures were by document, or by hand) approves every document.
 */
export function signatureCovers(sig: Signature | undefined, form: string): Signature | undefined {
  if (!sig) return undefined;
  return [sig, ...(sig.more ?? [])].find((s) => !s.forms || s.forms.includes(form));
}

/** The slots of `forms` (a case's requiredForms) that `signatures` leaves unsigned. */
export function missingAmong(forms: readonly ApprovalFormDef[], signatures: Case["signatures"]): MissingApproval[] {
  const missing: MissingApproval[] = [];
  for (const form of forms) {
    for (const slot of form.signers) {
      if (!slot.some((role) => signatureCovers(signatures[role], form.code))) missing.push({ form, roles: slot });
    }
  }
  return missing;
}

/** The fields a document must hold before it may be signed, missing on this case. */
export function missingContent(c: Case, form: ApprovalFormDef): string[] {
  const values: Record<string, unknown> = { ...c };
  return (form.requires ?? []).filter((k) => values[k] === undefined || values[k] === "");
}

/** "副总裁或总经理" / "Vice president or General manager" for a slot. */
export function slotLabel(roles: string[], policy: Policy): Bilingual {
  const defs = roles.map((r) => findNamed(policy.roles, r));
  return {
    zh: defs.map((d, i) => d?.zh ?? roles[i]).join("或"),
    en: defs.map((d, i) => d?.en ?? roles[i]).join(" or "),
  };
}

export type DispositionMatch =
  | { ok: true; code: string; matched: string[]; progress?: Progress }
  /** Only progress (处理中, 已结案): no disposition named. */
  | { ok: false; why: "STATE_ONLY"; progress: Progress; zh: string; en: string; candidates: string[] }
  | { ok: false; why: "EMPTY" | "UNKNOWN" | "NEGATED" | "CONFLICT"; progress?: Progress; zh: string; en: string; candidates: string[] };

/** What the text says of the case's progress in so many words: finished (已结案) or still running (处理中). */
export type Progress = "FINISHED" | "PENDING";

/** Words of a 处理结果 cell that say where the case stands, not what was done. */
const FINISHED_WORDS = ["已结案", "结案", "已完成", "完成", "已处理", "处理完毕", "已关闭", "关闭", "closed", "done", "completed", "finished"];
const PENDING_WORDS = ["处理中", "待处理", "进行中", "跟进中", "未处理", "待定", "未完成", "未结案", "待确认", "pending", "in progress", "open"];
const FINISHED = "FINISHED";
const PENDING = "PENDING";
const STRONG = 3;

/**
 * 处理结果 / 处理意见 text → a disposition code, read the way the
 * responsibility matcher reads causes (domain/wordmatch.ts): each
 * disposition's names and synonyms are decisive words, state words
 * (处理中, 已结案) say whether the case is finished. Ambiguous text (two
 * dispositions, a negation) gives no code, never a guess.
 *
 * `matchDisposition("已返修,已结案", policy)` → {ok: true, code: "REWORK", progress: "FINISHED", …}
 * `matchDisposition("处理中", policy)` → {ok: false, why: "STATE_ONLY", progress: "PENDING", …}
 */
export function matchDisposition(text: unknown, policy: Policy): DispositionMatch {
  const raw = text === null || text === undefined ? "" : String(text);
  if (raw.trim() === "") return { ok: false, why: "EMPTY", candidates: [], zh: "处理结果为空", en: "The result is empty" };
  const exact = dispositionOf(raw, policy);
  if (exact) return { ok: true, code: exact.code, matched: [raw] };
  const hits = scanWords(foldClauses(raw), dispositionIndex(policy));
  const pending = hits.some((h) => h.target === PENDING && !h.negated);
  const finishedWord = hits.some((h) => h.target === FINISHED && !h.negated);
  const progress: Progress | undefined = pending ? "PENDING" : finishedWord ? "FINISHED" : undefined;
  const named = hits.filter((h): h is typeof h & { target: DispositionDef } => typeof h.target !== "string");
  const negated = named.filter((h) => h.negated);
  if (negated.length) {
    const codes = [...new Set(negated.map((h) => h.target.code))];
    return {
      ok: false,
      why: "NEGATED",
      progress,
      candidates: codes,
      zh: `"${quote(raw)}"含否定,无法判断处理方式`,
      en: `"${quote(raw)}" is negated; cannot tell the disposition`,
    };
  }
  const codes = [...new Set(named.map((h) => h.target))];
  if (codes.length > 1) {
    return {
      ok: false,
      why: "CONFLICT",
      progress,
      candidates: codes.map((d) => d.code),
      zh: `"${quote(raw)}"同时写了多种处理方式:${codes.map((d) => d.zh).join("与")}`,
      en: `"${quote(raw)}" names several dispositions: ${codes.map((d) => d.code).join(" and ")}`,
    };
  }
  if (codes.length === 1) return { ok: true, code: codes[0].code, matched: named.map((h) => h.word), progress };
  if (progress) {
    return {
      ok: false,
      why: "STATE_ONLY",
      progress,
      candidates: [],
      zh: `"${quote(raw)}"只说明进度,未写处理方式`,
      en: `"${quote(raw)}" states progress only, not a disposition`,
    };
  }
  return { ok: false, why: "UNKNOWN", candidates: [], zh: `无法从"${quote(raw)}"判断处理方式`, en: `Cannot tell the disposition from "${quote(raw)}"` };
}

type DispTarget = DispositionDef | typeof FINISHED | typeof PENDING;
const dispIndexes = new WeakMap<readonly DispositionDef[], { seen: { d: DispositionDef; zh: string; n: number }[]; index: WordIndex<DispTarget> }>();

function dispositionIndex(policy: Policy): WordIndex<DispTarget> {
  const defs = policy.dispositions;
  const hit = dispIndexes.get(defs);
  if (hit && hit.seen.length === defs.length && hit.seen.every((s, i) => s.d === defs[i] && s.zh === defs[i].zh && s.n === defs[i].synonyms.length))
    return hit.index;
  const words: WordEntry<DispTarget>[] = [];
  for (const d of defs) {
    // "返工/返修" names two words; each says the same disposition.
    for (const w of [...d.zh.split("/"), ...d.synonyms, d.en]) words.push({ target: d, word: w, weight: STRONG });
  }
  for (const w of FINISHED_WORDS) words.push({ target: FINISHED, word: w, weight: 1 });
  for (const w of PENDING_WORDS) words.push({ target: PENDING, word: w, weight: 1 });
  const index = buildWordIndex(words);
  dispIndexes.set(defs, { seen: defs.map((d) => ({ d, zh: d.zh, n: d.synonyms.length })), index });
  return index;
}

/**
 * The external report's review still missing: the policy's EXTERNAL_8D form and, per unsigned slot, the roles
 * that may sign it (issue 27, item 4). One rule for the 已发送 Sent status (validate.ts) and for the export's
 * blockers (reports/eightd.ts); undefined when the policy has no such form or nothing is missing.
 */
export function eightDReviewMissing(c: Case, policy: Policy): { form: ApprovalFormDef; slots: Bilingual[][] } | undefined {
  const form = findNamed(policy.forms, FORM.EXTERNAL_8D);
  if (!form) return undefined;
  const missing = missingAmong([form], c.signatures);
  if (!missing.length) return undefined;
  return { form, slots: missing.map((m) => m.roles.map((r) => findNamed(policy.roles, r) ?? { zh: r, en: r })) };
}
