/**
 * complaint-ledger export 8d|reply|dossier LEDGER.xlsx CASENO -o FILE: a case's documents as files.
 * Exit 0 written, 1 refused (the blockers in both languages, no file written), 2 bad input.
 *
 * Each export, and each refusal, is an audit entry saved with the ledger
 * (atomically, refused when the file changed since it was read). The output
 * goes to a temporary file first and is renamed into place only after the
 * ledger is saved: never a document without its audit entry, never a half file.
 */
import { promises as fs } from "fs";
import path from "path";
import { DomainError } from "../../domain/errors";
import type { Evidence } from "../../domain/evidence";
import { Ledger, type CaseRow } from "../../ledger/service";
import { blockerLines, eightDDocument, replyDocument } from "../../reports/documents";
import type { ReportLang } from "../../reports/eightd";
import { needOut, usageError, type Command } from "../command";
import { exportJournal } from "../export-journal";

const WHAT = ["8d", "reply", "dossier", "journal"] as const;
type What = (typeof WHAT)[number];

export const exportCommand: Command = {
  summary: ["导出案件文件:8D报告、客户抱怨回复书(Word)、结案档案(zip)", "Export a case's documents: 8D, customer reply (Word), closed-case dossier (zip)"],
  usage:
    "complaint-ledger export 8d|reply LEDGER.xlsx CASENO -o FILE.docx [--lang zh|en] [--force] | export dossier LEDGER.xlsx CASENO -o FILE.zip [--force] | export journal LEDGER.xlsx --from DATE --to DATE -o FILE.csv [--layout NAME] [--again] [--force]",
  help: [
    "8d:8D报告(D0–D8、签核、证据清单、保密检查结论);reply:《客户抱怨回复书》;dossier:已结案案件的档案(案件一页表、审计记录及校验结论、8D与回复书、证据清单)。文件中只写台账记录的事实,未记录的部分写“待补充”并作为阻止项。--lang 选择文件语言。输出文件已存在时需加 --force。每次导出或拒绝都记入审计日志并保存台账。journal:期间内(按入账日)尚未导出的分录(费用明细、已入账且已审批的经销商扣款、已到账的供应商赔偿),每条一行,列与科目按设置表的凭证格式(--layout,默认第一个);每条导出的分录记入审计日志,不会再次导出;--again 连同已导出过的一并列出(不重复标记)。退出码:0 已写入,1 被拒绝(列出阻止项,不写文件),2 输入有误。",
    "8d: the 8D report (D0–D8, signatures, evidence list, the confidentiality check's verdict); reply: the customer complaint reply letter; dossier: a closed case's file (the case on one sheet, its audit entries with the chain's verdict, the 8D and reply, the evidence list). Documents state only what the ledger records; a part whose facts are missing says “to be completed” and blocks the export. --lang chooses the document's language. An existing output file needs --force. Every export or refusal is recorded in the audit log and the ledger saved. journal: the period's bookings (by booking date) not exported before — cost lines, dealer debits booked and approved, supplier credits received — one line each, columns and account codes from the Policy sheet's journal layout (--layout, default the first); each exported line is marked in the audit log and never exported again; --again lists those exported before too (marking nothing twice). Exit 0: written, 1: refused (blockers listed, no file written), 2: bad input.",
  ],
  options: {
    output: { value: true, alias: "o" },
    force: {},
    user: { value: true },
    from: { value: true },
    to: { value: true },
    layout: { value: true },
    again: {},
  },
  async run({ positional, options }, ctx) {
    const [what, file, caseNo, ...more] = positional;
    if (!WHAT.includes(what as What)) throw usageError("请指定 8d、reply、dossier 或 journal", "Say 8d, reply, dossier or journal");
    if (what === "journal") {
      if (!file) throw usageError("需要台账文件", "Give the ledger file");
      if (caseNo || more.length) throw usageError(`多余的参数:${[caseNo, ...more].join(" ")}`, `Unexpected arguments: ${[caseNo, ...more].join(" ")}`);
      return exportJournal(file, needOut(options), options, ctx);
    }
    if (!file || !caseNo) throw usageError("需要台账文件和客诉单号", "Give the ledger file and the case number");
    if (more.length) throw usageError(`多余的参数:${more.join(" ")}`, `Unexpected arguments: ${more.join(" ")}`);
    const out = needOut(options);
    const ext = what === "dossier" ? ".zip" : ".docx";
    if (path.extname(out).toLowerCase() !== ext) throw usageError(`输出文件应以 ${ext} 结尾`, `The output file should end in ${ext}`);
    if (!options.force && (await exists(out))) throw usageError(`${out} 已存在;要覆盖请加 --force`, `${out} exists; add --force to overwrite it`);
    const lang: ReportLang = ctx.lang;
    const user = typeof options.user === "string" && options.user ? options.user : ctx.io.env?.USER || "complaint-ledger";

    const { openLedgerFile, saveWorkbook } = await import("../../stores/xlsx/file");
    const { workbook, store, stamp } = await openLedgerFile(file, { now: ctx.now });
    const ledger = new Ledger(store, { now: ctx.now });
    await ledger.load();
    const row = ledger.find(caseNo);
    if (!row) throw new DomainError("NOT_FOUND", `${file} 中找不到客诉单 ${caseNo}`, `Case ${caseNo} is not in ${file}`);
    const today = ledger.today();
    const evidence = ledger.evidenceOf(caseNo);

    const made = await build(what as What, row, ledger, lang, today, evidence);
    const by = { name: user, source: "cli" as const };
    if (made.blockers.length) {
      ctx.err(ctx.t(`未导出 ${caseNo}:以下事项未完成`, `Not exported ${caseNo}: blocked by`));
      for (const l of blockerLines(made.blockers)) ctx.err(l);
      await ledger.record([
        {
          user: by.name,
          action: "DOCUMENT_REFUSED",
          caseNo,
          newValue: what,
          reason: `${made.blockers.map((b) => b.zh).join(";")} / ${made.blockers.map((b) => b.en).join("; ")}`,
        },
      ]);
      await saveWorkbook(workbook, file, { expect: stamp });
      return 1;
    }
    const tmp = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.${process.pid}.tmp`);
    await fs.writeFile(tmp, made.bytes);
    try {
      await ledger.record([
        {
          user: by.name,
          action: "DOCUMENT_EXPORTED",
          caseNo,
          newValue: `${what} ${lang} ${path.basename(out)}`,
          reason: made.note,
        },
      ]);
      await saveWorkbook(workbook, file, { expect: stamp });
      await fs.rename(tmp, out);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    ctx.out(ctx.t(`已写入 ${out}`, `Wrote ${out}`));
    return 0;
  },
};

async function exists(f: string): Promise<boolean> {
  return fs.stat(f).then(
    () => true,
    () => false,
  );
}

interface Made {
  bytes: Uint8Array;
  blockers: { zh: string; en: string }[];
  note: string;
}

async function build(what: What, row: CaseRow, ledger: Ledger, lang: ReportLang, today: number, evidence: Evidence[]): Promise<Made> {
  const { eightDDocx, replyDocx } = await import("../../reports/docx");
  const opts = { today, evidence };
  if (what === "8d") {
    const d = eightDDocument(row.case, ledger.policy, lang, opts);
    return { bytes: d.blockers.length ? new Uint8Array() : await eightDDocx(d), blockers: d.blockers, note: d.confidentiality };
  }
  if (what === "reply") {
    const d = replyDocument(row.case, ledger.policy, lang, opts);
    return { bytes: d.blockers.length ? new Uint8Array() : await replyDocx(d), blockers: d.blockers, note: "回复书已导出 / Reply letter exported" };
  }
  const { dossierZip } = await import("../dossier");
  return dossierZip(row, ledger, lang, today, evidence);
}
