#!/usr/bin/env node
/*
 * One-command sideloading (issue 24), over Microsoft's office-addin-debugging
 * (a dev dependency, as is office-addin-dev-certs for the https certificate):
 *
 *   npm run sideload                 https dev server + manifest registered with desktop Excel (Windows, Mac)
 *   npm run sideload:web -- URL      the same for Excel on the web, opening the workbook at URL
 *   npm run sideload:stop            unregisters the manifest and stops the dev server
 *
 * Linux has no desktop Excel (office-addin-debugging says "platform not
 * supported" and exits 0), so `desktop` is refused here with what to do
 * instead. `--dry-run` prints the command without running it (tests, and
 * anyone who wants to see what happens).
 */
"use strict";

const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const USAGE = `用法 Usage: node scripts/sideload.js <desktop | web URL | stop> [--manifest FILE] [--dry-run]
  npm run sideload               桌面版 Excel(Windows/Mac)/ desktop Excel (Windows, Mac)
  npm run sideload:web -- URL    网页版 Excel,打开 URL 处的工作簿 / Excel on the web, opening the workbook at URL
  npm run sideload:stop          注销并停止开发服务器 / unregister and stop the dev server
  --manifest FILE   默认 manifest.xml / default manifest.xml
  --dry-run         只显示将执行的命令 / print the command, run nothing`;

class UsageError extends Error {}

function parseArgs(argv) {
  const o = { mode: undefined, url: undefined, manifest: "manifest.xml", dryRun: false, help: false };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") o.help = true;
    else if (a === "--dry-run") o.dryRun = true;
    else if (a === "--manifest") {
      if (!argv[i + 1]) throw new UsageError("--manifest 需要文件名 / --manifest needs a file name");
      o.manifest = argv[++i];
    } else if (a.startsWith("-")) throw new UsageError(`未知参数 ${a} / Unknown argument ${a}`);
    else rest.push(a);
  }
  if (o.help) return o;
  o.mode = rest.shift();
  if (!["desktop", "web", "stop"].includes(o.mode || "")) {
    throw new UsageError(`请指定 desktop、web 或 stop(收到 "${o.mode ?? ""}")/ Say desktop, web or stop (got "${o.mode ?? ""}")`);
  }
  if (o.mode === "web") {
    o.url = rest.shift();
    if (!o.url) throw new UsageError("web 需要工作簿的网址 / web needs the workbook's URL: npm run sideload:web -- https://…");
    let u;
    try {
      u = new URL(o.url);
    } catch {
      throw new UsageError(`不是网址:${o.url} / Not a URL: ${o.url}`);
    }
    if (u.protocol !== "https:") throw new UsageError(`工作簿网址必须是 https:${o.url} / The workbook URL must be https: ${o.url}`);
  }
  if (rest.length) throw new UsageError(`多余的参数:${rest.join(" ")} / Unexpected arguments: ${rest.join(" ")}`);
  return o;
}

/** The office-addin-debugging arguments for `o` (the dev server is started by it, with https). */
function commandFor(o) {
  const devServer = ["--dev-server", "npm run start", "--dev-server-port", "3000"];
  if (o.mode === "stop") return ["stop", o.manifest];
  if (o.mode === "web") return ["start", o.manifest, "web", "--document", o.url, ...devServer, "--no-debug"];
  return ["start", o.manifest, "desktop", "--app", "excel", ...devServer, "--no-debug"];
}

function main(argv = process.argv.slice(2), platform = process.platform) {
  const o = parseArgs(argv);
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  if (!fs.existsSync(path.resolve(ROOT, o.manifest))) throw new UsageError(`找不到清单 ${o.manifest} / Manifest not found: ${o.manifest}`);
  if (o.mode === "desktop" && platform === "linux") {
    throw new UsageError(
      "Linux 没有桌面版 Excel:请用 npm run sideload:web -- <工作簿网址> / Linux has no desktop Excel: use npm run sideload:web -- <workbook URL>",
    );
  }
  const args = commandFor(o);
  const bin = path.join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "office-addin-debugging.cmd" : "office-addin-debugging");
  if (o.dryRun) {
    console.log(["office-addin-debugging", ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" "));
    return 0;
  }
  if (!fs.existsSync(bin)) throw new Error("未安装 office-addin-debugging,请先运行 npm ci / office-addin-debugging is not installed: run npm ci first");
  // Excel needs https: the dev server reads HTTPS=1 (webpack.config.js) and office-addin-dev-certs' certificate.
  const r = spawnSync(bin, args, { stdio: "inherit", cwd: ROOT, env: { ...process.env, HTTPS: "1" } });
  return r.status ?? 1;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (e) {
    console.error(e instanceof UsageError ? `${e.message}\n\n${USAGE}` : String(e.message || e));
    process.exitCode = e instanceof UsageError ? 2 : 1;
  }
}

module.exports = { main, parseArgs, commandFor, USAGE };
