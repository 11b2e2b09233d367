// @ts-check
/**
 * Mutation testing of the rules (`npm run mutate`, decision 70): Stryker plants one small bug at a time in
 * src/domain/, the audit chain, edit enforcement and the lifecycle, and runs the tests that cover it; a mutant
 * the tests do not notice survives. Report: build/mutation/index.html and mutation.json (score per file,
 * survivors). Not in CI: a full run takes many minutes on two shared cores. Scope a run while iterating:
 *   npm run mutate -- --mutate src/domain/lifecycle.ts
 * Incremental: build/mutation/incremental.json remembers results, so a rerun only tests what changed.
 * Leave the working tree alone while it runs (no rebase, no checkout): the TypeScript checker resolved imports
 * against files changed mid-run and reported every later mutant as a compile error (issue 30's first runs).
 *
 * Equivalent mutants (cannot be killed; counted as survivors when they appear, not hidden):
 * - lifecycle.ts need(): `v !== null` → true. A Case never holds null (readCase turns a blank cell into
 *   undefined, and the Case type has no null), so the check is defensive only.
 * - edit-check.ts checkEdit(): `if (changed.length === 0) return` → false. With nothing changed every later
 *   check finds nothing new (the same violations before and after, no move), so the result is the same.
 * - lifecycle.ts unmetUpTo(): `i < STATE_ORDER.length` → true. `upTo` is always an index of STATE_ORDER (or -1),
 *   so the first bound already stops the loop.
 * - lifecycle.ts unmetUpTo(): `missing.length > 0` → true / `>= 0`. Every caller flattens the entries' missing
 *   lists (missingFor, canMove, closeChecklist), so an entry with none adds nothing.
 * - lifecycle.ts autoAdvance(): `current ?? ""` → another string. Any name that is no state reads as 已登记, "" too.
 * - edit-check.ts checkEdit(): `!ENFORCED.has(v.code)` → false. validateCase emits only enforced codes (BAD_VALUE
 *   and DUPLICATE_CASE_NO come from validateLedger), so the filter guards against codes added later.
 * - edit-check.ts checkEdit(), the "said already" dedupe: `r.field === v.field` → true. Every enforced violation's
 *   words name its field (a column label from CASE_FIELDS, fixed; a sign-off by its form and signer, keyed to that
 *   signer's column), and no earlier reason of another field uses the same words, so equal words mean the same field.
 * - edit-check.ts checkEdit(): `(from ?? "") !== to` → true, and `from ?? ""` → `from && ""` or another string (both
 *   make the test always true). A status reads as a known code or undefined (an unknown name is a BAD_VALUE), and
 *   `to` is never empty, so the test is false only for an unchanged known status, where canMove(x, x) is ok anyway.
 * - audit.ts verifyLedgerAudit(): `|| last.seq < ext.seq` → false. When the entry at the head file's sequence
 *   is there with its hash, the chain reaches that sequence; the clause is a second statement of the same fact.
 * - audit.ts verifyLedgerAudit(): `HEX64.test(hash ?? "")` → another string. Any fallback that is not 64 hex
 *   digits fails the test the same way, and a missing hash is what it stands for.
 * - audit.ts verifyLedgerAudit(): `hash ?? GENESIS` → `hash && GENESIS` in the headMismatch call. headMismatch
 *   says only the expected count (the message names no hash), so the hash passed is never read.
 * - calendar.ts spansProvisional(): `j < 0 || i > last || i > j` (each part → false). Past the guard the
 *   difference of the counts is NaN (an index outside the array) or at most 0, and neither is > 0.
 * - calendar.ts spansProvisional(): the guard's `||` → `&&` (either pair) and `provisionalYears.size === 0` → false
 *   (with none, every estimate count is 0, so the answer is false anyway); workday(): `n > 0` → `>=` (n is 0 only
 *   where it returned already). nextWorkingMoment(): `if (minute < b)` → true returns a moment past a period's end,
 *   and addWorkHours skips every period that moment has passed, so the due time is the same.
 * - calendar.ts nextWorkingMoment(): `minute < b` → `<=`, and addWorkHours(): `minute >= b` → `>`. A moment at a
 *   period's very end counts nothing in that period (0 minutes left in it) either way, so the next period starts
 *   the count at the same minute. (Both found by planting by hand, not yet by a calendar.ts run.)
 * - sla.ts provisionalFor(): `.join(",")` → `.join("")` in the cache key. Weekend days are 0–6 (the Policy sheet refuses
 *   others), one digit each, so two sorted patterns give the same key with or without the comma only if they are equal.
 * - sla.ts provisionalBase(): `.some(…)` → `.every(…)` on a day's festivals. Every estimated day names exactly one
 *   festival (provisional.ts statutoryDays and its days in lieu), so some and every agree.
 * - sla.ts calendarFor(): the official list's `.filter((r) => r.scope === "OFFICIAL")` → `true` or removed. Company
 *   rows then also enter the official list, but the calendar applies company days after the official ones, so they
 *   win either way (calendar.ts constructor).
 * - sla.ts limitFor(): `+(row.severity !== undefined)` → `+(true)`. It adds 1 to every row's score alike, so the same
 *   row is the most specific.
 * - calendar.ts check() and its gap count (constructor `if (!known) gap++` → `true`, `known`, `gap--`; check's
 *   `this.gaps[end] - (i > 0 ? … : 0) !== 0` → true, `+`, and `i > 0` → true/false/`<=`/`>=`; `end`'s
 *   `Math.min(j, …)` → `Math.max`, `length - 1` → `+ 1`): the gap count is a fast path. Every one of these still
 *   sends a span holding a year without data to the loop over its years, which alone decides and names the year
 *   (a count over a wider span, or an index past the end giving NaN, only says "maybe" more often); sending a span
 *   without one there too only costs time. Confirmed alive by the verification run on 47fe346.
 * - responsibility.ts matchResponsibility(), the exact-name shortcut (line 39 `folded.length <= maxExact || …`,
 *   compactLength()'s loop and count): it only skips the map lookup for text longer than every name, and the lookup
 *   decides. A mutant that lets more text through (`true`, `false`/`<`/`>` on the first operand, which the second
 *   operand covers as compactLength ≤ length; compactLength's loop never run, counting only "|", `n--`) changes
 *   nothing; the mutants that let less through are killed ("the longest name matches exactly…").
 * - responsibility.ts line 40, the key for the lookup: `… ? folded : folded.replace(/[ |]/g, "")` → always replace
 *   (`false`, `indexOf("")`): replacing in text with no space or "|" leaves it as is; `indexOf(" ") <= 0` and
 *   `indexOf("|") <= 0`: foldClauses never starts its result with either.
 * - responsibility.ts `if (hits.length === 1) return …` → false: one hit scored the long way gives the same answer.
 * - responsibility.ts fresh(): `d !== s.def ||` → false. The answer names only codes, and every field of the entry
 *   that the index or the answer reads (code, names, synonyms, keywords, hints, as lists and lengths) is compared
 *   on its own, so a swapped entry with all of them equal gives the same answers from the old index.
 */
