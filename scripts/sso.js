/*
 * Office single sign-on from build settings (issue 24). Office.auth.getAccessToken
 * works only when the manifest names the app the organisation registered in
 * Microsoft Entra (docs/admin-guide.md, "Sign-in"): <WebApplicationInfo> in
 * manifest.xml, webApplicationInfo in manifest.json. Both are written from the
 * same settings: SSO_CLIENT_ID (the app's client id, a GUID) and, optionally,
 * SSO_RESOURCE (default api://<add-in host>/<client id>). Without them the
 * manifests ask for no sign-in and the pane says identities are chosen by hand.
 */
"use strict";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The registration from the environment, or null when there is none; a malformed id fails the build. */
function ssoSettings(base, env = process.env) {
  const id = (env.SSO_CLIENT_ID || "").trim();
  if (!id) return null;
  if (!GUID.test(id)) throw new Error(`SSO_CLIENT_ID 必须是 GUID / SSO_CLIENT_ID must be a GUID, got "${id}"`);
  const resource = (env.SSO_RESOURCE || `api://${new URL(base).host}/${id}`).trim();
  return { id, resource, scopes: ["openid", "profile"] };
}

/**
 * manifest.xml with <WebApplicationInfo> as the outer VersionOverrides' child right after <Resources>, the
 * order [MS-OWEMXML] gives for task pane add-ins (Description, Requirements, Hosts, Resources,
 * WebApplicationInfo, EquivalentAddins).
 */
function withWebApplicationInfo(xml, sso) {
  if (!sso) return xml;
  const at = xml.lastIndexOf("</Resources>");
  if (at < 0) throw new Error("manifest.xml has no <Resources>: cannot place <WebApplicationInfo>");
  const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const block =
    `\n    <WebApplicationInfo>\n      <Id>${esc(sso.id)}</Id>\n      <Resource>${esc(sso.resource)}</Resource>\n      <Scopes>\n` +
    sso.scopes.map((s) => `        <Scope>${esc(s)}</Scope>\n`).join("") +
    `      </Scopes>\n    </WebApplicationInfo>`;
  const end = at + "</Resources>".length;
  return xml.slice(0, end) + block + xml.slice(end);
}

module.exports = { ssoSettings, withWebApplicationInfo };
