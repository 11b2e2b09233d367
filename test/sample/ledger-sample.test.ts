import { Ledger } from "../../src/ledger/service";
import { MemoryStore } from "../../src/stores/memory";
import { generateSample } from "../../src/sample/ledger-sample";
import { STATES, KINDS, MARKETS } from "../../src/domain/schema";
import { defaultPolicy, findNamed } from "../../src/domain/policy/policy";
import { shanghai } from "../fakes/clock";

jest.setTimeout(60000);
const fixedNow = () => shanghai(2026, 5, 30, 12, 0, 0);

describe("sample ledger", () => {
  let ledger: Ledger;
  beforeAll(async () => {
    ledger = new Ledger(new MemoryStore(await generateSample()), { now: fixedNow });
    await ledger.load();
  });

  test("is deterministic for a seed and differs between seeds", async () => {
    const a = await generateSample({ seed: 7, cases: 30 });
    const b = await generateSample({ seed: 7, cases: 30 });
    const c = await generateSample({ seed: 8, cases: 30 });
    expect(JSON.stringify(a.rows)).toEqual(JSON.stringify(b.rows));
    expect(JSON.stringify(a.rows)).not.toEqual(JSON.stringify(c.rows));
  });

  test("covers every state, kind, market, class, severity and responsibility", () => {
    const p = defaultPolicy();
    const codes = (k: string) => new Set(ledger.rows.map((r) => (r.case as unknown as Record<string, unknown>)[k]).filter((x) => x !== undefined));
    expect(ledger.rows.length).toBe(200);
    expect(codes("status")).toEqual(new Set(STATES.map((s) => s.code)));
    expect(codes("kind")).toEqual(new Set(KINDS.map((s) => s.code)));
    expect(codes("market")).toEqual(new Set(MARKETS.map((s) => s.code)));
    expect(codes("customerClass")).toEqual(new Set(p.classes.map((s) => s.code)));
    expect(codes("severity")).toEqual(new Set(p.severities.map((s) => s.code)));
    expect(codes("responsibility")).toEqual(new Set(p.responsibilities.map((s) => s.code)));
  });

  test("only the deliberate mistakes break rules; cells all read", () => {
    const check = ledger.check();
    const bad = new Set(check.violations.map((v) => v.caseNo));
    expect(check.violations.filter((v) => v.code === "BAD_VALUE")).toEqual([]);
    expect(bad.size).toBe(3);
    const clean = ledger.rows.filter((r) => r.problems.length === 0).length;
    expect(clean).toBe(200);
  });

  test("has signatures, people with roles and an intact audit chain", async () => {
    const signed = ledger.rows.filter((r) => Object.keys(r.case.signatures).length > 0);
    expect(signed.length).toBeGreaterThan(20);
    for (const r of signed)
      for (const [role, sig] of Object.entries(r.case.signatures)) {
        const person = ledger.people.find((p) => p.name === sig.name);
        expect(person?.roles).toContain(role);
      }
    const v = await ledger.verifyAudit();
    expect(v.problems).toEqual([]);
    expect(v.entries).toBeGreaterThan(200);
  });

  test("case numbers are unique and follow receipt order", () => {
    const nos = ledger.rows.map((r) => r.case.caseNo!);
    expect(new Set(nos).size).toBe(nos.length);
    const received = ledger.rows.map((r) => r.case.receivedAt!);
    expect([...received].sort((a, b) => a - b)).toEqual(received);
    expect(findNamed(STATES, "已结案")).toBeDefined();
  });
});
