/**
 * Dispositions (处理方式, process.md §6) and the approvals (签核, §7) a case
 * needs: the forms its disposition requires plus those its situation adds
 * (8D, urgent handling, a customer-fault return, a replacement shipped first).
 */
import type { Case } from "./case";
import type { Bilingual } from "./errors";
import { findNamed, type ApprovalFormDef, type DispositionDef, type Policy } from "./policy";
import { responsibilityOf } from "./responsibility";

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
    return { zh: `"${d.zh}"需要退货回厂,本案没有退货`, en: `${d.code} needs the goods back; this case has no returned goods` };
  }
  if (d.groups.length > 0) {
    const group = responsibilityOf(c.responsibility, policy)?.group;
    if (!group || !d.groups.includes(group)) {
      return {
        zh: `"${d.zh}"只适用于责任类别:${d.groups.join("、")}`,
        en: `${d.code} only fits responsibility group ${d.groups.join(", ")}`,
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

/** Every form a case needs signed, from its disposition and its situation. */
export function requiredForms(c: Case, policy: Policy): ApprovalFormDef[] {
  const codes: string[] = [...(dispositionOf(c.disposition, policy)?.forms ?? [])];
  if (needs8D(c.severity, c.customerRequests8D, policy)) codes.push("EXTERNAL_8D");
  if (c.urgent) codes.push("URGENT");
  if (c.replacementFirst) codes.push("REPLACEMENT_FIRST");
  const group = responsibilityOf(c.responsibility, policy)?.group;
  if (c.kind === "RETURN" && group === "CUSTOMER") codes.push("ACCEPT_CUSTOMER_FAULT");
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

/** The slots of `forms` (a case's requiredForms) that `signatures` leaves unsigned. */
export function missingAmong(forms: readonly ApprovalFormDef[], signatures: Case["signatures"]): MissingApproval[] {
  const missing: MissingApproval[] = [];
  for (const form of forms) {
    for (const slot of form.signers) {
      if (!slot.some((role) => signatures[role])) missing.push({ form, roles: slot });
    }
  }
  return missing;
}

/** "副总裁或总经理" / "Vice president or General manager" for a slot. */
export function slotLabel(roles: string[], policy: Policy): Bilingual {
  const defs = roles.map((r) => findNamed(policy.roles, r));
  return {
    zh: defs.map((d, i) => d?.zh ?? roles[i]).join("或"),
    en: defs.map((d, i) => d?.en ?? roles[i]).join(" or "),
  };
}
