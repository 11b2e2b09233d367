/**
 * The documents a case sends out (issue 22): the 8D report and
 * 《客户抱怨回复书》, each with the list of what stops it from leaving.
 * Pure: the facts come from the case's fields and its evidence records;
 * docx.ts turns a document into a Word file.
 *
 * Blockers, in both languages: the review sign-offs the policy's external
 * form asks for (eightDBlockers), a missing containment record, every
 * section still "to be completed", and every confidential term not resolved.
 */
import type { Case } from "../domain/case";
import { serialToIso } from "../domain/dates";
import type { Bilingual } from "../domain/errors";
import { translator } from "../domain/errors";
import { evidenceLine, type Evidence } from "../domain/evidence";
import { findNamed, type Policy } from "../domain/policy/policy";
import { buildEightD, eightDBlockers, findConfidential, hitKey, TODO, unfilledSections, unresolvedHits, type EightDReport, type ReportLang } from "./eightd";

export interface Company {
  name: string;
  /** data: URI of the logo, or "" for none. */
  logo: string;
}

/** The company on a document in `lang`: the Policy sheet's name in that language, falling back to the other. */
export function companyOf(policy: Policy, lang: ReportLang): Company {
  const s = policy.settings;
  const name = lang === "zh" ? s.companyName || s.companyNameEn : s.companyNameEn || s.companyName;
  return { name: name ?? "", logo: s.companyLogo ?? "" };
}

/** A signature as printed: role, name, date ("" for a slot still empty). */
export interface SignatureLine {
  role: string;
  name: string;
  date: string;
}

/** The signature slots of the external report form (EXTERNAL_8D): one line per role that signs it. */
export function signatureLines(c: Case, policy: Policy, lang: ReportLang): SignatureLine[] {
  const form = findNamed(policy.forms, "EXTERNAL_8D");
  const roles = form ? [...new Set(form.signers.flat())] : [];
  return roles.map((r) => {
    const s = c.signatures[r];
    const def = findNamed(policy.roles, r);
    return { role: def ? def[lang] : r, name: s?.name ?? "", date: s ? serialToIso(Math.floor(s.at)) : "" };
  });
}

export interface EightDDocument {
  kind: "8d";
  report: EightDReport;
  company: Company;
  signatures: SignatureLine[];
  evidence: string[];
  /** The confidentiality check's verdict, in the report's language. */
  confidentiality: string;
  blockers: Bilingual[];
}

export interface DocOptions {
  today?: number;
  evidence?: readonly Evidence[];
  /** Confidential hits a person confirmed keeping (hitKey); the command line has none, so every hit blocks there. */
  kept?: ReadonlySet<string>;
  /** The report as edited in the pane; default: drafted from the case. */
  report?: EightDReport;
}

const CONTAINMENT_MISSING: Bilingual = {
  zh: "缺少围堵记录:未记录在制品、库存或留样的排查(D3)",
  en: "The containment record is missing: no check of work in progress, stock or retained samples is recorded (D3)",
};

/** The containment blocker, when none of `evidence` is a containment check. */
export const containmentBlockers = (evidence: readonly Evidence[]): Bilingual[] =>
  evidence.some((e) => e.kind === "CONTAINMENT") ? [] : [CONTAINMENT_MISSING];

