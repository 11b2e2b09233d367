/**
 * The 8D report (8D报告, process.md §2) drafted from a case, and the
 * confidentiality check (保密原则) that must pass before it leaves the
 * company. Pure: no DOM, no Office, no I/O. The task pane shows the draft,
 * lets people edit each section, and exports the same report as worksheet
 * rows (`eightDRows`) or a stand-alone HTML document (`eightDHtml`).
 *
 * The case holds facts (defect, root cause, disposition, dates, sign-offs);
 * the narrative a customer reads (containment, corrective and preventive
 * actions) is drafted from them with "to be completed" marks, never invented.
 */
import { inLang, translator } from "../domain/errors";
import type { Case, CellValue } from "../domain/case";
import { serialToIso } from "../domain/dates";
import { findNamed, type Named, type Policy } from "../domain/policy/policy";
import { eightDReviewMissing } from "../domain/disposition";
import { STATE_ORDER, type State } from "../domain/lifecycle";
import { caseField, KINDS, STATES, type CaseKey } from "../domain/schema";
import { evidenceLine, type Evidence } from "../domain/evidence";

export type ReportLang = "zh" | "en";

export const EIGHT_D_IDS = ["D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"] as const;
export type EightDId = (typeof EIGHT_D_IDS)[number];

export interface EightDSection {
  id: EightDId;
  title: string;
  text: string;
}

export interface EightDReport {
  lang: ReportLang;
  caseNo: string;
  title: string;
  /** Label/value pairs printed above the sections. */
  header: [string, string][];
  sections: EightDSection[];
}

const TITLES: Record<EightDId, { zh: string; en: string }> = {
  D1: { zh: "D1 成立小组", en: "D1 Team" },
  D2: { zh: "D2 问题描述", en: "D2 Problem description" },
  D3: { zh: "D3 临时围堵措施", en: "D3 Containment actions" },
  D4: { zh: "D4 根本原因分析", en: "D4 Root cause" },
  D5: { zh: "D5 永久纠正措施", en: "D5 Permanent corrective actions" },
  D6: { zh: "D6 实施与效果验证", en: "D6 Implementation and verification" },
  D7: { zh: "D7 预防再发生", en: "D7 Prevent recurrence" },
  D8: { zh: "D8 结案与确认", en: "D8 Closure and recognition" },
};

/** The words "to be completed" a reviewer searches for before sending: a section whose facts are not recorded says so. */
export const TODO: Record<ReportLang, string> = { zh: "(待补充)", en: "(to be completed)" };

const date = (s: number | undefined) => (s === undefined ? "" : serialToIso(Math.floor(s)));
const named = (list: readonly Named[], code: string | undefined, lang: ReportLang) => {
  const hit = findNamed(list, code);
  return hit ? inLang(hit, lang) : (code ?? "");
};
const lines = (xs: (string | false | undefined)[]) => xs.filter((x): x is string => !!x).join("\n");

export interface EightDOptions {
  /** The report's date (a serial day); pinned by the caller, never read from the clock here. */
  today?: number;
  /** The case's evidence records (domain/evidence.ts); statements of kind STATEMENT replace a section's drafted text. */
  evidence?: readonly Evidence[];
}

/**
 * Drafts the 8D report of a case in one language, from recorded facts only:
 * the case's fields and its evidence records. Nothing is inferred from a
 * date (a goods-back date says when goods came back, not that they were
 * isolated; an execution date says when, not how it was verified). A fact
 * that is not recorded prints as TODO and the export lists it as a blocker.
 * A section someone wrote and saved (a STATEMENT record, newest wins) is printed as written.
 *
 * `buildEightD(c, policy, "zh").sections[1]` → {id: "D2", title: "D2 问题描述", text: "不良现象:外壳开裂\n…"}
 */
