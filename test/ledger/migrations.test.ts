/**
 * Schema versions as data (ledger/migrations): the recorded snapshot of the
 * current version is the code's (so a column or default row added without a
 * new version fails here), and each step is a pure function of a ledger's
 * header and Policy rows, tested on its own with snapshots made for the test.
 */
import { defaultPolicy, type Policy } from "../../src/domain/policy/policy";
import { policyFromRows, policyToRows, type Cell } from "../../src/domain/policy/policy-table";
import { headerOf, ledgerSchema } from "../../src/domain/schema";
import { liveSnapshot, policySections, type SchemaSnapshot } from "../../src/ledger/migrations/snapshot";
import { diffStep, planUpgrade, SNAPSHOTS } from "../../src/ledger/migrations/steps";
import { newerLedgerError, refuseNewer, schemaStatus } from "../../src/ledger/schema-version";
import { ledgerColumns, META, SCHEMA_VERSION } from "../../src/ledger/workbook-layout";
import pkg from "../../package.json";

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
/** A ledger's header before the defect-rate column (schema 1's columns, signature columns of the policy). */
const header = (p: Policy = defaultPolicy()) =>
  ledgerColumns(p)
    .map((c) => c.header)
    .filter((h) => h !== "不良率 Defect rate");
const section = (s: SchemaSnapshot, marker: string) => s.policy.find((x) => x.marker === marker)!;

describe("the recorded versions", () => {
  test("the current version's snapshot is the code's: a column, role or default Policy row added without recording fails here", () => {
    const last = SNAPSHOTS[SNAPSHOTS.length - 1];
    expect(last.version).toBe(SCHEMA_VERSION);
    // If this fails: raise SCHEMA_VERSION when the release already shipped this version, then `npm run schema:snapshot`.
    expect({ ...liveSnapshot(SCHEMA_VERSION, last.release) }).toEqual(last);
  });

  test("versions are 1, 2, … in order, each first written by a release no later than package.json's", () => {
    expect(SNAPSHOTS.map((s) => s.version)).toEqual(SNAPSHOTS.map((_, i) => String(i + 1)));
    const n = (v: string) => v.split(".").map(Number);
    for (const s of SNAPSHOTS) {
      const [a, b, c] = n(s.release),
        [x, y, z] = n(pkg.version);
      expect(a * 1e6 + b * 1e3 + c).toBeLessThanOrEqual(x * 1e6 + y * 1e3 + z);
    }
  });

  test("schema 2 adds the defect-rate column to schema 1, and a schema-1 ledger gains it at its end", () => {
    const [v1, v2] = SNAPSHOTS;
    expect(v2.columns.filter((c) => !v1.columns.some((o) => o.key === c.key)).map((c) => c.key)).toContain("defectRate");
    const plan = planUpgrade({ header: header(), policyRows: policyToRows(defaultPolicy()) }, "1", "2", SNAPSHOTS.slice(0, 2));
    expect(plan.columns).toContainEqual({ key: "defectRate", header: "不良率 Defect rate" });
    expect(plan.changes).toContainEqual(expect.objectContaining({ kind: "column", detail: "不良率 Defect rate" }));
  });
});

describe("a version read and judged", () => {
  test("older, same, newer; no version is 1; a version that is not a number counts as newer", () => {
    expect(schemaStatus({}, "2")).toEqual({ version: "1", current: "2", state: "older" });
    expect(schemaStatus({ [META.schemaVersion]: "0" }, "2").state).toBe("older");
    expect(schemaStatus({ [META.schemaVersion]: "2" }, "2").state).toBe("same");
    expect(schemaStatus({ [META.schemaVersion]: "10" }, "9").state).toBe("newer"); // numbers, not text
    expect(schemaStatus({ [META.schemaVersion]: "2b" }, "2").state).toBe("newer");
    expect(() => refuseNewer({ [META.schemaVersion]: "2" })).not.toThrow();
  });

  test("the refusal names both versions in both languages", () => {
    const e = newerLedgerError({ version: "7", current: "2" });
    expect(e.code).toBe("SCHEMA_NEWER");
    expect(e.zh).toMatch(/7.*2/);
    expect(e.en).toMatch(/version 7.*up to 2/);
    expect(() => refuseNewer({ [META.schemaVersion]: String(Number(SCHEMA_VERSION) + 1) })).toThrow(/read-only/);
  });
});