/** The 8D as a document, with everything that stops it from leaving. */
export function eightDDocument(c: Case, policy: Policy, lang: ReportLang, opts: DocOptions = {}): EightDDocument {
  const ev = (opts.evidence ?? []).filter((e) => e.caseNo === c.caseNo);
  const report = opts.report ?? buildEightD(c, policy, lang, { today: opts.today, evidence: ev });
  const hits = findConfidential(report, policy.confidentialTerms);
  const open = unresolvedHits(hits, opts.kept ?? new Set());
  const t = translator(lang);
  const blockers: Bilingual[] = [...eightDBlockers(c, policy)];
  blockers.push(...containmentBlockers(ev));
  for (const id of unfilledSections(report)) {
    const s = report.sections.find((x) => x.id === id)!;
    blockers.push({ zh: `${id} 待补充:该部分的事实尚未记录`, en: `${id} to be completed: the facts of "${s.title}" are not recorded` });
  }
  for (const h of open) blockers.push({ zh: `保密词“${h.term}”出现在 ${h.where}`, en: `Confidential term "${h.term}" appears in ${h.where}` });
  const kept = hits.filter((h) => opts.kept?.has(hitKey(h)));
  const confidentiality =
    policy.confidentialTerms.length === 0
      ? t("保密检查:设置表未列出保密词", "Confidentiality check: the Policy sheet lists no confidential terms")
      : open.length
        ? t(`保密检查未通过:${open.map((h) => h.term).join("、")}`, `Confidentiality check failed: ${open.map((h) => h.term).join(", ")}`)
        : kept.length
          ? t(
              `保密检查通过(经确认保留:${kept.map((h) => h.term).join("、")})`,
              `Confidentiality check passed (kept on purpose: ${kept.map((h) => h.term).join(", ")})`,
            )
          : t(
              `保密检查通过:未发现 ${policy.confidentialTerms.length} 个保密词`,
              `Confidentiality check passed: none of ${policy.confidentialTerms.length} confidential terms found`,
            );
  return {
    kind: "8d",
    report,
    company: companyOf(policy, lang),
    signatures: signatureLines(c, policy, lang),
    evidence: ev.filter((e) => e.kind !== "STATEMENT").map((e) => evidenceLine(e, lang)),
    confidentiality,
    blockers,
  };
}

export interface ReplyDocument {
  kind: "reply";
  lang: ReportLang;
  caseNo: string;
  title: string;
  company: Company;
  header: [string, string][];
  /** Titled parts: what was found, what was done, the commitment and its date. */
  parts: { id: "FOUND" | "DONE" | "COMMITMENT"; title: string; text: string }[];
  signatures: SignatureLine[];
  blockers: Bilingual[];
}

const PART_TITLES = {
  FOUND: { zh: "一、调查结果", en: "1. What we found" },
  DONE: { zh: "二、已采取的措施", en: "2. What we have done" },
  COMMITMENT: { zh: "三、改善承诺", en: "3. Our commitment" },
} as const;

/** The newest STATEMENT for `section` in `lang` (or in any language). */
function statement(ev: readonly Evidence[], section: string, lang: ReportLang): Evidence | undefined {
  const mine = ev.filter((e) => e.kind === "STATEMENT" && (e.section === section || e.section === `${section}:${lang}`));
  return mine[mine.length - 1];
}

/**
 * 《客户抱怨回复书》: to the customer, about the case, what was found, what was
 * done, the commitment and its date, signed by the external form's signers.
 * Only recorded facts; a part without them is TODO and a blocker.
 */
