#!/usr/bin/env node
/*
 * Offline manifest check (`npm run validate`).
 *
 * `office-addin-manifest validate` posts the XML to an online service that no
 * machine here reaches, so this script checks what breaks sideloading most
 * often, with no network:
 *   - well-formed XML, TaskPaneApp root, GUID Id, Version format
 *   - required base elements, Workbook host, ReadWriteDocument,
 *     the requirement sets the code needs (REQUIRED_SETS)
 *   - element order: children in the sequence the schemas (XSD) demand,
 *     https://learn.microsoft.com/office/dev/add-ins/develop/manifest-element-ordering
 *     (an element out of order makes the whole manifest invalid)
 *   - every URL https; zh-CN overrides on DisplayName, Description and every string
 *   - every resid in VersionOverrides defined, in the right resource kind
 *   - shared runtime wiring: Runtime, custom-functions Page, FunctionFile and
 *     the task pane button all use the same URL resource
 *   - custom-functions namespace: uppercase, at most 12 characters
 *   - icons exist in assets/ and have the size the manifest says
 * When dist/manifest.xml exists (after a build) it is checked too: its URLs
 * must all be under the deployment URL ($ADDIN_URL, as in the build) — or
 * localhost for a development build — and each must name a file in dist/.
 *
 * Usage: node scripts/validate-manifest.js [manifest.xml ...]
 * Exit 0 with a summary; exit 1 with the problems in 中文 and English.
 */
"use strict";

const fs = require("fs");
const path = require("path");
const { XMLParser, XMLValidator } = require("fast-xml-parser");
const { DEV_URL, prodUrl } = require("./addin-url");

const ROOT = path.resolve(__dirname, "..");
const NS_APP = "http://schemas.microsoft.com/office/appforoffice/1.1";
const NS_OVERRIDES = "http://schemas.microsoft.com/office/taskpaneappversionoverrides";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VERSION = /^\d{1,5}(\.\d{1,5}){0,3}$/;
const ZH = "zh-CN";
// Office's limits for resource strings.
const MAX_SHORT = 125;
const MAX_LONG = 250;

/**
 * The requirement sets the add-in cannot run without, and why (the lowest
 * version the APIs used need). Optional ones (ExcelApiOnline 1.1 sheet views,
 * ExcelApi 1.13 merged areas, ExcelApi 1.20 undo grouping) are checked with isSetSupported at run time.
 */
const REQUIRED_SETS = {
  // Table.autoFilter, change-event details (valueBefore/valueAfter): 1.9; enableEvents, dataValidation: 1.8;
  // onChanged, getActiveCell, freezePanes, Worksheet.copy: 1.7.
  ExcelApi: "1.9",
  // CustomFunctions.Error with an ErrorCode and a message is 1.2; 1.3 adds only XLL streaming and new error codes,
  // which we do not use (https://learn.microsoft.com/javascript/api/requirement-sets/excel/custom-functions-requirement-sets).
  CustomFunctionsRuntime: "1.2",
  // One runtime for the pane, the functions, the commands; Office.addin.setStartupBehavior.
  SharedRuntime: "1.1",
};

/** "1.9" < "1.14": versions compare part by part, as numbers. */
function versionAtLeast(have, need) {
  const a = String(have).split(".").map(Number);
  const b = String(need).split(".").map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
  }
  return true;
}

/**
 * Child order the schemas require, per parent (TaskPaneApp, VersionOverrides
 * V1_0), from https://learn.microsoft.com/office/dev/add-ins/develop/manifest-element-ordering
 * and the taskpane XSDs. Only the elements this add-in can use are listed; an
 * element not listed under a listed parent is reported as unknown there.
 */
const ORDER = {
  OfficeApp: [
    "Id",
    "AlternateId",
    "Version",
    "ProviderName",
    "DefaultLocale",
    "DisplayName",
    "Description",
    "IconUrl",
    "HighResolutionIconUrl",
    "SupportUrl",
    "AppDomains",
    "Hosts",
    "Requirements",
    "DefaultSettings",
    "Permissions",
    "Dictionary",
    "VersionOverrides",
    "ExtendedOverrides",
  ],
  Requirements: ["Sets", "Methods"],
  DefaultSettings: ["SourceLocation", "RequestedWidth", "RequestedHeight"],
  VersionOverrides: ["Description", "Requirements", "Hosts", "Resources", "WebApplicationInfo", "EquivalentAddins"],
  DesktopFormFactor: ["GetStarted", "FunctionFile", "ExtensionPoint"],
  Resources: ["Images", "Urls", "ShortStrings", "LongStrings"],
};
// A Host under VersionOverrides (the base manifest's Host has no children).
const HOST_ORDER = ["Runtimes", "AllFormFactors", "DesktopFormFactor"];