export function buildEightD(c: Case, policy: Policy, lang: ReportLang, opts: EightDOptions = {}): EightDReport {
  const t = translator(lang);
  const ev = (opts.evidence ?? []).filter((e) => e.caseNo === c.caseNo);
  const drafted = draftSections(c, policy, lang, ev);
  const written = writtenSections(ev);
  return {
    lang,
    caseNo: c.caseNo ?? "",
    title: t(`8D报告 ${c.caseNo ?? ""}`, `8D report ${c.caseNo ?? ""}`).trim(),
    header: reportHeader(c, policy, lang, opts.today),
    sections: EIGHT_D_IDS.map((id) => ({ id, title: TITLES[id][lang], text: written[id]?.[lang] ?? written[id]?.any ?? drafted[id] })),
  };
}

/** The header's field labels are the schema's own (issue 27, item 9): the 8D says 接收时间 where the ledger does. */
function reportHeader(c: Case, policy: Policy, lang: ReportLang, today: number | undefined): [string, string][] {
  const t = translator(lang);
  const label = (k: CaseKey) => inLang(caseField(k), lang);
  return [
    [label("caseNo"), c.caseNo ?? ""],
    [label("kind"), named(KINDS, c.kind, lang)],
    [label("customer"), c.customer ?? ""],
    [label("product"), c.product ?? ""],
    [label("partNo"), c.partNo ?? ""],
    [label("batch"), c.batch ?? ""],
    [label("receivedAt"), date(c.receivedAt)],
    [label("severity"), named(policy.severities, c.severity, lang)],
    [label("status"), named(STATES, c.status, lang)],
    [t("报告日期", "Report date"), date(today)],
  ];
}

/** The newest STATEMENT per section, by language when the record says which (scope "D5" any, "D5:en" English). */
function writtenSections(ev: readonly Evidence[]): Partial<Record<string, { zh?: string; en?: string; any?: string }>> {
  const out: Partial<Record<string, { zh?: string; en?: string; any?: string }>> = {};
  for (const e of ev) {
    if (e.kind !== "STATEMENT" || !e.section || e.caption === undefined) continue;
    const [id, l] = e.section.split(":");
    const slot = (out[id] ??= {});
    if (l === "zh" || l === "en") slot[l] = e.caption;
    else slot.any = e.caption;
  }
  return out;
}

