/**
 * 案件 Case view: one case as a stepper along the lifecycle. Each step says
 * what is done, what is due and when, what is missing and who must act; the
 * open step shows the inputs that move it on.
 */
import { Badge, Button, Select, Spinner } from "@fluentui/react-components";
import { lazy, Suspense, useEffect, useState } from "react";
import { caseValue, type Case } from "../../domain/case";
import { needs8D } from "../../domain/disposition";
import type { State } from "../../domain/lifecycle";
import { findNamed, RESPONSIBILITY, SEVERITY } from "../../domain/policy";
import { isCaseKey, KINDS, STATES } from "../../domain/schema";
import { Both, pick, useLang, useT } from "../i18n";
import { caseSteps, fieldDef, formProblems, formToValues, STEP_FIELDS, toFormValue, type FormValues, type StepView } from "../model";
import { ApprovalsPanel } from "./Approvals";
import { ClockLine, Refusal } from "./common";
import { SchemaField } from "./Fields";
import { DispositionPanel, JudgementPanel, ResponsibilityPanel } from "./Judgement";
import { usePane } from "./pane";
import { useCaseSave } from "./save";
import { fieldErrors, SaveFeedback } from "./SaveFeedback";

// The 8D editor and its export are needed for a few serious cases only.
const EightDPanel = lazy(() => import(/* webpackChunkName: "eightd" */ "./EightD"));

const MARK: Record<StepView["status"], string> = { done: "✓", current: "●", todo: "○", skipped: "–" };

export default function CaseView({ caseNo }: { caseNo?: string }) {
  const pane = usePane();
  const t = useT();
  const lang = useLang();
  const row = caseNo ? pane.ledger.find(caseNo) : undefined;
  if (!row) {
    return (
      <div className="cl-form">
        {caseNo ? <Refusal title={{ zh: "找不到案件", en: "Case not found" }} reasons={[{ zh: `找不到客诉单 ${caseNo}`, en: `Case ${caseNo} was not found` }]} /> : null}
        <p className="cl-muted">{t("在台账中选中一行,或在下面选择案件。", "Select a row in the ledger, or choose a case below.")}</p>
        <Select aria-label={t("选择案件", "Choose a case")} value="" onChange={(_, d) => d.value && pane.openCase(d.value, { select: true })}>
          <option value="">{t("— 选择案件 —", "— choose a case —")}</option>
          {pane.ledger.rows.filter((r) => r.case.caseNo).map((r) => (
            <option key={r.row} value={r.case.caseNo}>{r.case.caseNo} · {r.case.customer ?? ""}</option>
          ))}
        </Select>
      </div>
    );
  }
  const c = row.case;
  const policy = pane.ledger.policy;
  const steps = caseSteps(c, policy, pane.cal, pane.today, pane.ledger.people);
  const status = findNamed(STATES, c.status);
  return (
    <div className="cl-case">
      <header className="cl-casehead">
        <h2>{c.caseNo}</h2>
        <div className="cl-tags">
          {status ? <Badge appearance="filled" color="brand">{pick(status, lang)}</Badge> : null}
          {c.kind ? <Badge appearance="outline">{pick(findNamed(KINDS, c.kind)!, lang)}</Badge> : null}
          {c.severity ? <Badge appearance="outline" color={c.severity === SEVERITY.SERIOUS ? "danger" : "informative"}>{pick(findNamed(policy.severities, c.severity) ?? { zh: c.severity, en: c.severity }, lang)}</Badge> : null}
          {needs8D(c.severity, c.customerRequests8D, policy) ? <Badge appearance="tint" color="danger">8D</Badge> : null}
        </div>
        <p>{c.customer} · {c.product}{c.partNo ? ` (${c.partNo})` : ""}</p>
        <p className="cl-muted cl-clip">{c.defect}</p>
        {row.problems.length ? <Refusal title={{ zh: "本行有无法读取的单元格", en: "Cells in this row could not be read" }} reasons={row.problems} /> : null}
      </header>
      <ol className="cl-stepper" aria-label={t("处理流程", "Lifecycle")}>
        {steps.map((s) => <Step key={s.state} step={s} c={c} />)}
      </ol>
    </div>
  );
}

