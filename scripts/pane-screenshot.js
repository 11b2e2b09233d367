"use strict";
/**
 * The README's picture of the pane: a production build served on loopback, Debian's chromium at the pane's
 * 320 px, the clock pinned (the sample ledger's own day), "My work" on the bundled sample ledger.
 *   node scripts/pane-screenshot.js [OUT.png]     (default docs/images/pane.png)
 */
const fs = require("fs");
const http = require("http");
const os = require("os");
const path = require("path");
const { build } = require("../bench/webpack-build");

const ROOT = path.resolve(__dirname, "..");
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".png": "image/png" };

async function main() {
  const out = path.resolve(process.argv[2] || path.join(ROOT, "docs/images/pane.png"));
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), "pane-shot-"));
  await build(dist);
  const server = http.createServer((req, res) => {
    const file = path.join(dist, path.normalize(decodeURIComponent(req.url.split("?")[0])).replace(/^([/\\]|\.\.)+/, "") || "taskpane.html");
    if (!file.startsWith(dist) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" }).end(fs.readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { chromium } = require("playwright-core");
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, deviceScaleFactor: 2, locale: "zh-CN" });
    const page = await context.newPage();
    await page.clock.install({ time: new Date("2026-06-30T01:30:00Z") });
    await page.goto(`http://127.0.0.1:${server.address().port}/taskpane.html`);
    await page.getByRole("tab", { name: "我的工作" }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dist, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
