/**
 * 案件 Case view: one case as a stepper along the lifecycle. Each step says
 * what is done, what is due and when, what is missing and who must act; the
 * open step shows the inputs that move it on.
 */
import { Badge, Button, Checkbox, Spinner } from "@fluentui/react-components";
import { lazy, Suspense, useEffect, useState } from "react";
import { caseValue, type Case } from "../../../domain/case";
import { needs8D, replyForms } from "../../../domain/disposition";
import { STATE_ORDER, type State } from "../../../domain/lifecycle";
import { findNamed, RESPONSIBILITY, SEVERITY } from "../../../domain/policy/policy";
import { isCaseKey, KINDS, STATES, type CaseKey } from "../../../domain/schema";
import { Both, errorOf, inLang, joinList, useLang, useT, withPeople } from "../../i18n";
import {
  caseSteps,
  closeLines,
  CORRECTION_KEYS,
  fieldDef,
  formProblems,
  formToValues,
  STEP_FIELDS,
  toFormValue,
  type FormValues,
  type StepView,
} from "../../model";
import { ApprovalsPanel } from "./Approvals";
import { ClockLine, Notice, Refusal, Working } from "../common";
import { SchemaField } from "../Fields";
import { DispositionPanel, JudgementPanel, ResponsibilityPanel } from "./Judgement";
import { usePane } from "../pane";
import { useCaseSave } from "../save";
import { fieldErrors, SaveFeedback } from "../SaveFeedback";

// The 8D editor and its export are needed for a few serious cases only.
const EightDPanel = lazy(() => import(/* webpackChunkName: "eightd" */ "./EightD"));
const EvidencePanel = lazy(() => import(/* webpackChunkName: "evidence" */ "./Evidence"));
const MoneyPanel = lazy(() => import(/* webpackChunkName: "money" */ "./Money"));

const isClosedStatus = (status: string | undefined) =>
  STATE_ORDER.indexOf((findNamed(STATES, status)?.code ?? "RECEIVED") as State) >= STATE_ORDER.indexOf("CLOSED");

const MARK: Record<StepView["status"], string> = { done: "✓", current: "●", todo: "○", skipped: "–", optional: "+" };

export default function CaseView({ caseNo }: { caseNo?: string }) {
  const pane = usePane();
  const t = useT();
  const lang = useLang();
  const row = caseNo ? pane.ledger.find(caseNo) : undefined;
  if (!row) {
    return (
      <div className="cl-form">
        {caseNo ? (
          <Refusal title={{ zh: "找不到案件", en: "Case not found" }} reasons={[{ zh: `找不到客诉单 ${caseNo}`, en: `Case ${caseNo} was not found` }]} />
        ) : null}
        <p className="cl-muted">
          {t(
            "在台账中选中一行,或在上方的查找框输入单号、客户、产品或料号。",
            "Select a row in the ledger, or type a case number, customer, product or part number in the search box above.",
          )}
        </p>
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
          {status ? (
            <Badge appearance="filled" color="brand">
              {inLang(status, lang)}
            </Badge>
          ) : null}
          {c.kind ? <Badge appearance="outline">{inLang(findNamed(KINDS, c.kind)!, lang)}</Badge> : null}
          {c.severity ? (
            <Badge appearance="outline" color={c.severity === SEVERITY.SERIOUS ? "danger" : "informative"}>
              {inLang(findNamed(policy.severities, c.severity) ?? { zh: c.severity, en: c.severity }, lang)}
            </Badge>
          ) : null}
          {needs8D(c.severity, c.customerRequests8D, policy) ? (
            <Badge appearance="tint" color="danger">
              8D
            </Badge>
          ) : null}
        </div>
        <p>
          {c.customer} · {c.product}
          {c.partNo ? ` (${c.partNo})` : ""}
        </p>
        <p className="cl-muted cl-clip">{c.defect}</p>
        {row.problems.length ? <Refusal title={{ zh: "本行有无法读取的单元格", en: "Cells in this row could not be read" }} reasons={row.problems} /> : null}
        <details className="cl-details" data-testid="corrections">
          <summary>{t("更正登记信息", "Correct the case details")}</summary>
          <Corrections c={c} />
        </details>
      </header>
      <ol className="cl-stepper" aria-label={t("处理流程", "Lifecycle")}>
        {steps.map((s) => (
          <Step key={s.state} step={s} c={c} />
        ))}
      </ol>
      <EvidenceDetails c={c} />
      <MoneyDetails c={c} />
    </div>
  );
}

/** The case's money (cost lines, dealer debit, supplier return), folded: loaded when opened. */
function MoneyDetails({ c }: { c: Case }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <details className="cl-details" data-testid="money-details" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>{t("费用、扣款与退供应商", "Costs, dealer debit and supplier return")}</summary>
      {open ? (
        <Suspense fallback={<Spinner size="tiny" label="…" />}>
          <MoneyPanel c={c} />
        </Suspense>
      ) : null}
    </details>
  );
}