/** Problems of element order in `xml` (parsed keeping document order). */
function orderProblems(xml) {
  const out = [];
  const tree = new XMLParser({ ignoreAttributes: true, preserveOrder: true }).parse(xml);
  const nameOf = (n) => Object.keys(n).find((k) => k !== ":@" && k !== "#text" && k !== "?xml");
  const walk = (nodes, parent) => {
    const order = parent === "Host" ? HOST_ORDER : ORDER[parent];
    let last = -1;
    let lastName = "";
    for (const n of nodes) {
      const raw = nameOf(n);
      if (!raw) continue;
      const name = raw.replace(/^[^:]+:/, "");
      if (order) {
        const at = order.indexOf(name);
        if (at < 0) {
          out.push({ zh: `<${parent}> 下不应有 <${name}>`, en: `<${name}> is not a valid child of <${parent}>` });
        } else if (at < last) {
          out.push({
            zh: `<${parent}> 中的 <${name}> 必须在 <${lastName}> 之前(元素顺序见 manifest-element-ordering)`,
            en: `In <${parent}>, <${name}> must come before <${lastName}> (see manifest-element-ordering)`,
          });
        } else {
          last = at;
          lastName = name;
        }
      }
      walk(n[raw], name);
    }
  };
  walk(tree, "");
  return out;
}

// Office's sizes for the base manifest icons.
const ICON_SIZE = { IconUrl: 32, HighResolutionIconUrl: 64 };

// Which resource collection an element's resid must point into.
const RESID_KIND = {
  Image: "Images",
  SourceLocation: "Urls",
  FunctionFile: "Urls",
  Runtime: "Urls",
  LearnMoreUrl: "Urls",
  Label: "ShortStrings",
  Title: "ShortStrings",
  Namespace: "ShortStrings",
  Description: "LongStrings",
};

// ---------------------------------------------------------------- XML helpers

/** Drops "bt:" / "xsi:" prefixes from names but keeps xmlns declarations. */
function localNames(node) {
  if (Array.isArray(node)) return node.map(localNames);
  if (!node || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    let name = key;
    if (key.startsWith("@_")) {
      if (!key.startsWith("@_xmlns")) name = "@_" + key.slice(2).replace(/^[^:]+:/, "");
    } else if (key !== "#text") {
      name = key.replace(/^[^:]+:/, "");
    }
    out[name] = localNames(value);
  }
  return out;
}

function parse(xml) {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    // Every element as an array, so walking the tree needs no special cases.
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  });
  return localNames(parser.parse(xml));
}

const kids = (node, name) => (node && typeof node === "object" && node[name]) || [];
const first = (node, ...names) => names.reduce((n, name) => kids(n, name)[0], node);
const attr = (node, name) => (node && typeof node === "object" ? node["@_" + name] : undefined);
const text = (node) => (typeof node === "string" ? node : node && typeof node === "object" ? node["#text"] || "" : "");

/** Every element named `name` below `node`, with its parent's name. */
function findAll(node, name, parentName = "", acc = []) {
  if (!node || typeof node !== "object") return acc;
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("@_") || key === "#text") continue;
    for (const child of value) {
      if (key === name) acc.push({ node: child, parent: parentName });
      findAll(child, name, key, acc);
    }
  }
  return acc;
}

/** Every (element, attribute or text) value in the document that looks like a URL. */
function allUrls(node, where = "", acc = []) {
  if (typeof node === "string") {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(node)) acc.push({ url: node, where });
    return acc;
  }
  if (!node || typeof node !== "object") return acc;
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("@_xmlns")) continue; // namespace names are not fetched
    // The SSO app's identifier URI (api://host/client-id) names the registration, not a page: never fetched.
    if (key === "WebApplicationInfo") continue;
    if (key.startsWith("@_") || key === "#text") {
      allUrls(value, where, acc);
    } else {
      for (const child of value) allUrls(child, key, acc);
    }
  }
  return acc;
}

