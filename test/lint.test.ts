/**
 * The lint rules issue 16 relies on are really in `npm run lint`: each probe below is linted by the
 * project's own eslint.config.mjs, as if it were the file of src/ it names. ESLint runs in a child
 * process (its flat config is an ES module, which Jest's CommonJS runtime does not load).
 */
import { spawnSync } from "child_process";
import * as path from "path";

jest.setTimeout(60000);
const root = path.join(__dirname, "..");

const PROBES: Record<string, [file: string, code: string]> = {
  domainImportsLedger: ["src/domain/probe.ts", 'import { Ledger } from "../ledger/service";\nexport const x = Ledger;\n'],
  domainImportsFs: ["src/domain/probe.ts", 'import * as fs from "fs";\nexport const x = fs;\n'],
  domainImportsDomain: ["src/domain/probe.ts", 'import { toSerial } from "./dates";\nexport const x = toSerial;\n'],
  ledgerImportsDomain: ["src/ledger/probe.ts", 'import { toSerial } from "../domain/dates";\nexport const x = toSerial;\n'],
  // The rooms (decision 60): a sub-room of domain/ may use domain/; ledger/ knows no report; stores know no report
  // and no pane; reports and adoption never reach a store; the workbench worker's entry is the one composition root.
  domainSubroomImportsDomain: ["src/domain/calendar/probe.ts", 'import { toSerial } from "../dates";\nexport const x = toSerial;\n'],
  domainSubroomImportsStore: ["src/domain/calendar/probe.ts", 'import { MemoryStore } from "../../stores/memory";\nexport const x = MemoryStore;\n'],
  ledgerImportsReport: ["src/ledger/probe.ts", 'import { VIEWS } from "../reports/views";\nexport const x = VIEWS;\n'],
  storeImportsReport: ["src/stores/excel/probe.ts", 'import { VIEWS } from "../../reports/views";\nexport const x = VIEWS;\n'],
  storeImportsPane: ["src/stores/probe.ts", 'import { inLang } from "../taskpane/i18n";\nexport const x = inLang;\n'],
  storeImportsLedger: ["src/stores/xlsx/probe.ts", 'import { Ledger } from "../../ledger/service";\nexport const x = Ledger;\n'],
  reportImportsStore: ["src/reports/probe.ts", 'import { MemoryStore } from "../stores/memory";\nexport const x = MemoryStore;\n'],
  adoptionImportsStore: ["src/adoption/probe.ts", 'import { XlsxStore } from "../stores/xlsx/store";\nexport const x = XlsxStore;\n'],
  workerEntryImportsReport: ["src/stores/workbench/workbench.worker.ts", 'import { VIEWS } from "../../reports/views";\nexport const x = VIEWS;\n'],
  paneImportsStoreAndReport: [
    "src/taskpane/probe.ts",
    'import { VIEWS } from "../reports/views";\nimport { MemoryStore } from "../stores/memory";\nexport const x = [VIEWS, MemoryStore];\n',
  ],
  conditionalHook: [
    "src/taskpane/ui/Probe.tsx",
    'import { useState } from "react";\nexport function A({ on }: { on: boolean }) {\n  if (on) useState(0);\n  return null;\n}\n',
  ],
  memoMissingDep: [
    "src/taskpane/ui/Probe.tsx",
    'import { useMemo } from "react";\nexport function B({ n }: { n: number }) {\n  return useMemo(() => n * 2, []);\n}\n',
  ],
  // 120 lines from `function` to its brace pass; 121 do not, even when the extra line is blank or a comment.
  fn120: ["src/ledger/probe.ts", longFunction(120, "")],
  fn121Blank: ["src/ledger/probe.ts", longFunction(121, "\n")],
  fn121Comment: ["src/taskpane/ui/Probe.tsx", longFunction(121, "  // why\n")],
  // A cast through unknown is refused; narrowing to an intersection is not.
  asUnknownAs: ["src/ledger/probe.ts", "export const x = (globalThis as unknown as { y: number }).y;\n"],
  asIntersection: ["src/ledger/probe.ts", "export const x = (globalThis as typeof globalThis & { y: number }).y;\n"],
};

/** A function `lines` long from its head to its closing brace, `extra` (one line) among its statements. */
function longFunction(lines: number, extra: string): string {
  const statements = lines - 4 - (extra ? 1 : 0);
  return `export function f(): number {\n  let n = 0;\n${"  n++;\n".repeat(statements)}${extra}  return n;\n}\n`;
}

/** Error rule ids per probe. */
function lintAll(): Record<string, string[]> {
  const script = `
    const { ESLint } = require("eslint");
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const probes = JSON.parse(require("fs").readFileSync(0, "utf8"));
      const out = {};
      for (const [name, [filePath, code]] of Object.entries(probes)) {
        const [r] = await eslint.lintText(code, { filePath });
        out[name] = r.messages.filter((m) => m.severity === 2).map((m) => m.ruleId || "parse");
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: root, input: JSON.stringify(PROBES), encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

test("domain imports nothing above it; the rooms keep their boundaries; hooks rules are errors; no function over 120 lines; no `as unknown as`", () => {
  expect(lintAll()).toEqual({
    domainImportsLedger: ["no-restricted-imports"],
    domainImportsFs: ["no-restricted-imports"],
    domainImportsDomain: [],
    ledgerImportsDomain: [],
    domainSubroomImportsDomain: [],
    domainSubroomImportsStore: ["no-restricted-imports"],
    ledgerImportsReport: ["no-restricted-imports"],
    storeImportsReport: ["no-restricted-imports"],
    storeImportsPane: ["no-restricted-imports"],
    storeImportsLedger: [],
    reportImportsStore: ["no-restricted-imports"],
    adoptionImportsStore: ["no-restricted-imports"],
    workerEntryImportsReport: [],
    paneImportsStoreAndReport: [],
    conditionalHook: ["react-hooks/rules-of-hooks"],
    memoMissingDep: ["react-hooks/exhaustive-deps"],
    fn120: [],
    fn121Blank: ["max-lines-per-function"],
    fn121Comment: ["max-lines-per-function"],
    asUnknownAs: ["no-restricted-syntax"],
    asIntersection: [],
  });
});
