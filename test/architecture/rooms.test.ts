/**
 * The house (issue 27, decision 60): no import cycle in src/, type imports included; no room of src/ whose own
 * files pass 4,000 lines; one name for one thing; one Actor. The boundaries between rooms are lint rules
 * (eslint.config.mjs, proved by test/lint.test.ts).
 */
import fs from "fs";
import path from "path";
import { cycles, importGraph, SRC, sourceFiles } from "./graph";

const rel = (f: string) => path.relative(SRC, f).split(path.sep).join("/");

test("the import graph is read: every room of src/ is in it, with its imports", () => {
  const g = importGraph();
  const rooms = new Set([...g.keys()].map((f) => rel(f).split("/")[0]));
  for (const room of ["domain", "ledger", "reports", "adoption", "stores", "sample", "taskpane", "functions", "cli", "commands"]) expect(rooms).toContain(room);
  // The reader sees type-only, re-export and dynamic imports too.
  const deps = (f: string) => (g.get(path.join(SRC, f)) ?? []).map(rel);
  expect(deps("ledger/store.ts")).toContain("ledger/generated-sheet.ts"); // import type
  expect(deps("taskpane/App.tsx")).toContain("taskpane/ui/Intake.tsx"); // import(/* webpackChunkName */ …)
  expect(deps("domain/policy/policy.ts")).toContain("domain/policy/named.ts"); // export … from
});

test("the cycle finder finds a cycle when there is one", () => {
  const g = new Map([
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a"]],
    ["d", ["d"]],
    ["e", ["a"]],
  ]);
  expect(cycles(g)).toEqual([["a", "b", "c"], ["d"]]);
});

test("no import cycle in src/, type imports included", () => {
  expect(cycles(importGraph()).map((c) => c.map(rel))).toEqual([]);
});

test("no folder of src/ whose own files pass 4,000 lines", () => {
  const byFolder = new Map<string, number>();
  for (const f of sourceFiles()) {
    const dir = rel(path.dirname(f)) || ".";
    byFolder.set(dir, (byFolder.get(dir) ?? 0) + fs.readFileSync(f, "utf8").split("\n").length);
  }
  expect(byFolder.size).toBeGreaterThan(10);
  const over = [...byFolder].filter(([, n]) => n > 4000);
  expect(over).toEqual([]);
});

/**
 * Two files share a name only when they are the same thing in different places: the store contract and its
 * implementations (ledger/store.ts, stores/<host>/store.ts), one module's twin in each host adapter
 * (stores/excel/cells.ts, stores/xlsx/cells.ts), or a command module named for the command it runs.
 */
function sameThing(files: readonly string[]): boolean {
  const rest = files.filter((f) => !f.startsWith("cli/commands/"));
  return rest.length <= 1 || rest.every((f) => /^stores\/[^/]+\/[^/]+$/.test(f) || f === "ledger/store.ts");
}

test("no one name for different things", () => {
  const byName = new Map<string, string[]>();
  for (const f of sourceFiles().map(rel)) {
    const name = path.basename(f).replace(/\.(tsx?|js)$/, "");
    byName.set(name, [...(byName.get(name) ?? []), f]);
  }
  const shared = [...byName.values()].filter((fs) => fs.length > 1);
  expect(shared.length).toBeGreaterThan(0); // the adapters' twins are there to be judged
  expect(shared.filter((fs) => !sameThing(fs))).toEqual([]);
  for (const gone of ["host", "enforce", "layout"]) expect(byName.get(gone) ?? []).toEqual([]);
  expect(byName.get("report")).toEqual(["cli/commands/report.ts"]); // the command; the finance summary is reports/finance-summary.ts
  expect(byName.get("sample")).toEqual(["cli/commands/sample.ts"]); // the command; the generators are sample/*
  expect(sameThing(["domain/text.ts", "stores/xlsx/text.ts"])).toBe(false);
});

test("one Actor: one type of that name in src/", () => {
  const declared = sourceFiles().filter((f) => /^\s*(export\s+)?(interface|type|class)\s+Actor\b/m.test(fs.readFileSync(f, "utf8")));
  expect(declared.map(rel)).toEqual(["ledger/service.ts"]);
});
