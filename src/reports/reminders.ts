/**
 * Messages the procedures call for (issue 22), composed from the ledger:
 *
 * - notices at the moment they apply: a new complaint → the production plant
 *   and planning (「当日立即知会生产厂」「知会给生管部」); a judgement → sales
 *   (「知会…业务部」). A notice is due once per case and kind until a MAIL_SENT
 *   audit entry records it, so a failed send is tried again next run;
 * - a daily digest per person: what waits for their signature, what is
 *   overdue, what falls due in the next two working days (their cases or
 *   cases waiting on them).
 *
 * Pure: recipients come from the People sheet's roles and e-mail column;
 * sending is the caller's (cli/commands/remind.ts, or a mailto: draft).
 */
import { serialToIso } from "../domain/dates";
import { findNamed, type Policy } from "../domain/policy/policy";
import { calendarFor } from "../domain/sla";
import type { AuditEntry } from "../ledger/audit";
import type { CaseRow, Person } from "../ledger/service";
import { caseFacts, type CaseFacts } from "./views";

export type MessageKind = "DIGEST" | "NOTICE_NEW" | "NOTICE_JUDGED";

export interface Message {
  kind: MessageKind;
  /** The key a MAIL_SENT entry records ("NOTICE_NEW:KS-2026-0001", "DIGEST:2026-06-30"), one per recipient. */
  key: string;
  to: { name: string; email?: string };
  subject: string;
  text: string;
  caseNos: string[];
}

/** Roles told of a new complaint: planning stands for 生管部, the receiving department's head for the production plant. */
export const NEW_COMPLAINT_ROLES = ["PLANNING_MANAGER", "RECEIVING_HEAD"];
export const JUDGEMENT_ROLES = ["SALES"];

/** Keys already sent to each person: "key|name" from the audit log's MAIL_SENT entries. */
export function sentKeys(entries: readonly AuditEntry[]): Set<string> {
  return new Set(entries.filter((e) => e.action === "MAIL_SENT").map((e) => `${e.field}|${e.newValue}`));
}

const holders = (people: readonly Person[], roles: readonly string[]) => people.filter((p) => !p.inactive && p.roles.some((r) => roles.includes(r)));

function caseLine(row: Pick<CaseRow, "case">, policy: Policy): string {
  const c = row.case;
  return (
    [c.caseNo, c.customer, c.product, c.defect].filter(Boolean).join(" · ") +
    (c.severity ? ` [${findNamed(policy.severities, c.severity)?.zh ?? c.severity}]` : "")
  );
}

/** Notices not yet sent: new complaints (logged by the add-in) and judgements, per recipient. */
export function notices(rows: readonly Pick<CaseRow, "case">[], people: readonly Person[], policy: Policy, audit: readonly AuditEntry[]): Message[] {
  const sent = sentKeys(audit);
  const added = new Set(audit.filter((e) => e.action === "CASE_ADDED").map((e) => e.caseNo));
  const out: Message[] = [];
  for (const row of rows) {
    const c = row.case;
    if (!c.caseNo) continue;
    // Most cases are due no notice: their line is made only for a message (50,000 cases; issue 26).
    if (!added.has(c.caseNo) && c.confirmed === undefined) continue;
    const line = caseLine(row, policy);
    if (added.has(c.caseNo)) {
      for (const p of holders(people, NEW_COMPLAINT_ROLES)) {
        const key = `NOTICE_NEW:${c.caseNo}`;
        if (sent.has(`${key}|${p.name}`)) continue;
        out.push({
          kind: "NOTICE_NEW",
          key,
          to: { name: p.name, email: p.email },
          subject: `【客诉通知】新客诉 ${c.caseNo} ${c.customer ?? ""} / New complaint ${c.caseNo}`.trim(),
          text: [
            `${p.name},您好:`,
            `新登记客诉,请当日知悉并安排:${line}`,
            c.quantity !== undefined ? `数量:${c.quantity}` : "",
            c.batch ? `批号:${c.batch}` : "",
            "",
            `A new complaint was logged: ${line}`,
          ]
            .filter((x) => x !== "")
            .join("\n"),
          caseNos: [c.caseNo],
        });
      }
    }
    if (c.confirmed !== undefined) {
      for (const p of holders(people, JUDGEMENT_ROLES)) {
        const key = `NOTICE_JUDGED:${c.caseNo}`;
        if (sent.has(`${key}|${p.name}`)) continue;
        const verdict = c.confirmed ? "属实 confirmed" : "不属实 not confirmed";
        out.push({
          kind: "NOTICE_JUDGED",
          key,
          to: { name: p.name, email: p.email },
          subject: `【客诉判定】${c.caseNo}:${c.confirmed ? "属实" : "不属实"} / Judgement ${c.caseNo}: ${c.confirmed ? "confirmed" : "not confirmed"}`,
          text: [`${p.name},您好:`, `客诉 ${line} 已判定:${verdict}`, c.rootCause ? `原因:${c.rootCause}` : "", "", `Case ${c.caseNo} was judged: ${verdict}`]
            .filter((x) => x !== "")
            .join("\n"),
          caseNos: [c.caseNo],
        });
      }
    }
  }
  return out;
}

