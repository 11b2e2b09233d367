/**
 * Identity from Microsoft 365 sign-in (issue 24), on the Excel fake with an
 * Office whose getAccessToken gives a token (the organisation registered the
 * add-in) and one whose getAccessToken fails (no <WebApplicationInfo>, the
 * 13xxx errors): the token's account is matched to People 账号; every audit
 * entry says whether its signer was verified or chosen by hand; a form the
 * Policy sheet reserves for verified signers refuses a chosen name.
 */
import { requiredForms } from "../../src/domain/disposition";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { policyFromRows, policyToRows } from "../../src/domain/policy/policy-table";
import { Ledger, withIdentity } from "../../src/ledger/service";
import { actorChosen, actorFromOffice, officeAccount } from "../../src/taskpane/identity";
import { ledgerWith, NOW, record, records } from "../stores/excel/setup";

const g = globalThis as unknown as { Office?: unknown };
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const token = (claims: object) => `${b64({ alg: "none" })}.${b64(claims)}.sig`;

function office(getAccessToken: () => Promise<string>) {
  g.Office = { auth: { getAccessToken } };
}

afterEach(() => {
  delete g.Office;
});

async function setup() {
  const policy = defaultPolicy();
  const c1 = record(1, "DISPOSITION", policy);
  const s = await ledgerWith([record(0, "RECEIVED", policy), c1, ...records(3, policy).slice(2)], policy);
  const ledger = new Ledger(s.store, { now: () => NOW });
  await ledger.load();
  const form = requiredForms(ledger.find("KS-2026-0002")!.case, ledger.policy)[0];
  const role = form.signers[0][0];
  // The quality manager signs in as li.qm@factory.cn; People knows that account.
  await s.store.write({ people: [["李经理", role, "li.qm@factory.cn", ""]] });
  // The Policy sheet reserves the form for verified signers.
  const rows = policyToRows({ ...ledger.policy, settings: { ...ledger.policy.settings, verifiedSignForms: [form.code] } });
  expect(policyFromRows(rows).problems).toEqual([]);
  await s.store.write({ policy: rows });
  await ledger.load();
  return { s, ledger, form, role };
}

test("with a token: the signed-in account is the People row with that 账号, verified, and may sign the reserved form", async () => {
  const { ledger, role, form } = await setup();
  office(async () => token({ name: "Li QM", preferred_username: "LI.QM@factory.cn" }));
  const actor = actorFromOffice(ledger.people, await officeAccount(1000));
  expect(actor).toEqual({ name: "李经理", account: "LI.QM@factory.cn", source: "office" });
  const r = await ledger.sign("KS-2026-0002", role, actor!, undefined, form.code);
  expect(r.ok).toBe(true);
  const signed = ledger
    .auditEntries()
    .filter((e) => e.action === "SIGNED")
    .pop()!;
  expect(signed.user).toBe("李经理");
  expect(signed.reason).toContain("身份经 Microsoft 365 登录验证 / identity verified by Microsoft 365 sign-in");
});

test("without a token (SSO not registered): no account, the name is chosen by hand, and the reserved form refuses it, logged", async () => {
  const { ledger, role, form } = await setup();
  office(async () => {
    throw Object.assign(new Error("The add-in does not support SSO"), { code: 13012 });
  });
  expect(await officeAccount(1000)).toBeUndefined();
  const chosen = actorChosen(ledger.people.find((p) => p.name === "李经理")!);
  const r = await ledger.sign("KS-2026-0002", role, chosen, undefined, form.code);
  expect(r.ok).toBe(false);
  expect(r.ok ? "" : r.reasons[0]).toMatchObject({ code: "NOT_VERIFIED" });
  expect(r.ok ? "" : r.reasons[0].zh).toContain(form.zh);
  const refused = ledger
    .auditEntries()
    .filter((e) => e.action === "SIGN_REFUSED")
    .pop()!;
  expect(refused.reason).toContain("身份为手动选择,未经验证 / identity chosen by hand, not verified");
  expect(ledger.find("KS-2026-0002")!.case.signatures?.[role]).toBeUndefined();
});

test("a chosen name still signs forms the Policy sheet does not reserve, and the entry says it was chosen", async () => {
  const { ledger, role, form } = await setup();
  const policy = { ...ledger.policy, settings: { ...ledger.policy.settings, verifiedSignForms: [] } };
  await ledger.store.write({ policy: policyToRows(policy) });
  await ledger.load();
  const r = await ledger.sign("KS-2026-0002", role, { name: "李经理", source: "chosen" }, undefined, form.code);
  expect(r.ok).toBe(true);
  const signed = ledger
    .auditEntries()
    .filter((e) => e.action === "SIGNED")
    .pop()!;
  expect(signed.reason).toMatch(/手动选择身份.*\[身份为手动选择,未经验证/);
});

test("an unknown form in the verified-signature setting is a Policy sheet problem, not silently ignored", () => {
  const p = defaultPolicy();
  const rows = policyToRows({ ...p, settings: { ...p.settings, verifiedSignForms: ["NO_SUCH_FORM"] } });
  expect(
    policyFromRows(rows)
      .problems.map((x) => x.en)
      .join(" "),
  ).toMatch(/Form "NO_SUCH_FORM" in the verified-signature setting is unknown/);
});

test("withIdentity names the three ways of knowing who acts", () => {
  expect(withIdentity("登记 / Logged", { source: "office" })).toMatch(/^登记 \/ Logged \[身份经 Microsoft 365 登录验证/);
  expect(withIdentity("", { source: "chosen" })).toBe("[身份为手动选择,未经验证 / identity chosen by hand, not verified]");
  expect(withIdentity("x", { source: "cli" })).toContain("命令行");
});
