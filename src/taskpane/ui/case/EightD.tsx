/**
 * 8D报告: drafted from the case (src/reports/eightd.ts) in 中文 or English,
 * each section editable, then checked against the policy's confidential
 * terms. Every hit must be removed (edited or redacted) or explicitly kept
 * before anything is exported; what was kept is written to the audit log.
 *
 * Export: a new worksheet (when the store can add sheets, i.e. in Excel or
 * an .xlsx file) and downloads as Word files (the 8D and 《客户抱怨回复书》,
 * reports/docx.ts, loaded on the click so `docx` stays out of this chunk).
 *
 * Text is never lost (issue 22): each language's draft lives in a page-wide
 * store (eightd-drafts.ts) that outlives this panel, so a re-render after a
 * signature or a language switch shows the same text; "save draft" records
 * the edited sections with the case (STATEMENT evidence), and redrafting from
 * the case or leaving the page with unsaved text asks first.
 */
import { Badge, Button, Checkbox, Field, Radio, RadioGroup, Textarea } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import type { Case } from "../../../domain/case";
import { DomainError, type Bilingual } from "../../../domain/errors";
import type { Evidence } from "../../../domain/evidence";
import type { Actor, Ledger } from "../../../ledger/service";
import {
  buildEightD,
  eightDBlockers,
  eightDRows,
  findConfidential,
  hitKey,
  redact,
  unfilledSections,
  unresolvedHits,
  type ConfidentialHit,
  type EightDReport,
  type ReportLang,
} from "../../../reports/eightd";
import { Both, errorOf, useLang, useT } from "../../i18n";
import { clearDraft, draftKey, editedSections, isDirty, markEdited, mergedDraft, writeDraft } from "./eightd-drafts";
import { downloadFile, Notice, Refusal, Working } from "../common";
import { usePane } from "../pane";
import { containmentBlockers, documentFileName, eightDDocument, replyDocument } from "../../../reports/documents";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