/**
 * One digest per active person with something to act on: cases waiting for
 * their signature, their overdue cases, and their cases falling due in the
 * next two working days. Nobody with nothing to do gets mail.
 */
export function digests(
  rows: readonly Pick<CaseRow, "case">[],
  people: readonly Person[],
  policy: Policy,
  today: number,
  audit: readonly AuditEntry[] = [],
): Message[] {
  const cal = calendarFor(policy);
  const day = Math.floor(today);
  const horizon = cal.workday(day, 2);
  const facts: { row: Pick<CaseRow, "case">; f: CaseFacts; line?: string }[] = [];
  for (const row of rows) {
    if (!row.case.caseNo) continue;
    try {
      const f = caseFacts(row, policy, cal, today);
      // Nothing waiting for a signature and no clock running: in no one's digest (most closed cases).
      if (f.awaiting.length || f.running.length) facts.push({ row, f });
    } catch {
      // a clock without calendar data: nothing to say about its due dates
    }
  }
  const sent = sentKeys(audit);
  const key = `DIGEST:${serialToIso(day)}`;
  const out: Message[] = [];
  for (const p of people) {
    if (p.inactive || sent.has(`${key}|${p.name}`)) continue;
    const mine = (x: (typeof facts)[number]) => x.row.case.owner === p.name || x.f.awaiting.some((r) => p.roles.includes(r));
    const toSign = facts.filter((x) => x.f.open && x.f.awaiting.some((r) => p.roles.includes(r)));
    const overdue = facts.filter((x) => mine(x) && x.f.overdue);
    const dueSoon = facts.filter(
      (x) => mine(x) && !x.f.overdue && x.f.running.some((k) => k.due !== undefined && Math.floor(k.due) >= day && Math.floor(k.due) <= horizon),
    );
    if (!toSign.length && !overdue.length && !dueSoon.length) continue;
    const block = (zh: string, en: string, xs: typeof facts, due = false) =>
      xs.length
        ? [
            `${zh} / ${en} (${xs.length})`,
            ...xs.map(
              (x) =>
                `- ${(x.line ??= caseLine(x.row, policy))}${due && x.f.running[0]?.due !== undefined ? ` 到期 due ${serialToIso(Math.floor(x.f.running[0].due))}` : ""}`,
            ),
            "",
          ]
        : [];
    const caseNos = [...new Set([...toSign, ...overdue, ...dueSoon].map((x) => x.row.case.caseNo!))];
    out.push({
      kind: "DIGEST",
      key,
      to: { name: p.name, email: p.email },
      subject: `【客诉台账】${serialToIso(day)} 待办:待签核 ${toSign.length},已逾期 ${overdue.length},即将到期 ${dueSoon.length} / To do`,
      text: [
        `${p.name},您好:`,
        "",
        ...block("待您签核", "Waiting for your signature", toSign),
        ...block("已逾期", "Overdue", overdue, true),
        ...block("两个工作日内到期", "Due in the next two working days", dueSoon, true),
      ].join("\n"),
      caseNos,
    });
  }
  return out;
}

/** A message as a mailto: link (a prepared e-mail for people without an SMTP setup). */
export function mailtoOf(m: Message): string {
  const q = `subject=${encodeURIComponent(m.subject)}&body=${encodeURIComponent(m.text)}`;
  return `mailto:${m.to.email ? encodeURIComponent(m.to.email) : ""}?${q}`;
}