/** Evidence and notices, folded: loaded when opened. */
function EvidenceDetails({ c }: { c: Case }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <details className="cl-details" data-testid="evidence-details" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>{t("证据与通知", "Evidence and notices")}</summary>
      {open ? (
        <Suspense fallback={<Spinner size="tiny" label="…" />}>
          <EvidencePanel c={c} />
        </Suspense>
      ) : null}
    </details>
  );
}

function Step({ step, c }: { step: StepView; c: Case }) {
  const { cal } = usePane();
  const t = useT();
  const lang = useLang();
  const [open, setOpen] = useState(step.status === "current");
  // When a save completes this step, the next one opens by itself.
  useEffect(() => {
    if (step.status === "current") setOpen(true);
  }, [step.status]);
  const panelId = `step-${step.state}`;
  const canOpen = step.status !== "skipped";
  const shown = step.status !== "skipped";
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
        <span className="cl-mark" aria-hidden>
          {MARK[step.status]}
        </span>
        <span>{inLang(step.name, lang)}</span>
        <span className="cl-muted cl-stepstate">
          {step.status === "done"
            ? t("已完成", "done")
            : step.status === "current"
              ? t("进行中", "in progress")
              : step.status === "skipped"
                ? t("不适用", "n/a")
                : step.status === "optional"
                  ? t("可选", "optional")
                  : ""}
        </span>
      </Button>
      {shown ? (
        <div className="cl-stepbody">
          {step.clocks.length ? (
            <ul className="cl-list">
              {step.clocks.map((k) => (
                <ClockLine key={k.clock.code} k={k} cal={cal} />
              ))}
            </ul>
          ) : null}
          {step.status === "optional" ? (
            <p className="cl-muted">
              {t(
                "客诉的货物退回工厂时在此登记(客诉转客退),之后可选择报废、返工、退供应商等处理方式。",
                "Record here when a complaint's goods come back (complaint → return); scrap, rework, return to supplier and the other dispositions then apply.",
              )}
            </p>
          ) : null}
          {step.status !== "done" && step.missing.length ? (
            <ul className="cl-list cl-missing" aria-label={t("缺少", "Missing")}>
              {step.missing.map((m, i) => (
                <li key={i}>
                  <Both msg={m} />
                </li>
              ))}
            </ul>
          ) : null}
          {step.status !== "done" && step.actors.length ? (
            <p className="cl-muted">
              {t("需处理:", "To act: ")}
              {joinList(
                step.actors.map((a) => withPeople(inLang(a.label, lang), a.people, lang)),
                lang,
              )}
            </p>
          ) : null}
          {open ? (
            <div id={panelId} className="cl-panel">
              <StepPanel state={step.state} c={c} />
            </div>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function StepPanel({ state, c }: { state: State; c: Case }) {
  const pane = usePane();
  const policy = pane.ledger.policy;
  switch (state) {
    case "JUDGED":
      return <JudgementPanel c={c} />;
    case "RESPONSIBILITY":
      return <ResponsibilityPanel c={c} />;
    case "DISPOSITION":
      return <DispositionPanel c={c} />;
    case "APPROVED":
      return <ApprovalsPanel c={c} />;
    case "GOODS_BACK":
      return <GoodsBackPanel c={c} />;
    case "CLOSED":
      return (
        <>
          <StepFields state={state} c={c} />
          <ClosePanel c={c} />
        </>
      );
    case "REPLIED":
      return (
        <>
          {/* 处理措施经品质部经理及部长审核批准后…回复客户: the reply's own sign-offs, signed here. */}
          {replyForms(c, policy).length ? <ApprovalsPanel c={c} reply /> : null}
          <StepFields state={state} c={c} />
          {needs8D(c.severity, c.customerRequests8D, policy) ? (
            <Suspense fallback={<Spinner size="tiny" label="8D…" />}>
              <EightDPanel c={c} />
            </Suspense>
          ) : null}
        </>
      );
    default:
      return <StepFields state={state} c={c} />;
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
        <SchemaField key={k} field={fieldDef(k)} value={values[k]} policy={policy} error={errors[k]} onChange={(v) => setValues((o) => ({ ...o, [k]: v }))} />
      ))}
      <div className="cl-actions">
        <Button appearance="primary" type="submit" disabled={s.busy}>
          {t("保存", "Save")}
        </Button>
      </div>
      <SaveFeedback s={s} shownFields={keys} />
    </form>
  );
}

/**
 * 退货回厂: the warehouse receipt. On a complaint the goods coming back turn
 * it into a return (客诉 → 客退); the kind change is offered, and audited
 * like any correction.
 */
function GoodsBackPanel({ c }: { c: Case }) {
  const pane = usePane();
  const policy = pane.ledger.policy;
  const t = useT();
  const s = useCaseSave(c.caseNo!);
  const keys = STEP_FIELDS.GOODS_BACK;
  const [values, setValues] = useState<FormValues>(() => Object.fromEntries(keys.map((k) => [k, toFormValue(fieldDef(k), caseValue(c, k))])));
  const [toReturn, setToReturn] = useState(false);
  const [local, setLocal] = useState<Record<string, { zh: string; en: string }>>({});
  const errors = { ...fieldErrors(s), ...local };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const required: CaseKey[] = c.goodsBackAt === undefined ? ["goodsBackAt"] : [];
    const problems = formProblems(keys, values, policy, required);
    setLocal(problems);
    if (Object.keys(problems).length) return;
    const all = formToValues(keys, values, policy);
    const changes: Record<string, unknown> = changedFrom(c, keys, all);
    if (toReturn && c.kind === "COMPLAINT") changes.kind = "RETURN";
    if (Object.keys(changes).length === 0) return;
    await s.save(changes, toReturn ? { action: "CORRECTED", reason: "客诉转客退:货物已回厂 / Complaint became a return: goods back" } : {});
  }

  return (
    <form className="cl-form" onSubmit={submit} noValidate>
      {keys.map((k) => (
        <SchemaField key={k} field={fieldDef(k)} value={values[k]} policy={policy} error={errors[k]} onChange={(v) => setValues((o) => ({ ...o, [k]: v }))} />
      ))}
      {c.kind === "COMPLAINT" ? (
        <Checkbox
          checked={toReturn}
          onChange={(_, d) => setToReturn(d.checked === true)}
          name="toReturn"
          label={t("类别改为客退(记入审计日志)", "Change the kind to Return (audited)")}
        />
      ) : null}
      <div className="cl-actions">
        <Button appearance="primary" type="submit" disabled={s.busy}>
          {t("登记回厂", "Record goods back")}
        </Button>
      </div>
      <SaveFeedback s={s} shownFields={keys} />
    </form>
  );
}

/**
 * 结案 as an action: everything still missing, with the step and who must
 * act, and a Close button that closes only when the list is empty (the
 * service checks again, and logs a refusal).
 */
function ClosePanel({ c }: { c: Case }) {
  const pane = usePane();
  const { ledger, actor } = pane;
  const t = useT();
  const lang = useLang();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true } | { ok: false; reasons: { zh: string; en: string }[] }>();
  const lines = closeLines(c, ledger.policy, ledger.people);
  const closed = isClosedStatus(c.status);

  async function close() {
    if (!actor) {
      setResult({ ok: false, reasons: [{ zh: "请先在顶部选择您是谁", en: "Choose who you are at the top first" }] });
      return;
    }
    setBusy(true);
    try {
      const res = await ledger.closeCase(c.caseNo!, actor);
      setResult(res.ok ? { ok: true } : { ok: false, reasons: res.reasons });
      pane.refresh();
    } catch (err) {
      setResult({ ok: false, reasons: [errorOf(err, { zh: "结案失败", en: "Closing failed" })] });
    } finally {
      setBusy(false);
    }
  }

  if (closed) return <Notice intent="success" msg={{ zh: "本案已结案", en: "This case is closed" }} />;
  return (
    <section className="cl-box cl-form" data-testid="close-panel" aria-label={t("结案", "Close the case")}>
      <h3>{t("结案检查", "Before closing")}</h3>
      {lines.length === 0 ? (
        <p data-testid="close-ready">
          {t(
            "各步骤、签核、8D、责任与收费/免费均已完成,可以结案。",
            "Every step, approval, the 8D, responsibility and free/charged are done: the case can be closed.",
          )}
        </p>
      ) : (
        <ul className="cl-list cl-missing" data-testid="close-checklist">
          {lines.map((l, i) => (
            <li key={i}>
              <strong>{inLang(l.step, lang)}</strong>: {inLang(l.item, lang)}
              <span className="cl-second">
                {t("需处理:", "To act: ")}
                {joinList(
                  l.who.map((w) => withPeople(inLang(w.label, lang), w.people, lang)),
                  lang,
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="cl-actions">
        <Button appearance="primary" onClick={close} disabled={busy}>
          {t("结案", "Close case")}
        </Button>
      </div>
      {busy ? <Working what={{ zh: "正在结案…", en: "Closing…" }} /> : null}
      {result && !result.ok ? <Refusal title={{ zh: "不能结案", en: "Cannot close yet" }} reasons={result.reasons} /> : null}
    </section>
  );
}

/**
 * 更正: the fields that identify a case (kind, customer, class, product,
 * part number, defect…), editable after intake. Each change is audited old
 * → new (CORRECTED) and checked by the same rules as every other edit.
 */
function Corrections({ c }: { c: Case }) {
  const pane = usePane();
  const policy = pane.ledger.policy;
  const t = useT();
  const s = useCaseSave(c.caseNo!);
  const keys: readonly CaseKey[] = CORRECTION_KEYS;
  const [values, setValues] = useState<FormValues>(() => Object.fromEntries(keys.map((k) => [k, toFormValue(fieldDef(k), caseValue(c, k))])));
  const [local, setLocal] = useState<Record<string, { zh: string; en: string }>>({});
  const errors = { ...fieldErrors(s), ...local };
  const required = keys.filter((k) => fieldDef(k).required);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const problems = formProblems(keys, values, policy, required);
    setLocal(problems);
    if (Object.keys(problems).length) return;
    const all = formToValues(keys, values, policy);
    const changes = changedFrom(c, keys, all);
    if (Object.keys(changes).length === 0) return;
    await s.save(changes, { action: "CORRECTED", reason: "更正登记信息 / Case details corrected" });
  }

  return (
    <form className="cl-form cl-panel" onSubmit={submit} noValidate>
      {keys.map((k) => (
        <SchemaField
          key={k}
          field={fieldDef(k)}
          value={values[k]}
          policy={policy}
          error={errors[k]}
          required={required.includes(k)}
          onChange={(v) => setValues((o) => ({ ...o, [k]: v }))}
        />
      ))}
      <div className="cl-actions">
        <Button appearance="primary" type="submit" disabled={s.busy}>
          {t("保存更正", "Save corrections")}
        </Button>
      </div>
      <SaveFeedback s={s} shownFields={keys} />
    </form>
  );
}

/** The form's values that differ from the case, in field order (a value the form could not read is absent). */
function changedFrom(c: Case, keys: readonly CaseKey[], values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in values && (values[k] ?? undefined) !== caseValue(c, k)).map((k) => [k, values[k]]));
}
