/**
 * Responsibility codes (责任划分, process.md §5): reading the free text of old
 * ledgers into a code, and the free-or-charged rule.
 */
import type { Bilingual } from "./errors";
import { foldText } from "./text";
import { findNamed, type Charge, type Policy, type ResponsibilityDef } from "./policy";

export type RespMatch =
  | { ok: true; code: string; score: number; matched: string[] }
  | ({ ok: false; candidates: string[] } & Bilingual);

const STRONG = 3;
const WEAK = 1;

/**
 * Free text → responsibility code. An exact code, name or synonym wins at
 * once; otherwise keywords (a party or a definite cause, weight 3) and hints
 * (weight 1) are scored and the best code must beat the next one: a tie is
 * reported as ambiguous, never decided by list order.
 *
 * `matchResponsibility("供应商来料不良", policy)` → {ok: true, code: "SUPPLIER", …}
 */
export function matchResponsibility(text: unknown, policy: Policy): RespMatch {
  const raw = text === null || text === undefined ? "" : String(text);
  if (raw.trim() === "") {
    return { ok: false, candidates: [], zh: "责任说明为空", en: "Responsibility text is empty" };
  }
  const exact = findNamed(policy.responsibilities, raw);
  if (exact) return { ok: true, code: exact.code, score: Infinity, matched: [raw] };

  const t = foldText(raw);
  const scores = new Map<ResponsibilityDef, { score: number; matched: string[] }>();
  for (const hit of claimHits(t, policy)) {
    const entry = scores.get(hit.def) ?? { score: 0, matched: [] };
    entry.score += hit.weight;
    entry.matched.push(hit.word);
    scores.set(hit.def, entry);
  }
  const scored = [...scores.entries()].map(([def, x]) => ({ def, ...x })).sort((a, b) => b.score - a.score);
  if (scored.length === 0) {
    return {
      ok: false,
      candidates: [],
      zh: `无法从"${raw}"判断责任类别`,
      en: `Cannot tell the responsibility from "${raw}"`,
    };
  }
  const [best, next] = scored;
  if (next && next.score === best.score) {
    const tied = scored.filter((x) => x.score === best.score).map((x) => x.def);
    return {
      ok: false,
      candidates: tied.map((d) => d.code),
      zh: `"${raw}"的责任不明确:可能是${tied.map((d) => d.zh).join("或")}`,
      en: `"${raw}" is ambiguous: could be ${tied.map((d) => d.code).join(" or ")}`,
    };
  }
  return { ok: true, code: best.def.code, score: best.score, matched: best.matched };
}

interface Hit {
  def: ResponsibilityDef;
  word: string;
  weight: number;
  at: number;
  len: number;
}

/**
 * Every keyword and hint found in the text, longest first, each claiming its
 * characters: a word inside a longer matched word does not count again
 * ("包装设计" is PROCESS, its "设计" is not also DESIGN). English terms match
 * whole words only ("ok" is not in "broken").
 */
function claimHits(text: string, policy: Policy): Hit[] {
  const found: Hit[] = [];
  for (const def of policy.responsibilities) {
    for (const [words, weight] of [[def.keywords, STRONG], [def.hints, WEAK]] as const) {
      for (const w of words) {
        const k = foldText(w);
        if (!k) continue;
        const ascii = /^[\x00-\x7f]+$/.test(k);
        for (let at = text.indexOf(k); at >= 0; at = text.indexOf(k, at + 1)) {
          if (ascii && (/[a-z0-9]/.test(text[at - 1] ?? "") || /[a-z0-9]/.test(text[at + k.length] ?? ""))) continue;
          found.push({ def, word: w, weight, at, len: k.length });
        }
      }
    }
  }
  found.sort((a, b) => b.len - a.len || b.weight - a.weight);
  const taken = new Uint8Array(text.length);
  const kept: Hit[] = [];
  for (const h of found) {
    let free = true;
    for (let i = h.at; i < h.at + h.len && free; i++) free = taken[i] === 0;
    if (!free) continue;
    taken.fill(1, h.at, h.at + h.len);
    kept.push(h);
  }
  return kept;
}

/** The responsibility entry of a code (or any name of it). */
export function responsibilityOf(code: unknown, policy: Policy): ResponsibilityDef | undefined {
  return findNamed(policy.responsibilities, code);
}

/** FREE or CHARGED for a responsibility code, per policy; undefined for an unknown code. */
export function chargeFor(code: unknown, policy: Policy): Charge | undefined {
  return responsibilityOf(code, policy)?.charge;
}

/**
 * Why a free/charged marking does not fit a responsibility, or undefined
 * when it fits. Free needs an internal or supplier cause; charged needs the
 * dealer, the carrier or no fault (process.md §5).
 */
export function chargeConflict(charge: string | undefined, code: string | undefined, policy: Policy): Bilingual | undefined {
  if (!charge || !code) return undefined;
  const def = responsibilityOf(code, policy);
  if (!def || def.charge === charge) return undefined;
  const allowed = policy.responsibilities.filter((r) => r.charge === charge);
  return charge === "FREE"
    ? {
        zh: `责任为"${def.zh}"时不能标记免费(免费仅限:${allowed.map((r) => r.zh).join("、")})`,
        en: `Cannot mark FREE with responsibility ${def.code} (free needs one of: ${allowed.map((r) => r.code).join(", ")})`,
      }
    : {
        zh: `责任为"${def.zh}"时不能标记收费(收费仅限:${allowed.map((r) => r.zh).join("、")})`,
        en: `Cannot mark CHARGED with responsibility ${def.code} (charged needs one of: ${allowed.map((r) => r.code).join(", ")})`,
      };
}
