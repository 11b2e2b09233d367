/**
 * 证据 Evidence of a case (issue 22): the records (inspections, isolation,
 * containment checks, attachments as links, saved report texts) and a form
 * that records one (Ledger.addEvidence: the Evidence sheet and the audit log).
 * An attachment is a link to where the file is kept (share path,
 * SharePoint/OneDrive, URL): the pane records the link, it does not upload.
 * Also the case's notices the procedures call for, each as a prepared e-mail
 * (mailto:) for people without an SMTP setup.
 */
import { Button, Field, Input, Select } from "@fluentui/react-components";
import { useState } from "react";
import type { Case } from "../../../domain/case";
import { serialToIso, toSerial } from "../../../domain/dates";
import type { Bilingual } from "../../../domain/errors";
import { EVIDENCE_KINDS, EVIDENCE_SCOPES, evidenceLine, isLink, type Evidence, type EvidenceKind, type EvidenceScope } from "../../../domain/evidence";
import { mailtoOf, notices } from "../../../reports/reminders";
import { useLang, useT } from "../../i18n";
import { Notice, Refusal } from "../common";
import { usePane } from "../pane";

type Form = Record<"kind" | "at" | "by" | "scope" | "checked" | "defective" | "result" | "location" | "label" | "caption" | "link", string>;

const blank = (today: number, by: string): Form => ({
  kind: "CONTAINMENT",
  at: serialToIso(Math.floor(today)),
  by,
  scope: "",
  checked: "",
  defective: "",
  result: "",
  location: "",
  label: "",
  caption: "",
  link: "",
});

function toEvidence(caseNo: string, f: Form): Evidence {
  const e: Evidence = { caseNo, kind: f.kind as EvidenceKind };
  const at = toSerial(f.at);
  if (at.ok) e.at = Math.floor(at.serial);
  if (f.scope) e.scope = f.scope as EvidenceScope;
  for (const k of ["checked", "defective"] as const) if (f[k].trim() !== "") e[k] = Number(f[k]);
  for (const k of ["by", "result", "location", "label", "caption", "link"] as const) if (f[k].trim()) e[k] = f[k].trim();
  return e;
}

export default function EvidencePanel({ c }: { c: Case }) {
  const pane = usePane();
  const { ledger, actor } = pane;
  const t = useT();
  const lang = useLang();
  const caseNo = c.caseNo ?? "";
  const [form, setForm] = useState<Form>(() => blank(pane.today, actor?.name ?? ""));
  const [failed, setFailed] = useState<Bilingual[]>([]);
  const [done, setDone] = useState<Bilingual>();
  const records = ledger.evidenceOf(caseNo).filter((e) => e.kind !== "STATEMENT");
  const set = (k: keyof Form) => (_: unknown, d: { value: string }) => setForm((f) => ({ ...f, [k]: d.value }));

  async function record() {
    const r = await ledger.addEvidence(toEvidence(caseNo, form), actor ?? { name: form.by, source: "chosen" });
    if (!r.ok) {
      setFailed(r.reasons);
      return;
    }
    setFailed([]);
    setDone({ zh: "已记录证据", en: "Evidence recorded" });
    setForm(blank(pane.today, actor?.name ?? ""));
    pane.refresh();
  }

  const mine = notices([ledger.find(caseNo)!], ledger.people, ledger.policy, ledger.auditEntries());
  return (
    <section className="cl-box cl-form" aria-label={t("证据", "Evidence")} data-testid="evidence">
      <h3>{t("证据与记录", "Evidence and records")}</h3>
      {records.length ? (
        <ul className="cl-list" data-testid="evidence-list">
          {records.map((e, i) => (
            <li key={i}>
              {evidenceLine({ ...e, link: undefined }, lang)}
              {e.link && isLink(e.link) && !e.link.startsWith("package:") ? (
                <>
                  {" "}
                  <a href={e.link.startsWith("\\\\") ? `file:${e.link.replace(/\\/g, "/")}` : e.link} target="_blank" rel="noreferrer">
                    {e.link}
                  </a>
                </>
              ) : e.link ? (
                ` ${e.link}`
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="cl-muted">{t("尚无证据记录", "No evidence recorded yet")}</p>
      )}
      <Field label={t("类别", "Kind")}>
        <Select name="evidence-kind" value={form.kind} onChange={set("kind")}>
          {EVIDENCE_KINDS.filter((k) => k.code !== "STATEMENT").map((k) => (
            <option key={k.code} value={k.code}>
              {lang === "zh" ? k.zh : k.en}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t("范围", "Scope")}>
        <Select name="evidence-scope" value={form.scope} onChange={set("scope")}>
          <option value="">—</option>
          {EVIDENCE_SCOPES.map((k) => (
            <option key={k.code} value={k.code}>
              {lang === "zh" ? k.zh : k.en}
            </option>
          ))}
        </Select>
      </Field>
      {(
        [
          ["at", "日期", "Date"],
          ["by", "记录人/检验员", "By / inspector"],
          ["checked", "检验数量", "Checked"],
          ["defective", "不良数", "Defective"],
          ["result", "结果", "Result"],
          ["location", "存放地点", "Location"],
          ["label", "标签内容", "Label text"],
          ["caption", "说明", "Caption"],
          ["link", "链接(共享路径、SharePoint/OneDrive、网址)", "Link (share path, SharePoint/OneDrive, URL)"],
        ] as const
      ).map(([k, zh, en]) => (
        <Field key={k} label={t(zh, en)}>
          <Input name={`evidence-${k}`} value={form[k]} onChange={set(k)} />
        </Field>
      ))}
      <div className="cl-actions">
        <Button appearance="primary" onClick={() => void record()}>
          {t("记录", "Record")}
        </Button>
      </div>
      {done ? <Notice intent="success" msg={done} /> : null}
      <Refusal reasons={failed} />
      {mine.length ? (
        <div data-testid="notices">
          <h4>{t("应发通知", "Notices due")}</h4>
          <ul className="cl-list">
            {mine.map((m, i) => (
              <li key={i}>
                <a href={mailtoOf(m)}>{`${m.to.name}: ${m.subject}`}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
