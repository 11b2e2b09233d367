/**
 * History is history (issue 13): a case adopted from a hand-kept ledger that
 * was already closed then (closed on or before the policy's `historyUntil`,
 * the adoption day) was handled outside this tool. Its clocks are judged
 * against the close: a step with no date of its own ended at the latest when
 * the case closed (MET or MISSED), and nothing of it runs or falls overdue
 * afterwards, so the managers' lists show live work, not years of history.
 */
import type { Case } from "./case";
import type { Policy } from "./policy/policy";

const CLOSED_STATES = new Set(["CLOSED", "FOLLOWED_UP"]);

/**
 * Whether a case is adopted history: its status is closed and it closed on or before `historyUntil`
 * (or carries no close date at all, when its result finished it before adoption).
 *
 * `isHistory({status: "CLOSED", closedAt: 45000, …}, {settings: {historyUntil: 45600, …}, …})` → true
 */
export function isHistory(c: Case, policy: Policy): boolean {
  const until = policy.settings.historyUntil;
  if (until === undefined || !CLOSED_STATES.has(c.status ?? "")) return false;
  return c.closedAt === undefined || Math.floor(c.closedAt) <= until;
}

/** The policy an adoption writes: cases closed by `until` (a serial day) are history. */
export function withHistoryUntil(policy: Policy, until: number): Policy {
  return { ...policy, settings: { ...policy.settings, historyUntil: Math.max(until, policy.settings.historyUntil ?? -Infinity) } };
}