export default function EightDPanel({ c }: { c: Case }) {
  const pane = usePane();
  const { ledger, actor } = pane;
  const policy = ledger.policy;
  const t = useT();
  const paneLang = useLang();
  const caseNo = c.caseNo ?? "";
  const evidence = ledger.evidenceOf(caseNo);
  const draftOf = (l: ReportLang) => buildEightD(c, policy, l, { today: pane.today, evidence });
  const [lang, setLang] = useState<ReportLang>(paneLang);
  const [report, setReportState] = useState<EightDReport>(() => mergedDraft(draftKey(caseNo, paneLang), draftOf(paneLang)));
  // Every change goes to the page-wide draft store too: a re-render or a remount starts from it.
  const setReport = (f: (r: EightDReport) => EightDReport) =>
    setReportState((r) => {
      const next = f(r);
      const key = draftKey(caseNo, next.lang);
      for (const sec of next.sections) if (sec.text !== r.sections.find((x) => x.id === sec.id)?.text) markEdited(key, sec.id);
      writeDraft(key, next, true);
      return next;
    });
  const [kept, setKept] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<string>();
  const [done, setDone] = useState<{ zh: string; en: string }[]>([]);
  const [failed, setFailed] = useState<{ zh: string; en: string }[]>([]);
  const hits = useMemo(
    () => findConfidential(report, policy.confidentialTerms, policy.confidentialExceptions ?? []),
    [report, policy.confidentialTerms, policy.confidentialExceptions],
  );
  const open = unresolvedHits(hits, kept);
  const canSheet = typeof ledger.store.addSheet === "function";
  // The external report leaves only after the review the policy asks for (the same rule refuses 已发送 in the sheet).
  const blockers = [...eightDBlockers(c, policy), ...containmentBlockers(evidence)];
  const unfilled = unfilledSections(report);
  const [withGaps, setWithGaps] = useState(false);
  const blocked = open.length > 0 || blockers.length > 0 || (unfilled.length > 0 && !withGaps);

  // Switching language keeps both drafts: the other language's text is its own draft, never this one's replacement.
  const switchTo = (l: ReportLang) => {
    writeDraft(draftKey(caseNo, lang), report, isDirty(draftKey(caseNo, lang)));
    setLang(l);
    setReportState(mergedDraft(draftKey(caseNo, l), draftOf(l)));
    setKept(new Set());
    setDone([]);
  };
  const redraft = () => {
    const key = draftKey(caseNo, lang);
    if (isDirty(key) && !window.confirm(t("重新起草会丢弃未保存的修改,确定吗?", "Redrafting discards the unsaved edits. Go on?"))) return;
    clearDraft(key);
    setReportState(draftOf(lang));
    setKept(new Set());
  };
  const edit = (id: string, text: string) => setReport((r) => ({ ...r, sections: r.sections.map((s) => (s.id === id ? { ...s, text } : s)) }));

  const act: Acts = { ledger, actor, c, caseNo, lang, today: pane.today, evidence, kept, report, setBusy, setFailed, setDone };
  const saveDraft = () => saveDraftWith(act, draftOf(lang));
  const exportAs = (kind: "sheet" | "file" | "reply") =>
    kind === "reply" ? exportReplyWith(act) : exportWith(act, kind, { blockers, blocked, hits, unfilled });

  return (
    <section className="cl-box cl-form" aria-label={t("8D报告", "8D report")} data-testid="eightd">
      <h3>{t("8D报告", "8D report")}</h3>
      <RadioGroup layout="horizontal" value={lang} onChange={(_, d) => switchTo(d.value as ReportLang)} aria-label={t("报告语言", "Report language")}>
        {/* Each language named in itself, marked as such (lang) for readers and the English-mode scan. */}
        <Radio value="zh" label={{ children: "中文", lang: "zh-CN" }} />
        <Radio value="en" label={{ children: "English", lang: "en" }} />
      </RadioGroup>
      {report.sections.map((s) => (
        <Field key={s.id} label={s.title}>
          <Textarea name={`eightd-${s.id}`} value={s.text} resize="vertical" rows={6} onChange={(_, d) => edit(s.id, d.value)} />
        </Field>
      ))}
      <ConfidentialCheck
        terms={policy.confidentialTerms}
        hits={hits}
        kept={kept}
        open={open.length}
        onRedact={(term) => setReport((r) => redact(r, term))}
        onKeep={(key) => setKept((k) => toggled(k, key))}
      />
      {blockers.length ? (
        <div data-testid="eightd-blockers">
          <Refusal title={{ zh: "审核签核后才能发出", en: "Review sign-offs needed before it leaves" }} reasons={blockers} />
        </div>
      ) : null}
      {unfilled.length ? <UnfilledCallout unfilled={unfilled} withGaps={withGaps} onWithGaps={setWithGaps} /> : null}
      <div className="cl-actions">
        <Button disabled={!!busy} onClick={() => void saveDraft()}>
          {t("保存草稿", "Save draft")}
        </Button>
        <Button disabled={!!busy} onClick={redraft}>
          {t("按案件重新起草", "Redraft from the case")}
        </Button>
      </div>
      <ExportButtons canSheet={canSheet} disabled={blocked || !!busy} onExport={(kind) => void exportAs(kind)} />
      <div className="cl-actions">
        <Button disabled={!!busy} onClick={() => void exportAs("reply")}>
          {t("下载回复书 .docx", "Download reply letter .docx")}
        </Button>
      </div>
      {busy ? <Working what={{ zh: "正在导出…", en: "Exporting…" }} /> : null}
      {done.map((d, i) => (
        <Notice key={i} intent="success" msg={d} />
      ))}
      <Refusal reasons={failed} />
    </section>
  );
}

/** What the panel's actions need: the case, the report as edited, and the panel's setters. */
interface Acts {
  ledger: Ledger;
  actor: Actor | undefined;
  c: Case;
  caseNo: string;
  lang: ReportLang;
  today: number;
  evidence: Evidence[];
  kept: Set<string>;
  report: EightDReport;
  setBusy(b: string | undefined): void;
  setFailed(f: Bilingual[]): void;
  setDone(f: (d: Bilingual[]) => Bilingual[]): void;
}

/** Records the sections that differ from the case's own draft as STATEMENT evidence ("D4:zh"): the draft saved with the case. */
async function saveDraftWith(x: Acts, drafted: EightDReport): Promise<void> {
  const { ledger, actor, caseNo, lang, report } = x;
  const mine = editedSections(draftKey(caseNo, lang));
  const changed = report.sections.filter((s) => mine.has(s.id) && s.text !== drafted.sections.find((d) => d.id === s.id)?.text);
  x.setBusy("draft");
  try {
    for (const s of changed) {
      const r = await ledger.addEvidence(
        { caseNo, kind: "STATEMENT", at: x.today, section: `${s.id}:${lang}`, caption: s.text, by: actor?.name },
        actor ?? { name: "", source: "chosen" },
      );
      if (!r.ok) throw new DomainError("DRAFT_REFUSED", r.reasons.map((e) => e.zh).join(";"), r.reasons.map((e) => e.en).join("; "));
    }
    writeDraft(draftKey(caseNo, lang), report, false);
    x.setDone((d) => [...d, { zh: `草稿已随案件保存(${changed.length} 部分)`, en: `Draft saved with the case (${changed.length} sections)` }]);
  } catch (err) {
    x.setFailed([errorOf(err, { zh: "保存草稿失败", en: "Saving the draft failed" })]);
  } finally {
    x.setBusy(undefined);
  }
}

