/**
 * Tests that need a program this machine may lack (LibreOffice, Chromium). Where it is installed they run.
 * Where it is missing they skip with a printed reason, except in CI (CI=true): there a missing program fails
 * the run, so a CI image that lost it cannot turn the interchange and browser tests into silent passes.
 */
import { spawnSync } from "child_process";

/** Whether this run is CI's: CI=true (or 1), as GitHub Actions and most CI services set it. */
export const inCI = (env: NodeJS.ProcessEnv = process.env): boolean => /^(true|1)$/i.test(env.CI ?? "");

/** The first of `names` that runs with `--version`, or undefined. */
export function findProgram(names: readonly string[]): string | undefined {
  return names.find((b) => spawnSync(b, ["--version"], { encoding: "utf8", timeout: 60_000 }).status === 0);
}

/** What the gate registers and prints; the jest globals by default (a test passes fakes). */
export interface GateHooks {
  test: (name: string, fn: () => void) => void;
  warn: (msg: string) => void;
}

/**
 * `test` when the program is there, else `test.skip`; when it is missing in CI, first registers one test
 * that fails saying what is missing. Call it at the top of a test file (or a describe body).
 *
 * `const maybe = needsProgram("LibreOffice", office !== undefined, "apt-get install libreoffice-calc")`
 */
export function needsProgram(what: string, found: boolean, install: string, env: NodeJS.ProcessEnv = process.env, hooks?: GateHooks): "run" | "skip" {
  if (found) return "run";
  const why = `${what} not found (${install}) / 未找到 ${what}`;
  const h = hooks ?? { test: (name, fn) => test(name, fn), warn: (msg) => console.warn(msg) };
  if (inCI(env)) {
    h.test(`${what} is installed (CI=true: a missing program fails, never skips)`, () => {
      throw new Error(`${why}: CI=true, so the tests that need it fail instead of skipping / CI 中缺少所需程序即失败`);
    });
  } else h.warn(`[skipped] ${why}: the tests that need it are skipped outside CI / 非 CI 环境,跳过相关测试`);
  return "skip";
}

/** `test` or `test.skip` for the gate's answer. */
export const testIf = (gate: "run" | "skip"): jest.It => (gate === "run" ? test : test.skip);
/** `describe` or `describe.skip` for the gate's answer. */
export const describeIf = (gate: "run" | "skip"): jest.Describe => (gate === "run" ? describe : describe.skip);

/**
 * Converts `file` with LibreOffice (`office`) to `to` ("xlsx", "csv:…") into `outDir`. A private profile under
 * `profileDir`: parallel runs and a user's open LibreOffice do not block each other.
 */
export function officeConvert(office: string, profileDir: string, file: string, to: string, outDir: string): void {
  const r = spawnSync(office, [`-env:UserInstallation=file://${profileDir}`, "--headless", "--convert-to", to, "--outdir", outDir, file], {
    encoding: "utf8",
    timeout: 120000,
  });
  if (r.status !== 0) throw new Error(`LibreOffice failed: ${r.stderr}`);
}
