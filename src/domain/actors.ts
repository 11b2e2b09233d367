/**
 * Who must act on a case: the roles that usually do each step, and for the
 * close checklist the roles (and the people holding them) each missing item
 * waits on. One source for the pane's checklist and the sheet's change
 * handler, which names them when it undoes a close typed too early.
 */
import { missingApprovals } from "./disposition";
import type { Bilingual } from "./errors";
import { closeChecklist, type CloseItem, type State } from "./lifecycle";
import { findNamed, ROLE, type Policy } from "./policy/policy";
import { isSignatureKey, signatureKey } from "./schema";
import type { Case } from "./case";

/** Who usually acts at a step (role codes); approvals name their own signers. */
export const STEP_ROLES: Record<State, string[]> = {
  RECEIVED: [ROLE.SALES, ROLE.CS],
  GOODS_BACK: [ROLE.WAREHOUSE],
  JUDGED: [ROLE.CQE],
  RESPONSIBILITY: [ROLE.CQE],
  DISPOSITION: [ROLE.CQE, ROLE.QUALITY_MANAGER],
  APPROVED: [],
  EXECUTED: [ROLE.CQE, ROLE.WAREHOUSE],
  REPLIED: [ROLE.SALES, ROLE.CS],
  CLOSED: [ROLE.CQE],
  FOLLOWED_UP: [ROLE.SALES, ROLE.CS],
};

/** Step names as the procedures call the steps (the status column keeps its own past-tense labels). */
export const STEP_NAMES: Record<State, Bilingual> = {
  RECEIVED: { zh: "登记", en: "Received" },
  GOODS_BACK: { zh: "退货回厂", en: "Goods back" },
  JUDGED: { zh: "品质判定", en: "Quality judgement" },
  RESPONSIBILITY: { zh: "责任判定", en: "Responsibility" },
  DISPOSITION: { zh: "处理方案", en: "Disposition" },
  APPROVED: { zh: "签核", en: "Approvals" },
  EXECUTED: { zh: "执行", en: "Execution" },
  REPLIED: { zh: "回复客户", en: "Reply to customer" },
  CLOSED: { zh: "结案", en: "Closed" },
  FOLLOWED_UP: { zh: "跟踪", en: "Follow-up" },
};

/** Anyone with roles: the People sheet's rows, whatever layer read them. */
export interface RoleHolder {
  name: string;
  roles: readonly string[];
}

/** A role that must act, with its label and the active people holding it. */
export interface RoleWithPeople {
  role: string;
  label: Bilingual;
  people: string[];
}

/** A role with its label on the policy and the active people holding it. */
export function actorsOf(roles: readonly string[], policy: Policy, people: readonly RoleHolder[]): RoleWithPeople[] {
  return roles.map((role) => {
    const r = findNamed(policy.roles, role);
    return { role, label: { zh: r?.zh ?? role, en: r?.en ?? role }, people: people.filter((p) => p.roles.includes(role)).map((p) => p.name) };
  });
}

export interface CloseLine {
  item: CloseItem;
  step: Bilingual;
  /** Who must act: roles and the people holding them. */
  who: RoleWithPeople[];
}

/** The close checklist with, for each missing item, its step and who must act. */
export function closeLines(c: Case, policy: Policy, people: readonly RoleHolder[]): CloseLine[] {
  const approvals = missingApprovals(c, policy);
  return closeChecklist(c, policy).map((item) => {
    const roles = isSignatureKey(item.field)
      ? (approvals.find((m) => signatureKey(m.roles[0]) === item.field)?.roles ?? [item.field.slice(signatureKey("").length)])
      : item.field === "cost"
        ? [ROLE.CQE]
        : STEP_ROLES[item.state];
    return { item, step: STEP_NAMES[item.state], who: actorsOf(roles, policy, people) };
  });
}

/**
 * Everyone the close still waits on, in one line per language:
 * "CQE(李四)、质量经理" / "CQE (Li Si), Quality manager". Empty when nothing is missing.
 */
export function closeWaitsOn(c: Case, policy: Policy, people: readonly RoleHolder[]): Bilingual {
  const seen = new Map<string, RoleWithPeople>();
  for (const line of closeLines(c, policy, people)) for (const a of line.who) if (!seen.has(a.role)) seen.set(a.role, a);
  const named = [...seen.values()];
  return {
    zh: named.map((a) => (a.people.length ? `${a.label.zh}(${a.people.join("、")})` : a.label.zh)).join("、"),
    en: named.map((a) => (a.people.length ? `${a.label.en} (${a.people.join(", ")})` : a.label.en)).join(", "),
  };
}