export function replyDocument(c: Case, policy: Policy, lang: ReportLang, opts: DocOptions = {}): ReplyDocument {
  const t = translator(lang);
  const todo = TODO[lang];
  const ev = (opts.evidence ?? []).filter((e) => e.caseNo === c.caseNo);
  const date = (s: number | undefined) => (s === undefined ? "" : serialToIso(Math.floor(s)));
  const lines = (xs: (string | false | undefined)[]) => xs.filter((x): x is string => !!x).join("\n");
  const responsibility = findNamed(policy.responsibilities, c.responsibility);
  const disposition = findNamed(policy.dispositions, c.disposition);
  const of = (k: Evidence["kind"]) => ev.filter((e) => e.kind === k).map((e) => `- ${evidenceLine(e, lang)}`);

  const found =
    statement(ev, "FOUND", lang)?.caption ??
    lines([
      t(`不良现象:${c.defect ?? todo}`, `Defect reported: ${c.defect ?? todo}`),
      ...of("RETURN_INSPECTION"),
      c.confirmed === false && t("经调查,投诉不属实(未发现质量问题)", "Our investigation found no quality problem"),
      c.confirmed !== false && t(`原因:${c.rootCause ?? todo}`, `Cause: ${c.rootCause ?? todo}`),
      responsibility && t(`责任判定:${responsibility.zh}`, `Responsibility: ${responsibility.en}`),
    ]);
  const containment = [...of("ISOLATION"), ...of("CONTAINMENT")];
  const done =
    statement(ev, "DONE", lang)?.caption ??
    lines([
      disposition ? t(`处理方式:${disposition.zh}`, `Disposition: ${disposition.en}`) : t(`处理方式:${todo}`, `Disposition: ${todo}`),
      ...(containment.length ? containment : [t(`围堵措施:${todo}`, `Containment: ${todo}`)]),
      c.executedAt !== undefined && t(`执行完成日期:${date(c.executedAt)}`, `Carried out on ${date(c.executedAt)}`),
      ...of("RESHIP_INSPECTION"),
    ]);
  const promise = statement(ev, "COMMITMENT", lang);
  const commitment =
    promise?.caption && promise.due !== undefined
      ? t(`${promise.caption}\n完成期限:${date(promise.due)}`, `${promise.caption}\nBy: ${date(promise.due)}`)
      : t(`改善承诺及完成日期:${todo}`, `Commitment and its date: ${todo}`);
  const parts: ReplyDocument["parts"] = [
    { id: "FOUND", title: PART_TITLES.FOUND[lang], text: found },
    { id: "DONE", title: PART_TITLES.DONE[lang], text: done },
    { id: "COMMITMENT", title: PART_TITLES.COMMITMENT[lang], text: commitment },
  ];
  const blockers: Bilingual[] = [...eightDBlockers(c, policy)];
  if (!c.customer) blockers.push({ zh: "缺少客户名称", en: "The customer is not recorded" });
  for (const p of parts) {
    if (p.text.includes(TODO.zh) || p.text.includes(TODO.en)) {
      blockers.push({ zh: `${PART_TITLES[p.id].zh} 待补充`, en: `${PART_TITLES[p.id].en}: to be completed` });
    }
  }
  const hits = findConfidential(
    {
      lang,
      caseNo: c.caseNo ?? "",
      title: "",
      header: [],
      sections: parts.map((p, i) => ({ id: (["D2", "D5", "D7"] as const)[i], title: p.title, text: p.text })),
    },
    policy.confidentialTerms,
  );
  for (const h of unresolvedHits(hits, opts.kept ?? new Set()))
    blockers.push({ zh: `保密词“${h.term}”出现在回复书中`, en: `Confidential term "${h.term}" appears in the reply` });
  return {
    kind: "reply",
    lang,
    caseNo: c.caseNo ?? "",
    title: t("客户抱怨回复书", "Reply to Customer Complaint"),
    company: companyOf(policy, lang),
    header: [
      [t("致", "To"), c.customer ?? todo],
      [t("客诉单号", "Case No."), c.caseNo ?? ""],
      [t("产品名称", "Product"), c.product ?? ""],
      [t("料号", "Part No."), c.partNo ?? ""],
      [t("批号", "Batch"), c.batch ?? ""],
      [t("接收日期", "Received"), date(c.receivedAt)],
      [t("回复日期", "Date"), date(opts.today)],
    ],
    parts,
    signatures: signatureLines(c, policy, lang),
    blockers,
  };
}

/** "8D-KS-2026-0001-zh.docx" / "Reply-KS-2026-0001-en.docx": safe on every file system. */
export function documentFileName(kind: "8d" | "reply", caseNo: string, lang: ReportLang): string {
  return `${kind === "8d" ? "8D" : "Reply"}-${caseNo.replace(/[^\w.-]+/g, "_") || "case"}-${lang}.docx`;
}

/** Blockers as lines for a terminal or a refusal: each in both languages. */
export const blockerLines = (bs: readonly Bilingual[]): string[] => bs.map((b) => `- ${b.zh} / ${b.en}`);
