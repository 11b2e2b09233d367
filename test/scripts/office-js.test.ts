/**
 * Where the pages load office.js from (issue 24): Microsoft's CDN in the
 * production build's <head>, the packaged copy in development, for the
 * workbench and tests, and in a production build asked for with OFFICE_JS=bundled.
 * Read from the webpack configuration itself, not a copy of its rules.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");
type Plugin = {
  constructor: { name: string };
  userOptions?: { filename?: string; template?: string; templateParameters?: { officeJs?: string } };
  patterns?: { to?: unknown }[];
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require(join(ROOT, "webpack.config.js")) as ((env: object, argv: { mode: string }) => Promise<{ plugins: Plugin[] }>) & {
  OFFICE_JS_CDN: string;
  officeJsSource(dev: boolean, env: Record<string, string>): { bundled: boolean; src: string };
};

async function build(mode: string, officeJs?: string) {
  const saved = process.env.OFFICE_JS;
  if (officeJs === undefined) delete process.env.OFFICE_JS;
  else process.env.OFFICE_JS = officeJs;
  try {
    const c = await config({}, { mode });
    const pages = c.plugins.filter((p) => p.constructor.name === "HtmlWebpackPlugin" && p.userOptions?.templateParameters);
    const copied = c.plugins
      .filter((p) => p.constructor.name === "CopyPlugin")
      .flatMap((p) => p.patterns ?? [])
      .filter((x) => String(x.to).startsWith("office-js/"));
    return { pages, copied };
  } finally {
    if (saved === undefined) delete process.env.OFFICE_JS;
    else process.env.OFFICE_JS = saved;
  }
}

test("the CDN address is the one Microsoft documents", () => {
  expect(config.OFFICE_JS_CDN).toBe("https://appsforoffice.microsoft.com/lib/1/hosted/office.js");
});

test("production pages load office.js from the CDN and ship no copy of it", async () => {
  const { pages, copied } = await build("production");
  expect(pages.map((p) => p.userOptions!.filename).sort()).toEqual(["commands.html", "functions.html", "taskpane.html"]);
  for (const p of pages) expect(p.userOptions!.templateParameters!.officeJs).toBe(config.OFFICE_JS_CDN);
  expect(copied).toEqual([]);
});

test("development builds (the workbench, tests) and OFFICE_JS=bundled use the packaged copy", async () => {
  for (const [mode, flag] of [
    ["development", undefined],
    ["production", "bundled"],
  ] as const) {
    const { pages, copied } = await build(mode, flag);
    for (const p of pages) expect(p.userOptions!.templateParameters!.officeJs).toBe("office-js/office.js");
    expect(copied.length).toBeGreaterThan(0);
  }
});

test("an unknown OFFICE_JS fails the build instead of being guessed", () => {
  expect(() => config.officeJsSource(false, { OFFICE_JS: "local" })).toThrow(/OFFICE_JS must be "bundled" or "cdn"/);
  expect(config.officeJsSource(true, { OFFICE_JS: "cdn" })).toEqual({ bundled: false, src: config.OFFICE_JS_CDN });
});

test.each(["src/taskpane/taskpane.html", "src/functions/functions.html", "src/commands/commands.html"])("%s puts the office.js script in <head>", (file) => {
  const html = readFileSync(join(ROOT, file), "utf8");
  const head = html.slice(html.indexOf("<head>"), html.indexOf("</head>"));
  expect(head).toContain('<script src="<%= officeJs %>"></script>');
  expect(html.split("officeJs").length - 1).toBe(head.split("officeJs").length - 1);
});
