/**
 * 品质判定, 责任判定, 处理方案: whether the complaint holds (with the evidence),
 * who is responsible (suggested from the defect text, free/charged derived
 * and explained), and the dispositions that fit the case with the approvals
 * each one brings.
 */
import { Badge, Button, Field, Input, Label, Radio, RadioGroup, Select, Textarea } from "@fluentui/react-components";
import { useId, useMemo, useState } from "react";
import { caseValue, type Case } from "../../../domain/case";
import { suggestSeverity } from "../../../domain/classify";
import { approvalsForDisposition, allowedDispositions, dispositionConflict, requiredForms, slotLabel } from "../../../domain/disposition";
import { CHARGES, type CaseKey } from "../../../domain/schema";
import { findNamed, RESPONSIBILITY, type Policy } from "../../../domain/policy/policy";
import { chargeFor, chargeRule, matchResponsibility, responsibilityOf } from "../../../domain/responsibility";
import { Both, inLang, joinList, useLang, useT, type Bilingual } from "../../i18n";
import { fieldDef, formProblems, formToValues, previewCase, toFormValue, type FormValues } from "../../model";
import { SchemaField } from "../Fields";
import { fieldErrors, SaveFeedback } from "../SaveFeedback";
import { usePane } from "../pane";
import { useCaseSave } from "../save";

const valuesOf = (c: Case, keys: readonly CaseKey[]): FormValues => Object.fromEntries(keys.map((k) => [k, toFormValue(fieldDef(k), caseValue(c, k))]));

// ------------------------------------------------------------------ judgement

export function JudgementPanel({ c }: { c: Case }) {
  const pane = usePane();
  const policy = pane.ledger.policy;
  const t = useT();
  const s = useCaseSave(c.caseNo!);
  const keys: CaseKey[] = ["judgedAt", "severity", "analysedAt"];
  const [confirmed, setConfirmed] = useState<"" | "yes" | "no">(c.confirmed === undefined ? "" : c.confirmed ? "yes" : "no");
  const [evidence, setEvidence] = useState(c.rootCause ?? "");
  const [values, setValues] = useState<FormValues>(() => {
    const v = valuesOf(c, keys);
    if (!v.judgedAt) v.judgedAt = toFormValue(fieldDef("judgedAt"), pane.today);
    return v;
  });
  const [local, setLocal] = useState<Record<string, { zh: string; en: string }>>({});
  const errors = { ...fieldErrors(s), ...local };
  const suggested = suggestSeverity(c.defect, c.quantity, policy);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const problems = formProblems(keys, values, policy, ["judgedAt", "severity"]);
    if (!confirmed) problems.confirmed = { zh: "请选择投诉是否属实", en: "Choose whether the complaint is confirmed" };
    if (!evidence.trim()) problems.rootCause = { zh: "请填写判定依据", en: "Give the evidence for the judgement" };
    setLocal(problems);
    if (Object.keys(problems).length) return;
    await s.save({ ...formToValues(keys, values, policy), confirmed: confirmed === "yes", rootCause: evidence.trim() });
  }

  return (
    <form className="cl-form" onSubmit={submit} noValidate aria-label={t("品质判定", "Quality judgement")}>
      <Field
        label={t("投诉是否属实", "Complaint confirmed?")}
        required
        validationState={errors.confirmed ? "error" : undefined}
        validationMessage={errors.confirmed ? <Both msg={errors.confirmed} /> : undefined}
      >
        <RadioGroup name="confirmed" value={confirmed} onChange={(_, d) => setConfirmed(d.value as "yes" | "no")} layout="horizontal">
          <Radio value="yes" label={t("属实", "Confirmed")} />
          <Radio value="no" label={t("不属实 / 客户误判", "Not confirmed")} />
        </RadioGroup>
      </Field>
      {confirmed === "no" ? (
        <p className="cl-callout">
          <Both msg={notConfirmedHint(policy)} />
        </p>
      ) : null}
      <Field
        label={t("判定依据 / 原因分析", "Evidence / root cause")}
        required
        validationState={errors.rootCause ? "error" : undefined}
        validationMessage={errors.rootCause ? <Both msg={errors.rootCause} /> : undefined}
      >
        <Textarea name="rootCause" value={evidence} resize="vertical" onChange={(_, d) => setEvidence(d.value)} />
      </Field>
      {keys.map((k) => (
        <SchemaField
          key={k}
          field={fieldDef(k)}
          value={values[k]}
          policy={policy}
          error={errors[k]}
          required={k === "judgedAt" || k === "severity"}
          onChange={(v) => setValues((o) => ({ ...o, [k]: v }))}
        />
      ))}
      {suggested ? (
        // The Policy sheet's severity criteria suggest; the person judging decides (never set by itself).
        <p className="cl-muted" data-testid="severity-suggestion">
          <Both msg={{ zh: `建议等级:${suggested.reason.zh}`, en: `Suggested severity: ${suggested.reason.en}` }} />
        </p>
      ) : null}
      <div className="cl-actions">
        <Button appearance="primary" type="submit" disabled={s.busy}>
          {t("保存判定", "Save judgement")}
        </Button>
      </div>
      <SaveFeedback s={s} shownFields={[...keys, "confirmed", "rootCause"]} />
    </form>
  );
}

