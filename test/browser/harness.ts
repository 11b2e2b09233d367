/**
 * What the browser tests share: Debian's chromium through playwright-core
 * (the flags shared/spec/toolchain.md gives), a production build of the pane
 * and a tiny http server for it. One build serves every file: dist/ when it
 * is newer than src/ (CI builds it just before the tests), else
 * CL_PANE_DIST, else a build into the caller's temporary folder.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { createServer, type Server } from "http";
import { extname, join, normalize, resolve } from "path";
import type { Browser } from "playwright-core";
import { describeIf, needsProgram } from "../programs";

export const CHROMIUM = "/usr/bin/chromium";
export const ROOT = resolve(__dirname, "../..");
export const ARTIFACTS = join(ROOT, "build/artifacts");

/** `describe` when chromium is there; else `describe.skip` saying why, and under CI=true a failing test (test/programs.ts). */
export function browserSuite(): jest.Describe {
  return describeIf(needsProgram(`Chromium (${CHROMIUM}) for the browser tests`, existsSync(CHROMIUM), "apt-get install chromium"));
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".xml": "application/xml",
};

const newestUnder = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (t, d) => Math.max(t, d.isDirectory() ? newestUnder(join(dir, d.name)) : statSync(join(dir, d.name)).mtimeMs),
    0,
  );

/** Production build of the whole add-in into `out` (webpack's Node API, same config as `npm run build`). */
async function build(out: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const webpack = require("webpack");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = await require(join(ROOT, "webpack.config.js"))({}, { mode: "production" });
  config.output.path = out;
  config.infrastructureLogging = { level: "error" };
  await new Promise<void>((ok, fail) => {
    webpack(config).run((err: Error | null, stats: { hasErrors(): boolean; toString(o: unknown): string }) => {
      if (err) fail(err);
      else if (stats.hasErrors()) fail(new Error(stats.toString({ all: false, errors: true })));
      else ok();
    });
  });
}

/** A folder holding a current production build of the pane; builds into `temp` only when none is. */
export async function paneDist(temp: string): Promise<string> {
  if (process.env.CL_PANE_DIST) return resolve(process.env.CL_PANE_DIST);
  const dist = join(ROOT, "dist");
  const page = join(dist, "taskpane.html");
  if (existsSync(page) && statSync(page).mtimeMs >= newestUnder(join(ROOT, "src"))) return dist;
  const out = join(temp, "dist");
  await build(out);
  return out;
}

/** Serves `dir` on a free loopback port; `/` is the task pane. */
export function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? "/").split("?")[0])).replace(/^(\.\.[/\\])+/, "");
    const file = join(dir, path === "/" ? "taskpane.html" : path);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      ok({ server, url: `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/` });
    }),
  );
}

/**
 * Headless chromium without the background traffic this closed network refuses. Microsoft's CDN (where a
 * production page loads office.js from, webpack.config.js) is made unreachable on purpose, so the tests prove
 * the pages run as the workbench without it, whatever network the machine has.
 */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--host-resolver-rules=MAP appsforoffice.microsoft.com ~NOTFOUND",
    ],
  });
}

/** The CDN host a production page loads office.js from; unreachable here on purpose (launchChromium). */
export const OFFICE_CDN = "appsforoffice.microsoft.com";

/**
 * A console error of the page's own, not the expected failure to reach Microsoft's CDN: outside Office (the
 * workbench, these tests) the page runs without office.js, and the browser logs the failed load by itself.
 */
export const ownConsoleError = (m: { type(): string; location(): { url: string } }) => m.type() === "error" && !m.location().url.includes(OFFICE_CDN);