/** Each section from the recorded facts, TODO where a fact the section needs is not recorded. */
function draftSections(c: Case, policy: Policy, lang: ReportLang, ev: readonly Evidence[]): Record<EightDId, string> {
  const t = translator(lang);
  const todo = TODO[lang];
  const role = (code: string) => named(policy.roles, code, lang);
  const signed = Object.entries(c.signatures).map(([r, s]) => `${role(r)}: ${s.name} ${date(s.at)}${s.comment ? ` (${s.comment})` : ""}`);
  const responsibility = findNamed(policy.responsibilities, c.responsibility);
  const closed = STATE_ORDER.indexOf((findNamed(STATES, c.status)?.code ?? "RECEIVED") as State) >= STATE_ORDER.indexOf("CLOSED");
  const disposition = findNamed(policy.dispositions, c.disposition);
  const of = (k: Evidence["kind"]) => ev.filter((e) => e.kind === k).map((e) => `- ${evidenceLine(e, lang)}`);
  const containment = of("CONTAINMENT");
  const reship = of("RESHIP_INSPECTION");
  return {
    D1: lines([c.owner && t(`负责人:${c.owner}`, `Owner: ${c.owner}`), ...signed, !c.owner && signed.length === 0 && t(`小组成员:${todo}`, `Team: ${todo}`)]),
    D2: lines([
      t(`不良现象:${c.defect ?? todo}`, `Defect: ${c.defect ?? todo}`),
      c.quantity !== undefined && t(`数量:${c.quantity}`, `Quantity: ${c.quantity}`),
      c.shipDate !== undefined && t(`出货日期:${date(c.shipDate)}`, `Ship date: ${date(c.shipDate)}`),
      c.demand && t(`客户要求:${c.demand}`, `Customer demand: ${c.demand}`),
      ...of("RETURN_INSPECTION"),
    ]),
    D3: lines([
      c.replacementFirst &&
        t(
          `已先补发替换品${c.replacementShippedAt !== undefined ? `(${date(c.replacementShippedAt)})` : ""}`,
          `Replacement shipped first${c.replacementShippedAt !== undefined ? ` (${date(c.replacementShippedAt)})` : ""}`,
        ),
      // A date the goods came back, stated as that: whether they were isolated is an ISOLATION record's to say.
      c.goodsBackAt !== undefined && t(`退货回厂日期:${date(c.goodsBackAt)}`, `Returned goods received on ${date(c.goodsBackAt)}`),
      ...of("ISOLATION"),
      ...(containment.length
        ? [t("排查记录:", "Containment checks:"), ...containment]
        : [t(`排查同产品在制品、库存与留样:${todo}`, `Check of work in progress, stock and retained samples: ${todo}`)]),
    ]),
    D4: lines([
      c.confirmed === false && t("投诉不属实(未发现质量问题)", "Complaint not confirmed (no quality problem found)"),
      t(`原因分析:${c.rootCause ?? todo}`, `Root cause: ${c.rootCause ?? todo}`),
      responsibility && t(`责任判定:${responsibility.zh}`, `Responsibility: ${responsibility.en}`),
    ]),
    D5: lines([disposition && t(`处理方式:${disposition.zh}`, `Disposition: ${disposition.en}`), t(`纠正措施:${todo}`, `Corrective action: ${todo}`)]),
    D6: lines([
      // When, as recorded; how it was verified only from an inspection record of the reworked or re-shipped goods.
      c.executedAt !== undefined && t(`执行完成日期:${date(c.executedAt)}`, `Carried out on ${date(c.executedAt)}`),
      ...(reship.length ? [t("验证记录:", "Verification:"), ...reship] : [t(`效果验证:${todo}`, `Verification: ${todo}`)]),
    ]),
    D7: lines([
      t(`预防措施(标准化、培训、防错):${todo}`, `Preventive actions (standards, training, error-proofing): ${todo}`),
      c.remarks && t(`备注:${c.remarks}`, `Remarks: ${c.remarks}`),
    ]),
    D8: lines([
      // A close date only for a closed case: a date typed onto an open one is not a closure.
      closed && c.closedAt !== undefined
        ? t(`结案日期:${date(c.closedAt)}`, `Closed on ${date(c.closedAt)}`)
        : t("结案:案件尚未结案", "Closure: the case is not closed yet"),
      // Reviewers are the signers of the external-report form, not whoever signed the case's other forms (a scrap's VP).
      ...reviewerRoles(policy)
        .filter((r) => c.signatures[r])
        .map((r) => t(`审核:${role(r)} ${c.signatures[r].name}`, `Reviewed by ${role(r)} ${c.signatures[r].name}`)),
    ]),
  };
}

/** A confidential term found in the report. `where` is a section id or "header". */
export interface ConfidentialHit {
  where: EightDId | "header";
  term: string;
  /** How many times it occurs there. */
  count: number;
  /** The first occurrence with a little text around it. */
  excerpt: string;
}

/** The key a person's "keep it" confirmation is stored under. */
export const hitKey = (h: Pick<ConfidentialHit, "where" | "term">) => `${h.where}|${h.term}`;

/** Whitespace, punctuation and symbols: what people put inside a term ("宏达 塑胶", "保-压") that must not hide it. */
const FILLER = /[\s\p{P}\p{S}]/u;

/** The text without fillers, lowercased, with each kept character's index in the original. */
function squeeze(text: string): { chars: string; at: number[] } {
  let chars = "";
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (FILLER.test(text[i])) continue;
    chars += text[i].toLowerCase();
    at.push(i);
  }
  return { chars, at };
}