function Step({ step, c }: { step: StepView; c: Case }) {
  const t = useT();
  const lang = useLang();
  const [open, setOpen] = useState(step.status === "current");
  // When a save completes this step, the next one opens by itself.
  useEffect(() => {
    if (step.status === "current") setOpen(true);
  }, [step.status]);
  const panelId = `step-${step.state}`;
  const canOpen = step.status !== "skipped";
  return (
    <li className={`cl-step cl-step-${step.status}`} data-testid={`step-${step.state}`} data-status={step.status}>
      <Button
        appearance="transparent"
        className="cl-steptitle"
        aria-expanded={canOpen ? open : undefined}
        aria-controls={canOpen ? panelId : undefined}
        disabled={!canOpen}
        onClick={() => setOpen(!open)}
      >
        <span className="cl-mark" aria-hidden>{MARK[step.status]}</span>
        <span>{pick(step.name, lang)}</span>
        <span className="cl-muted cl-stepstate">
          {step.status === "done" ? t("已完成", "done") : step.status === "current" ? t("进行中", "in progress") : step.status === "skipped" ? t("不适用", "n/a") : ""}
        </span>
      </Button>
      {step.status !== "skipped" ? (
        <div className="cl-stepbody">
          {step.clocks.length ? <ul className="cl-list">{step.clocks.map((k) => <ClockLine key={k.clock.code} k={k} />)}</ul> : null}
          {step.status !== "done" && step.missing.length ? (
            <ul className="cl-list cl-missing" aria-label={t("缺少", "Missing")}>
              {step.missing.map((m, i) => <li key={i}><Both msg={m} /></li>)}
            </ul>
          ) : null}
          {step.status !== "done" && step.actors.length ? (
            <p className="cl-muted">
              {t("需处理:", "To act: ")}
              {step.actors.map((a) => `${pick(a.label, lang)}${a.people.length ? (lang === "zh" ? `(${a.people.join("、")})` : ` (${a.people.join(", ")})`) : ""}`).join(lang === "zh" ? "、" : ", ")}
            </p>
          ) : null}
          {open ? <div id={panelId} className="cl-panel"><StepPanel state={step.state} c={c} /></div> : null}
        </div>
      ) : null}
    </li>
  );
}

function StepPanel({ state, c }: { state: State; c: Case }) {
  const pane = usePane();
  const policy = pane.ledger.policy;
  switch (state) {
    case "JUDGED": return <JudgementPanel c={c} />;
    case "RESPONSIBILITY": return <ResponsibilityPanel c={c} />;
    case "DISPOSITION": return <DispositionPanel c={c} />;
    case "APPROVED": return <ApprovalsPanel c={c} />;
    case "REPLIED":
      return (
        <>
          <StepFields state={state} c={c} />
          {needs8D(c.severity, c.customerRequests8D, policy) ? (
            <Suspense fallback={<Spinner size="tiny" label="8D…" />}>
              <EightDPanel c={c} />
            </Suspense>
          ) : null}
        </>
      );
    default: return <StepFields state={state} c={c} />;
  }
}

/** The step's own fields (from STEP_FIELDS), shown only where they apply to the case. */
function StepFields({ state, c }: { state: State; c: Case }) {
  const pane = usePane();
  const policy = pane.ledger.policy;
  const t = useT();
  const s = useCaseSave(c.caseNo!);
  const keys = STEP_FIELDS[state].filter((k) => {
    if (k === "replacementPromisedAt" || k === "replacementShippedAt") return c.replacementFirst === true;
    if (k === "supplierNotifiedAt" || k === "supplier8DAt") return c.responsibility === RESPONSIBILITY.SUPPLIER;
    if (k === "eightDStatus") return needs8D(c.severity, c.customerRequests8D, policy);
    return true;
  });
  const [values, setValues] = useState<FormValues>(() => Object.fromEntries(keys.map((k) => [k, toFormValue(fieldDef(k), caseValue(c, k))])));
  const [local, setLocal] = useState<Record<string, { zh: string; en: string }>>({});
  const errors = { ...fieldErrors(s), ...local };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const problems = formProblems(keys, values, policy);
    setLocal(problems);
    if (Object.keys(problems).length) return;
    // Only what changed: an untouched blank stays blank, and the audit log lists real edits.
    const all = formToValues(keys, values, policy);
    const changes = Object.fromEntries(Object.entries(all).filter(([k, v]) => (v ?? undefined) !== (isCaseKey(k) ? caseValue(c, k) : undefined)));
    if (Object.keys(changes).length === 0) return;
    await s.save(changes);
  }

  if (keys.length === 0) return null;
  return (
    <form className="cl-form" onSubmit={submit} noValidate>
      {keys.map((k) => (
        <SchemaField key={k} field={fieldDef(k)} value={values[k]} policy={policy} error={errors[k]}
          onChange={(v) => setValues((o) => ({ ...o, [k]: v }))} />
      ))}
      <div className="cl-actions">
        <Button appearance="primary" type="submit" disabled={s.busy}>{t("保存", "Save")}</Button>
      </div>
      <SaveFeedback s={s} shownFields={keys} />
    </form>
  );
}