/** Width and height of a PNG file, or null when it is not a PNG. */
function pngSize(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 24 || buf.toString("latin1", 1, 4) !== "PNG") return null;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

// ------------------------------------------------------------------- checks

/**
 * Checks one manifest. `site` says where its URLs must point and where the
 * files they name live: {base, dir, label}.
 */
function checkManifest(file, site) {
  const problems = [];
  const problem = (zh, en) => problems.push({ zh, en });
  const info = { file: path.relative(ROOT, file) || file, site: site.label };

  const xml = fs.readFileSync(file, "utf8");
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    const { msg, line, col } = wellFormed.err;
    problem(`XML 格式错误（第 ${line} 行第 ${col} 列）：${msg}`, `Malformed XML (line ${line}, column ${col}): ${msg}`);
    return { problems, info };
  }
  const app = first(parse(xml), "OfficeApp");
  if (!app) {
    problem("根元素必须是 OfficeApp", "Root element must be OfficeApp");
    return { problems, info };
  }
  if (attr(app, "type") !== "TaskPaneApp") problem("OfficeApp 的 xsi:type 必须是 TaskPaneApp", 'OfficeApp xsi:type must be "TaskPaneApp"');
  if (attr(app, "xmlns") !== NS_APP) problem(`OfficeApp 的命名空间必须是 ${NS_APP}`, `OfficeApp namespace must be ${NS_APP}`);

  // Base manifest.
  const id = text(first(app, "Id")).trim();
  if (!GUID.test(id)) problem(`Id 不是 GUID："${id}"`, `Id is not a GUID: "${id}"`);
  const version = text(first(app, "Version")).trim();
  if (!VERSION.test(version)) problem(`Version 格式应为 n.n.n.n："${version}"`, `Version must look like n.n.n.n: "${version}"`);
  info.version = version;
  if (!text(first(app, "ProviderName")).trim()) problem("缺少 ProviderName", "ProviderName is missing");
  if (!text(first(app, "DefaultLocale")).trim()) problem("缺少 DefaultLocale", "DefaultLocale is missing");

  for (const name of ["DisplayName", "Description"]) {
    const el = first(app, name);
    if (!attr(el, "DefaultValue")) {
      problem(`缺少 ${name}（DefaultValue）`, `${name} (DefaultValue) is missing`);
      continue;
    }
    const zh = kids(el, "Override").find((o) => attr(o, "Locale") === ZH);
    if (!zh || !attr(zh, "Value")) problem(`${name} 缺少 ${ZH} 翻译（Override）`, `${name} has no ${ZH} Override`);
  }
  info.displayName = attr(first(app, "DisplayName"), "DefaultValue");

  for (const name of ["IconUrl", "HighResolutionIconUrl", "SupportUrl"]) {
    if (!attr(first(app, name), "DefaultValue")) problem(`缺少 ${name}`, `${name} is missing`);
  }
  if (!attr(first(app, "DefaultSettings", "SourceLocation"), "DefaultValue")) {
    problem("缺少 DefaultSettings/SourceLocation", "DefaultSettings/SourceLocation is missing");
  }

  const hosts = kids(first(app, "Hosts"), "Host").map((h) => attr(h, "Name"));
  if (!hosts.includes("Workbook")) problem('Hosts 中缺少 Host Name="Workbook"', 'Hosts has no Host Name="Workbook"');

  const permissions = text(first(app, "Permissions")).trim();
  if (permissions !== "ReadWriteDocument") {
    problem(`Permissions 应为 ReadWriteDocument，实为 "${permissions}"`, `Permissions must be ReadWriteDocument, found "${permissions}"`);
  }

  const sets = kids(first(app, "Requirements", "Sets"), "Set");
  for (const [needed, least] of Object.entries(REQUIRED_SETS)) {
    const set = sets.find((s) => attr(s, "Name") === needed);
    const min = set && (attr(set, "MinVersion") || attr(first(app, "Requirements", "Sets"), "DefaultMinVersion"));
    if (!set) problem(`Requirements 缺少 ${needed} ${least}`, `Requirements lacks ${needed} ${least}`);
    else if (!versionAtLeast(min, least)) problem(`${needed} 的 MinVersion 应至少为 ${least}`, `${needed} MinVersion must be at least ${least}`);
  }
  for (const p of orderProblems(xml)) problem(p.zh, p.en);

  // VersionOverrides and its resources.
  const vo = first(app, "VersionOverrides");
  if (!vo) {
    problem("缺少 VersionOverrides", "VersionOverrides is missing");
  } else {
    checkOverrides(vo, problem, info);
  }

  // URLs: https, under the expected origin, naming files we have.
  const urls = allUrls(app);
  info.urls = urls.length;
  for (const { url, where } of urls) {
    if (!url.startsWith("https://")) {
      problem(`${where} 的地址必须使用 https：${url}`, `${where} URL must be https: ${url}`);
      continue;
    }
    if (!url.startsWith(site.base)) {
      problem(`${where} 的地址不在 ${site.base} 下：${url}`, `${where} URL is not under ${site.base}: ${url}`);
      continue;
    }
    const rel = decodeURIComponent(url.slice(site.base.length).replace(/[?#].*$/, ""));
    if (site.dir) {
      const local = path.join(site.dir, rel);
      if (!rel || !fs.existsSync(local) || !fs.statSync(local).isFile()) {
        problem(
          `${where} 指向的文件不存在：${path.relative(ROOT, local) || rel}`,
          `${where} names a file that does not exist: ${path.relative(ROOT, local) || rel}`,
        );
      }
    }
    if (/\.(png|jpe?g|gif|ico)$/i.test(rel)) {
      const declared = where === "Image" ? info.imageSizes && info.imageSizes.get(url) : ICON_SIZE[where];
      checkIcon(rel, where, declared, problem);
    }
  }

  return { problems, info };
}

function checkOverrides(vo, problem, info) {
  if (attr(vo, "xmlns") !== NS_OVERRIDES || attr(vo, "type") !== "VersionOverridesV1_0") {
    problem(
      `VersionOverrides 应为 ${NS_OVERRIDES} / VersionOverridesV1_0（任务窗格加载项只支持 1.0）`,
      `VersionOverrides must be ${NS_OVERRIDES} / VersionOverridesV1_0 (task pane add-ins support 1.0 only)`,
    );
  }

  // Resources: id → {kind, value, zh}.
  const resources = new Map();
  const res = first(vo, "Resources");
  for (const kind of ["Images", "Urls", "ShortStrings", "LongStrings"]) {
    for (const item of [...kids(first(res, kind), "Image"), ...kids(first(res, kind), "Url"), ...kids(first(res, kind), "String")]) {
      const id = attr(item, "id");
      if (!id) {
        problem(`${kind} 中有资源缺少 id`, `A resource in ${kind} has no id`);
        continue;
      }
      if (resources.has(id)) problem(`资源 id 重复：${id}`, `Duplicate resource id: ${id}`);
      const zh = kids(item, "Override").find((o) => attr(o, "Locale") === ZH);
      resources.set(id, { kind, value: attr(item, "DefaultValue") || "", zh: zh && attr(zh, "Value") });
      if (!attr(item, "DefaultValue")) problem(`资源 ${id} 缺少 DefaultValue`, `Resource ${id} has no DefaultValue`);
      if (kind === "ShortStrings" || kind === "LongStrings") {
        if (!zh || !attr(zh, "Value")) problem(`字符串 ${id} 缺少 ${ZH} 翻译（Override）`, `String ${id} has no ${ZH} Override`);
        const max = kind === "ShortStrings" ? MAX_SHORT : MAX_LONG;
        for (const v of [attr(item, "DefaultValue"), zh && attr(zh, "Value")]) {
          if (v && [...v].length > max) problem(`字符串 ${id} 超过 ${max} 个字符`, `String ${id} is longer than ${max} characters`);
        }
      }
    }
  }
  info.resources = resources.size;

  // Every resid is defined, and in the collection its element reads from.
  const host = kids(first(vo, "Hosts"), "Host").find((h) => attr(h, "type") === "Workbook");
  if (!host) problem('VersionOverrides 中缺少 Host xsi:type="Workbook"', 'VersionOverrides has no Host xsi:type="Workbook"');
  const hostsNode = first(vo, "Hosts");
  let residCount = 0;
  for (const [element, kind] of Object.entries(RESID_KIND)) {
    for (const { node, parent } of findAll(hostsNode, element)) {
      const resid = attr(node, "resid");
      if (resid === undefined) continue;
      residCount++;
      const found = resources.get(resid);
      if (!found) problem(`${parent}/${element} 引用了未定义的资源 ${resid}`, `${parent}/${element} references undefined resource ${resid}`);
      else if (found.kind !== kind)
        problem(
          `${parent}/${element} 的资源 ${resid} 应在 ${kind} 中（实在 ${found.kind}）`,
          `${parent}/${element} resource ${resid} must be in ${kind} (found in ${found.kind})`,
        );
    }
  }
  info.resids = residCount;
  if (!host) return;

  // Shared runtime: one page for the runtime, the functions and the commands.
  const runtime = first(host, "Runtimes", "Runtime");
  const runtimeId = attr(runtime, "resid");
  if (!runtimeId) {
    problem("缺少 Runtimes/Runtime（共享运行时）", "Runtimes/Runtime (shared runtime) is missing");
  } else if (attr(runtime, "lifetime") !== "long") {
    problem('共享运行时的 lifetime 应为 "long"', 'Shared runtime lifetime must be "long"');
  }
  const cf = findAll(host, "ExtensionPoint")
    .map((e) => e.node)
    .find((e) => attr(e, "type") === "CustomFunctions");
  if (!cf) {
    problem("缺少自定义函数扩展点（ExtensionPoint CustomFunctions）", "Custom functions ExtensionPoint is missing");
  } else {
    for (const part of ["Script", "Page", "Metadata"]) {
      if (!attr(first(cf, part, "SourceLocation"), "resid"))
        problem(`自定义函数缺少 ${part}/SourceLocation`, `Custom functions ${part}/SourceLocation is missing`);
    }
    const pageId = attr(first(cf, "Page", "SourceLocation"), "resid");
    if (runtimeId && pageId && pageId !== runtimeId) {
      problem(
        `自定义函数的 Page（${pageId}）必须与共享运行时（${runtimeId}）相同`,
        `Custom functions Page (${pageId}) must be the shared runtime page (${runtimeId})`,
      );
    }
    const nsId = attr(first(cf, "Namespace"), "resid");
    const ns = resources.get(nsId);
    if (!ns) {
      problem("自定义函数缺少 Namespace", "Custom functions Namespace is missing");
    } else {
      info.namespace = ns.value;
      for (const value of [ns.value, ns.zh].filter(Boolean)) {
        if (!/^[A-Z][A-Z0-9]*$/.test(value) || value.length > 12) {
          problem(
            `函数命名空间 "${value}" 须为不超过 12 个字符的大写字母或数字`,
            `Functions namespace "${value}" must be uppercase letters/digits, at most 12 characters`,
          );
        }
      }
    }
  }
  const functionFile = attr(first(host, "DesktopFormFactor", "FunctionFile"), "resid");
  if (runtimeId && functionFile && functionFile !== runtimeId) {
    problem(
      `FunctionFile（${functionFile}）必须与共享运行时（${runtimeId}）相同`,
      `FunctionFile (${functionFile}) must be the shared runtime page (${runtimeId})`,
    );
  }
  for (const { node } of findAll(host, "Action")) {
    const target = attr(first(node, "SourceLocation"), "resid");
    if (attr(node, "type") === "ShowTaskpane" && runtimeId && target !== runtimeId) {
      problem(
        `任务窗格按钮（${target}）必须打开共享运行时页面（${runtimeId}）`,
        `Task pane button (${target}) must open the shared runtime page (${runtimeId})`,
      );
    }
  }
  const homeButton = findAll(host, "OfficeTab").some(({ node }) => attr(node, "id") === "TabHome" && findAll(node, "Control").length > 0);
  if (!homeButton) problem("“开始”选项卡（TabHome）上没有按钮", "No button on the Home tab (TabHome)");

  // Declared image sizes, so checkIcon can compare them with the files.
  info.imageSizes = new Map();
  for (const { node } of findAll(hostsNode, "Image")) {
    const r = resources.get(attr(node, "resid"));
    if (r) info.imageSizes.set(r.value, Number(attr(node, "size")));
  }
}

/**
 * Icons are served from assets/; they must exist in the repo and be square
 * PNGs of the size the manifest declares (or that their name says).
 */
function checkIcon(rel, where, declaredSize, problem) {
  const source = path.join(ROOT, rel);
  if (!rel.startsWith("assets/") || !fs.existsSync(source)) {
    problem(`${where} 引用的图标不在 assets/ 中：${rel}`, `${where} icon is not in assets/: ${rel}`);
    return;
  }
  const size = pngSize(source);
  if (!size) {
    problem(`图标不是 PNG：${rel}`, `Icon is not a PNG: ${rel}`);
    return;
  }
  const named = /icon-(\d+)\.png$/.exec(rel);
  const expected = declaredSize || (named ? Number(named[1]) : size.width);
  if (size.width !== size.height || size.width !== expected) {
    problem(
      `图标 ${rel} 尺寸为 ${size.width}×${size.height}，应为 ${expected}×${expected}`,
      `Icon ${rel} is ${size.width}×${size.height}, expected ${expected}×${expected}`,
    );
  }
}

/** Checks the built functions.json next to a built manifest. */
function checkFunctionsJson(dir) {
  const file = path.join(dir, "functions.json");
  if (!fs.existsSync(file)) return { problems: [{ zh: "dist/functions.json 不存在", en: "dist/functions.json does not exist" }], count: 0 };
  try {
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    const fns = Array.isArray(json.functions) ? json.functions : [];
    const problems = [];
    if (fns.length === 0) problems.push({ zh: "dist/functions.json 中没有函数", en: "dist/functions.json lists no functions" });
    for (const f of fns) {
      if (!/^[A-Z0-9_.]+$/.test(f.id || "")) problems.push({ zh: `函数 id 无效：${f.id}`, en: `Invalid function id: ${f.id}` });
    }
    return { problems, count: fns.length, names: fns.map((f) => f.name) };
  } catch (err) {
    return { problems: [{ zh: `dist/functions.json 无法解析：${err.message}`, en: `dist/functions.json does not parse: ${err.message}` }], count: 0 };
  }
}

// --------------------------------------------------------------------- main

function main(argv) {
  const targets = [];
  if (argv.length > 0) {
    for (const f of argv) targets.push({ file: path.resolve(f), site: { base: DEV_URL, dir: null, label: "development" } });
  } else {
    targets.push({ file: path.join(ROOT, "manifest.xml"), site: { base: DEV_URL, dir: null, label: "development" } });
    const built = path.join(ROOT, "dist", "manifest.xml");
    if (fs.existsSync(built)) {
      // A dev build keeps localhost; a production build must use $ADDIN_URL.
      const isDev = fs.readFileSync(built, "utf8").includes(DEV_URL);
      let base;
      try {
        base = isDev ? DEV_URL : prodUrl();
      } catch (err) {
        console.error(`✗ ${err.message}`);
        return 1;
      }
      targets.push({ file: built, site: { base, dir: path.dirname(built), label: isDev ? "development build" : "production build" }, built: true });
    }
  }

  let failed = 0;
  for (const t of targets) {
    const rel = path.relative(ROOT, t.file) || t.file;
    if (!fs.existsSync(t.file)) {
      console.error(`✗ ${rel}: 文件不存在 / file not found`);
      failed++;
      continue;
    }
    const { problems, info } = checkManifest(t.file, t.site);
    let fnInfo = null;
    if (t.built) {
      fnInfo = checkFunctionsJson(t.site.dir);
      problems.push(...fnInfo.problems);
    }
    if (problems.length) {
      failed++;
      console.error(`✗ ${rel} (${t.site.label}) — ${problems.length} 个问题 / problem(s):`);
      for (const p of problems) console.error(`  - ${p.zh}\n    ${p.en}`);
    } else {
      const fns = fnInfo ? `, ${fnInfo.count} custom functions in functions.json` : "";
      console.log(
        `✓ ${rel} (${t.site.label}): "${info.displayName}" v${info.version}, namespace ${info.namespace}, ` +
          `${info.resources} resources, ${info.resids} resid references, ${info.urls} URLs under ${t.site.base}${fns}`,
      );
    }
  }
  if (failed) {
    console.error(`\n清单校验失败 / Manifest validation failed (${failed} of ${targets.length}).`);
    return 1;
  }
  console.log(`清单校验通过 / Manifest validation passed (${targets.length} file${targets.length > 1 ? "s" : ""}, offline).`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

module.exports = {
  checkManifest,
  main,
  orderProblems,
  versionAtLeast,
  REQUIRED_SETS,
};