/** Where `term` occurs in `text` (start and end in the original), ignoring case and fillers inside either. */
function occurrences(text: string, term: string): { start: number; end: number }[] {
  const needle = squeeze(term).chars;
  if (!needle) return [];
  const hay = squeeze(text);
  const out: { start: number; end: number }[] = [];
  for (let i = hay.chars.indexOf(needle); i >= 0; i = hay.chars.indexOf(needle, i + needle.length)) {
    out.push({ start: hay.at[i], end: hay.at[i + needle.length - 1] + 1 });
  }
  return out;
}

/**
 * Every confidential term (production technology, process details, raw-material
 * suppliers: the policy's list) found in the report, ignoring case and any
 * spaces or punctuation inside the term ("宏达 塑胶", "保-压" are hits).
 *
 * `findConfidential(report, ["宏达塑胶"])` → [{where: "D4", term: "宏达塑胶", count: 1, excerpt: "…来料为宏达塑胶批次…"}]
 */
export function findConfidential(report: EightDReport, terms: readonly string[], exceptions: readonly string[] = []): ConfidentialHit[] {
  const hits: ConfidentialHit[] = [];
  const places: [EightDId | "header", string][] = [
    ["header", [report.title, ...report.header.map(([k, v]) => `${k} ${v}`)].join("\n")],
    ...report.sections.map((s): [EightDId, string] => [s.id, `${s.title}\n${s.text}`]),
  ];
  const wanted = [...new Set(terms.map((x) => x.trim()).filter(Boolean))];
  const allowed = [...new Set(exceptions.map((x) => x.trim()).filter(Boolean))];
  for (const [where, text] of places) {
    // 保密原则's exceptions (电源供应商, 导线, 飞利浦…): a term inside one of them is no secret.
    const free = allowed.flatMap((x) => occurrences(text, x));
    for (const term of wanted) {
      const at = occurrences(text, term).filter((o) => !free.some((f) => f.start <= o.start && o.end <= f.end));
      if (at.length === 0) continue;
      const from = Math.max(0, at[0].start - 8);
      const to = Math.min(text.length, at[0].end + 8);
      const excerpt = `${from > 0 ? "…" : ""}${text.slice(from, to).replace(/\n/g, " ")}${to < text.length ? "…" : ""}`;
      hits.push({ where, term, count: at.length, excerpt });
    }
  }
  return hits;
}

/**
 * The confidentiality check as the audit records it: the hits of the policy's terms (less its exceptions),
 * and a warning, never a pass, when the Policy sheet lists no terms at all.
 */
export function confidentialityCheck(
  report: EightDReport,
  policy: Pick<Policy, "confidentialTerms" | "confidentialExceptions">,
): { status: "NO_TERMS" | "HITS" | "PASSED"; hits: ConfidentialHit[]; zh: string; en: string } {
  if (!policy.confidentialTerms.some((t) => t.trim() !== "")) {
    return {
      status: "NO_TERMS",
      hits: [],
      zh: "警告:设置表未列出保密词,未做保密检查",
      en: "Warning: the Policy sheet lists no confidential terms; nothing was checked",
    };
  }
  const hits = findConfidential(report, policy.confidentialTerms, policy.confidentialExceptions ?? []);
  return hits.length
    ? {
        status: "HITS",
        hits,
        zh: `发现保密词 ${hits.length} 处:${hits.map((h) => `${h.where}:${h.term}`).join("、")}`,
        en: `${hits.length} confidential hit${hits.length > 1 ? "s" : ""}: ${hits.map((h) => `${h.where}: ${h.term}`).join(", ")}`,
      }
    : { status: "PASSED", hits, zh: "保密检查通过", en: "Confidentiality check passed" };
}

/** Hits nobody has removed or confirmed: export waits until this is empty. */
export function unresolvedHits(hits: readonly ConfidentialHit[], confirmed: ReadonlySet<string>): ConfidentialHit[] {
  return hits.filter((h) => !confirmed.has(hitKey(h)));
}

