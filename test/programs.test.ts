/** The gate for tests that need LibreOffice or Chromium: CI=true turns a missing program into a failure. */
import { inCI, needsProgram, type GateHooks } from "./programs";

function hooks() {
  const tests: { name: string; fn: () => void }[] = [];
  const warnings: string[] = [];
  const h: GateHooks = { test: (name, fn) => tests.push({ name, fn }), warn: (m) => warnings.push(m) };
  return { h, tests, warnings };
}

describe("tests that need a program", () => {
  test("installed: they run, nothing is registered or printed", () => {
    const { h, tests, warnings } = hooks();
    expect(needsProgram("LibreOffice", true, "apt-get install libreoffice-calc", { CI: "true" }, h)).toBe("run");
    expect([tests, warnings]).toEqual([[], []]);
  });

  test("missing in CI (CI=true): a failing test is registered, naming the program", () => {
    const { h, tests, warnings } = hooks();
    expect(needsProgram("Chromium", false, "apt-get install chromium", { CI: "true" }, h)).toBe("skip");
    expect(tests).toHaveLength(1);
    expect(tests[0].name).toMatch(/^Chromium is installed/);
    expect(() => tests[0].fn()).toThrow(/Chromium not found.*CI=true/);
    expect(warnings).toEqual([]);
  });

  test("missing outside CI: skipped with a printed reason, no failing test", () => {
    for (const env of [{}, { CI: "false" }, { CI: "" }]) {
      const { h, tests, warnings } = hooks();
      expect(needsProgram("LibreOffice", false, "apt-get install libreoffice-calc", env, h)).toBe("skip");
      expect(tests).toEqual([]);
      expect(warnings).toEqual([expect.stringMatching(/^\[skipped\] LibreOffice not found \(apt-get install libreoffice-calc\)/)]);
    }
  });

  test("CI is read from CI=true or CI=1", () => {
    expect([inCI({ CI: "true" }), inCI({ CI: "TRUE" }), inCI({ CI: "1" }), inCI({ CI: "false" }), inCI({ CI: "0" }), inCI({})]).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
