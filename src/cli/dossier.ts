/**
 * A closed case's dossier (结案档案) as one .zip: the case on one sheet
 * (case.xlsx), its audit entries with the whole chain's verdict (audit.csv,
 * audit-verdict.txt), the 8D and the reply letter (.docx), the evidence list
 * (evidence.csv, links as recorded) and an index. Refused for an open case.
 * The documents go in even when they still have blockers: the dossier keeps
 * what was recorded, and the index lists what each document still lacks.
 */
import { Workbook } from "exceljs";
import { serialToIso } from "../domain/dates";
import { EVIDENCE_FIELDS, evidenceRow, type Evidence } from "../domain/evidence";
import { findNamed } from "../domain/policy/policy";
import { STATES } from "../domain/schema";
import type { CaseRow, Ledger } from "../ledger/service";
import { toCsv } from "../reports/csv";
import { blockerLines, documentFileName, eightDDocument, replyDocument } from "../reports/documents";
import { eightDDocx, replyDocx } from "../reports/docx";
import type { ReportLang } from "../reports/eightd";
import { ledgerColumns } from "../ledger/workbook-layout";
import { ZipWriter } from "../stores/xlsx/zip/zip-write";

export async function dossierZip(
  row: CaseRow,
  ledger: Ledger,
  lang: ReportLang,
  today: number,
  evidence: Evidence[],
): Promise<{ bytes: Uint8Array; blockers: { zh: string; en: string }[]; note: string }> {
  const c = row.case;
  const code = findNamed(STATES, c.status)?.code;
  if (code !== "CLOSED" && code !== "FOLLOWED_UP") {
    return {
      bytes: new Uint8Array(),
      blockers: [{ zh: "案件尚未结案:只有已结案的案件才能导出档案", en: "The case is not closed: only a closed case has a dossier" }],
      note: "",
    };
  }
  const caseNo = c.caseNo ?? "";
  const opts = { today, evidence };
  const eightD = eightDDocument(c, ledger.policy, lang, opts);
  const reply = replyDocument(c, ledger.policy, lang, opts);
  const verdict = await ledger.verifyAudit();
  const entries = ledger.auditEntries().filter((e) => e.caseNo.split(/\s+/).includes(caseNo));

  const parts: [string, Uint8Array | string][] = [];
  parts.push(["case.xlsx", await caseSheet(row, ledger)]);
  parts.push([
    "audit.csv",
    "\uFEFF" +
      toCsv([
        ["序号 Seq", "时间 Time", "用户 User", "操作 Action", "字段 Field", "原值 Old", "新值 New", "原因 Reason", "哈希 Hash"],
        ...entries.map((e) => [e.seq, e.at, e.user, e.action, e.field, e.oldValue, e.newValue, e.reason, e.hash]),
      ]),
  ]);
  const verdictText = verdict.ok
    ? `审计链完好:${verdict.entries} 条 / Audit chain intact: ${verdict.entries} entries`
    : [
        `审计链已被改动:${verdict.problems.length} 处 / Audit chain BROKEN: ${verdict.problems.length} problems`,
        ...verdict.problems.map((p) => `${p.zh} / ${p.en}`),
      ].join("\n");
  parts.push(["audit-verdict.txt", verdictText + "\n"]);
  parts.push([documentFileName("8d", caseNo, lang), await eightDDocx(eightD)]);
  parts.push([documentFileName("reply", caseNo, lang), await replyDocx(reply)]);
  parts.push([
    "evidence.csv",
    "\uFEFF" + toCsv([EVIDENCE_FIELDS.map((f) => `${f.zh} ${f.en}`), ...evidence.map((e) => evidenceRow(e).map((v) => (v === null ? "" : String(v))))]),
  ]);
  const index = [
    `${caseNo} 结案档案 / Dossier of ${caseNo} (${serialToIso(today)})`,
    "",
    ...parts.map(([n]) => `- ${n}`),
    "",
    verdictText,
    "",
    `8D: ${eightD.blockers.length ? "仍有待完成事项 / still open:" : "可发出 / ready"}`,
    ...blockerLines(eightD.blockers),
    `回复书 Reply: ${reply.blockers.length ? "仍有待完成事项 / still open:" : "可发出 / ready"}`,
    ...blockerLines(reply.blockers),
  ].join("\n");
  parts.unshift(["index.txt", index + "\n"]);

  const chunks: Buffer[] = [];
  const zip = new ZipWriter(async (b) => {
    chunks.push(b);
  });
  for (const [name, data] of parts) await zip.stream(name, [typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data)]);
  await zip.finish();
  return { bytes: new Uint8Array(Buffer.concat(chunks)), blockers: [], note: verdictText.split("\n")[0] };
}

/** The case's row as a one-page sheet: one field per line, header in both languages, value as the ledger shows it. */
async function caseSheet(row: CaseRow, ledger: Ledger): Promise<Uint8Array> {
  const wb = new Workbook();
  const ws = wb.addWorksheet(row.case.caseNo ?? "case");
  ws.columns = [{ width: 28 }, { width: 60 }];
  const cols = ledgerColumns(ledger.policy);
  for (const col of cols) {
    if (col.computed) continue;
    const v = row.record[col.key];
    if (v === null || v === undefined || v === "") continue;
    const r = ws.addRow([col.header, typeof v === "number" && col.field && /date/.test(col.field.type) ? serialToIso(Math.floor(v)) : String(v)]);
    r.getCell(2).alignment = { wrapText: true, vertical: "top" };
  }
  ws.pageSetup = { fitToPage: true, fitToWidth: 1, fitToHeight: 1 };
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
