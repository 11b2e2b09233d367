/**
 * 登记 Intake: the case form built from the schema (INTAKE_KEYS pick which
 * fields; labels, types and "required" come from CASE_FIELDS), with inline
 * validation, the case number the save will most likely get, the due dates
 * the case starts with, and the "ship a replacement first" path (先补发,再追究)
 * that needs the customer-service manager's approval.
 */
import { Button, Checkbox, Input, Field } from "@fluentui/react-components";
import { useMemo, useRef, useState } from "react";
import { serialToYmd } from "../../domain/dates";
import { instantToSerial } from "../../domain/zone";
import { caseClocks } from "../../domain/sla";
import { findNamed, FORM, type Policy } from "../../domain/policy/policy";
import type { Case } from "../../domain/case";
import type { CaseKey } from "../../domain/schema";
import type { EditReason } from "../../ledger/edit-check";
import { Both, errorOf, useT, type Bilingual } from "../i18n";
import { datetimeInput, fieldDef, formProblems, formToValues, INTAKE_KEYS, previewCase, type FormValues } from "../model";
import { ClockLine, Notice, Refusal, splitReasons, Working } from "./common";
import { SchemaField } from "./Fields";
import { usePane } from "./pane";

/** Who approves 先补发: the roles of the policy's REPLACEMENT_FIRST form, never a role named here (issue 27, item 1). */
export function replacementSigners(policy: Policy): string[] {
  return findNamed(policy.forms, FORM.REPLACEMENT_FIRST)?.signers.flat() ?? [];
}

