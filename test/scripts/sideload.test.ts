/**
 * `npm run sideload`, `sideload:web -- URL`, `sideload:stop` (issue 24): the
 * arguments each gives office-addin-debugging, --help, and bad input refused
 * in both languages. Running Excel is out of reach here: --dry-run prints the command.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { commandFor, parseArgs, main } = require("../../scripts/sideload");

const SCRIPT = join(__dirname, "../../scripts/sideload.js");
const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8" });

test("desktop: the https dev server and the manifest registered with desktop Excel", () => {
  expect(commandFor(parseArgs(["desktop"]))).toEqual([
    "start",
    "manifest.xml",
    "desktop",
    "--app",
    "excel",
    "--dev-server",
    "npm run start",
    "--dev-server-port",
    "3000",
    "--no-debug",
  ]);
});

test("web: the workbook's URL passed as the document; stop: the manifest unregistered", () => {
  expect(commandFor(parseArgs(["web", "https://factory.sharepoint.com/:x:/r/ledger.xlsx"]))).toEqual(
    expect.arrayContaining(["start", "manifest.xml", "web", "--document", "https://factory.sharepoint.com/:x:/r/ledger.xlsx"]),
  );
  expect(commandFor(parseArgs(["stop", "--manifest", "manifest.xml"]))).toEqual(["stop", "manifest.xml"]);
});

test("--help prints the three commands; --dry-run prints what would run", () => {
  const help = run("--help");
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/npm run sideload:web -- URL/);
  const dry = run("web", "https://factory.sharepoint.com/ledger.xlsx", "--dry-run");
  expect(dry.status).toBe(0);
  expect(dry.stdout.trim()).toBe(
    'office-addin-debugging start manifest.xml web --document https://factory.sharepoint.com/ledger.xlsx --dev-server "npm run start" --dev-server-port 3000 --no-debug',
  );
});

test.each([
  [[], /请指定 desktop、web 或 stop.*\/ Say desktop, web or stop/],
  [["web"], /web 需要工作簿的网址 \/ web needs the workbook's URL/],
  [["web", "http://intranet/ledger.xlsx"], /必须是 https.*must be https/],
  [["web", "not a url"], /不是网址.*Not a URL/],
  [["stop", "extra"], /多余的参数.*Unexpected arguments: extra/],
  [["desktop", "--bogus"], /未知参数 --bogus \/ Unknown argument --bogus/],
  [["stop", "--manifest", "nope.xml"], /找不到清单 nope.xml \/ Manifest not found: nope.xml/],
])("bad arguments %p: exit 2 with a bilingual message and the usage", (args, message) => {
  const r = run(...(args as string[]));
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/用法 Usage/);
});

test("desktop on Linux is refused with what to do instead", () => {
  expect(() => main(["desktop", "--dry-run"], "linux")).toThrow(/Linux has no desktop Excel: use npm run sideload:web/);
  expect(main(["desktop", "--dry-run"], "darwin")).toBe(0);
});
