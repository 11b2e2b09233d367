import { ymdToSerial } from "../../src/domain/dates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { policyToRows } from "../../src/domain/policy/policy-table";
import { ledgerColumns, META } from "../../src/ledger/workbook-layout";
import { emptyLedgerData, MemoryStore } from "../../src/stores/memory";
import { recordToRow } from "../../src/ledger/records";
import { Ledger, peopleTemplate, type Actor } from "../../src/ledger/service";
import { rowToEntry } from "../../src/ledger/audit";
import type { CellValue } from "../../src/domain/case";
import { caseAt, recordOf } from "./cases";
import { shanghai } from "../fakes/clock";

const policy = defaultPolicy();
const keys = ledgerColumns(policy).map((c) => c.key);
const clock = () => shanghai(2026, 2, 10, 9, 30, 0);
const qm: Actor = { name: "王经理", source: "chosen" };
const clerk: Actor = { name: "小李", source: "chosen" };

function seeded() {
  const data = emptyLedgerData(policy);
  data.rows.push(recordToRow(keys, recordOf(caseAt("DISPOSITION", policy, { caseNo: "KS-2026-0007", disposition: "SCRAP" }), policy)));
  data.rows.push(recordToRow(keys, recordOf(caseAt("RECEIVED", policy, { caseNo: "KS-2025-0099" }), policy)));
  data.peopleRows.push(["王经理", "品质部经理", "wang@corp", ""], ["赵总", "副总裁、总经理", "", ""], ["小李", "", "", ""]);
  const store = new MemoryStore(data);
  return { store, ledger: new Ledger(store, { now: clock }) };
}

