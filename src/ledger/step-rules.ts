/**
 * Who may record a step and what a signature approves, asked by the service before it writes:
 * a step is recorded only by someone whose People roles include the step's role (or a deputy role the
 * Policy sheet allows), and a signature approves one named document that holds its required content.
 */
import type { Case } from "../domain/case";
import { documentsOf, missingAmong, missingContent, signatureCovers } from "../domain/disposition";
import type { Bilingual } from "../domain/errors";
import { findNamed, type ApprovalFormDef, type Policy } from "../domain/policy/policy";
import { caseField, isCaseKey } from "../domain/schema";
import type { EditReason } from "./edit-check";

/** Anyone on the People sheet with their active roles. */
interface Holder {
  name: string;
  roles: readonly string[];
}

const roleNames = (roles: readonly string[], policy: Policy): Bilingual => {
  const defs = roles.map((r) => findNamed(policy.roles, r));
  return { zh: defs.map((d, i) => d?.zh ?? roles[i]).join("、"), en: defs.map((d, i) => d?.en ?? roles[i]).join(", ") };
};

/**
 * Why `name` (holding `roles`) may not record the changed fields: one reason per step whose roles and
 * deputies they hold none of. A step no one on the People sheet can do is open to anyone (a ledger
 * whose People sheet is not filled in yet keeps working).
 */
export function stepRefusals(changed: readonly string[], name: string, roles: readonly string[], people: readonly Holder[], policy: Policy): EditReason[] {
  const out: EditReason[] = [];
  for (const step of policy.steps) {
    const fields = step.fields.filter((f) => changed.includes(f));
    if (fields.length === 0) continue;
    const allowed = [...step.roles, ...step.deputies];
    if (roles.some((r) => allowed.includes(r))) continue;
    if (!people.some((p) => p.roles.some((r) => allowed.includes(r)))) continue;
    const who = roleNames(allowed, policy);
    const what = fields.map((f) => (isCaseKey(f) ? caseField(f) : { zh: f, en: f }));
    out.push({
      field: fields[0],
      code: "NOT_YOUR_ROLE",
      zh: `"${step.zh}"(${what.map((x) => x.zh).join("、")})只能由${who.zh}记录,${name} 在人员表中没有这些角色`,
      en: `"${step.en}" (${what.map((x) => x.en).join(", ")}) is recorded only by ${who.en}; ${name} holds none of these roles on the People sheet`,
    });
  }
  return out;
}

export type DocumentChoice = { ok: true; form: ApprovalFormDef } | { ok: false; reasons: Omit<EditReason, "field">[] };

/**
 * The document a signature of `role` approves: `form` when given (it must be one the case needs, with
 * `role` among its signers, not yet signed by the role, and hold its required content); without it, the
 * one document still awaiting the role, or a refusal asking to choose when there are several.
 */
export function chooseDocument(c: Case, role: string, form: string | undefined, policy: Policy): DocumentChoice {
  const docs = documentsOf(c, policy).filter((f) => f.signers.some((slot) => slot.includes(role)));
  const awaiting = docs.filter((f) => missingAmong([f], c.signatures).some((m) => m.roles.includes(role)));
  let doc: ApprovalFormDef | undefined;
  if (form !== undefined) {
    const named = findNamed(policy.forms, form);
    doc = docs.find((f) => f.code === named?.code);
    if (!doc) {
      const label = named ? `《${named.zh}》` : `"${form}"`;
      return {
        ok: false,
        reasons: [{ code: "NOT_NEEDED", zh: `本案不需要此角色签核${label}`, en: `This case does not need this role's sign-off on ${named?.en ?? form}` }],
      };
    }
    if (signatureCovers(c.signatures[role], doc.code) && !awaiting.includes(doc)) {
      return { ok: false, reasons: [{ code: "NOT_NEEDED", zh: `《${doc.zh}》已签核`, en: `The ${doc.en} is already signed` }] };
    }
  } else if (awaiting.length === 1) doc = awaiting[0];
  else if (awaiting.length === 0) {
    return { ok: false, reasons: [{ code: "NOT_NEEDED", zh: "本案没有等待此角色签核的单据", en: "No document of this case awaits this role's sign-off" }] };
  } else {
    return {
      ok: false,
      reasons: [
        {
          code: "CHOOSE_DOCUMENT",
          zh: `有多份单据等待签核,请选择一份:${awaiting.map((f) => `《${f.zh}》(${f.code})`).join("、")}`,
          en: `Several documents await this sign-off; choose one: ${awaiting.map((f) => `${f.en} (${f.code})`).join(", ")}`,
        },
      ],
    };
  }
  const missing = missingContent(c, doc);
  if (missing.length) {
    const what = missing.map((k) => (isCaseKey(k) ? caseField(k) : { zh: k, en: k }));
    return {
      ok: false,
      reasons: [
        {
          code: "CONTENT_MISSING",
          zh: `《${doc.zh}》缺少${what.map((x) => x.zh).join("、")},不能签核`,
          en: `The ${doc.en} lacks ${what.map((x) => x.en).join(", ")}; it cannot be signed`,
        },
      ],
    };
  }
  return { ok: true, form: doc };
}
