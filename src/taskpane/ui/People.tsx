/**
 * 人员 People: who may log, sign and review. Add, change and deactivate
 * people and their roles; every change goes to the People sheet and the
 * audit log through the service (Ledger.savePerson), which also decides who
 * may do it: a quality manager or general manager, or anyone while nobody
 * holds those roles yet (a freshly adopted workbook, or the workbench, where
 * a user adds themselves).
 */
import { Badge, Button, Checkbox, Field, Input } from "@fluentui/react-components";
import { useState } from "react";
import { signingRoles } from "../../domain/schema";
import type { EditReason } from "../../ledger/edit-check";
import { FINANCE_ROLE, type Actor, type Person } from "../../ledger/service";
import { Both, errorOf, inLang, joinList, useLang, useT } from "../i18n";
import { Notice, Refusal, Working } from "./common";
import { usePane } from "./pane";

interface Draft {
  name: string;
  roles: string[];
  account: string;
  email: string;
}
const EMPTY: Draft = { name: "", roles: [], account: "", email: "" };

/** The person being added or edited, and saving it through the service (which decides who may). */
function usePersonEditor() {
  const pane = usePane();
  const { ledger, actor } = pane;
  const [editing, setEditing] = useState<string>();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [isMe, setIsMe] = useState(false);
  const [busy, setBusy] = useState(false);
  const [reasons, setReasons] = useState<EditReason[]>([]);
  const [saved, setSaved] = useState<{ zh: string; en: string }>();
  const fromOffice = actor?.source === "office";

  const edit = (p: Person) => {
    setEditing(p.name);
    setDraft({ name: p.name, roles: p.inactive ? (p.formerRoles ?? []) : p.roles, account: p.account ?? "", email: p.email ?? "" });
    setReasons([]);
    setSaved(undefined);
  };
  const reset = () => {
    setEditing(undefined);
    setDraft(EMPTY);
    setIsMe(false);
  };

  async function save(inactive?: boolean) {
    // Nobody chosen yet: only "this is me" names who acts (the workbench, a fresh workbook).
    const by: Actor | undefined = actor ?? (isMe && draft.name.trim() ? { name: draft.name.trim(), source: "chosen" } : undefined);
    if (!by) {
      setReasons([{ field: "", code: "NO_ACTOR", zh: "请先在顶部选择您是谁,或勾选“这是我”", en: "Choose who you are at the top first, or tick “This is me”" }]);
      return;
    }
    const old = editing ? ledger.people.find((p) => p.name === editing) : undefined;
    setBusy(true);
    setSaved(undefined);
    try {
      const res = await ledger.savePerson({ ...draft, inactive: inactive ?? old?.inactive ?? false }, by, editing);
      if (!res.ok) {
        setReasons(res.reasons);
        return;
      }
      setReasons([]);
      const who = res.person.name;
      setSaved(
        inactive
          ? { zh: `已停用 ${who}`, en: `${who} deactivated` }
          : editing
            ? { zh: `已保存 ${who}`, en: `${who} saved` }
            : { zh: `已添加 ${who}`, en: `${who} added` },
      );
      if (isMe && !fromOffice) pane.chooseActor(who);
      reset();
      pane.refresh();
    } catch (err) {
      setReasons([{ field: "", code: "FAILED", ...errorOf(err, { zh: "保存失败", en: "Saving failed" }) }]);
    } finally {
      setBusy(false);
    }
  }

  return { editing, draft, setDraft, isMe, setIsMe, busy, reasons, saved, fromOffice, edit, reset, save };
}

