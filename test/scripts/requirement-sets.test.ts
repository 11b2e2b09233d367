/**
 * The manifests ask for the API sets the code needs, no more (issue 24: the
 * manifest asked for CustomFunctionsRuntime 1.3 while nothing past 1.2 is
 * used, shutting out builds that could run the add-in). Each Office API the
 * code calls is mapped to the set Microsoft's reference gives it; the highest
 * version among the calls made unguarded must be exactly the manifest's; a
 * call from a higher set must sit behind an isSetSupported check for that set.
 * Sources: https://learn.microsoft.com/javascript/api/requirement-sets/excel/excel-api-requirement-sets,
 * .../custom-functions-requirement-sets, .../common/shared-runtime-requirement-sets, and each member's page.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "../..");
const xml = readFileSync(join(ROOT, "manifest.xml"), "utf8");
const json = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8"));

/** A call as it appears in our code → the API set and version it belongs to. */
const API: { pattern: RegExp; set: string; version: string; what: string }[] = [
  { pattern: /\.getItemOrNullObject\(/, set: "ExcelApi", version: "1.4", what: "*.getItemOrNullObject" },
  { pattern: /\.getUsedRangeOrNullObject\(/, set: "ExcelApi", version: "1.4", what: "Worksheet.getUsedRangeOrNullObject" },
  { pattern: /\.getRowsBelow\(/, set: "ExcelApi", version: "1.2", what: "Range.getRowsBelow" },
  { pattern: /\.onSelectionChanged\b/, set: "ExcelApi", version: "1.2", what: "Table.onSelectionChanged" },
  { pattern: /\.conditionalFormats\b/, set: "ExcelApi", version: "1.6", what: "Range.conditionalFormats" },
  { pattern: /\.onChanged\.add\(/, set: "ExcelApi", version: "1.7", what: "Worksheet/Table.onChanged" },
  { pattern: /\.freezePanes\b/, set: "ExcelApi", version: "1.7", what: "Worksheet.freezePanes" },
  { pattern: /\.getActiveCell\(/, set: "ExcelApi", version: "1.7", what: "Workbook.getActiveCell" },
  { pattern: /\.enableEvents\b/, set: "ExcelApi", version: "1.8", what: "Runtime.enableEvents" },
  { pattern: /\.axisGroup\b/, set: "ExcelApi", version: "1.8", what: "ChartSeries.axisGroup" },
  { pattern: /series\.chartType\b/, set: "ExcelApi", version: "1.7", what: "ChartSeries.chartType" },
  { pattern: /\.dataValidation\b/, set: "ExcelApi", version: "1.8", what: "Range.dataValidation" },
  { pattern: /\.autoFilter\b/, set: "ExcelApi", version: "1.9", what: "Table.autoFilter" },
  { pattern: /\bdetails\b.*valueAfter|valueAfter.*\bdetails\b|details!?\.valueAfter/, set: "ExcelApi", version: "1.9", what: "ChangedEventDetail" },
  { pattern: /mergeUndoGroup/, set: "ExcelApi", version: "1.20", what: "RunOptions.mergeUndoGroup" },
  { pattern: /\.getMergedAreasOrNullObject\(/, set: "ExcelApi", version: "1.13", what: "Range.getMergedAreasOrNullObject" },
  { pattern: /namedSheetViews/, set: "ExcelApiOnline", version: "1.1", what: "Worksheet.namedSheetViews" },
  {
    // functions.ts throws `new cf.Error(kind, message)` with cf = globalThis.CustomFunctions.
    pattern: /new cf\.Error\(|new CustomFunctions\.Error\(/,
    set: "CustomFunctionsRuntime",
    version: "1.2",
    what: "CustomFunctions.Error with a message",
  },
  { pattern: /setStartupBehavior\(/, set: "SharedRuntime", version: "1.1", what: "Office.addin.setStartupBehavior" },
];

const minor = (v: string) => Number(v.split(".")[1]);
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
/** Code without its comments (which name APIs without calling them). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
const sources = files(join(ROOT, "src")).map((f) => ({ file: relative(ROOT, f), text: code(readFileSync(f, "utf8")) }));

/** A call is guarded when its file asks for its set and version before using it. */
const guarded = (text: string, set: string, version: string) =>
  new RegExp(`(isSetSupported|supports)\\(\\s*"${set}"\\s*,\\s*"${version.replace(".", "\\.")}"`).test(text);

const declared = (set: string) => /MinVersion="([\d.]+)"/.exec(xml.split(`<Set Name="${set}"`)[1] ?? "")?.[1];

test("every set the code needs unguarded is declared at exactly the highest version it needs", () => {
  const need = new Map<string, string>();
  const seen: string[] = [];
  for (const api of API) {
    const users = sources.filter((s) => api.pattern.test(s.text));
    if (!users.length) continue;
    seen.push(api.what);
    const unguarded = users.filter((s) => !guarded(s.text, api.set, api.version));
    if (!unguarded.length) continue;
    const have = need.get(api.set);
    if (!have || minor(api.version) > minor(have)) need.set(api.set, api.version);
  }
  expect(seen.length).toBeGreaterThan(10); // the table still matches the code
  // The shared runtime itself (one <Runtime lifetime="long"> for pane, functions and commands) needs SharedRuntime 1.1.
  if (/<Runtime resid="[^"]+" lifetime="long"\/>/.test(xml)) need.set("SharedRuntime", "1.1");
  expect(Object.fromEntries(need)).toEqual({ ExcelApi: "1.9", CustomFunctionsRuntime: "1.2", SharedRuntime: "1.1" });
  for (const [set, version] of need) expect([set, declared(set)]).toEqual([set, version]);
  const capabilities = Object.fromEntries(
    json.extensions[0].requirements.capabilities.map((c: { name: string; minVersion: string }) => [c.name, c.minVersion]),
  );
  expect(capabilities).toEqual(Object.fromEntries(need));
});

test("calls from sets above the manifest's are behind an isSetSupported check for their set", () => {
  for (const api of API.filter((a) => a.set === "ExcelApiOnline" || (a.set === "ExcelApi" && minor(a.version) > minor(declared("ExcelApi")!)))) {
    const users = sources.filter((s) => api.pattern.test(s.text));
    expect(users.length).toBeGreaterThan(0);
    for (const s of users) expect([s.file, guarded(s.text, api.set, api.version)]).toEqual([s.file, true]);
  }
});

test("the check would notice an unguarded call from a higher set", () => {
  const text = "await Excel.run({ mergeUndoGroup: true }, f);";
  expect(guarded(text, "ExcelApi", "1.20")).toBe(false);
  expect(guarded('if (supports("ExcelApi", "1.20")) x();', "ExcelApi", "1.20")).toBe(true);
});
