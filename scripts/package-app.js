#!/usr/bin/env node
/*
 * `npm run package`: the app package for the unified manifest — a zip of
 * manifest.json, its zh-cn localization file and the two icons it names —
 * for Microsoft 365 admin center / Teams upload. manifest.json is written
 * against https://localhost:3000/ like manifest.xml; here its URLs move to
 * ADDIN_URL (scripts/addin-url.js), as the production build does for the XML.
 * With SSO_CLIENT_ID (the app the organisation registered in Microsoft Entra,
 * docs/admin-guide.md) the package gets webApplicationInfo, so Office can
 * sign the user in; without it, identity stays "chosen by hand".
 *
 * A tiny zip writer over Node's zlib (deflate + crc32): four small files need
 * nothing more. The zip is written to a temporary name and renamed, so a
 * failed run leaves no half-written package.
 */
"use strict";

const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const { DEV_URL, prodUrl } = require("./addin-url");
const { ssoSettings } = require("./sso");

const ROOT = path.join(__dirname, "..");
const USAGE = `用法 Usage: npm run package -- [--out FILE] [--dev]
  把 manifest.json、zh-cn.json 和图标打包为应用包 / Zips manifest.json, zh-cn.json and the icons into the app package.
  --out FILE   输出文件 / where to write it (default dist/complaint-ledger-app.zip; an existing file is kept unless --force)
  --force      覆盖已有文件 / overwrite an existing file
  --dev        保留 https://localhost:3000/ 地址 / keep the localhost URLs (sideloading)
  环境变量 Environment: ADDIN_URL (https://…/), SSO_CLIENT_ID (Entra app id, GUID), SSO_RESOURCE (default api://<host>/<id>)`;

class UsageError extends Error {}

function parseArgs(argv) {
  const o = { out: path.join(ROOT, "dist", "complaint-ledger-app.zip"), dev: false, force: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") o.help = true;
    else if (a === "--dev") o.dev = true;
    else if (a === "--force") o.force = true;
    else if (a === "--out") {
      if (!argv[i + 1]) throw new UsageError("--out 需要文件名 / --out needs a file name");
      o.out = path.resolve(argv[++i]);
    } else throw new UsageError(`未知参数 ${a} / Unknown argument ${a}`);
  }
  return o;
}

/** The manifest as packaged: URLs at `base`, and webApplicationInfo when the organisation registered the app. */
function packagedManifest(manifest, base, env = process.env) {
  const text = JSON.stringify(manifest).split(DEV_URL).join(base);
  const m = JSON.parse(text);
  const host = new URL(base).host;
  m.validDomains = [host];
  let sso;
  try {
    sso = ssoSettings(base, env);
  } catch (e) {
    throw new UsageError(e.message);
  }
  // The same registration as manifest.xml's <WebApplicationInfo> (scripts/sso.js).
  if (sso) m.webApplicationInfo = { id: sso.id, resource: sso.resource };
  return m;
}

function crc32(buf) {
  if (zlib.crc32) return zlib.crc32(buf) >>> 0;
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A zip of `files` ({ name, data }), deflated, no extras: what an app package needs. */
function zip(files) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, "utf8");
    const packed = zlib.deflateRawSync(f.data);
    const crc = crc32(f.data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6); // UTF-8 names
    head.writeUInt16LE(8, 8);
    head.writeUInt32LE(0x00210000, 10); // 1980-01-01: the same bytes on every build
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(f.data.length, 22);
    head.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(0x00210000, 12);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(f.data.length, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(head, name, packed);
    central.push(dir, name);
    offset += head.length + name.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function main(argv = process.argv.slice(2), env = process.env) {
  const o = parseArgs(argv);
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  if (fs.existsSync(o.out) && !o.force) throw new UsageError(`${o.out} 已存在,加 --force 覆盖 / ${o.out} exists; add --force to overwrite it`);
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "manifest.json"), "utf8"));
  const packaged = packagedManifest(manifest, o.dev ? DEV_URL : prodUrl(env), env);
  const files = [{ name: "manifest.json", data: Buffer.from(JSON.stringify(packaged, null, 2) + "\n") }];
  for (const l of manifest.localizationInfo?.additionalLanguages ?? []) files.push({ name: l.file, data: fs.readFileSync(path.join(ROOT, l.file)) });
  for (const icon of [manifest.icons.color, manifest.icons.outline]) files.push({ name: icon, data: fs.readFileSync(path.join(ROOT, icon)) });
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  const tmp = `${o.out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, zip(files));
  fs.renameSync(tmp, o.out);
  console.log(`已写入 Wrote ${path.relative(process.cwd(), o.out)} (${files.map((f) => f.name).join(", ")})`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (e) {
    console.error(e instanceof UsageError ? `${e.message}\n\n${USAGE}` : String(e.message || e));
    process.exitCode = e instanceof UsageError ? 2 : 1;
  }
}

module.exports = { main, parseArgs, packagedManifest, zip, USAGE };