export default function People() {
  const pane = usePane();
  const { ledger, actor } = pane;
  const policy = ledger.policy;
  const t = useT();
  const lang = useLang();
  const { editing, draft, setDraft, isMe, setIsMe, busy, reasons, saved, fromOffice, edit, reset, save } = usePersonEditor();
  // Roles that sign something, then the others the policy knows (finance, sales…), each once.
  const roleCodes = [...new Set([...signingRoles(policy), FINANCE_ROLE, ...policy.roles.map((r) => r.code)])].filter((code) =>
    policy.roles.some((r) => r.code === code),
  );
  const label = (code: string) => {
    const r = policy.roles.find((x) => x.code === code);
    return r ? inLang(r, lang) : code;
  };
  const allowed = ledger.canManagePeople(actor ?? { name: draft.name, source: "chosen" });

  const current = editing ? ledger.people.find((p) => p.name === editing) : undefined;
  const fieldError = (f: string) => {
    const r = reasons.find((x) => x.field === f);
    return r ? { validationState: "error" as const, validationMessage: <Both msg={r} /> } : {};
  };
  return (
    <div className="cl-form" data-testid="people">
      <h2>{t("人员与角色", "People and roles")}</h2>
      <PeopleList label={label} onEdit={edit} />
      {!allowed ? (
        <Notice
          intent="warning"
          msg={{ zh: "只有品质部经理或总经理可以维护人员表", en: "Only a quality manager or general manager maintains the People sheet" }}
        />
      ) : null}
      <form
        className="cl-box cl-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        aria-label={t("人员表单", "Person form")}
      >
        <h3>{editing ? t(`编辑 ${editing}`, `Edit ${editing}`) : t("添加人员", "Add a person")}</h3>
        <Field label={t("姓名", "Name")} required {...fieldError("name")}>
          <Input name="personName" value={draft.name} onChange={(_, d) => setDraft((x) => ({ ...x, name: d.value }))} />
        </Field>
        <RoleChoices
          codes={roleCodes}
          chosen={draft.roles}
          label={label}
          reasons={reasons.filter((r) => r.field === "roles")}
          onChange={(code, on) => setDraft((x) => ({ ...x, roles: on ? [...x.roles, code] : x.roles.filter((r) => r !== code) }))}
        />
        <Field label={t("Office 账号", "Office account")} {...fieldError("account")}>
          <Input name="personAccount" value={draft.account} onChange={(_, d) => setDraft((x) => ({ ...x, account: d.value }))} />
        </Field>
        <Field label={t("邮箱", "Email")}>
          <Input name="personEmail" type="email" value={draft.email} onChange={(_, d) => setDraft((x) => ({ ...x, email: d.value }))} />
        </Field>
        {!editing && !fromOffice ? (
          <Checkbox checked={isMe} onChange={(_, d) => setIsMe(d.checked === true)} label={t("这是我(以此身份使用)", "This is me (act as this person)")} />
        ) : null}
        <div className="cl-actions">
          <Button appearance="primary" type="submit" disabled={busy}>
            {editing ? t("保存", "Save") : t("添加", "Add")}
          </Button>
          {current ? (
            <Button onClick={() => void save(!current.inactive)} disabled={busy}>
              {current.inactive ? t("恢复启用", "Reactivate") : t("停用", "Deactivate")}
            </Button>
          ) : null}
          {editing ? (
            <Button appearance="subtle" onClick={reset}>
              {t("取消", "Cancel")}
            </Button>
          ) : null}
        </div>
        {busy ? <Working what={{ zh: "正在保存…", en: "Saving…" }} /> : null}
        <Refusal reasons={reasons.filter((r) => !["name", "roles", "account"].includes(r.field))} />
        {reasons.some((r) => ["name", "roles", "account"].includes(r.field)) ? (
          <Refusal reasons={[{ zh: "请按字段旁的提示修改", en: "See the messages next to the fields" }]} />
        ) : null}
        {saved ? <Notice intent="success" msg={saved} /> : null}
      </form>
    </div>
  );
}

/** Everyone on the People sheet with their roles (the former ones, for someone deactivated). */
function PeopleList({ label, onEdit }: { label(code: string): string; onEdit(p: Person): void }) {
  const { ledger } = usePane();
  const t = useT();
  const lang = useLang();
  return ledger.people.length === 0 ? (
    <Notice
      intent="info"
      msg={{ zh: "人员表中还没有人:请先添加自己和需要签核的人", en: "The People sheet has nobody yet: add yourself and the people who sign" }}
    />
  ) : (
    <ul className="cl-people" aria-label={t("人员", "People")}>
      {ledger.people.map((p) => (
        <li key={p.name} className="cl-person" data-testid="person">
          <div>
            <strong>{p.name}</strong>{" "}
            {p.inactive ? (
              <Badge size="small" appearance="tint" color="subtle">
                {t("已停用", "inactive")}
              </Badge>
            ) : null}
            <span className="cl-second">{joinList((p.inactive ? (p.formerRoles ?? []) : p.roles).map(label), lang)}</span>
          </div>
          <Button size="small" onClick={() => onEdit(p)} aria-label={t(`编辑 ${p.name}`, `Edit ${p.name}`)}>
            {t("编辑", "Edit")}
          </Button>
        </li>
      ))}
    </ul>
  );
}

/** One checkbox per role, with the reasons a choice of roles was refused. */
function RoleChoices({
  codes,
  chosen,
  label,
  reasons,
  onChange,
}: {
  codes: readonly string[];
  chosen: readonly string[];
  label(code: string): string;
  reasons: readonly EditReason[];
  onChange(code: string, on: boolean): void;
}) {
  const t = useT();
  // Not a Fluent Field: a Field names every checkbox inside it after its own label.
  return (
    <fieldset className="cl-fieldset">
      <legend>{t("角色", "Roles")}</legend>
      <div className="cl-roles">
        {codes.map((code) => (
          <Checkbox key={code} label={label(code)} checked={chosen.includes(code)} onChange={(_, d) => onChange(code, d.checked === true)} />
        ))}
      </div>
      {reasons.map((r, i) => (
        <p key={i} className="cl-error" role="alert">
          <Both msg={r} />
        </p>
      ))}
    </fieldset>
  );
}
