/**
 * Evidence on a case (issue 22): attachments kept as links, inspection
 * records of returned and of re-shipped goods, isolation and labelling, and
 * containment checks. One row per record on the `证据 Evidence` sheet
 * (ledger/workbook-layout.ts EVIDENCE_COLUMNS), never ledger columns: a case
 * has any number of records, and a ledger that never had the sheet has none.
 *
 * The 8D and the reply letter (reports/documents.ts) state only what these
 * records and the case's fields say.
 */
import type { CellValue } from "./case";
import { serialToIso, toSerial } from "./dates";
import type { Bilingual } from "./errors";
import { cellText as text } from "./text";

/** What a record is; the code is stored, the words shown. */
export const EVIDENCE_KINDS = [
  { code: "PHOTO", zh: "照片", en: "Photo", synonyms: ["图片", "picture"] },
  { code: "CUSTOMER_DOC", zh: "客户资料", en: "Customer document", synonyms: ["投诉资料", "customer file"] },
  { code: "TEST_REPORT", zh: "检验/测试报告", en: "Test report", synonyms: ["检验报告", "测试报告", "report"] },
  { code: "FILE", zh: "其他附件", en: "Other attachment", synonyms: ["附件", "attachment"] },
  { code: "RETURN_INSPECTION", zh: "客户退货品检验", en: "Inspection of returned goods", synonyms: ["退货检验"] },
  { code: "RESHIP_INSPECTION", zh: "返修/补货出货检验", en: "Inspection of reworked or re-shipped goods", synonyms: ["特殊放行", "复检"] },
  { code: "ISOLATION", zh: "隔离与标识", en: "Isolation and labelling", synonyms: ["隔离", "标识"] },
  { code: "CONTAINMENT", zh: "围堵排查", en: "Containment check", synonyms: ["排查", "围堵"] },
  // A section of the 8D or the reply as a person wrote it (scope column: "D5", "D5:en", "COMMITMENT"…): the draft saved with the case.
  { code: "STATEMENT", zh: "报告文字", en: "Report text", synonyms: ["8D文字"] },
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number]["code"];

/** Link-only kinds: a file, photo or report somewhere the company keeps it. */
export const ATTACHMENT_KINDS: readonly EvidenceKind[] = ["PHOTO", "CUSTOMER_DOC", "TEST_REPORT", "FILE"];

/** The scope of a containment check, and of a re-shipped goods inspection. */
export const EVIDENCE_SCOPES = [
  { code: "WIP", zh: "在制品", en: "Work in progress", synonyms: [] },
  { code: "STOCK", zh: "库存", en: "Stock", synonyms: ["成品库存"] },
  { code: "RETAINED", zh: "批次留样", en: "Retained samples", synonyms: ["留样"] },
  { code: "SPECIAL_RELEASE", zh: "特殊放行", en: "Special release", synonyms: [] },
  { code: "REINSPECTION", zh: "复检", en: "Re-inspection", synonyms: ["重检"] },
] as const;
export type EvidenceScope = (typeof EVIDENCE_SCOPES)[number]["code"];

/** One record. `by` is who recorded it (the inspector for an inspection); `at` a serial day. */
export interface Evidence {
  caseNo: string;
  kind: EvidenceKind;
  at?: number;
  by?: string;
  scope?: EvidenceScope;
  checked?: number;
  defective?: number;
  /** Free text: 合格 / 不合格 / 特采… as the inspector wrote it. */
  result?: string;
  /** Where the goods are kept (isolation). */
  location?: string;
  /** The label's text (isolation). */
  label?: string;
  caption?: string;
  /** A share path, SharePoint/OneDrive or web URL, or `package:<name>` for a file kept inside the workbook. */
  link?: string;
  /** STATEMENT only: which section it writes (stored in the scope column). */
  section?: string;
  /** A commitment's date (serial day), e.g. the reply letter's "by when". */
  due?: number;
  /** 0-based row on the Evidence sheet. */
  row?: number;
}

