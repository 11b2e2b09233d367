/**
 * 签核 Approvals: every form the case needs, each signer slot signed (name,
 * time, comment) or still open, and signing as a role the People sheet gives
 * the user. Refusals come from the service (Ledger.sign) and are shown as
 * they are; the service also writes them to the audit log.
 */
import { Badge, Button, Field, Input, Select } from "@fluentui/react-components";
import { useState } from "react";
import type { Case } from "../../../domain/case";
import { missingApprovals, missingReplyApprovals, replyForms, requiredForms, signatureCovers, slotLabel } from "../../../domain/disposition";
import { autoAdvance } from "../../../domain/lifecycle";
import { findNamed } from "../../../domain/policy/policy";
import type { EditReason } from "../../../ledger/edit-check";
import { Both, inLang, useLang, useT } from "../../i18n";
import { isoTime, Notice, Refusal, Working } from "../common";
import { usePane } from "../pane";

/** `reply`: the documents the reply needs (the measures review, the VP's 8D review) instead of those before execution. */
export function ApprovalsPanel({ c, reply = false }: { c: Case; reply?: boolean }) {
  const pane = usePane();
  const { ledger, actor, myRoles } = pane;
  const policy = ledger.policy;
  const t = useT();
  const lang = useLang();
  const forms = reply ? replyForms(c, policy) : requiredForms(c, policy);
  const missing = reply ? missingReplyApprovals(c, policy) : missingApprovals(c, policy);
  const openRoles = [...new Set(missing.flatMap((m) => m.roles))];
  const [role, setRole] = useState(() => openRoles.find((r) => myRoles.includes(r)) ?? openRoles[0] ?? "");
  const current = openRoles.includes(role) ? role : (openRoles.find((r) => myRoles.includes(r)) ?? openRoles[0] ?? "");
  // A signature approves one document, chosen here (the first awaiting this role unless another is picked).
  const docs = [...new Set(missing.filter((m) => m.roles.includes(current)).map((m) => m.form))];
  const [doc, setDoc] = useState("");
  const currentDoc = docs.find((f) => f.code === doc)?.code ?? docs[0]?.code;
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true; role: string } | { ok: false; reasons: EditReason[] }>();
  const roleName = (r: string) => {
    const d = findNamed(policy.roles, r);
    return d ? inLang(d, lang) : r;
  };

  async function sign(e: React.FormEvent) {
    e.preventDefault();
    if (!actor) {
      setResult({ ok: false, reasons: [{ field: "", code: "NO_ACTOR", zh: "请先在顶部选择您是谁", en: "Choose who you are at the top first" }] });
      return;
    }
    setBusy(true);
    try {
      const res = await ledger.sign(c.caseNo!, current, actor, comment.trim() || undefined, currentDoc);
      setResult(res.ok ? { ok: true, role: current } : { ok: false, reasons: res.reasons });
      if (res.ok) {
        setComment("");
        await advanceStatus(c.caseNo!);
      }
      pane.refresh();
    } finally {
      setBusy(false);
    }
  }

  /** The last signature completes the approvals step: the status follows (a second, separate write). */
  async function advanceStatus(caseNo: string) {
    const now = ledger.find(caseNo);
    if (!now || !actor) return;
    const to = autoAdvance(now.case, now.case.status, policy);
    if (to) await ledger.updateCase(caseNo, { status: to }, actor);
  }

  if (forms.length === 0) return <p className="cl-muted">{t("本案无需签核", "This case needs no approvals")}</p>;
  const holdsIt = myRoles.includes(current);
  return (
    <div className="cl-form">
      <ApprovalForms c={c} forms={forms} roleName={roleName} />
      <p data-testid="unsigned-count">
        {missing.length
          ? t(`仍有 ${missing.length} 处未签核`, `${missing.length} sign-off${missing.length > 1 ? "s" : ""} still missing`)
          : t("全部已签核", "All signed")}
      </p>
      {missing.length ? (
        <form className="cl-box" onSubmit={sign} aria-label={t("签核", "Sign")}>
          <Field label={t("签核身份", "Sign as")}>
            <Select name="signRole" value={current} onChange={(_, d) => setRole(d.value)}>
              {openRoles.map((r) => (
                <option key={r} value={r}>
                  {roleName(r)}
                  {myRoles.includes(r) ? " ✓" : ""}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("签核单据", "Document")}>
            <Select name="signForm" value={currentDoc ?? ""} onChange={(_, d) => setDoc(d.value)}>
              {docs.map((f) => (
                <option key={f.code} value={f.code}>
                  {inLang(f, lang)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t("意见", "Comment")}>
            <Input name="signComment" value={comment} onChange={(_, d) => setComment(d.value)} />
          </Field>
          <p className="cl-muted">
            {actor
              ? t(
                  `签核人:${actor.name}(${actor.source === "office" ? "Office 账号" : "手动选择"})`,
                  `Signing as ${actor.name} (${actor.source === "office" ? "Office account" : "chosen by hand"})`,
                )
              : t("请先在顶部选择您是谁", "Choose who you are at the top first")}
            {actor && !holdsIt ? (
              <>
                <br />
                <Both msg={{ zh: "人员表中您没有此角色,签核会被拒绝", en: "The People sheet does not give you this role; signing will be refused" }} />
              </>
            ) : null}
          </p>
          <div className="cl-actions">
            <Button appearance="primary" type="submit" disabled={busy || !current}>
              {t("签核", "Sign")}
            </Button>
          </div>
          {busy ? <Working what={{ zh: "正在签核…", en: "Signing…" }} /> : null}
        </form>
      ) : null}
      {result?.ok ? (
        <Notice
          intent="success"
          msg={{
            zh: `已以${findNamed(policy.roles, result.role)?.zh ?? result.role}身份签核,已记入审计日志`,
            en: `Signed as ${findNamed(policy.roles, result.role)?.en ?? result.role}; recorded in the audit log`,
          }}
        />
      ) : null}
      {result && !result.ok ? <Refusal title={{ zh: "签核被拒绝", en: "Signing refused" }} reasons={result.reasons} /> : null}
    </div>
  );
}

/** Each form the case needs, and each of its signer slots: signed (by whom, when, with what comment) or still open (and who could sign it). */
function ApprovalForms({ c, forms, roleName }: { c: Case; forms: ReturnType<typeof requiredForms>; roleName(r: string): string }) {
  const { ledger } = usePane();
  const policy = ledger.policy;
  const t = useT();
  const lang = useLang();
  const holders = (roles: string[]) => ledger.people.filter((p) => p.roles.some((r) => roles.includes(r))).map((p) => p.name);
  return (
    <ul className="cl-forms" data-testid="approval-forms">
      {forms.map((f) => (
        <li key={f.code}>
          <strong>{inLang(f, lang)}</strong>
          <ul className="cl-list">
            {f.signers.map((slot, i) => {
              const signedBy = slot.find((r) => signatureCovers(c.signatures[r], f.code));
              const sig = signedBy ? signatureCovers(c.signatures[signedBy], f.code) : undefined;
              return (
                <li key={i}>
                  {sig ? (
                    <>
                      <Badge appearance="tint" color="success" size="small">
                        {t("已签", "Signed")}
                      </Badge>{" "}
                      {roleName(signedBy!)}: {sig.name} <span className="cl-nowrap">{isoTime(sig.at)}</span>
                      {sig.comment ? <span className="cl-muted"> · {sig.comment}</span> : null}
                    </>
                  ) : (
                    <>
                      <Badge appearance="tint" color="warning" size="small">
                        {t("待签", "Unsigned")}
                      </Badge>{" "}
                      {inLang(slotLabel(slot, policy), lang)}
                      {holders(slot).length ? <span className="cl-muted"> ({holders(slot).join("、")})</span> : null}
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        </li>
      ))}
    </ul>
  );
}