/** 《客户抱怨回复书》 as a Word download: refused, with its blockers, while a part's facts are not recorded. */
async function exportReplyWith(x: Acts): Promise<void> {
  const { ledger, caseNo, lang } = x;
  const doc = replyDocument(x.c, ledger.policy, lang, { today: x.today, evidence: x.evidence, kept: x.kept });
  const by = x.actor?.name ?? "";
  if (doc.blockers.length) {
    x.setFailed(doc.blockers);
    await ledger.record([{ user: by, action: "DOCUMENT_REFUSED", caseNo, newValue: "reply", reason: doc.blockers.map((b) => `${b.zh} / ${b.en}`).join("; ") }]);
    return;
  }
  x.setFailed([]);
  x.setBusy("reply");
  try {
    const { replyDocx } = await import(/* webpackChunkName: "docx" */ "../../../reports/docx");
    const file = documentFileName("reply", caseNo, lang);
    downloadFile(file, new Blob([await replyDocx(doc)], { type: DOCX }));
    await ledger.record([
      { user: by, action: "DOCUMENT_EXPORTED", caseNo, newValue: `reply ${lang} ${file}`, reason: "回复书已下载 / Reply letter downloaded" },
    ]);
    x.setDone((d) => [...d, { zh: `已下载 ${file}`, en: `Downloaded ${file}` }]);
  } catch (err) {
    x.setFailed([errorOf(err, { zh: "导出失败", en: "Export failed" })]);
  } finally {
    x.setBusy(undefined);
  }
}

/** The 8D as a worksheet or a Word download, once nothing blocks it; the decision (kept terms, gaps) goes to the audit log. */
async function exportWith(
  x: Acts,
  kind: "sheet" | "file",
  g: { blockers: Bilingual[]; blocked: boolean; hits: ConfidentialHit[]; unfilled: string[] },
): Promise<void> {
  const { ledger, actor, c, caseNo, lang, report, kept, setBusy, setFailed, setDone } = x;
  const { blockers, blocked, hits, unfilled } = g;
  const policy = ledger.policy;
  const pane = { today: x.today };
  const evidence = x.evidence;
  if (blockers.length) {
    setFailed(blockers);
    await ledger.record([
      {
        user: actor?.name ?? "",
        action: "EIGHT_D_REFUSED",
        caseNo: c.caseNo,
        reason: `${blockers.map((b) => b.zh).join(";")} / ${blockers.map((b) => b.en).join("; ")}`,
      },
    ]);
    return;
  }
  if (blocked) return;
  setFailed([]);
  setBusy(kind);
  try {
    let what: { zh: string; en: string };
    if (kind === "sheet") {
      const name = await ledger.store.addSheet!(`8D ${report.caseNo}`, eightDRows(report));
      what = { zh: `已添加工作表“${name}”`, en: `Added worksheet “${name}”` };
    } else {
      const { eightDDocx } = await import(/* webpackChunkName: "docx" */ "../../../reports/docx");
      const doc = eightDDocument(c, policy, lang, { today: pane.today, evidence, kept, report });
      const file = documentFileName("8d", caseNo, lang);
      downloadFile(file, new Blob([await eightDDocx(doc)], { type: DOCX }));
      what = { zh: `已下载 ${file}`, en: `Downloaded ${file}` };
    }
    const keptTerms = hits.filter((h) => kept.has(hitKey(h))).map((h) => `${h.where}:${h.term}`);
    await ledger.record([
      {
        user: actor?.name ?? "",
        action: "EIGHT_D_EXPORTED",
        caseNo: c.caseNo,
        newValue: kind === "sheet" ? "worksheet" : "docx",
        reason: [
          keptTerms.length
            ? `保密词经确认保留:${keptTerms.join("、")} / Confidential terms kept on purpose: ${keptTerms.join(", ")}`
            : ledger.policy.confidentialTerms.some((x) => x.trim() !== "")
              ? "保密检查通过 / Confidentiality check passed"
              : "警告:设置表未列出保密词,未做保密检查 / Warning: the Policy sheet lists no confidential terms; nothing was checked",
          ...(unfilled.length ? [`未填写部分:${unfilled.join("、")} / Sections left unfilled: ${unfilled.join(", ")}`] : []),
        ].join("; "),
      },
    ]);
    setDone((d) => [...d, what]);
  } catch (err) {
    setFailed([errorOf(err, { zh: "导出失败", en: "Export failed" })]);
  } finally {
    setBusy(undefined);
  }
}