describe("Ledger over a memory store", () => {
  test("load reads cases, people with their roles, and the policy sheet", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    expect(store.reads).toBe(1);
    expect(ledger.rows.map((r) => r.case.caseNo)).toEqual(["KS-2026-0007", "KS-2025-0099"]);
    expect(ledger.rows[0].case.disposition).toBe("SCRAP");
    expect(ledger.people.find((p) => p.name === "赵总")!.roles).toEqual(["VP", "GM"]);
    expect(ledger.rolesOf({ name: "anyone", account: "WANG@corp", source: "office" })).toEqual(["QUALITY_MANAGER"]);
    expect(ledger.policyProblems).toEqual([]);
  });

  test("a policy sheet that does not read falls back to the defaults and says why", async () => {
    const { ledger, store } = seeded();
    const rows = policyToRows(policy);
    const at = rows.findIndex((r) => String(r[0]).startsWith("[LIMITS]")) + 2;
    rows[at] = [...rows[at]];
    rows[at][4] = "很快"; // the LOG clock's limit
    store.data.policyRows = rows;
    await ledger.load();
    expect(ledger.policyProblems.length).toBeGreaterThan(0);
    expect(ledger.policy.limits.length).toBe(policy.limits.length);
  });

  test("addCase numbers from the freshest case numbers of its year, logs it, and costs one read and one write", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    const before = { reads: store.reads, writes: store.writes };
    // Someone else added KS-2026-0008 since we loaded.
    store.data.rows.push(recordToRow(keys, recordOf(caseAt("RECEIVED", policy, { caseNo: "KS-2026-0008" }), policy)));
    const r = await ledger.addCase({ kind: "COMPLAINT", receivedAt: ymdToSerial(2026, 3, 9), customer: "中兴", product: "壳体", defect: "裂纹" }, clerk);
    expect(r).toEqual({ ok: true, caseNo: "KS-2026-0009", row: 3 });
    expect(store.writes - before.writes).toBe(1);
    // Head before writing, head after (a co-author's same number), and a reload because the sheet grew under us.
    expect(store.reads - before.reads).toBe(3);
    const added = ledger.find("KS-2026-0009")!;
    expect(added.case).toMatchObject({ kind: "COMPLAINT", customer: "中兴", status: "RECEIVED" });
    expect(ledger.auditEntries().map((e) => [e.action, e.caseNo, e.user])).toEqual([["CASE_ADDED", "KS-2026-0009", "小李"]]);
    expect(ledger.meta[META.auditSeq]).toBe("1");
  });

  test("without co-authors a save patches the copy in memory: no reload, and the copy equals a fresh read", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    const r0 = store.reads;
    const r = await ledger.addCase({ kind: "COMPLAINT", receivedAt: ymdToSerial(2026, 3, 9), customer: "中兴", product: "壳体", defect: "裂纹" }, clerk);
    expect(r).toMatchObject({ ok: true, caseNo: "KS-2026-0008" });
    expect((await ledger.updateCase("KS-2026-0008", { owner: "小李" }, clerk)).ok).toBe(true);
    expect(store.reads - r0).toBe(3); // two heads for the add, one for the update
    const fresh = new Ledger(store, { now: clock });
    await fresh.load();
    expect(ledger.rows.map((x) => x.record)).toEqual(fresh.rows.map((x) => x.record));
    expect(ledger.auditEntries()).toEqual(fresh.auditEntries());
    expect(ledger.meta).toEqual(fresh.meta);
  });

  test("addCase refuses a case without its required fields and writes nothing", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    const r = await ledger.addCase({ kind: "COMPLAINT", customer: "中兴" }, clerk);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.reasons.map((x) => x.field)).toEqual(expect.arrayContaining(["receivedAt", "product", "defect"]));
    expect(store.writes).toBe(0);
  });

  test("updateCase writes only changed cells and refuses rule-breaking edits without writing", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    const bad = await ledger.updateCase("KS-2026-0007", { executedAt: ymdToSerial(2026, 3, 9) }, clerk);
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.reasons.map((x) => x.code)).toContain("EXECUTION_UNAPPROVED");
    expect(store.writes).toBe(0);
    const ok = await ledger.updateCase("KS-2026-0007", { owner: "小李", remarks: "=cmd|' /C calc'!A0" }, clerk);
    expect(ok.ok).toBe(true);
    expect(store.writes).toBe(1);
    expect(ledger.find("KS-2026-0007")!.record.remarks).toBe("=cmd|' /C calc'!A0");
    expect(ledger.auditEntries().map((e) => [e.field, e.oldValue, e.newValue])).toEqual([
      ["owner", "", "小李"],
      ["remarks", "", "=cmd|' /C calc'!A0"],
    ]);
  });

  test("sign: refused for a role the person does not hold (and logged), accepted for one they do", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    const refused = await ledger.sign("KS-2026-0007", "VP", qm);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? "" : refused.reasons[0].zh).toContain('王经理 在人员表中没有"副总裁"角色');
    expect(store.data.rows[0][keys.indexOf("sign_VP")]).toBeNull();

    // Two documents await the QM (the scrap application and the review of the measures): one is chosen.
    const ambiguous = await ledger.sign("KS-2026-0007", "QUALITY_MANAGER", qm, "同意报废");
    expect(ambiguous.ok ? "" : ambiguous.reasons[0].code).toBe("CHOOSE_DOCUMENT");
    const ok = await ledger.sign("KS-2026-0007", "QUALITY_MANAGER", qm, "同意报废", "SCRAP_APPLICATION");
    expect(ok.ok).toBe(true);
    const row = ledger.find("KS-2026-0007")!;
    expect(row.case.signatures.QUALITY_MANAGER).toMatchObject({ name: "王经理", comment: "同意报废", forms: ["SCRAP_APPLICATION"] });
    expect(row.record.sign_QUALITY_MANAGER).toBe("王经理 2026-03-10 09:30 [SCRAP_APPLICATION] 同意报废");
    expect(ledger.auditEntries().map((e) => e.action)).toEqual(["SIGN_REFUSED", "SIGN_REFUSED", "SIGNED"]);
    expect(ledger.auditEntries()[2].reason).toContain("手动选择身份");
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });

  test("with every sign-off in place the scrap may be executed", async () => {
    const { ledger } = seeded();
    await ledger.load();
    expect((await ledger.sign("KS-2026-0007", "QUALITY_MANAGER", qm, undefined, "SCRAP_APPLICATION")).ok).toBe(true);
    const vp: Actor = { name: "赵总", source: "office" };
    expect((await ledger.sign("KS-2026-0007", "VP", vp)).ok).toBe(true);
    const r = await ledger.updateCase("KS-2026-0007", { executedAt: ymdToSerial(2026, 3, 11), status: "EXECUTED" }, clerk);
    expect(r).toMatchObject({ ok: true });
  });

  test("an unknown case is reported, not created", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    const r = await ledger.updateCase("KS-0000", { owner: "x" }, clerk);
    expect(r.ok ? "" : r.reasons[0].code).toBe("NOT_FOUND");
    expect(store.writes).toBe(0);
  });

  test("truncating the audit table is caught by the head kept in the meta sheet", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    await ledger.record([
      { user: "财务", action: "FINANCE_REVIEWED", caseNo: "KS-2026-0007" },
      { user: "财务", action: "FINANCE_REVIEWED", caseNo: "KS-2025-0099" },
    ]);
    store.data.auditRows.pop();
    await ledger.load();
    const v = await ledger.verifyAudit();
    expect(v.ok).toBe(false);
    expect(v.problems[0].en).toMatch(/should end at entry 2/);
  });

  test("check lists violations of every case", async () => {
    const { ledger, store } = seeded();
    store.data.rows[1][keys.indexOf("status")] = "已结案";
    await ledger.load();
    const c = ledger.check();
    expect(c.cases).toBe(2);
    expect(c.violations.filter((v) => v.caseNo === "KS-2025-0099").map((v) => v.field)).toEqual(expect.arrayContaining(["closedAt"]));
  });
});