/** Two made-up versions: "b" adds a column, a role that signs a new form, a disposition and a limit; it drops nothing. */
function versions() {
  const a = liveSnapshot("1", "0.1.0");
  a.columns = a.columns.filter((c) => c.key !== "defectRate");
  const p = defaultPolicy();
  p.roles.push({ code: "AUDITOR", zh: "审核员", en: "Auditor", synonyms: [] });
  p.forms.push({ code: "DEBIT_NOTE", zh: "扣款单", en: "Debit note", synonyms: [], signers: [["AUDITOR"]] });
  p.dispositions.push({ code: "DEBIT", zh: "扣款", en: "Debit", forms: ["DEBIT_NOTE"], needsGoods: false, groups: ["CUSTOMER"], synonyms: [] });
  const b: SchemaSnapshot = {
    ...clone(a),
    version: "2",
    release: "0.2.0",
    columns: [...a.columns, { key: "defectRate", header: "不良率 Defect rate" }],
    policy: policySections(policyToRows(p)),
  };
  return { a, b, p };
}

describe("one step, on its own", () => {
  test("a sheet with the old defaults gains exactly what the new version added: a column, the new rows, a sign-off column for the new role", () => {
    const { a, b, p } = versions();
    const r = diffStep({ header: header(), policyRows: policyToRows(defaultPolicy()) }, a, b);
    expect(r.columns).toEqual([
      { key: "defectRate", header: "不良率 Defect rate" },
      { key: "sign_AUDITOR", header: "签核-审核员 Sign-off: Auditor" },
    ]);
    expect(r.changes.map((c) => [c.kind, c.detail])).toEqual([
      ["column", "不良率 Defect rate"],
      ["signature", "签核-审核员 Sign-off: Auditor"],
      ["policy", "DISPOSITIONS DEBIT 扣款 Debit"],
      ["policy", "FORMS DEBIT_NOTE 扣款单 Debit note"],
      ["policy", "ROLES AUDITOR 审核员 Auditor"],
    ]);
    // The merged sheet reads as the new defaults (the appended sections continue the sheet's own).
    const merged = policyFromRows([...policyToRows(defaultPolicy()), ...r.policyAppend]);
    expect(merged.problems).toEqual([]);
    const codes = (x: Policy) =>
      [x.roles, x.forms, x.dispositions, x.clocks, x.limits].map((l) => JSON.stringify(l.map((e) => ("code" in e ? e.code : e.clock))));
    expect(codes(merged.policy!)).toEqual(codes(p));
    // Only rows below the sheet: each block a blank row, its marker titled with the release, the header, the rows.
    expect(r.policyAppend[0]).toEqual([]);
    expect(r.policyAppend[1][0]).toBe("[DISPOSITIONS]");
    expect(String(r.policyAppend[1][1])).toContain("0.2.0");
  });

  test("rows the user edited stay as edited; a default row the user deleted stays deleted; the user's own rows stay", () => {
    const { a, b } = versions();
    const rows = policyToRows(defaultPolicy());
    const rework = rows.findIndex((r) => r[0] === "REWORK");
    rows[rework][1] = "返工(厂内)";
    const restock = rows.findIndex((r) => r[0] === "RESTOCK");
    rows.splice(restock, 1); // deleted on purpose
    const cls = rows.findIndex((r) => r[0] === "C");
    rows.splice(cls + 1, 0, ["D", "D类客户", "Class D", ""]); // the user's own
    const before = clone(rows);
    const r = diffStep({ header: header(), policyRows: rows }, a, b);
    expect(rows).toEqual(before); // pure: the input is not touched
    const merged = policyFromRows([...rows, ...r.policyAppend]).policy!;
    expect(merged.dispositions.find((d) => d.code === "REWORK")!.zh).toBe("返工(厂内)");
    expect(merged.dispositions.some((d) => d.code === "RESTOCK")).toBe(false);
    expect(merged.classes.map((c) => c.code)).toContain("D");
    expect(merged.dispositions.some((d) => d.code === "DEBIT")).toBe(true);
    expect(r.changes.some((c) => c.detail.includes("RESTOCK"))).toBe(false);
  });

  test("a relied-on code the user deleted comes back (a clock with its limits), and is listed as restored", () => {
    const { a } = versions();
    const b: SchemaSnapshot = { ...clone(a), version: "2", release: "0.2.0" };
    const rows = policyToRows(defaultPolicy()).filter((r) => r[0] !== "REPLY_INTERNATIONAL");
    expect(policyFromRows(rows).supplied.map((s) => s.code)).toEqual(["REPLY_INTERNATIONAL"]);
    const r = diffStep({ header: header(), policyRows: rows }, a, b);
    const merged = policyFromRows([...rows, ...r.policyAppend]);
    expect(merged.problems).toEqual([]);
    expect(merged.supplied).toEqual([]); // on the sheet now, no longer supplied at read
    expect(merged.policy!.clocks.some((c) => c.code === "REPLY_INTERNATIONAL")).toBe(true);
    expect(merged.policy!.limits.filter((l) => l.clock === "REPLY_INTERNATIONAL")).toEqual(
      defaultPolicy().limits.filter((l) => l.clock === "REPLY_INTERNATIONAL"),
    );
    expect(r.changes.find((c) => c.detail.startsWith("CLOCKS REPLY_INTERNATIONAL"))?.en).toMatch(/restored a row the add-in relies on/);
  });

  test("a column the user already has (by header or synonym) is not added twice; a sheet without a Policy sheet gets no Policy rows", () => {
    const { a, b } = versions();
    const r = diffStep({ header: [...header(), "不良率"], policyRows: [] }, a, b);
    expect(r.columns.map((c) => c.key)).toEqual([]); // no Policy sheet: the defaults of this release, which have no AUDITOR
    expect(r.policyAppend).toEqual([]);
  });
});

