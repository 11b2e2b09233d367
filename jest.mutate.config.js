/**
 * Jest for `npm run mutate` (stryker.config.mjs): only the tests that exercise the mutated rules, in-process.
 * The pane, browser, LibreOffice and CLI-subprocess tests cannot see Stryker's instrumented code (or take minutes),
 * so they would add time and no kills. The service tests are left out too: each mutant would load the whole service
 * and its stores again, and a rule only they catch lacks a test of its own. So are the custom functions' and the adoption
 * planner's: a static mutant (a module-level constant such as edit-check's ENFORCED set) runs every test here, and with
 * them the test set took 2.5 minutes instead of 13 seconds. ts-jest transpiles only: the typescript checker already refuses mutants that do not compile.
 */
const base = require("./jest.config.js");
module.exports = {
  ...base,
  testMatch: ["<rootDir>/test/domain/**/*.test.ts", "<rootDir>/test/ledger/audit*.test.ts", "<rootDir>/test/ledger/edit-check*.test.ts"],
  // One seed for fast-check: a mutant's verdict depends on the code, not on the cases drawn (test/fakes/mutate-seed.ts).
  setupFiles: ["<rootDir>/test/fakes/mutate-seed.ts"],
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: true }] },
};