/** The Evidence sheet's columns, in order; keys are Evidence's. */
export const EVIDENCE_FIELDS = [
  { key: "caseNo", zh: "客诉单号", en: "Case No." },
  { key: "kind", zh: "类别", en: "Kind" },
  { key: "at", zh: "日期", en: "Date" },
  { key: "by", zh: "记录人/检验员", en: "By / inspector" },
  { key: "scope", zh: "范围", en: "Scope" },
  { key: "checked", zh: "检验数量", en: "Checked" },
  { key: "defective", zh: "不良数", en: "Defective" },
  { key: "result", zh: "结果", en: "Result" },
  { key: "location", zh: "存放地点", en: "Location" },
  { key: "label", zh: "标签内容", en: "Label text" },
  { key: "caption", zh: "说明", en: "Caption" },
  { key: "link", zh: "链接", en: "Link" },
  { key: "due", zh: "承诺日期", en: "Due" },
] as const satisfies readonly { key: keyof Evidence; zh: string; en: string }[];

type Coded = { code: string; zh: string; en: string; synonyms: readonly string[] };
const codeOf = <T extends Coded>(list: readonly T[], v: string): T["code"] | undefined => {
  const w = v.trim().toLowerCase();
  return list.find((x) => [x.code, x.zh, x.en, `${x.zh} ${x.en}`, ...x.synonyms].some((s) => s.toLowerCase() === w))?.code;
};
const num = (v: CellValue | undefined): number | undefined => {
  const s = text(v);
  if (s === "") return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

export const kindName = (k: EvidenceKind): Bilingual => EVIDENCE_KINDS.find((x) => x.code === k)!;
export const scopeName = (s: EvidenceScope): Bilingual => EVIDENCE_SCOPES.find((x) => x.code === s)!;

/** Rows of the Evidence sheet → records; a row without a case number or a known kind is skipped (it is not evidence). */
export function readEvidence(rows: readonly CellValue[][]): Evidence[] {
  const out: Evidence[] = [];
  rows.forEach((r, row) => {
    const cell = (k: keyof Evidence) => r[EVIDENCE_FIELDS.findIndex((f) => f.key === k)];
    const caseNo = text(cell("caseNo"));
    const kind = codeOf(EVIDENCE_KINDS, text(cell("kind")));
    if (!caseNo || !kind) return;
    const at = toSerial(cell("at"));
    const e: Evidence = { caseNo, kind, row };
    if (at.ok) e.at = Math.floor(at.serial);
    const scope = text(cell("scope"));
    if (kind === "STATEMENT") {
      if (scope) e.section = scope;
    } else {
      const code = codeOf(EVIDENCE_SCOPES, scope);
      if (code) e.scope = code;
    }
    const due = toSerial(cell("due"));
    if (due.ok && text(cell("due")) !== "") e.due = Math.floor(due.serial);
    const checked = num(cell("checked"));
    const defective = num(cell("defective"));
    if (checked !== undefined) e.checked = checked;
    if (defective !== undefined) e.defective = defective;
    for (const k of ["by", "result", "location", "label", "caption", "link"] as const) {
      const s = text(cell(k));
      if (s) e[k] = s;
    }
    out.push(e);
  });
  return out;
}

/** A record as a sheet row: kinds and scopes in Chinese with the English (people read the sheet), dates as ISO text. */
export function evidenceRow(e: Evidence): CellValue[] {
  return EVIDENCE_FIELDS.map(({ key }) => {
    if (key === "kind") return `${kindName(e.kind).zh} ${kindName(e.kind).en}`;
    if (key === "scope") return e.section ?? (e.scope ? `${scopeName(e.scope).zh} ${scopeName(e.scope).en}` : null);
    if (key === "at" || key === "due") return e[key] === undefined ? null : serialToIso(e[key]);
    const v = e[key];
    return v === undefined ? null : v;
  });
}

/** Defect rate in percent, to one decimal; undefined unless both counts are recorded and something was checked. */
export function defectRate(e: Pick<Evidence, "checked" | "defective">): number | undefined {
  if (e.checked === undefined || e.defective === undefined || e.checked <= 0) return undefined;
  return Math.round((e.defective / e.checked) * 1000) / 10;
}

/** Why a record does not hold: each problem in both languages (empty when it holds). */
export function evidenceProblems(e: Partial<Evidence>): Bilingual[] {
  const p: Bilingual[] = [];
  if (!e.caseNo?.trim()) p.push({ zh: "缺少客诉单号", en: "The case number is missing" });
  if (!e.kind || !EVIDENCE_KINDS.some((k) => k.code === e.kind)) p.push({ zh: "请选择证据类别", en: "Choose the kind of evidence" });
  if (!e.by?.trim()) p.push({ zh: "请填写记录人", en: "Say who recorded it" });
  if (e.at === undefined) p.push({ zh: "请填写日期", en: "The date is missing" });
  const isAttachment = !!e.kind && ATTACHMENT_KINDS.includes(e.kind);
  if (isAttachment && !e.link?.trim())
    p.push({ zh: "附件需要链接(共享路径、SharePoint/OneDrive 或网址)", en: "An attachment needs a link (share path, SharePoint/OneDrive or URL)" });
  if (e.link && !isLink(e.link)) p.push({ zh: `链接无法识别:${e.link}`, en: `Not a link: ${e.link}` });
  for (const k of ["checked", "defective"] as const) {
    const v = e[k];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) p.push({ zh: "数量应为非负整数", en: "Quantities are whole numbers, zero or more" });
  }
  if (e.checked !== undefined && e.defective !== undefined && e.defective > e.checked)
    p.push({ zh: "不良数不能大于检验数量", en: "Defective cannot exceed the quantity checked" });
  if ((e.kind === "RETURN_INSPECTION" || e.kind === "RESHIP_INSPECTION" || e.kind === "CONTAINMENT") && (e.checked === undefined || !e.result?.trim())) {
    p.push({ zh: "检验/排查记录需要检验数量和结果", en: "An inspection or containment check needs the quantity checked and the result" });
  }
  if (e.kind === "CONTAINMENT" && !e.scope)
    p.push({ zh: "请选择排查范围(在制品、库存或留样)", en: "Choose what was checked (WIP, stock or retained samples)" });
  if (e.kind === "ISOLATION" && (!e.location?.trim() || !e.label?.trim()))
    p.push({ zh: "隔离记录需要存放地点和标签内容", en: "An isolation record needs the location and the label text" });
  return p;
}

