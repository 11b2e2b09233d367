/**
 * Word files of the documents (documents.ts) with `docx`: the same code in
 * Node (the command line) and the browser (the pane's download). Fonts name
 * a Chinese face first (Microsoft YaHei / SimSun in Word, any CJK font in
 * LibreOffice); the layout is plain: a letterhead (logo and company name),
 * a title, a table of the case, titled sections, signatures.
 */
import { AlignmentType, BorderStyle, Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import type { Company, EightDDocument, ReplyDocument, SignatureLine } from "./documents";
import type { ReportLang } from "./eightd";

const FONT = { ascii: "Calibri", hAnsi: "Calibri", eastAsia: "Microsoft YaHei" };

const para = (text: string, opts: { bold?: boolean; size?: number } = {}) =>
  new Paragraph({ children: [new TextRun({ text, bold: opts.bold, size: opts.size, font: FONT })] });

/** One paragraph per line: Word has no newline inside a run that LibreOffice also reads as one. */
const paras = (text: string) => (text ? text.split("\n") : [""]).map((l) => para(l));

const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) =>
  new Paragraph({ heading: level, children: [new TextRun({ text, font: FONT })] });

const cell = (text: string, bold = false, width?: number) =>
  new TableCell({ children: [para(text, { bold })], width: width ? { size: width, type: WidthType.PERCENTAGE } : undefined });

function pairsTable(pairs: readonly [string, string][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: pairs.map(([k, v]) => new TableRow({ children: [cell(k, true, 25), cell(v, false, 75)] })),
  });
}

/** A data: URI as bytes and type, or undefined for anything else (the policy checks the form). */
function logoOf(uri: string): { data: Uint8Array; type: "png" | "jpg" } | undefined {
  const m = /^data:image\/(png|jpeg);base64,(.+)$/s.exec(uri.trim());
  if (!m) return undefined;
  const bin = atob(m[2].replace(/\s+/g, ""));
  const data = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
  return { data, type: m[1] === "png" ? "png" : "jpg" };
}

function letterhead(company: Company): Paragraph[] {
  const out: Paragraph[] = [];
  const logo = logoOf(company.logo);
  if (logo) {
    out.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new ImageRun({ type: logo.type, data: logo.data, transformation: { width: 120, height: 48 } })],
      }),
    );
  }
  if (company.name)
    out.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: company.name, bold: true, size: 28, font: FONT })] }));
  return out;
}

function signatureTable(lines: readonly SignatureLine[], lang: ReportLang): Table {
  const t = (zh: string, en: string) => (lang === "zh" ? zh : en);
  const head = new TableRow({ children: [cell(t("角色", "Role"), true), cell(t("签名", "Name"), true), cell(t("日期", "Date"), true)] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { insideHorizontal: { style: BorderStyle.SINGLE, size: 4, color: "999999" } },
    rows: [head, ...lines.map((l) => new TableRow({ children: [cell(l.role), cell(l.name), cell(l.date)] }))],
  });
}

const pack = async (children: (Paragraph | Table)[], title: string): Promise<Uint8Array<ArrayBuffer>> => {
  const doc = new Document({ title, creator: "complaint-ledger", sections: [{ children }] });
  return new Uint8Array(await Packer.toArrayBuffer(doc));
};

/** The 8D report as a .docx: letterhead, title, the case, D1–D8, evidence list, confidentiality verdict, signatures. */
export async function eightDDocx(d: EightDDocument): Promise<Uint8Array<ArrayBuffer>> {
  const t = (zh: string, en: string) => (d.report.lang === "zh" ? zh : en);
  return pack(
    [
      ...letterhead(d.company),
      heading(d.report.title, HeadingLevel.TITLE),
      pairsTable(d.report.header),
      ...d.report.sections.flatMap((s) => [heading(s.title, HeadingLevel.HEADING_2), ...paras(s.text)]),
      heading(t("证据清单", "Evidence list"), HeadingLevel.HEADING_2),
      ...(d.evidence.length ? d.evidence.map((l, i) => para(`${i + 1}. ${l}`)) : [para(t("(无记录)", "(none recorded)"))]),
      heading(t("保密检查", "Confidentiality check"), HeadingLevel.HEADING_2),
      para(d.confidentiality),
      heading(t("签核", "Signatures"), HeadingLevel.HEADING_2),
      signatureTable(d.signatures, d.report.lang),
    ],
    d.report.title,
  );
}

/** 《客户抱怨回复书》 as a .docx. */
export async function replyDocx(d: ReplyDocument): Promise<Uint8Array<ArrayBuffer>> {
  const t = (zh: string, en: string) => (d.lang === "zh" ? zh : en);
  return pack(
    [
      ...letterhead(d.company),
      heading(d.title, HeadingLevel.TITLE),
      pairsTable(d.header),
      ...d.parts.flatMap((p) => [heading(p.title, HeadingLevel.HEADING_2), ...paras(p.text)]),
      heading(t("签核", "Signatures"), HeadingLevel.HEADING_2),
      signatureTable(d.signatures, d.lang),
    ],
    `${d.title} ${d.caseNo}`,
  );
}
