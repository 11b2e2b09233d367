/**
 * <WebApplicationInfo> and its unified-manifest twin from build settings
 * (issue 24): written where [MS-OWEMXML] puts it, passing the offline
 * validator, the same registration in both manifests; absent without settings.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ssoSettings, withWebApplicationInfo } = require("../../scripts/sso");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkManifest } = require("../../scripts/validate-manifest");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packagedManifest } = require("../../scripts/package-app");

const ROOT = path.resolve(__dirname, "../..");
const xml = fs.readFileSync(path.join(ROOT, "manifest.xml"), "utf8");
const BASE = "https://ql.example.cn/addin/";
const ID = "11111111-2222-3333-4444-555555555555";

test("no SSO_CLIENT_ID: no registration, the manifest unchanged", () => {
  expect(ssoSettings(BASE, {})).toBeNull();
  expect(withWebApplicationInfo(xml, ssoSettings(BASE, {}))).toBe(xml);
});

test("with SSO_CLIENT_ID: <WebApplicationInfo> right after <Resources>, valid offline, the same as manifest.json's", () => {
  const sso = ssoSettings(BASE, { SSO_CLIENT_ID: ID });
  expect(sso).toEqual({ id: ID, resource: `api://ql.example.cn/${ID}`, scopes: ["openid", "profile"] });
  const out = withWebApplicationInfo(xml, sso) as string;
  expect(out).toMatch(new RegExp(`</Resources>\\s*<WebApplicationInfo>\\s*<Id>${ID}</Id>\\s*<Resource>api://ql.example.cn/${ID}</Resource>`));
  expect(out.indexOf("<WebApplicationInfo>")).toBeGreaterThan(out.lastIndexOf("</Resources>"));
  expect(out.indexOf("</WebApplicationInfo>")).toBeLessThan(out.lastIndexOf("</VersionOverrides>"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sso-"));
  try {
    fs.writeFileSync(path.join(dir, "manifest.xml"), out);
    expect(checkManifest(path.join(dir, "manifest.xml"), { base: "https://localhost:3000/", dir: null, label: "development" }).problems).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const json = JSON.parse(fs.readFileSync(path.join(ROOT, "manifest.json"), "utf8"));
  expect(packagedManifest(json, BASE, { SSO_CLIENT_ID: ID }).webApplicationInfo).toEqual({ id: sso.id, resource: sso.resource });
});

test("a malformed client id fails in both languages; SSO_RESOURCE overrides the default", () => {
  expect(() => ssoSettings(BASE, { SSO_CLIENT_ID: "abc" })).toThrow(/SSO_CLIENT_ID 必须是 GUID \/ SSO_CLIENT_ID must be a GUID/);
  expect(ssoSettings(BASE, { SSO_CLIENT_ID: ID, SSO_RESOURCE: "api://sso.factory.cn/x" }).resource).toBe("api://sso.factory.cn/x");
});