describe("steps one after another", () => {
  test("1 → 2 → 3: each step sees what the one before added, one entry per step, nothing added twice", () => {
    const { a, b } = versions();
    const c: SchemaSnapshot = clone(b);
    c.version = "3";
    c.release = "0.3.0";
    c.columns.push({ key: "remarks2", header: "备注2 Remarks 2" });
    section(c, "CLASSES").rows.push(["E", "E类客户", "Class E"]);
    const plan = planUpgrade({ header: header(), policyRows: policyToRows(defaultPolicy()) }, "1", "3", [a, b, c]);
    expect(plan.steps.map((s) => [s.from, s.to])).toEqual([
      ["1", "2"],
      ["2", "3"],
    ]);
    expect(plan.steps[1].changes.map((x) => x.detail)).toEqual(["备注2 Remarks 2", "CLASSES E E类客户 Class E"]);
    expect(plan.columns.map((x) => x.key)).toEqual(["defectRate", "sign_AUDITOR", "remarks2"]);
    const merged = policyFromRows([...policyToRows(defaultPolicy()), ...plan.policyAppend]);
    expect(merged.problems).toEqual([]);
    expect(merged.policy!.classes.map((x) => x.code)).toEqual(["A", "B", "C", "E"]);
    // Run again from 3: nothing.
    expect(() => planUpgrade({ header: header(), policyRows: [] }, "3", "2", [a, b, c])).toThrow();
  });

  test("a signature column comes from the merged policy's role names", () => {
    const { a, b, p } = versions();
    const sig = ledgerSchema(p).find((f) => f.key === "sign_AUDITOR")!;
    const plan = planUpgrade({ header: header(), policyRows: policyToRows(defaultPolicy()) as Cell[][] }, "1", "2", [a, b]);
    expect(plan.columns).toContainEqual({ key: "sign_AUDITOR", header: headerOf(sig) });
  });
});
