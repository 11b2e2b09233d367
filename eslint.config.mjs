// ESLint 9 flat config: typescript-eslint's recommended rules (syntax-aware,
// not type-aware, so linting stays fast and needs no tsconfig project setup).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// Relative imports that reach a room of src/ from anywhere below another room: "../reports/x", "../../stores/y".
const FRONTS = ["taskpane", "functions", "cli", "commands"];
const ABOVE_DOMAIN = ["ledger", "reports", "adoption", "stores", "sample", ...FRONTS];
const above = (message, rooms) => ({ regex: `^(\\.\\./)+(${rooms.join("|")})(/|$)`, message });
const layer = (files, message, rooms) => ({ files: [files], rules: { "no-restricted-imports": ["error", { patterns: [above(message, rooms)] }] } });

export default tseslint.config(
  {
    ignores: ["dist/**", "build/**", "coverage/**", "node_modules/**", "bench/**/out/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Browser code: task pane, functions, commands and the domain.
    files: ["src/**/*.ts"],
    languageOptions: {
      globals: { ...globals.browser },
    },
  },
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      // Office.js and test doubles sometimes need `any`; flag it, don't block on it.
      "@typescript-eslint/no-explicit-any": "warn",
      // Text from spreadsheets is classified with ranges like /[\x00-\x7f]/ (ASCII-only);
      // that is deliberate here, not a stray control character.
      "no-control-regex": "off",
    },
  },
  {
    // Only the two classic hook rules: the React Compiler rules of plugin v7 judge code we do not compile.
    files: ["src/**/*.{ts,tsx}", "test/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    // Functions that read top to bottom (decision 50): at most 120 lines from the line the function starts on
    // to its closing brace, blank lines and comments included, as a reader scrolls them.
    files: ["src/**/*.{ts,tsx}"],
    rules: {
      "max-lines-per-function": ["error", { max: 120, skipBlankLines: false, skipComments: false, IIFEs: true }],
      // Issue 16: a type is narrowed (`x as X & Extra`) or checked, never laundered through unknown.
      "no-restricted-syntax": [
        "error",
        {
          selector: "TSAsExpression > TSAsExpression.expression[typeAnnotation.type='TSUnknownKeyword']",
          message: "No `as unknown as`: narrow with an intersection (`x as typeof x & Extra`) or check the value.",
        },
      ],
    },
  },
  {
    // The house rule (docs/architecture.md): domain/ is pure TypeScript and imports nothing above it,
    // no host, no UI, no I/O; only its own modules and the holiday data.
    files: ["src/domain/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            above("src/domain imports nothing above it (ledger, reports, stores, taskpane, functions, cli, commands).", ABOVE_DOMAIN),
            {
              group: [
                "react",
                "react-*",
                "react/*",
                "@fluentui/*",
                "exceljs",
                "@microsoft/*",
                "office-*",
                "fs",
                "fs/*",
                "path",
                "os",
                "crypto",
                "child_process",
                "node:*",
              ],
              message: "src/domain is pure: no UI, no Office, no file system or other I/O.",
            },
          ],
        },
      ],
    },
  },
  // The rooms above domain/ (docs/architecture.md, decision 60): ledger/ is the service and the store contract;
  // reports/ and adoption/ compute over it and never touch a store; stores/ adapt hosts and know no report and no pane.
  layer("src/ledger/**/*.{ts,tsx}", "src/ledger imports only domain/ (no report, store, adoption or front end).", [
    "reports",
    "adoption",
    "stores",
    "sample",
    ...FRONTS,
  ]),
  layer("src/reports/**/*.{ts,tsx}", "src/reports never imports a store, adoption or a front end.", ["stores", "adoption", "sample", ...FRONTS]),
  layer("src/adoption/**/*.{ts,tsx}", "src/adoption never imports a store, a report or a front end.", ["stores", "reports", "sample", ...FRONTS]),
  {
    ...layer("src/stores/**/*.{ts,tsx}", "src/stores never imports a report or a front end (the pane, functions, cli, commands).", ["reports", ...FRONTS]),
    // The worker's entry is its composition root: it hands the worker the dashboard's computation (decision 60).
    ignores: ["src/stores/workbench/workbench.worker.ts"],
  },
  {
    files: ["test/**/*.{ts,js}"],
    languageOptions: {
      globals: { ...globals.jest, ...globals.node },
    },
  },
  {
    // Build scripts and configs run in Node as CommonJS.
    files: ["scripts/**/*.js", "webpack.config.js", "jest.config.js", "bench/**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { ...globals.node },
    },
    rules: {
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);