/** A file-share path (\\server\share, a drive path), an http(s) URL (SharePoint, OneDrive or any site), file: URL, or a file kept in the workbook. */
export function isLink(s: string): boolean {
  const v = s.trim();
  return /^https?:\/\/[^\s]+$/i.test(v) || /^file:\/\/\S+/i.test(v) || /^\\\\[^\\\s]+\\\S/.test(v) || /^[A-Za-z]:\\/.test(v) || /^package:\S/.test(v);
}

/** One line per record, for the 8D's evidence list and the dossier. */
export function evidenceLine(e: Evidence, lang: "zh" | "en"): string {
  const t = (zh: string, en: string) => (lang === "zh" ? zh : en);
  const k = kindName(e.kind)[lang];
  const parts: string[] = [`${e.at === undefined ? "" : serialToIso(e.at) + " "}${k}`];
  if (e.scope) parts.push(scopeName(e.scope)[lang]);
  if (e.by) parts.push(t(`记录人 ${e.by}`, `by ${e.by}`));
  if (e.checked !== undefined) parts.push(t(`检验 ${e.checked}`, `checked ${e.checked}`));
  if (e.defective !== undefined) parts.push(t(`不良 ${e.defective}`, `defective ${e.defective}`));
  const rate = defectRate(e);
  if (rate !== undefined) parts.push(t(`不良率 ${rate}%`, `defect rate ${rate}%`));
  if (e.result) parts.push(t(`结果:${e.result}`, `result: ${e.result}`));
  if (e.location) parts.push(t(`地点:${e.location}`, `location: ${e.location}`));
  if (e.label) parts.push(t(`标签:${e.label}`, `label: ${e.label}`));
  if (e.caption) parts.push(e.caption);
  if (e.link) parts.push(e.link);
  return parts.join(lang === "zh" ? ";" : "; ");
}