describe("two people logging at once", () => {
  test("a number taken by a co-author between our read and our write is moved to the next one and logged", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    // The co-author's append lands between our head read and our write.
    const readHead = store.readHead.bind(store);
    let first = true;
    store.readHead = async () => {
      const head = await readHead();
      if (first) {
        first = false;
        store.data.rows.push(recordToRow(keys, recordOf(caseAt("RECEIVED", policy, { caseNo: "KS-2026-0008", customer: "别人" }), policy)));
      }
      return head;
    };
    const r = await ledger.addCase({ kind: "COMPLAINT", receivedAt: ymdToSerial(2026, 3, 9), customer: "中兴", product: "壳体", defect: "裂纹" }, clerk);
    expect(r).toMatchObject({ ok: true, caseNo: "KS-2026-0009" });
    const numbers = ledger.rows.map((x) => x.case.caseNo);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(ledger.find("KS-2026-0009")!.case.customer).toBe("中兴");
    expect(ledger.find("KS-2026-0008")!.case.customer).toBe("别人");
    expect(ledger.auditEntries().map((e) => [e.action, e.oldValue, e.newValue])).toEqual([
      ["CASE_ADDED", "", ""],
      ["RENUMBERED", "KS-2026-0008", "KS-2026-0009"],
    ]);
  });
});

describe("a new People sheet", () => {
  test("lists every signing role with the name blank; blank names are not people", async () => {
    const { peopleTemplate, readPeople } = await import("../../src/ledger/service");
    const rows = peopleTemplate(policy);
    expect(rows.map((r) => r[1])).toEqual(expect.arrayContaining(["品质部经理", "副总裁", "总经理", "客服经理"]));
    expect(rows.every((r) => r[0] === null)).toBe(true);
    expect(readPeople(rows, policy)).toEqual([]);
    const filled = rows.map((r, i) => (i === 0 ? ["王经理", ...r.slice(1)] : r));
    expect(readPeople(filled, policy)).toEqual([{ name: "王经理", roles: ["QUALITY_MANAGER"], account: undefined, email: undefined, row: 0 }]);
  });
});

describe("a memory store with a hand-kept header", () => {
  test("finds the case-number column by meaning, so saves work on a synonym header", async () => {
    const data = emptyLedgerData(policy);
    data.header = data.header.map((h) => (h === "客诉单号 Case No." ? "单号" : h));
    data.rows.push(recordToRow(keys, recordOf(caseAt("RECEIVED", policy, { caseNo: "KS-2026-0003" }), policy)));
    const store = new MemoryStore(data);
    expect((await store.readHead()).caseNos).toEqual(["KS-2026-0003"]);
    const ledger = new Ledger(store, { now: clock });
    await ledger.load();
    expect((await ledger.updateCase("KS-2026-0003", { owner: "小李" }, clerk)).ok).toBe(true);
  });
});

