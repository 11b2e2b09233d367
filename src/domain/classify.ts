/**
 * Classification the procedures define and people decide: a severity suggested from the defect's words
 * and counts (客退品处理流程 附件1, 管理办法 3.7), never set silently; the consequences of the
 * 销退品 / 帮修品 / 只退不补品 judgement; and the small duties kept by counting (乐捐 fines, retention).
 */
import type { Case } from "./case";
import type { Bilingual } from "./errors";
import { findNamed, normalizeText, type Policy } from "./policy/policy";

export type { SeverityCriterion } from "./policy/policy";

const CN_DIGITS: Record<string, number> = { 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** The count written just before `at` in `text` ("3个", "三处", "5 pcs "): undefined when none. */
function countBefore(text: string, at: number): number | undefined {
  const before = text.slice(Math.max(0, at - 8), at);
  const m = /(\d+|[一两二三四五六七八九十])\s*(?:个|处|只|件|pcs|套|粒)?\s*(?:以上)?\s*(?:的)?\s*$/i.exec(before);
  if (!m) return undefined;
  return /\d/.test(m[1]) ? Number(m[1]) : CN_DIGITS[m[1]];
}

export interface SeveritySuggestion {
  severity: string;
  /** The criterion that decided, in words, for the person who decides. */
  reason: Bilingual;
}

/**
 * The severity the criteria suggest for a defect text: the first criterion whose word appears (with its
 * count, where it asks one; a count not written falls back to the case's quantity). Undefined when none
 * speaks. A suggestion only: the severity stays whatever a person set.
 *
 * `suggestSeverity("3个模具刻字错误", undefined, policy)` → {severity: "SERIOUS", reason: {zh: "…三个及以上的模具刻字错误…"}}
 */
export function suggestSeverity(defect: string | undefined, quantity: number | undefined, policy: Policy): SeveritySuggestion | undefined {
  if (!defect) return undefined;
  const text = normalizeText(defect);
  for (const c of policy.severityCriteria) {
    const found = c.words.map((w) => ({ w, at: text.indexOf(normalizeText(w)) })).filter((x) => x.at >= 0);
    if (found.length === 0) continue;
    if (c.minCount !== undefined) {
      // The count written before any of the criterion's words: "2个模具刻字错误" says two, also where its shorter
      // word 刻字错误 is found (nothing written right before it), so the case's quantity does not count then.
      const n = found.map((x) => countBefore(text, x.at)).find((x) => x !== undefined) ?? quantity;
      if (n === undefined || n < c.minCount) continue;
    }
    const { w } = found[0];
    const sev = findNamed(policy.severities, c.severity);
    return {
      severity: sev?.code ?? c.severity,
      reason: {
        zh: `"${w}"${c.minCount !== undefined ? `(${c.minCount}个及以上)` : ""} → ${sev?.zh ?? c.severity}:${c.source}`,
        en: `"${w}"${c.minCount !== undefined ? ` (${c.minCount} or more)` : ""} → ${sev?.en ?? c.severity} (severity criteria, Policy sheet)`,
      },
    };
  }
  return undefined;
}

/**
 * What a 销退 / 帮修 / 只退不补 judgement implies, as conflicts with the rest of the case:
 * 帮修品 is repaired at the customer's cost (由业务和客户进行沟通返修及付费事宜), so it is charged;
 * 只退不补品 gets no replacement (not 先补发, not remade); 销退品 is taken back as a sale returned.
 */
export function returnJudgementConflicts(c: Case): Bilingual[] {
  const out: Bilingual[] = [];
  if (c.returnJudgement === "REPAIR_FOR_CUSTOMER" && c.charge === "FREE") {
    out.push({ zh: "帮修品由客户付费返修,不能标记免费", en: "Goods repaired for the customer are repaired at the customer's cost; they cannot be free" });
  }
  if (c.returnJudgement === "RETURN_NO_REPLACEMENT" && (c.replacementFirst === true || c.disposition === "REMAKE")) {
    out.push({ zh: "只退不补品不补货(不能先补发或重做补货)", en: "A return with no replacement gets none (no replacement first, no remake)" });
  }
  return out;
}

/** Refused edits per person and month, from the audit log's refusals the policy names as finable (乐捐20元每次). */
export interface FineLine {
  user: string;
  /** "2026-03" */
  month: string;
  count: number;
  amount: number;
}

export function fineTally(entries: readonly { user: string; action: string; time: string }[], policy: Policy): FineLine[] {
  const { finableActions, finePerViolation } = policy.settings;
  const lines = new Map<string, FineLine>();
  for (const e of entries) {
    if (!finableActions.includes(e.action) || !e.user) continue;
    const month = e.time.slice(0, 7);
    const key = `${e.user}\u0000${month}`;
    const line = lines.get(key) ?? { user: e.user, month, count: 0, amount: 0 };
    line.count++;
    line.amount = line.count * finePerViolation;
    lines.set(key, line);
  }
  return [...lines.values()].sort((a, b) => a.month.localeCompare(b.month) || a.user.localeCompare(b.user));
}

/** Whether a closed case's records are past the retention period on the Policy sheet (品质部备份存档). */
export function pastRetention(c: Case, policy: Policy, today: number): boolean {
  const years = policy.settings.retentionYears;
  if (!years || c.closedAt === undefined) return false;
  return Math.floor(today) - Math.floor(c.closedAt) > years * 365.25;
}
