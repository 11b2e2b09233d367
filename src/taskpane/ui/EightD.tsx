/**
 * 8D报告: drafted from the case (src/ledger/eightd.ts) in 中文 or English,
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
import { Button, Field, Radio, RadioGroup, Textarea } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import type { Case } from "../../domain/case";
import {
  buildEightD, eightDFileName, eightDHtml, eightDRows, findConfidential, hitKey, redact, unresolvedHits,
  type EightDReport, type ReportLang,
} from "../../ledger/eightd";
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
  const hits = useMemo(() => findConfidential(report, policy.confidentialTerms), [report, policy.confidentialTerms]);
  const open = unresolvedHits(hits, kept);
  const canSheet = typeof ledger.store.addSheet === "function";

  const rebuild = (l: ReportLang) => {
    setLang(l);
    setReport(buildEightD(c, policy, l, { today: pane.today }));
    setKept(new Set());
    setDone([]);
  };
  const edit = (id: string, text: string) => setReport((r) => ({ ...r, sections: r.sections.map((s) => (s.id === id ? { ...s, text } : s)) }));

  async function exportAs(kind: "sheet" | "file") {
    if (open.length) return;
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
      await ledger.record([{
        user: actor?.name ?? "", action: "EIGHT_D_EXPORTED", caseNo: c.caseNo, newValue: kind === "sheet" ? "worksheet" : "html",
        reason: keptTerms.length
          ? `保密词经确认保留:${keptTerms.join("、")} / Confidential terms kept on purpose: ${keptTerms.join(", ")}`
          : "保密检查通过 / Confidentiality check passed",
      }]);
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
        <Radio value="zh" label="中文" />
        <Radio value="en" label="English" />
      </RadioGroup>
      {report.sections.map((s) => (
        <Field key={s.id} label={s.title}>
          <Textarea name={`eightd-${s.id}`} value={s.text} resize="vertical" onChange={(_, d) => edit(s.id, d.value)} />
        </Field>
      ))}
      <div className="cl-box" data-testid="confidential">
        <h3>{t("保密检查", "Confidentiality check")}</h3>
        {policy.confidentialTerms.length === 0 ? (
          <p className="cl-muted">{t("设置表中未列出保密词", "The Policy sheet lists no confidential terms")}</p>
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
                    <Button size="small" onClick={() => setReport((r) => redact(r, h.term))}>{t("替换为 ***", "Replace with ***")}</Button>
                    <Button size="small" appearance={isKept ? "primary" : "secondary"} aria-pressed={isKept}
                      onClick={() => setKept((k) => {
                        const n = new Set(k);
                        if (n.has(hitKey(h))) n.delete(hitKey(h));
                        else n.add(hitKey(h));
                        return n;
                      })}>
                      {isKept ? t("已确认保留", "Kept (confirmed)") : t("确认保留", "Keep it")}
                    </Button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        {open.length ? (
          <p role="status"><Both msg={{ zh: `还有 ${open.length} 处保密词未处理,处理后才能导出`, en: `${open.length} confidential hit${open.length > 1 ? "s" : ""} to resolve before export` }} /></p>
        ) : null}
      </div>
      <div className="cl-actions">
        {canSheet ? (
          <Button appearance="primary" disabled={open.length > 0 || !!busy} onClick={() => exportAs("sheet")}>{t("生成工作表", "Add as worksheet")}</Button>
        ) : null}
        <Button appearance={canSheet ? "secondary" : "primary"} disabled={open.length > 0 || !!busy} onClick={() => exportAs("file")}>{t("下载 .html", "Download .html")}</Button>
      </div>
      {busy ? <Working what={{ zh: "正在导出…", en: "Exporting…" }} /> : null}
      {done.map((d, i) => <Notice key={i} intent="success" msg={d} />)}
      <Refusal reasons={failed} />
    </section>
  );
}
