/**
 * 8D报告: drafted from the case (src/reports/eightd.ts) in 中文 or English,
 * each section editable, then checked against the policy's confidential
 * terms. Every hit must be removed (edited or redacted) or explicitly kept
 * before anything is exported; what was kept is written to the audit log.
 *
 * Export: a new worksheet (when the store can add sheets, i.e. in Excel or
 * an .xlsx file) and a download as a stand-alone .html document. HTML,
 * because an 8D leaves the company as a document: it prints to PDF, Word
 * opens and edits it, and it needs no library (an .xlsx download would add
 * exceljs, ~1 MB, to this chunk for something the worksheet already gives).
 */
import { Badge, Button, Checkbox, Field, Radio, RadioGroup, Textarea } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import type { Case } from "../../domain/case";
import {
  buildEightD,
  eightDBlockers,
  eightDFileName,
  eightDHtml,
  eightDRows,
  findConfidential,
  hitKey,
  redact,
  unfilledSections,
  unresolvedHits,
  type ConfidentialHit,
  type EightDReport,
  type ReportLang,
} from "../../reports/eightd";
import { Both, errorOf, useLang, useT } from "../i18n";
import { downloadFile, Notice, Refusal, Working } from "./common";
import { usePane } from "./pane";

export default function EightDPanel({ c }: { c: Case }) {
  const pane = usePane();
  const { ledger, actor } = pane;
  const policy = ledger.policy;
  const t = useT();
  const paneLang = useLang();
  const [lang, setLang] = useState<ReportLang>(paneLang);
  const [report, setReport] = useState<EightDReport>(() => buildEightD(c, policy, paneLang, { today: pane.today }));
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
  const blockers = eightDBlockers(c, policy);
  const unfilled = unfilledSections(report);
  const [withGaps, setWithGaps] = useState(false);
  const blocked = open.length > 0 || blockers.length > 0 || (unfilled.length > 0 && !withGaps);

  const rebuild = (l: ReportLang) => {
    setLang(l);
    setReport(buildEightD(c, policy, l, { today: pane.today }));
    setKept(new Set());
    setDone([]);
  };
  const edit = (id: string, text: string) => setReport((r) => ({ ...r, sections: r.sections.map((s) => (s.id === id ? { ...s, text } : s)) }));

  async function exportAs(kind: "sheet" | "file") {
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
        const file = eightDFileName(report, "html");
        downloadFile(file, new Blob([eightDHtml(report)], { type: "text/html;charset=utf-8" }));
        what = { zh: `已下载 ${file}`, en: `Downloaded ${file}` };
      }
      const keptTerms = hits.filter((h) => kept.has(hitKey(h))).map((h) => `${h.where}:${h.term}`);
      await ledger.record([
        {
          user: actor?.name ?? "",
          action: "EIGHT_D_EXPORTED",
          caseNo: c.caseNo,
          newValue: kind === "sheet" ? "worksheet" : "html",
          reason: [
            keptTerms.length
              ? `保密词经确认保留:${keptTerms.join("、")} / Confidential terms kept on purpose: ${keptTerms.join(", ")}`
              : policy.confidentialTerms.some((x) => x.trim() !== "")
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

  return (
    <section className="cl-box cl-form" aria-label={t("8D报告", "8D report")} data-testid="eightd">
      <h3>{t("8D报告", "8D report")}</h3>
      <RadioGroup layout="horizontal" value={lang} onChange={(_, d) => rebuild(d.value as ReportLang)} aria-label={t("报告语言", "Report language")}>
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
      <ExportButtons canSheet={canSheet} disabled={blocked || !!busy} onExport={(kind) => void exportAs(kind)} />
      {busy ? <Working what={{ zh: "正在导出…", en: "Exporting…" }} /> : null}
      {done.map((d, i) => (
        <Notice key={i} intent="success" msg={d} />
      ))}
      <Refusal reasons={failed} />
    </section>
  );
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
        {t("下载 .html", "Download .html")}
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
