/**
 * Test cases built the way people fill them: a case complete up to a state,
 * as the cells the sheet shows (records.ts cellOf), so tests of enforcement,
 * the service and the adapters start from realistic rows instead of
 * hard-coded positions.
 */
import type { Case } from "../../src/domain/case";
import { ymdToSerial } from "../../src/domain/dates";
import { missingApprovals, missingReplyApprovals, needs8D } from "../../src/domain/disposition";
import { STATE_ORDER, type State } from "../../src/domain/lifecycle";
import type { Policy } from "../../src/domain/policy/policy";
import { ledgerSchema, signatureKey } from "../../src/domain/schema";
import { cellOf, type CaseRecord } from "../../src/ledger/records";

export const RECEIVED_AT = ymdToSerial(2026, 3, 2) + 9 / 24;

/** A case holding everything its steps need up to `state` (and the status set to it), then `overrides`. */
export function caseAt(state: State, policy: Policy, overrides: Partial<Case> = {}): Case {
  const at = (n: number) => Math.floor(RECEIVED_AT) + n;
  const reach = (s: State) => STATE_ORDER.indexOf(state) >= STATE_ORDER.indexOf(s);
  let c: Case = {
    caseNo: "KS-2026-0001",
    kind: "RETURN",
    receivedAt: RECEIVED_AT,
    customer: "华为",
    product: "支架",
    defect: "表面划伤",
    customerClass: "B",
    market: "DOMESTIC",
    severity: "MINOR",
    quantity: 20,
    status: state,
    signatures: {},
  };
  if (reach("GOODS_BACK")) c.goodsBackAt = at(1);
  if (reach("JUDGED")) Object.assign(c, { judgedAt: at(2), confirmed: true });
  if (reach("RESPONSIBILITY")) Object.assign(c, { responsibility: "QC", charge: "FREE" });
  if (reach("DISPOSITION")) c.disposition = "REWORK";
  c = { ...c, ...overrides, signatures: { ...c.signatures, ...(overrides.signatures ?? {}) } };
  if (reach("APPROVED")) {
    for (const m of missingApprovals(c, policy)) c.signatures[m.roles[0]] = { name: "签核人", at: at(3) };
  }
  if (reach("EXECUTED")) c.executedAt = at(5);
  if (reach("REPLIED")) {
    // 处理措施经品质部经理及部长审核: every reply's measures are reviewed first.
    for (const m of missingReplyApprovals(c, policy)) c.signatures[m.roles[0]] = { name: "审核人", at: at(6) };
    c.repliedAt = at(6);
    if (needs8D(c.severity, c.customerRequests8D, policy)) c.eightDStatus = "SENT";
  }
  if (reach("CLOSED")) Object.assign(c, { closedAt: at(7), cost: 100 });
  if (reach("FOLLOWED_UP")) Object.assign(c, { followUpAt: at(20), satisfaction: "SATISFIED" });
  return { ...c, ...overrides, signatures: { ...c.signatures, ...(overrides.signatures ?? {}) } };
}

/** A case as the cells of its ledger row, keyed by field. */
export function recordOf(c: Case, policy: Policy): CaseRecord {
  const rec: CaseRecord = {};
  for (const f of ledgerSchema(policy)) {
    const v = f.type === "signature" ? c.signatures[f.role!] : (c as unknown as Record<string, unknown>)[f.key];
    rec[f.key] = cellOf(f, v, policy);
  }
  return rec;
}

export const signatureOf = signatureKey;
