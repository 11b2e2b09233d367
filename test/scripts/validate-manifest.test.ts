/**
 * The offline manifest validator: the repository's manifest passes; an
 * element out of the schemas' order, a missing or too low requirement set
 * are reported in 中文 and English.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkManifest, orderProblems, versionAtLeast } = require("../../scripts/validate-manifest");

const ROOT = path.resolve(__dirname, "../..");
const manifest = fs.readFileSync(path.join(ROOT, "manifest.xml"), "utf8");
const site = { base: "https://localhost:3000/", dir: null, label: "development" };

/** Checks a variant of the manifest written next to the real one (icons resolve the same way). */
function check(xml: string): { zh: string; en: string }[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "manifest-"));
  const file = path.join(dir, "manifest.xml");
  fs.writeFileSync(file, xml);
  try {
    return checkManifest(file, site).problems;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("the repository's manifest passes, declaring ExcelApi 1.9 and CustomFunctionsRuntime 1.2", () => {
  expect(check(manifest)).toEqual([]);
  expect(manifest).toMatch(/<Set Name="ExcelApi" MinVersion="1\.9"\/>/);
  expect(manifest).toMatch(/<Set Name="CustomFunctionsRuntime" MinVersion="1\.2"\/>/);
});

test("versions compare part by part: 1.14 is above 1.9", () => {
  expect(versionAtLeast("1.14", "1.9")).toBe(true);
  expect(versionAtLeast("1.8", "1.9")).toBe(false);
  expect(versionAtLeast("1.9", "1.9")).toBe(true);
});

test("an element out of the documented order is reported, naming both elements", () => {
  const swapped = manifest.replace(/(<Version>[^<]*<\/Version>)(\s*)(<ProviderName>[^<]*<\/ProviderName>)/, "$3$2$1");
  expect(swapped).not.toBe(manifest);
  const problems = orderProblems(swapped);
  expect(problems).toHaveLength(1);
  expect(problems[0].en).toMatch(/<OfficeApp>, <ProviderName> must come before <Version>|<Version> must come before/);
  expect(problems[0].zh).toMatch(/必须在/);
  expect(check(swapped).some((p) => /Version/.test(p.en))).toBe(true);
});

test("Resources out of order inside VersionOverrides, and Runtimes after AllFormFactors, are reported", () => {
  const resources = manifest.replace(/(<bt:Images>[\s\S]*?<\/bt:Images>)(\s*)(<bt:Urls>[\s\S]*?<\/bt:Urls>)/, "$3$2$1");
  expect(orderProblems(resources).map((p: { en: string }) => p.en)).toEqual([expect.stringMatching(/<Images> must come before <Urls>/)]);
  const runtimes = manifest.replace(/(<Runtimes>[\s\S]*?<\/Runtimes>)(\s*)(<AllFormFactors>[\s\S]*?<\/AllFormFactors>)/, "$3$2$1");
  expect(orderProblems(runtimes).map((p: { en: string }) => p.en)).toEqual([expect.stringMatching(/<Runtimes> must come before <AllFormFactors>/)]);
});

test("a missing or too low requirement set is reported", () => {
  expect(check(manifest.replace(/\s*<Set Name="ExcelApi" MinVersion="1\.9"\/>/, "")).map((p) => p.en)).toContain("Requirements lacks ExcelApi 1.9");
  expect(check(manifest.replace('<Set Name="ExcelApi" MinVersion="1.9"/>', '<Set Name="ExcelApi" MinVersion="1.8"/>')).map((p) => p.en)).toContain(
    "ExcelApi MinVersion must be at least 1.9",
  );
  expect(
    check(manifest.replace('<Set Name="CustomFunctionsRuntime" MinVersion="1.2"/>', '<Set Name="CustomFunctionsRuntime" MinVersion="1.1"/>')).map((p) => p.en),
  ).toContain("CustomFunctionsRuntime MinVersion must be at least 1.2");
});