describe("closing as an action", () => {
  test("refused with everything still missing (and logged); once complete it writes the date and the status together", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    const writes = store.writes;
    const refused = await ledger.closeCase("KS-2026-0007", qm);
    expect(refused.ok).toBe(false);
    const reasons = refused.ok ? [] : refused.reasons;
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.every((r) => r.code === "CLOSE_BLOCKED")).toBe(true);
    // Scrap application unsigned (QM, VP|GM), not executed, no reply: each named.
    // …and the measures unreviewed before the reply (QM, dept head).
    expect(reasons.map((r) => r.field)).toEqual([
      "sign_QUALITY_MANAGER",
      "sign_VP",
      "executedAt",
      "repliedAt",
      "sign_QUALITY_MANAGER",
      "sign_DEPT_HEAD",
      "cost",
    ]);
    expect(ledger.find("KS-2026-0007")!.case.closedAt).toBeUndefined();
    const last = ledger.auditEntries().at(-1)!;
    expect(last).toMatchObject({ action: "CLOSE_REFUSED", caseNo: "KS-2026-0007", user: "王经理" });
    expect(store.writes - writes).toBe(1); // the audit entry only

    // Finish the case, then close.
    expect((await ledger.sign("KS-2026-0007", "QUALITY_MANAGER", qm, undefined, "SCRAP_APPLICATION")).ok).toBe(true);
    expect((await ledger.sign("KS-2026-0007", "VP", { name: "赵总", source: "chosen" })).ok).toBe(true);
    const today = ymdToSerial(2026, 3, 10);
    expect(await ledger.updateCase("KS-2026-0007", { executedAt: today, rootCause: "焊点虚焊" }, qm)).toMatchObject({ ok: true });
    expect((await ledger.sign("KS-2026-0007", "QUALITY_MANAGER", qm, undefined, "REPLY_REVIEW")).ok).toBe(true);
    expect((await ledger.savePerson({ name: "孙部长", roles: ["DEPT_HEAD"] }, qm)).ok).toBe(true);
    expect((await ledger.sign("KS-2026-0007", "DEPT_HEAD", { name: "孙部长", source: "chosen" })).ok).toBe(true);
    expect(await ledger.updateCase("KS-2026-0007", { repliedAt: today, status: "REPLIED" }, qm)).toMatchObject({ ok: true });
    const noCost = await ledger.closeCase("KS-2026-0007", qm);
    expect(noCost.ok ? [] : noCost.reasons.map((r) => r.field)).toEqual(["cost"]);
    expect((await ledger.updateCase("KS-2026-0007", { cost: 800 }, qm)).ok).toBe(true);
    const closed = await ledger.closeCase("KS-2026-0007", qm);
    expect(closed.ok).toBe(true);
    const c = ledger.find("KS-2026-0007")!.case;
    expect([c.status, c.closedAt]).toEqual(["CLOSED", today]);
    expect(
      ledger
        .auditEntries()
        .filter((e) => e.action === "CASE_CLOSED")
        .map((e) => e.field)
        .sort(),
    ).toEqual(["closedAt", "status"]);
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });
});

