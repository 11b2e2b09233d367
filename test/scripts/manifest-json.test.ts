/**
 * The unified manifest (manifest.json) and its app package (issue 24):
 * validated offline against the documented rules (no schema is fetched), kept
 * in step with manifest.xml (same URLs, same actions, same requirement sets,
 * another id), and `npm run package` writing a zip that holds what it names.
 * Rules: https://learn.microsoft.com/microsoft-365/extensibility/schema/root (name, description, icons, id),
 * https://learn.microsoft.com/microsoft-365/extensibility/schema/extension-runtimes-array (runtimes, customFunctions.metadataUrl).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";

const ROOT = join(__dirname, "../..");
const SCRIPT = join(ROOT, "scripts/package-app.js");
const xml = readFileSync(join(ROOT, "manifest.xml"), "utf8");
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")) as Json;
const ext = manifest.extensions[0];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const urlOf = (resid: string) => new RegExp(`<bt:Url id="${resid.replace(/\./g, "\\.")}" DefaultValue="([^"]+)"`).exec(xml)![1];

/** A PNG's width and height, from its IHDR chunk. */
const pngSize = (file: string) => {
  const b = readFileSync(join(ROOT, file));
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
};

/** Entries of a zip, inflated (central directory read by hand: what any unzip does). */
function unzip(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = buf.readUInt32LE(eocd + 16);
  for (let k = 0; k < buf.readUInt16LE(eocd + 10); k++) {
    const n = buf.readUInt16LE(p + 28);
    const name = buf.toString("utf8", p + 46, p + 46 + n);
    const at = buf.readUInt32LE(p + 42);
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    out.set(name, inflateRawSync(buf.subarray(start, start + buf.readUInt32LE(p + 20))));
    p += 46 + n + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
}

describe("manifest.json by the documented rules", () => {
  test("identity and texts: a GUID id, a three-part version, names and descriptions within their lengths", () => {
    expect(manifest.id).toMatch(GUID);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.name.full.length).toBeLessThanOrEqual(100);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/`);
  });

  test("icons: a 192×192 colour icon and a 32×32 outline, both in the package folder", () => {
    expect(pngSize(manifest.icons.color)).toEqual([192, 192]);
    expect(pngSize(manifest.icons.outline)).toEqual([32, 32]);
  });

  test("zh-CN strings exist for the name and the description, within the same lengths", () => {
    const [zh] = manifest.localizationInfo.additionalLanguages;
    expect(zh.languageTag).toBe("zh-cn");
    const strings = JSON.parse(readFileSync(join(ROOT, zh.file), "utf8")) as Json;
    expect(strings["name.short"]).toBe("客诉台账");
    expect(strings["name.short"].length).toBeLessThanOrEqual(30);
    expect(strings["description.short"].length).toBeLessThanOrEqual(80);
    expect(strings["description.full"]).toMatch(/客诉/);
  });

  test("one long-lived shared runtime holds the task pane, every ribbon action and the custom functions", () => {
    expect(ext.runtimes).toHaveLength(1);
    const rt = ext.runtimes[0];
    expect(rt).toMatchObject({ type: "general", lifetime: "long" });
    expect(rt.customFunctions.metadataUrl).toMatch(/functions\.json$/);
    expect(rt.customFunctions.namespace.id).toBe("CL");
    const ids = new Set(rt.actions.map((a: Json) => a.id));
    expect(rt.actions.filter((a: Json) => a.type === "openPage")).toHaveLength(1);
    const controls = ext.ribbons.flatMap((r: Json) => r.tabs.flatMap((t: Json) => t.groups.flatMap((g: Json) => g.controls)));
    const used = controls.flatMap((c: Json) => [c.actionId, ...(c.items ?? []).map((i: Json) => i.actionId)]).filter(Boolean);
    expect(used.length).toBeGreaterThan(0);
    for (const id of used) expect(ids.has(id)).toBe(true);
    for (const a of rt.actions) expect(used).toContain(a.id);
  });
});

describe("manifest.json in step with manifest.xml", () => {
  test("a different id: both can be deployed side by side (toolchain.md)", () => {
    const xmlId = /<Id>([^<]+)<\/Id>/.exec(xml)![1];
    expect(manifest.id.toLowerCase()).not.toBe(xmlId.toLowerCase());
  });

  test("the same URLs: the pane page, the functions script and metadata", () => {
    const rt = ext.runtimes[0];
    expect(rt.code.page).toBe(urlOf("Taskpane.Url"));
    expect(rt.code.script).toBe(urlOf("Functions.Script.Url"));
    expect(rt.customFunctions.metadataUrl).toBe(urlOf("Functions.Metadata.Url"));
    expect(/<SourceLocation DefaultValue="([^"]+)"/.exec(xml)![1]).toBe(rt.code.page);
  });

  test("the same ribbon functions (ExecuteFunction ids) and the same requirement sets", () => {
    const xmlFns = [...xml.matchAll(/<FunctionName>(\w+)<\/FunctionName>/g)].map((m) => m[1]).sort();
    const jsonFns = ext.runtimes[0].actions
      .filter((a: Json) => a.type === "executeFunction")
      .map((a: Json) => a.id)
      .sort();
    expect(jsonFns).toEqual(xmlFns);
    const xmlSets = [...xml.matchAll(/<Set Name="(\w+)" MinVersion="([\d.]+)"\/>/g)].map((m) => `${m[1]} ${m[2]}`).sort();
    const jsonSets = ext.requirements.capabilities.map((c: Json) => `${c.name} ${c.minVersion}`).sort();
    expect(jsonSets).toEqual(xmlSets);
  });
});

describe("npm run package", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cl-pkg-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env } });

  test("writes the app package: manifest at ADDIN_URL, the strings and icons it names; SSO from the build settings", () => {
    const out = join(dir, "app.zip");
    const r = run(["--out", out], { ADDIN_URL: "https://ql.example.cn/addin/", SSO_CLIENT_ID: "11111111-2222-3333-4444-555555555555" });
    expect(r.status).toBe(0);
    const files = unzip(readFileSync(out));
    expect([...files.keys()].sort()).toEqual(["assets/icon-192.png", "assets/icon-32.png", "manifest.json", "zh-cn.json"]);
    const m = JSON.parse(files.get("manifest.json")!.toString("utf8")) as Json;
    expect(JSON.stringify(m)).not.toContain("localhost");
    expect(m.extensions[0].runtimes[0].customFunctions.metadataUrl).toBe("https://ql.example.cn/addin/functions.json");
    expect(m.validDomains).toEqual(["ql.example.cn"]);
    expect(m.webApplicationInfo).toEqual({ id: "11111111-2222-3333-4444-555555555555", resource: "api://ql.example.cn/11111111-2222-3333-4444-555555555555" });
    expect(files.get("assets/icon-192.png")!.equals(readFileSync(join(ROOT, "assets/icon-192.png")))).toBe(true);
  });

  test("without SSO_CLIENT_ID the package asks for no sign-in", () => {
    const out = join(dir, "app.zip");
    expect(run(["--out", out, "--dev"]).status).toBe(0);
    const m = JSON.parse(unzip(readFileSync(out)).get("manifest.json")!.toString("utf8")) as Json;
    expect(m.webApplicationInfo).toBeUndefined();
  });

  test("--help, bad arguments, an existing file and bad settings: told in both languages, nothing half-written", () => {
    const help = run(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/用法 Usage/);
    const bad = run(["--bogus"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/未知参数 --bogus \/ Unknown argument --bogus/);
    const out = join(dir, "app.zip");
    writeFileSync(out, "keep");
    const exists = run(["--out", out, "--dev"]);
    expect(exists.status).toBe(2);
    expect(readFileSync(out, "utf8")).toBe("keep");
    const sso = run(["--out", join(dir, "b.zip"), "--dev"], { SSO_CLIENT_ID: "not-a-guid" });
    expect(sso.status).toBe(2);
    expect(sso.stderr).toMatch(/SSO_CLIENT_ID 必须是 GUID \/ SSO_CLIENT_ID must be a GUID/);
    expect(run(["--out", join(dir, "c.zip")], { ADDIN_URL: "http://insecure.example/" }).status).toBe(1);
    expect(execFileSync("ls", [dir], { encoding: "utf8" }).trim()).toBe("app.zip");
  });
});
