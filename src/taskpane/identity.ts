/**
 * Who is using the pane. Inside Office the signed-in account (SSO token's
 * name and preferred_username) names the user; otherwise, or when the
 * account is not in the People sheet, the user picks themselves from People
 * and the signature says so (Actor.source = "chosen").
 *
 * SSO needs the manifest's <WebApplicationInfo> and an Azure app; without
 * them getAccessToken fails (13xxx errors) and we fall back to choosing.
 */
import type { Actor, Person } from "../ledger/service";

export interface OfficeAccount {
  name?: string;
  account?: string;
}

/** The payload of a JWT as an object (UTF-8, base64url); undefined when it is not one. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const part = token.split(".")[1];
  if (!part) return undefined;
  try {
    const b64 = part
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(part.length / 4) * 4, "=");
    const bin = atob(b64);
    const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The Office account, silently (no sign-in prompt); undefined outside Office or without SSO. */
export async function officeAccount(timeoutMs = 4000): Promise<OfficeAccount | undefined> {
  try {
    if (typeof Office === "undefined" || !Office.auth || typeof Office.auth.getAccessToken !== "function") return undefined;
    const token = await Promise.race([
      Office.auth.getAccessToken({ allowSignInPrompt: false, allowConsentPrompt: false }),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs)),
    ]);
    if (!token) return undefined;
    const c = jwtClaims(token);
    if (!c) return undefined;
    const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
    const acct = { name: str(c.name), account: str(c.preferred_username) ?? str(c.upn) ?? str(c.email) };
    return acct.name || acct.account ? acct : undefined;
  } catch {
    return undefined;
  }
}

/** The People row of an Office account: by account or e-mail first, then by name. */
export function personOf(people: readonly Person[], acct: OfficeAccount): Person | undefined {
  const a = acct.account?.toLowerCase();
  return (
    (a && people.find((p) => p.account?.toLowerCase() === a || p.email?.toLowerCase() === a)) ||
    (acct.name ? people.find((p) => p.name === acct.name) : undefined)
  );
}

/** An actor from the Office account when People knows it. */
export function actorFromOffice(people: readonly Person[], acct: OfficeAccount | undefined): Actor | undefined {
  if (!acct) return undefined;
  const p = personOf(people, acct);
  return p ? { name: p.name, account: acct.account ?? p.account, source: "office" } : undefined;
}

export function actorChosen(p: Person): Actor {
  return { name: p.name, account: p.account, source: "chosen" };
}

const KEY = "complaint-ledger.actor";

/** The name chosen last time on this machine (so a clerk does not pick themselves every time). */
export function rememberedName(): string | undefined {
  try {
    return globalThis.localStorage?.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function rememberName(name: string | undefined): void {
  try {
    if (name) globalThis.localStorage?.setItem(KEY, name);
    else globalThis.localStorage?.removeItem(KEY);
  } catch {
    // Storage may be off (private mode, policy): choosing again is fine.
  }
}
