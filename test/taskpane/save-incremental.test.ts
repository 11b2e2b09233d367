/**
 * After a save of one case the pane derives that case again, not all of
 * them (row-cache.ts): the facts, counts, views, work lists and estimated
 * dues of the next snapshot equal a full recompute (a second Ledger reading
 * the same store afresh), and exactly one case was derived to get them.
 */
import { todayIn } from "../../src/domain/zone";
import { calendarFor } from "../../src/domain/sla";
import { Ledger, type Actor } from "../../src/ledger/service";
import { generateSample } from "../../src/sample/ledger-sample";
import { MemoryStore } from "../../src/stores/memory";
import { estimatesOf, factsOf, snapshotChoices, snapshotCounts, snapshotView, type Snapshot } from "../../src/taskpane/ledger-snapshot";
import { viewChoices } from "../../src/reports/views";
import { workLists } from "../../src/taskpane/model";
import { derivedCount } from "../../src/taskpane/row-cache";
import { NOW } from "./helpers";

const today = todayIn(NOW);
const VIEWS = ["all", "open", "overdue", "dueThisWeek", "serious", "awaitingApproval"] as const;
const KINDS = ["facts", "work", "estimates"] as const;

// One calendar per policy, as App's useMemo keeps it.
const cals = new WeakMap<Ledger["policy"], ReturnType<typeof calendarFor>>();
const calOf = (p: Ledger["policy"]) => cals.get(p) ?? cals.set(p, calendarFor(p)).get(p)!;

/** Everything the pane derives over every case, as plain data to compare. */
function derive(ledger: Ledger, version: number, actor: Actor) {
  const cal = calOf(ledger.policy);
  const s: Snapshot = { rows: ledger.rows, version, policy: ledger.policy, cal, today };
  const lists = workLists(ledger.rows, ledger.policy, cal, today, actor, ["VP", "GM", "LEADER", "SALES", "CS"]);
  return {
    facts: factsOf(s).map((f) => (f instanceof Error ? f.message : f)),
    counts: snapshotCounts(s),
    views: VIEWS.map((v) => snapshotView(s, v).map((r) => r.row)),
    choices: snapshotChoices(s),
    lists: Object.fromEntries(Object.entries(lists).map(([k, xs]) => [k, xs.map((x) => [x.row.case.caseNo, x.nextDue, x.overdue.length, x.dueSoon.length])])),
    estimates: estimatesOf(ledger.rows, ledger.policy, cal, today),
    problems: ledger.check(),
  };
}

const counted = () => KINDS.map((k) => derivedCount(k));

test("a save of one case re-derives that case only, and the result equals a full recompute", async () => {
  const store = new MemoryStore(await generateSample({ cases: 300, audit: false, today }));
  const ledger = new Ledger(store, { now: () => NOW });
  await ledger.load();
  const actor: Actor = { name: ledger.people[0].name, source: "chosen" };
  const before = derive(ledger, 0, actor);

  // Give an open case to the actor: it joins "Mine", so the lists after the save differ from before.
  const target = ledger.rows.find((r) => r.case.caseNo && r.case.owner !== actor.name && before.lists.open.some((x) => x[0] === r.case.caseNo))!;
  const res = await ledger.updateCase(target.case.caseNo!, { owner: actor.name }, actor);
  expect(res.ok).toBe(true);

  const n0 = counted();
  const after = derive(ledger, 1, actor);
  expect(counted().map((n, i) => n - n0[i])).toEqual([1, 1, 1]);
  expect(after.lists.mine.map((x) => x[0])).toContain(target.case.caseNo);
  expect(after.lists.mine).not.toEqual(before.lists.mine);

  // The full recompute: the same store read by a new Ledger derives every case again.
  const fresh = new Ledger(store, { now: () => NOW });
  await fresh.load();
  const m0 = counted();
  expect(derive(fresh, 0, actor)).toEqual(after);
  expect(counted().map((n, i) => n - m0[i])).toEqual(KINDS.map((k) => (k === "work" ? fresh.rows.filter((r) => r.case.caseNo).length : fresh.rows.length)));
});

test("the Views screen's choices after saves count the changed cases again and equal a full count", async () => {
  const store = new MemoryStore(await generateSample({ cases: 300, audit: false, today }));
  const ledger = new Ledger(store, { now: () => NOW });
  await ledger.load();
  const actor: Actor = { name: ledger.people[0].name, source: "chosen" };
  const cal = calOf(ledger.policy);
  const snap = (version: number): Snapshot => ({ rows: ledger.rows, version, policy: ledger.policy, cal, today });
  const full = () => ({
    responsibility: viewChoices(ledger.rows, "responsibility"),
    customer: viewChoices(ledger.rows, "customer"),
    product: viewChoices(ledger.rows, "product"),
  });
  expect(snapshotChoices(snap(0))).toEqual(full());

  // A case moved to a new customer and product, then one back: the old values lose a count, the new ones appear.
  const [a, b] = ledger.rows.filter((r) => r.case.caseNo && r.case.customer && r.case.product);
  const oldCustomer = a.case.customer!;
  const before = snapshotChoices(snap(0)).customer.find((c) => c.value === oldCustomer)!.count;
  expect((await ledger.updateCase(a.case.caseNo!, { customer: "新客户 New Co", product: "新产品" }, actor)).ok).toBe(true);
  const after1 = snapshotChoices(snap(1));
  expect(after1).toEqual(full());
  expect(after1.customer.find((c) => c.value === "新客户 New Co")?.count).toBe(1);
  expect(after1.customer.find((c) => c.value === oldCustomer)?.count ?? 0).toBe(before - 1);
  expect((await ledger.updateCase(b.case.caseNo!, { customer: oldCustomer }, actor)).ok).toBe(true);
  expect((await ledger.updateCase(a.case.caseNo!, { customer: oldCustomer }, actor)).ok).toBe(true);
  const after2 = snapshotChoices(snap(2));
  expect(after2).toEqual(full());
  expect(after2.customer.find((c) => c.value === "新客户 New Co")).toBeUndefined();
  // Counted from scratch after a reload (a new rows array): the same answer.
  await ledger.load();
  expect(snapshotChoices(snap(3))).toEqual(after2);
});