/** What "not confirmed" leads to, named from the policy: its no-fault responsibility and that one's charge. */
function notConfirmedHint(policy: Policy): Bilingual {
  const nf = responsibilityOf(RESPONSIBILITY.NO_FAULT, policy);
  const charge = nf ? findNamed(CHARGES, nf.charge) : undefined;
  if (!nf || !charge) return { zh: "不属实:证据反馈业务", en: "Not confirmed: the evidence goes back to sales" };
  return {
    zh: `不属实:证据反馈业务;责任一般判为“${nf.zh}”(${charge.zh})`,
    en: `Not confirmed: the evidence goes back to sales; responsibility is usually “${nf.en}” (${charge.en.toLowerCase()})`,
  };
}

// ------------------------------------------------------------------ responsibility

/** Codes suggested by the typed responsibility, the defect and the root cause, best first, with the words that matched. */
export function suggestResponsibility(c: Case, typed: string, policy: Policy): { code: string; why: string }[] {
  const out: { code: string; why: string }[] = [];
  const add = (code: string, why: string) => {
    if (!out.some((x) => x.code === code)) out.push({ code, why });
  };
  if (c.confirmed === false) add(RESPONSIBILITY.NO_FAULT, "不属实 / not confirmed");
  for (const text of [typed, c.rootCause ?? "", c.defect ?? ""]) {
    if (!text.trim()) continue;
    const m = matchResponsibility(text, policy);
    if (m.ok) add(m.code, m.matched.join("、"));
    else for (const code of m.candidates) add(code, "?");
  }
  return out;
}

export function ResponsibilityPanel({ c }: { c: Case }) {
  const pane = usePane();
  const policy = pane.ledger.policy;
  const t = useT();
  const lang = useLang();
  const s = useCaseSave(c.caseNo!);
  const [typed, setTyped] = useState(c.responsibilityText ?? "");
  const [code, setCode] = useState(c.responsibility ?? "");
  const [cost, setCost] = useState<FormValues>({ cost: toFormValue(fieldDef("cost"), c.cost) });
  const [local, setLocal] = useState<Record<string, { zh: string; en: string }>>({});
  const errors = { ...fieldErrors(s), ...local };
  const suggestions = useMemo(() => suggestResponsibility(c, typed, policy), [c, typed, policy]);
  const def = responsibilityOf(code, policy);
  const charge = chargeFor(code, policy);
  const chargeDef = findNamed(CHARGES, charge);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const problems = formProblems(["cost"], cost, policy);
    if (!code) problems.responsibility = { zh: "请选择责任类别", en: "Choose the responsibility" };
    setLocal(problems);
    if (Object.keys(problems).length) return;
    await s.save({ responsibility: code, responsibilityText: typed.trim() || null, charge, ...formToValues(["cost"], cost, policy) });
  }

  return (
    <form className="cl-form" onSubmit={submit} noValidate aria-label={t("责任判定", "Responsibility")}>
      <Field label={t("责任说明(原文)", "Responsibility in words")} hint={t("例如:供应商来料不良", "e.g. supplier material defect")}>
        <Input name="responsibilityText" value={typed} onChange={(_, d) => setTyped(d.value)} />
      </Field>
      {suggestions.length ? (
        <div className="cl-suggest" aria-label={t("建议", "Suggestions")}>
          <span className="cl-muted">{t("建议:", "Suggested:")}</span>
          {suggestions.map((x) => {
            const r = responsibilityOf(x.code, policy)!;
            return (
              <Button
                key={x.code}
                size="small"
                appearance={code === x.code ? "primary" : "secondary"}
                onClick={() => setCode(x.code)}
                title={`${t("匹配", "matched")}: ${x.why}`}
              >
                {inLang(r, lang)}
              </Button>
            );
          })}
        </div>
      ) : null}
      <Field
        label={t("责任类别", "Responsibility")}
        required
        validationState={errors.responsibility || errors.charge ? "error" : undefined}
        validationMessage={errors.responsibility ? <Both msg={errors.responsibility} /> : errors.charge ? <Both msg={errors.charge} /> : undefined}
      >
        <Select name="responsibility" value={code} onChange={(_, d) => setCode(d.value)}>
          <option value="">{t("— 请选择 —", "— choose —")}</option>
          {policy.responsibilities.map((r) => (
            <option key={r.code} value={r.code}>
              {inLang(r, lang)}
            </option>
          ))}
        </Select>
      </Field>
      {def && chargeDef ? (
        <div className="cl-box" data-testid="charge-explained">
          <Badge appearance="filled" color={charge === "FREE" ? "success" : "warning"}>
            {inLang(chargeDef, lang)}
          </Badge>{" "}
          <Both
            msg={{
              zh: `责任为“${def.zh}”,按规定${chargeDef.zh};费用承担:${payerIn(def.payer, "zh")}`,
              en: `Responsibility “${def.en}” is ${chargeDef.en.toLowerCase()} by policy; cost borne by: ${payerIn(def.payer, "en")}`,
            }}
          />
          <p className="cl-muted" data-testid="charge-rule">
            <Both msg={chargeRule(policy)} />
          </p>
        </div>
      ) : null}
      <SchemaField field={fieldDef("cost")} value={cost.cost} policy={policy} error={errors.cost} onChange={(v) => setCost({ cost: v })} />
      <div className="cl-actions">
        <Button appearance="primary" type="submit" disabled={s.busy}>
          {t("保存责任", "Save responsibility")}
        </Button>
      </div>
      <SaveFeedback s={s} shownFields={["responsibility", "charge", "cost"]} />
    </form>
  );
}