export default function Intake() {
  const pane = usePane();
  const { ledger, actor, myRoles, now } = pane;
  const policy = ledger.policy;
  const t = useT();
  const fresh = (): FormValues => ({ receivedAt: datetimeInput(instantToSerial(pane.now(), policy.settings.timeZone)), owner: actor?.name ?? "" });
  const [values, setValues] = useState<FormValues>(fresh);
  const [errors, setErrors] = useState<Record<string, Bilingual>>({});
  const [other, setOther] = useState<EditReason[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<{ caseNo: string; signed?: boolean; signRefused?: EditReason[] }>();
  const [signNow, setSignNow] = useState(true);
  const [signComment, setSignComment] = useState("");
  const formRef = useRef<HTMLFormElement>(null);

  const required = INTAKE_KEYS.filter((k) => fieldDef(k).required);
  const replacementFirst = values.replacementFirst === true;
  const keys = useMemo(() => INTAKE_KEYS.filter((k) => k !== "replacementPromisedAt" || replacementFirst), [replacementFirst]);
  // The role I approve the replacement in, when the policy gives me one.
  const approverRole = replacementSigners(policy).find((r) => myRoles.includes(r));
  const draft = useMemo(() => {
    const v = formToValues(keys, values, policy);
    return previewCase({}, { ...v, loggedAt: instantToSerial(now(), policy.settings.timeZone) }, policy);
  }, [keys, values, policy, now]);
  const nextNo = ledger.nextCaseNo(draft.receivedAt !== undefined ? serialToYmd(draft.receivedAt).year : undefined);

  const set = (key: string, v: string | boolean) => {
    setValues((old) => ({ ...old, [key]: v }));
    if (errors[key]) setErrors((old) => withoutKey(old, key));
  };
  const checkOne = (key: CaseKey) => {
    const p = formProblems([key], values, policy, required)[key];
    setErrors((old) => (p ? { ...old, [key]: p } : withoutKey(old, key)));
  };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setSaved(undefined);
    setOther([]);
    const problems = formProblems(keys, values, policy, required);
    setErrors(problems);
    const first = keys.find((k) => problems[k]);
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    if (!actor) {
      setOther([{ field: "", code: "NO_ACTOR", zh: "请先在顶部选择您是谁", en: "Choose who you are at the top first" }]);
      return;
    }
    setBusy(true);
    try {
      const fieldValues = { ...formToValues(keys, values, policy), loggedAt: instantToSerial(pane.now(), policy.settings.timeZone) };
      const res = await ledger.addCase(fieldValues, actor);
      if (!res.ok) {
        const split = splitReasons(res.reasons, keys);
        setErrors(split.byField);
        setOther(split.other);
        return;
      }
      // A customer-service manager approves the replacement in the same go.
      const s =
        replacementFirst && approverRole && signNow
          ? await ledger.sign(res.caseNo, approverRole, actor, signComment || "同意先补发 / Replacement first approved", FORM.REPLACEMENT_FIRST)
          : undefined;
      setSaved({ caseNo: res.caseNo, signed: s?.ok, signRefused: s && !s.ok ? s.reasons : undefined });
      setValues(fresh());
      setErrors({});
      pane.refresh();
    } catch (err) {
      setOther([{ field: "", code: "FAILED", ...errorOf(err, { zh: "保存失败", en: "Saving failed" }) }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} className="cl-form" onSubmit={submit} noValidate aria-label={t("登记新客诉", "Log a new case")}>
      {saved ? <SavedNotice saved={saved} /> : null}

      <NextCaseNo nextNo={nextNo} />

      {keys.map((key) => {
        const field = fieldDef(key);
        return (
          <div key={key}>
            <SchemaField
              field={field}
              value={values[key]}
              onChange={(v) => set(key, v)}
              onBlur={() => checkOne(key)}
              policy={policy}
              required={required.includes(key)}
              error={errors[key]}
            />
            {key === "replacementFirst" && replacementFirst ? (
              <ReplacementFirst signNow={signNow} onSignNow={setSignNow} comment={signComment} onComment={setSignComment} />
            ) : null}
          </div>
        );
      })}

      <IntakeClocks draft={draft} />

      <Refusal reasons={other} />
      {busy ? <Working what={{ zh: "正在保存…", en: "Saving…" }} /> : null}
      <IntakeActions
        busy={busy}
        onClear={() => {
          setValues(fresh());
          setErrors({});
          setOther([]);
        }}
      />
    </form>
  );
}

/** The number the case will get: shown ahead, assigned on save. */
function NextCaseNo({ nextNo }: { nextNo: string }) {
  const t = useT();
  return (
    <p className="cl-caseno">
      {t("客诉单号", "Case No.")}: <strong data-testid="next-case-no">{nextNo}</strong>
      <br />
      <span className="cl-muted">{t("保存时按工作簿中最新编号分配", "Assigned on save from the newest numbers in the workbook")}</span>
    </p>
  );
}

function IntakeActions({ busy, onClear }: { busy: boolean; onClear: () => void }) {
  const t = useT();
  return (
    <div className="cl-actions">
      <Button appearance="primary" type="submit" disabled={busy}>
        {t("登记", "Log case")}
      </Button>
      <Button type="button" disabled={busy} onClick={onClear}>
        {t("清空", "Clear")}
      </Button>
    </div>
  );
}

const withoutKey = <T,>(o: Record<string, T>, key: string): Record<string, T> => {
  const next = { ...o };
  delete next[key];
  return next;
};

/** Logged: the case number, whether the replacement was approved at once, and a way to the case. */
function SavedNotice({ saved }: { saved: { caseNo: string; signed?: boolean; signRefused?: EditReason[] } }) {
  const pane = usePane();
  const t = useT();
  return (
    <>
      <Notice intent="success" msg={{ zh: `已登记 ${saved.caseNo}`, en: `Logged ${saved.caseNo}` }}>
        {saved.signed ? (
          <div>
            <Both msg={{ zh: "已签核:先补发确认", en: "Signed: replacement first" }} />
          </div>
        ) : null}
        <div>
          <Button size="small" appearance="transparent" onClick={() => pane.openCase(saved.caseNo, { select: true })}>
            {t("打开案件", "Open the case")} →
          </Button>
        </div>
      </Notice>
      {saved.signRefused ? <Refusal title={{ zh: "未能签核", en: "Not signed" }} reasons={saved.signRefused} /> : null}
    </>
  );
}

/** 先补发,再追究: who must approve; a customer-service manager approves while saving. */
function ReplacementFirst({
  signNow,
  onSignNow,
  comment,
  onComment,
}: {
  signNow: boolean;
  onSignNow(on: boolean): void;
  comment: string;
  onComment(text: string): void;
}) {
  const { ledger, myRoles } = usePane();
  const t = useT();
  const signers = replacementSigners(ledger.policy);
  const holders = ledger.people.filter((p) => p.roles.some((r) => signers.includes(r))).map((p) => p.name);
  const roles = signers.map((r) => findNamed(ledger.policy.roles, r) ?? { zh: r, en: r });
  const mine = roles[signers.findIndex((r) => myRoles.includes(r))];
  return (
    <div className="cl-callout" data-testid="replacement-first">
      <Both
        msg={{
          zh: `先补发,再追究:需${roles.map((r) => r.zh).join("或")}确认签核${holders.length ? `(${holders.join("、")})` : ""}`,
          en: `Replacement first: needs the approval of the ${roles.map((r) => r.en).join(" or ")}${holders.length ? ` (${holders.join(", ")})` : ""}`,
        }}
      />
      {mine ? (
        <>
          <Checkbox
            checked={signNow}
            onChange={(_, d) => onSignNow(d.checked === true)}
            label={t(`保存时以${mine.zh}身份确认`, `Approve as ${mine.en} when saving`)}
          />
          {signNow ? (
            <Field label={t("签核意见", "Comment")}>
              <Input value={comment} onChange={(_, d) => onComment(d.value)} />
            </Field>
          ) : null}
        </>
      ) : (
        <p className="cl-muted">{t("保存后将列入其“待我签核”。", "After saving it appears in their “Waiting for my approval”.")}</p>
      )}
    </div>
  );
}

/** The clocks the new case starts with, from the form as typed (the log clock is this save itself). */
function IntakeClocks({ draft }: { draft: Case }) {
  const { ledger, cal, today } = usePane();
  const t = useT();
  const policy = ledger.policy;
  const clocks = useMemo(() => {
    try {
      return caseClocks(draft, policy, cal, today).filter((k) => k.start !== undefined && k.clock.code !== "LOG");
    } catch {
      return [];
    }
  }, [draft, policy, cal, today]);
  return (
    <section aria-label={t("时限", "Due dates")} className="cl-box">
      <h3>{t("时限", "Due dates")}</h3>
      {clocks.length ? (
        <ul className="cl-list" data-testid="intake-clocks">
          {clocks.map((k) => (
            <ClockLine key={k.clock.code} k={k} cal={cal} />
          ))}
        </ul>
      ) : (
        <p className="cl-muted">{t("填写接收时间后显示", "Shown once the receipt time is filled in")}</p>
      )}
    </section>
  );
}