describe("people in the pane", () => {
  const admin: Actor = { name: "王经理", source: "chosen" };

  test("a quality manager adds, changes and deactivates people; each change audited; rows change in place", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    const added = await ledger.savePerson({ name: "孙仓管", roles: ["WAREHOUSE"], account: "sun@corp" }, admin);
    expect(added).toMatchObject({ ok: true, person: { name: "孙仓管", roles: ["WAREHOUSE"], row: 3 } });
    expect(store.data.peopleRows[3]).toEqual(["孙仓管", "仓管员", "sun@corp", null]);
    const changed = await ledger.savePerson({ name: "孙明", roles: ["WAREHOUSE", "仓管员", "OQC_INSPECTOR"], account: "sun@corp" }, admin, "孙仓管");
    expect(changed).toMatchObject({ ok: true, person: { name: "孙明", roles: ["WAREHOUSE", "OQC_INSPECTOR"] } });
    expect(store.data.peopleRows).toHaveLength(4);
    expect(store.data.peopleRows[3][0]).toBe("孙明");
    const off = await ledger.savePerson({ name: "孙明", roles: ["WAREHOUSE", "OQC_INSPECTOR"], account: "sun@corp", inactive: true }, admin, "孙明");
    expect(off).toMatchObject({ ok: true, person: { inactive: true, roles: [], formerRoles: ["WAREHOUSE", "OQC_INSPECTOR"] } });
    expect(String(store.data.peopleRows[3][1])).toMatch(/^停用 Inactive、/);
    // Deactivated: holds no role, so cannot sign.
    expect(ledger.rolesOf({ name: "孙明", source: "chosen" })).toEqual([]);
    expect(
      ledger
        .auditEntries()
        .map((e) => e.action)
        .slice(-3),
    ).toEqual(["PERSON_ADDED", "PERSON_UPDATED", "PERSON_DEACTIVATED"]);
    expect(ledger.auditEntries().at(-1)).toMatchObject({ oldValue: expect.stringMatching(/^孙明 \| 仓管员、.+ \| sun@corp$/), user: "王经理" });
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });

  test("bad forms are refused with every reason; someone without the role is refused and logged", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    const bad = await ledger.savePerson({ name: "赵总", roles: ["CEO"], account: "WANG@corp" }, admin);
    expect(bad.ok ? [] : bad.reasons.map((r) => r.code)).toEqual(["DUPLICATE", "BAD_VALUE", "REQUIRED", "DUPLICATE"]);
    const formula = await ledger.savePerson({ name: "=cmd()", roles: [] }, admin);
    expect(formula.ok ? [] : formula.reasons.map((r) => `${r.field}:${r.code}`)).toEqual(["name:BAD_VALUE", "roles:REQUIRED"]);
    const rows = store.data.peopleRows.length;
    const clerk2 = await ledger.savePerson({ name: "小王", roles: ["VP"] }, clerk);
    expect(clerk2.ok ? "" : clerk2.reasons[0].code).toBe("NOT_YOUR_ROLE");
    expect(store.data.peopleRows).toHaveLength(rows);
    expect(ledger.auditEntries().at(-1)).toMatchObject({ action: "PEOPLE_REFUSED", user: "小李" });
  });

  test("a freshly adopted workbook (no names yet): anyone adds the first people, then signs as them", async () => {
    const data = emptyLedgerData(policy);
    data.rows.push(recordToRow(keys, recordOf(caseAt("DISPOSITION", policy, { caseNo: "KS-2026-0007", disposition: "SCRAP" }), policy)));
    data.peopleRows = peopleTemplate(policy);
    const store = new MemoryStore(data);
    const ledger = new Ledger(store, { now: clock });
    await ledger.load();
    expect(ledger.people).toEqual([]);
    const me: Actor = { name: "张伟", source: "chosen" };
    expect(ledger.canManagePeople(me)).toBe(true);
    expect((await ledger.savePerson({ name: "张伟", roles: ["QUALITY_MANAGER"] }, me)).ok).toBe(true);
    expect(store.data.peopleRows.length).toBe(peopleTemplate(policy).length + 1);
    expect((await ledger.sign("KS-2026-0007", "QUALITY_MANAGER", me, undefined, "SCRAP_APPLICATION")).ok).toBe(true);
    // Now a quality manager exists: others no longer add themselves.
    expect(ledger.canManagePeople({ name: "路人", source: "chosen" })).toBe(false);
  });
});

describe("the audit log's entries", () => {
  const fresh = (rows: CellValue[][]) => rows.map(rowToEntry).sort((a, b) => a.seq - b.seq);

  test("kept between calls and extended by saves: always what reading every row gives, callers get their own array", async () => {
    const { ledger, store } = seeded();
    await ledger.load();
    await ledger.updateCase("KS-2026-0007", { customer: "甲" }, qm);
    const first = ledger.auditEntries();
    expect(first.length).toBeGreaterThan(0);
    expect(first).toEqual(fresh(store.data.auditRows));
    first.pop();
    await ledger.updateCase("KS-2025-0099", { customer: "乙" }, qm);
    await ledger.updateCase("KS-2026-0007", { customer: "丙" }, qm);
    const later = ledger.auditEntries();
    expect(later.length).toBeGreaterThan(first.length + 1);
    expect(later).toEqual(fresh(store.data.auditRows));
    // A load brings new rows (here: a co-author's entry numbered before ours): read again, in order.
    const extra = [...store.data.auditRows[0]];
    extra[0] = 0.5;
    store.data.auditRows.push(extra);
    await ledger.load();
    expect(ledger.auditEntries()).toEqual(fresh(store.data.auditRows));
    expect(ledger.auditEntries()[0].seq).toBe(0.5);
  });
});