// ------------------------------------------------------------------ disposition

export function DispositionPanel({ c }: { c: Case }) {
  const dispositionLabel = useId();
  const pane = usePane();
  const { ledger } = pane;
  const policy = ledger.policy;
  const t = useT();
  const lang = useLang();
  const s = useCaseSave(c.caseNo!);
  const allowed = allowedDispositions(c, policy);
  const [code, setCode] = useState(c.disposition && allowed.some((d) => d.code === c.disposition) ? c.disposition : "");
  const [local, setLocal] = useState<{ zh: string; en: string }>();
  const others = policy.dispositions.filter((d) => !allowed.includes(d));
  const row = ledger.find(c.caseNo!);
  const forms = code && row ? requiredForms(previewCase(row.record, { disposition: code }, policy), policy) : requiredForms(c, policy);
  const err = local ?? fieldErrors(s).disposition;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!code) {
      setLocal({ zh: "请选择处理方式", en: "Choose a disposition" });
      return;
    }
    setLocal(undefined);
    await s.save({ disposition: code });
  }

  return (
    <form className="cl-form" onSubmit={submit} noValidate aria-label={t("处理方案", "Disposition")}>
      {/* A radio group is named by its label's id: a label's `for` would point at the group's div, not an input. */}
      <Label id={dispositionLabel} required>
        {t("处理方式(仅列出适用的)", "Disposition (only those that fit)")}
      </Label>
      <Field validationState={err ? "error" : undefined} validationMessage={err ? <Both msg={err} /> : undefined}>
        <RadioGroup name="disposition" aria-labelledby={dispositionLabel} value={code} onChange={(_, d) => setCode(d.value)}>
          {allowed.map((d) => {
            const a = approvalsForDisposition(d.code, policy);
            const needs =
              a && a.forms.length
                ? joinList(
                    a.forms.map((f) => inLang(f, lang)),
                    lang,
                  )
                : t("无需签核", "no sign-off");
            return (
              <Radio
                key={d.code}
                value={d.code}
                label={
                  <span>
                    {inLang(d, lang)} <span className="cl-muted">· {needs}</span>
                  </span>
                }
              />
            );
          })}
        </RadioGroup>
      </Field>
      {others.length ? (
        <details className="cl-details">
          <summary>{t(`其他 ${others.length} 种方式为何不可用`, `Why ${others.length} others are not offered`)}</summary>
          <ul className="cl-list">
            {others.map((d) => {
              const why = dispositionConflict(c, d.code, policy);
              return (
                <li key={d.code}>
                  <strong>{inLang(d, lang)}</strong>: {why ? <Both msg={why} /> : null}
                </li>
              );
            })}
          </ul>
        </details>
      ) : null}
      <div className="cl-box" data-testid="approvals-needed">
        <h3>{t("需要的签核", "Approvals needed")}</h3>
        {forms.length ? (
          <ul className="cl-list">
            {forms.map((f) => (
              <li key={f.code}>
                {inLang(f, lang)}:{" "}
                {joinList(
                  f.signers.map((slot) => inLang(slotLabel(slot, policy), lang)),
                  lang,
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="cl-muted">{t("无", "None")}</p>
        )}
      </div>
      <div className="cl-actions">
        <Button appearance="primary" type="submit" disabled={s.busy}>
          {t("保存处理方案", "Save disposition")}
        </Button>
      </div>
      <SaveFeedback s={s} shownFields={["disposition"]} />
    </form>
  );
}

/**
 * The policy's payer text is one cell, written "中文 English" by default
 * ("经销商或消费者 Dealer or consumer"): each language gets its own half.
 * A payer written in one language only is shown as written.
 */
export function payerIn(payer: string, lang: "zh" | "en"): string {
  const m = payer.match(/^(.*[\u3000-\u9fff\uff00-\uffef][^A-Za-z]*?)\s+([A-Za-z].*)$/);
  if (!m) return payer;
  return inLang({ zh: m[1].trim(), en: m[2].trim() }, lang);
}