/** The report with every occurrence of `term` (any case, fillers inside included) replaced, in the header and all sections. */
export function redact(report: EightDReport, term: string, mask = "***"): EightDReport {
  const cut = (s: string) => {
    const at = occurrences(s, term);
    let out = s;
    for (const { start, end } of at.reverse()) out = out.slice(0, start) + mask + out.slice(end);
    return out;
  };
  return {
    ...report,
    title: cut(report.title),
    header: report.header.map(([k, v]) => [cut(k), cut(v)]),
    sections: report.sections.map((s) => ({ ...s, title: cut(s.title), text: cut(s.text) })),
  };
}

/**
 * Worksheet rows: title, header pairs, then one row per section (title, text).
 * Plain values: the store's addSheet writes text as text (a leading "=" never
 * becomes a formula), as every adapter write does.
 */
export function eightDRows(report: EightDReport): CellValue[][] {
  return [[report.title, ""], ...report.header.map(([k, v]): CellValue[] => [k, v]), ["", ""], ...report.sections.map((s): CellValue[] => [s.title, s.text])];
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/**
 * A stand-alone, printable HTML document (UTF-8, no scripts, no external
 * files): opens in any browser, prints to PDF, and Word opens it for editing.
 */
export function eightDHtml(report: EightDReport): string {
  const rows = report.header.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("\n");
  const sections = report.sections
    .map((s) => `<section><h2>${escapeHtml(s.title)}</h2><p>${escapeHtml(s.text).replace(/\n/g, "<br>")}</p></section>`)
    .join("\n");
  return `<!doctype html>
<html lang="${inLang({ zh: "zh-CN", en: "en" }, report.lang)}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(report.title)}</title>
<style>
body{font-family:"Microsoft YaHei","PingFang SC","Segoe UI",sans-serif;max-width:800px;margin:24px auto;padding:0 16px;color:#1f1f1f}
h1{font-size:22px}h2{font-size:16px;border-bottom:1px solid #ccc;padding-bottom:2px;margin-top:20px}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}
</style>
</head>
<body>
<h1>${escapeHtml(report.title)}</h1>
<table>
${rows}
</table>
${sections}
</body>
</html>
`;
}

/** "8D-KS-2026-0001-zh.html": safe on every file system. */
export function eightDFileName(report: EightDReport, ext: string): string {
  return `8D-${report.caseNo.replace(/[^\w.-]+/g, "_") || "case"}-${report.lang}.${ext}`;
}

/** The roles that review an external 8D: the signers of the policy's EXTERNAL_8D form. */
function reviewerRoles(policy: Policy): string[] {
  const form = findNamed(policy.forms, "EXTERNAL_8D");
  return form ? [...new Set(form.signers.flat())] : [];
}

/** Sections still holding the "to be completed" mark: listed before export, never sent silently. */
export function unfilledSections(report: EightDReport): EightDId[] {
  return report.sections.filter((s) => s.text.includes(TODO.zh) || s.text.includes(TODO.en) || s.text.trim() === "").map((s) => s.id);
}

/**
 * Why the external report may not leave yet: the signatures the policy's
 * external 8D form (EXTERNAL_8D) requires, each slot named. The same rule
 * holds for the download, the worksheet and the 已发送 Sent status (validate.ts).
 */
export function eightDBlockers(c: Case, policy: Policy): { zh: string; en: string }[] {
  const review = eightDReviewMissing(c, policy);
  if (!review) return [];
  return review.slots.map((roles) => ({
    zh: `《${review.form.zh}》缺少${roles.map((r) => r.zh).join("或")}签核,审核后才能发出`,
    en: `The ${review.form.en} lacks the sign-off of ${roles.map((r) => r.en).join(" or ")}; it leaves only after review`,
  }));
}
