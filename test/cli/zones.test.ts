/**
 * The same answer on any machine (issue 25): the command line and CL.WORKDAY,
 * compiled as shipped, run in child processes whose only difference is TZ.
 * The clock is pinned to an instant on which the zones disagree about the
 * date (01:00 on the 5th in Shanghai, 10:00 on the 4th in California).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CN_OFFICIAL_YEARS } from "../../src/domain/calendar/cn-holidays";
import { cliAt } from "./run";

const root = path.resolve(__dirname, "../..");
const NOW = "2026-10-04T17:00:00.000Z";
const ZONES = ["UTC", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Shanghai"];
/** The first year without official holiday data: derived, so the test keeps meaning something when the data grows. */
const PROVISIONAL = Math.max(...CN_OFFICIAL_YEARS) + 1;

let out: string;
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cl-zones-"));
  // Its own output folder inside the repository (node_modules resolve from there), so no other test's build is touched.
  out = path.join(root, "build", `zones-${process.pid}`);
  const tsconfig = path.join(root, `tsconfig.zones-${process.pid}.json`);
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({ extends: "./tsconfig.cli.json", compilerOptions: { outDir: out }, include: ["src/cli/**/*", "src/functions/functions.ts"] }),
  );
  try {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [root] }), "-p", tsconfig], { cwd: root });
  } finally {
    fs.rmSync(tsconfig, { force: true });
  }
}, 240000);

afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the compiled CLI and CL.WORKDAY under `zone`, the clock at NOW; returns everything they printed. */
function runIn(zone: string, ledger: string): string {
  const script = `
    // CL.SLASTATUS reads the system clock: pinned to NOW, as jest's fake timers would.
    const RealDate = Date;
    globalThis.Date = class extends RealDate {
      constructor(...a) { super(...(a.length ? a : [${JSON.stringify(NOW)}])); }
      static now() { return new RealDate(${JSON.stringify(NOW)}).getTime(); }
    };
    const { main } = require(${JSON.stringify(path.join(out, "src/cli/main.js"))});
    const fn = require(${JSON.stringify(path.join(out, "src/functions/functions.js"))});
    (async () => {
      const results = [];
      for (const argv of ${JSON.stringify([
        ["calendar", "show", String(PROVISIONAL), "--json"],
        ["check", ledger, "--json"],
      ])}) {
        let o = "", e = "";
        const code = await main(argv, { stdout: { write: (s) => (o += s) }, stderr: { write: (s) => (e += s) }, env: {}, now: () => new Date(${JSON.stringify(NOW)}) });
        results.push({ argv, code, o, e });
      }
      const days = [-12, -3, -1, 0, 1, 5, 20, 250];
      const starts = ["${PROVISIONAL - 1}-12-30", "${PROVISIONAL}-02-01", "${PROVISIONAL}-09-30", 46295, 46295.75];
      results.push({ workday: starts.map((s) => days.map((n) => { try { return fn.workday(s, n); } catch (err) { return String(err.message); } })) });
      results.push({ slaStatus: [fn.slaStatus(46299.5), fn.slaStatus(46300.5)] });
      process.stdout.write(JSON.stringify(results));
    })();`;
  return execFileSync(process.execPath, ["-e", script], { cwd: root, env: { ...process.env, TZ: zone }, maxBuffer: 64 << 20 }).toString("utf8");
}

test("calendar show of the first provisional year, check --json and CL.WORKDAY print the same under UTC, Los Angeles, Kiritimati and Shanghai", async () => {
  const ledger = path.join(dir, "sample.xlsx");
  // The sample as of the pinned instant, so its cases run and some are due around it.
  expect((await cliAt(() => new Date(NOW))("sample", "-o", ledger, "--cases", "60")).code).toBe(0);
  const outputs = ZONES.map((z) => runIn(z, ledger));
  const parsed = JSON.parse(outputs[0]);
  // What is compared holds something: the provisional year's festivals, the ledger's cases, working days.
  const cal = JSON.parse(parsed[0].o);
  expect(cal).toMatchObject({ year: PROVISIONAL, source: "provisional" });
  expect(cal.off.filter((d: string) => d.endsWith("-10-01")).length).toBe(1);
  expect(JSON.parse(parsed[1].o).cases).toBe(60);
  expect(parsed[2].workday.flat().filter((x: unknown) => typeof x === "number").length).toBeGreaterThan(30);
  // Due at noon on the 4th and on the 5th: on Shanghai's clock (the ledger's) it is 01:00 on the 5th, so only the first is past.
  expect(parsed[3].slaStatus[0]).toBe("逾期");
  expect(parsed[3].slaStatus[1]).not.toBe("逾期");
  for (let i = 1; i < ZONES.length; i++) expect([ZONES[i], outputs[i]]).toEqual([ZONES[i], outputs[0]]);
}, 240000);