import process from "node:process";

// MUTATE_OUT=build/mutation-audit keeps a second scoped run (its report, incremental file, sandbox) apart.
const out = process.env.MUTATE_OUT ?? "build/mutation";
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  packageManager: "npm",
  testRunner: "jest",
  jest: { projectType: "custom", configFile: "jest.mutate.config.js", enableFindRelatedTests: false },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.mutate.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: "perTest",
  // Static mutants (module-level constants: edit-check's ENFORCED set, STATE_ORDER, the policy defaults) are
  // reached by every test, so each reruns the whole test set: 1-2 minutes apiece on two shared cores, 80 % of a
  // run's time. Skipped by default; the ones that matter have named tests checked by planting the bug by hand
  // (NEGATIVE dropped from ENFORCED: test/ledger/edit-check-rules.test.ts). The full check: --ignoreStatic false.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  // Two shared cores: one worker leaves room for the other sessions; raise with --concurrency 2 on a quiet machine.
  concurrency: 1,
  timeoutMS: 10000,
  mutate: ["src/domain/**/*.ts", "src/ledger/audit.ts", "src/ledger/edit-check.ts"],
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: `${out}/index.html` },
  jsonReporter: { fileName: `${out}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: `${out}/.tmp`,
  ignorePatterns: ["build", "dist", "bench", "docs", "assets", "coverage", ".stryker-tmp"],
  thresholds: { high: 90, low: 85, break: null },
  cleanTempDir: true,
};
export default config;