/** Sections still empty; exporting anyway is a choice, recorded with the export. */
function UnfilledCallout({ unfilled, withGaps, onWithGaps }: { unfilled: string[]; withGaps: boolean; onWithGaps: (on: boolean) => void }) {
  const t = useT();
  return (
    <div className="cl-callout" data-testid="eightd-unfilled">
      <Both msg={{ zh: `尚未填写:${unfilled.join("、")}`, en: `Not filled in yet: ${unfilled.join(", ")}` }} />
      <Checkbox
        checked={withGaps}
        onChange={(_, d) => onWithGaps(d.checked === true)}
        label={t("仍然导出(记入审计日志)", "Export anyway (recorded in the audit log)")}
      />
    </div>
  );
}

/** The worksheet export only where the store can add sheets; the .html download is then secondary. */
function ExportButtons({ canSheet, disabled, onExport }: { canSheet: boolean; disabled: boolean; onExport: (kind: "sheet" | "file") => void }) {
  const t = useT();
  return (
    <div className="cl-actions">
      {canSheet ? (
        <Button appearance="primary" disabled={disabled} onClick={() => onExport("sheet")}>
          {t("生成工作表", "Add as worksheet")}
        </Button>
      ) : null}
      <Button appearance={canSheet ? "secondary" : "primary"} disabled={disabled} onClick={() => onExport("file")}>
        {t("下载 8D .docx", "Download 8D .docx")}
      </Button>
    </div>
  );
}

const toggled = (set: Set<string>, key: string): Set<string> => {
  const n = new Set(set);
  if (n.has(key)) n.delete(key);
  else n.add(key);
  return n;
};

/** The policy's confidential terms found in the report, each to replace with *** or to keep on purpose. */
function ConfidentialCheck({
  terms,
  hits,
  kept,
  open,
  onRedact,
  onKeep,
}: {
  terms: readonly string[];
  hits: ConfidentialHit[];
  kept: Set<string>;
  open: number;
  onRedact(term: string): void;
  onKeep(key: string): void;
}) {
  const t = useT();
  return (
    <div className="cl-box" data-testid="confidential">
      <h3>{t("保密检查", "Confidentiality check")}</h3>
      {terms.length ? (
        <div className="cl-terms" aria-label={t("保密词(设置表)", "Confidential terms (Policy sheet)")} data-testid="confidential-terms">
          <span className="cl-muted">{t("保密词:", "Terms checked: ")}</span>
          {terms.map((term) => (
            <Badge key={term} size="small" appearance="outline">
              {term}
            </Badge>
          ))}
        </div>
      ) : null}
      {terms.length === 0 ? (
        <p className="cl-warning" data-testid="confidential-empty">
          {t("警告:设置表中未列出保密词,未做保密检查", "Warning: the Policy sheet lists no confidential terms; nothing is checked")}
        </p>
      ) : hits.length === 0 ? (
        <p>{t("未发现保密词", "No confidential terms found")}</p>
      ) : (
        <ul className="cl-hits">
          {hits.map((h) => {
            const isKept = kept.has(hitKey(h));
            return (
              <li key={hitKey(h)} data-testid="confidential-hit" className={isKept ? "cl-kept" : "cl-hit"}>
                <strong>{h.where === "header" ? t("表头", "Header") : h.where}</strong>: “{h.term}” ×{h.count}
                <div className="cl-muted cl-clip">{h.excerpt}</div>
                <div className="cl-actions">
                  <Button size="small" onClick={() => onRedact(h.term)}>
                    {t("替换为 ***", "Replace with ***")}
                  </Button>
                  <Button size="small" appearance={isKept ? "primary" : "secondary"} aria-pressed={isKept} onClick={() => onKeep(hitKey(h))}>
                    {isKept ? t("已确认保留", "Kept (confirmed)") : t("确认保留", "Keep it")}
                  </Button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {open ? (
        <p role="status">
          <Both msg={{ zh: `还有 ${open} 处保密词未处理,处理后才能导出`, en: `${open} confidential hit${open > 1 ? "s" : ""} to resolve before export` }} />
        </p>
      ) : null}
    </div>
  );
}
