/**
 * One case as a script sees it (`complaint-ledger case show --json`): its fields, its state, its clocks
 * (due, unit, estimate; a range's target beside its limit), the sign-offs it needs and lacks, its
 * violations and what still stands between it and the close.
 */
import { serialToIso } from "../domain/dates";
import { instantToSerial } from "../domain/zone";
import { documentsOf, missingAmong, signatureCovers } from "../domain/disposition";
import { closeChecklist, reachedState } from "../domain/lifecycle";
import { findNamed } from "../domain/policy/policy";
import { suggestSeverity } from "../domain/classify";
import { ledgerSchema, STATES } from "../domain/schema";
import { calendarFor, caseClocks } from "../domain/sla";
import { validateCase } from "../domain/validate";
import type { Ledger } from "./service";

export interface CaseReport {
  caseNo: string;
  state: { code: string; zh: string; en: string };
  /** The furthest state the case's data supports. */
  reached: string;
  fields: Record<string, string | number | boolean>;
  clocks: {
    clock: string;
    zh: string;
    en: string;
    unit: string;
    limit?: number;
    start?: string;
    /** When the clock is overdue: the limit. */
    due?: string;
    /** A range's earlier bound, shown beside the limit. */
    target?: string;
    done?: string;
    status?: string;
    estimate: boolean;
    problem?: { message_zh: string; message_en: string };
  }[];
  signatures: {
    required: { form: string; zh: string; en: string; slots: { roles: string[]; signedBy?: string; at?: string }[] }[];
    missing: { form: string; roles: string[] }[];
  };
  violations: { code: string; field: string; message_zh: string; message_en: string }[];
  closeChecklist: { state: string; field: string; message_zh: string; message_en: string }[];
  /** The severity the Policy sheet's criteria suggest, with the criterion; a suggestion, never set by itself. */
  severitySuggestion?: { severity: string; reason_zh: string; reason_en: string };
}

const iso = (x: number | undefined) => (x === undefined ? undefined : serialToIso(x));

export function caseReport(ledger: Ledger, caseNo: string, now: Date): CaseReport {
  const row = ledger.find(caseNo);
  if (!row) throw new Error(`case ${caseNo} not loaded`);
  const c = row.case;
  const policy = ledger.policy;
  const fields: CaseReport["fields"] = {};
  for (const f of ledgerSchema(policy)) {
    if (f.type === "signature") continue;
    const values: Record<string, unknown> = { ...c };
    const v = values[f.key];
    if (v === undefined) continue;
    fields[f.key] = (f.type === "date" || f.type === "datetime") && typeof v === "number" ? serialToIso(v) : (v as string | number | boolean);
  }
  const state = findNamed(STATES, c.status ?? "RECEIVED") ?? STATES[0];
  const today = instantToSerial(now, policy.settings.timeZone);
  const clocks = caseClocks(c, policy, calendarFor(policy), today).map((s) => ({
    clock: s.clock.code,
    zh: s.clock.zh,
    en: s.clock.en,
    unit: s.clock.unit,
    limit: s.limit,
    start: iso(s.start),
    due: iso(s.due),
    target: iso(s.target),
    done: iso(s.done),
    status: s.status,
    estimate: s.estimate === true,
    ...(s.problem ? { problem: { message_zh: s.problem.zh, message_en: s.problem.en } } : {}),
  }));
  const required = documentsOf(c, policy).map((f) => ({
    form: f.code,
    zh: f.zh,
    en: f.en,
    slots: f.signers.map((roles) => {
      const role = roles.find((r) => signatureCovers(c.signatures[r], f.code));
      const sig = role ? signatureCovers(c.signatures[role], f.code) : undefined;
      return { roles, ...(sig ? { signedBy: sig.name, at: serialToIso(sig.at) } : {}) };
    }),
  }));
  const suggested = suggestSeverity(c.defect, c.quantity, policy);
  return {
    ...(suggested ? { severitySuggestion: { severity: suggested.severity, reason_zh: suggested.reason.zh, reason_en: suggested.reason.en } } : {}),
    caseNo,
    state: { code: state.code, zh: state.zh, en: state.en },
    reached: reachedState(c, policy),
    fields,
    clocks,
    signatures: { required, missing: missingAmong(documentsOf(c, policy), c.signatures).map((m) => ({ form: m.form.code, roles: m.roles })) },
    violations: validateCase(c, policy).map((v) => ({ code: v.code, field: v.field, message_zh: v.zh, message_en: v.en })),
    closeChecklist: closeChecklist(c, policy).map((m) => ({ state: m.state, field: m.field, message_zh: m.zh, message_en: m.en })),
  };
}
