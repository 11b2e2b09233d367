/**
 * Responsibility codes (责任划分, process.md §5): reading the free text of old
 * ledgers into a code, and the free-or-charged rule.
 */
import { quote } from "./text";
import type { Bilingual } from "./errors";
import { findNamed, type Charge, type Policy, type ResponsibilityDef } from "./policy/policy";
import { buildWordIndex, foldClauses, scanWords, type WordIndex } from "./wordmatch";

export type RespMatch = { ok: true; code: string; score: number; matched: string[] } | ({ ok: false; candidates: string[]; why: RespAmbiguity } & Bilingual);

/** Why free text gave no code: nothing said, nothing known, a negation, two causes, or a tie. */
export type RespAmbiguity = "EMPTY" | "UNKNOWN" | "NEGATED" | "CONFLICT" | "TIE";

const STRONG = 3;
const WEAK = 1;

/**
 * Free text → responsibility code. An exact code, name or synonym wins at
 * once; otherwise keywords (a party or a definite cause, weight 3) and hints
 * (weight 1) are scored (domain/wordmatch.ts). The text is ambiguous, never
 * decided by list order, when
 * - a cause word is negated (不是客户原因, 非供应商来料不良, 与物流无关): it says what the cause is not;
 * - keywords of two codes appear (客户使用不当,供应商来料不良): two causes named;
 * - the best scores tie.
 *
 * `matchResponsibility("供应商来料不良", policy)` → {ok: true, code: "SUPPLIER", …}
 * `matchResponsibility("不是客户原因", policy)` → {ok: false, why: "NEGATED", candidates: ["DEALER"], …}
 */
export function matchResponsibility(text: unknown, policy: Policy): RespMatch {
  const raw = text === null || text === undefined ? "" : String(text);
  if (!/\S/.test(raw)) {
    return { ok: false, why: "EMPTY", candidates: [], zh: "责任说明为空", en: "Responsibility text is empty" };
  }
  const { index, exact, maxExact } = indexFor(policy);
  const folded = foldClauses(raw);
  // An exact code, name or synonym, compared as findNamed does (no spaces or punctuation).
  const named =
    folded.length <= maxExact || compactLength(folded) <= maxExact
      ? exact.get(folded.indexOf(" ") < 0 && folded.indexOf("|") < 0 ? folded : folded.replace(/[ |]/g, ""))
      : undefined;
  if (named) return { ok: true, code: named.code, score: Infinity, matched: [raw] };

  const hits = scanWords(folded, index);
  if (hits.length === 0) {
    return { ok: false, why: "UNKNOWN", candidates: [], zh: `无法从"${quote(raw)}"判断责任类别`, en: `Cannot tell the responsibility from "${quote(raw)}"` };
  }
  // One pass: a negated word, decisive words of two codes, else the scores.
  let negated = false;
  let decisive: ResponsibilityDef | undefined;
  let twoCauses = false;
  for (const h of hits) {
    if (h.negated) negated = true;
    if (h.weight >= STRONG) {
      if (decisive === undefined) decisive = h.target;
      else if (decisive !== h.target) twoCauses = true;
    }
  }
  if (negated) {
    const neg = hits.filter((h) => h.negated);
    const defs = unique(neg.map((h) => h.target));
    const words = unique(neg.map((h) => h.word));
    return {
      ok: false,
      why: "NEGATED",
      candidates: defs.map((d) => d.code),
      zh: `"${quote(raw)}"含否定("${words.join("、")}"):只说明不是${defs.map((d) => d.zh).join("或")},无法判断责任`,
      en: `"${quote(raw)}" is negated ("${words.join(", ")}"): it says the cause is not ${defs.map((d) => d.code).join(" or ")}, not what it is`,
    };
  }
  if (twoCauses) {
    const defs = unique(hits.filter((h) => h.weight >= STRONG).map((h) => h.target));
    return {
      ok: false,
      why: "CONFLICT",
      candidates: defs.map((d) => d.code),
      zh: `"${quote(raw)}"同时指向多个责任:${defs.map((d) => d.zh).join("与")},请判定其一`,
      en: `"${quote(raw)}" names conflicting causes: ${defs.map((d) => d.code).join(" and ")}; decide one`,
    };
  }
  if (hits.length === 1) return { ok: true, code: hits[0].target.code, score: hits[0].weight, matched: [hits[0].word] };
  const scores = new Map<ResponsibilityDef, { score: number; matched: string[] }>();
  for (const h of hits) {
    const entry = scores.get(h.target) ?? { score: 0, matched: [] };
    entry.score += h.weight;
    entry.matched.push(h.word);
    scores.set(h.target, entry);
  }
  let best: { def: ResponsibilityDef; score: number; matched: string[] } | undefined;
  let tied: ResponsibilityDef[] = [];
  for (const [def, x] of scores) {
    if (!best || x.score > best.score) {
      best = { def, ...x };
      tied = [def];
    } else if (x.score === best.score) tied.push(def);
  }
  if (tied.length > 1) {
    return {
      ok: false,
      why: "TIE",
      candidates: tied.map((d) => d.code),
      zh: `"${quote(raw)}"的责任不明确:可能是${tied.map((d) => d.zh).join("或")}`,
      en: `"${quote(raw)}" is ambiguous: could be ${tied.map((d) => d.code).join(" or ")}`,
    };
  }
  return { ok: true, code: best!.def.code, score: best!.score, matched: best!.matched };
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

/**
 * The keyword index of a policy's responsibilities, rebuilt when the list or
 * any entry's keywords change (a Policy sheet edit, or a test editing in place).
 */
interface RespIndex {
  defs: readonly ResponsibilityDef[];
  seen: {
    def: ResponsibilityDef;
    keywords: readonly string[];
    hints: readonly string[];
    nk: number;
    nh: number;
    code: string;
    zh: string;
    en: string;
    synonyms: readonly string[];
    ns: number;
  }[];
  index: WordIndex<ResponsibilityDef>;
  /** Folded codes and names, then synonyms (findNamed's precedence). */
  exact: Map<string, ResponsibilityDef>;
  /** Length of the longest key of `exact`: longer text is no name. */
  maxExact: number;
}

/** Characters other than spaces and clause breaks. */
function compactLength(folded: string): number {
  let n = 0;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if (c !== 32 && c !== 124) n++;
  }
  return n;
}
const respIndexes = new WeakMap<readonly ResponsibilityDef[], RespIndex>();

function fresh(hit: RespIndex, defs: readonly ResponsibilityDef[]): boolean {
  if (hit.seen.length !== defs.length) return false;
  for (let i = 0; i < defs.length; i++) {
    const d = defs[i];
    const s = hit.seen[i];
    if (
      d !== s.def ||
      d.keywords !== s.keywords ||
      d.hints !== s.hints ||
      d.keywords.length !== s.nk ||
      d.hints.length !== s.nh ||
      d.code !== s.code ||
      d.zh !== s.zh ||
      d.en !== s.en ||
      d.synonyms !== s.synonyms ||
      d.synonyms.length !== s.ns
    )
      return false;
  }
  return true;
}

function indexFor(policy: Policy): RespIndex {
  const defs = policy.responsibilities;
  const hit = respIndexes.get(defs);
  if (hit && fresh(hit, defs)) return hit;
  const index = buildWordIndex(
    defs.flatMap((def) => [
      ...def.keywords.map((word) => ({ target: def, word, weight: STRONG })),
      ...def.hints.map((word) => ({ target: def, word, weight: WEAK })),
    ]),
  );
  const exact = new Map<string, ResponsibilityDef>();
  const key = (x: string) => foldClauses(x).replace(/[ |]/g, "");
  for (const d of defs) for (const x of [d.code, d.zh, d.en]) if (key(x) && !exact.has(key(x))) exact.set(key(x), d);
  for (const d of defs) for (const x of d.synonyms) if (key(x) && !exact.has(key(x))) exact.set(key(x), d);
  const built: RespIndex = {
    defs,
    index,
    exact,
    maxExact: Math.max(0, ...[...exact.keys()].map((k) => k.length)),
    seen: defs.map((def) => ({
      def,
      keywords: def.keywords,
      hints: def.hints,
      nk: def.keywords.length,
      nh: def.hints.length,
      code: def.code,
      zh: def.zh,
      en: def.en,
      synonyms: def.synonyms,
      ns: def.synonyms.length,
    })),
  };
  respIndexes.set(defs, built);
  return built;
}

/** The responsibility entry of a code (or any name of it). */
export function responsibilityOf(code: unknown, policy: Policy): ResponsibilityDef | undefined {
  return findNamed(policy.responsibilities, code);
}

/** The case's marking when it is marked free or charged (what finance books), else undefined. One test for every report. */
export function markedCharge(c: { charge?: string }): Charge | undefined {
  return c.charge === "FREE" || c.charge === "CHARGED" ? c.charge : undefined;
}

/** FREE or CHARGED for a responsibility code, per policy; undefined for an unknown code. */
export function chargeFor(code: unknown, policy: Policy): Charge | undefined {
  return responsibilityOf(code, policy)?.charge;
}

/** The responsibilities the policy marks `charge`, in the policy's order: who may be marked free, who charged. */
export function responsibilitiesCharged(charge: Charge | string, policy: Policy): ResponsibilityDef[] {
  return policy.responsibilities.filter((r) => r.charge === charge);
}

/**
 * The free/charged rule in words, read from the policy (the same rows `chargeFor` decides by), so
 * renaming a responsibility or changing its charge on the Policy sheet changes the text.
 * Default policy: "免费:质量原因、…;收费:经销商/客户原因、物流、无质量问题/客户误判".
 */
export function chargeRule(policy: Policy): Bilingual {
  const zh = (charge: Charge) =>
    responsibilitiesCharged(charge, policy)
      .map((r) => r.zh)
      .join("、") || "(无)";
  const en = (charge: Charge) =>
    responsibilitiesCharged(charge, policy)
      .map((r) => r.en)
      .join(", ") || "(none)";
  return {
    zh: `免费须为以下责任之一:${zh("FREE")};收费须为以下责任之一:${zh("CHARGED")}。`,
    en: `Free needs one of: ${en("FREE")}. Charged needs one of: ${en("CHARGED")}.`,
  };
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
  const allowed = responsibilitiesCharged(charge, policy);
  return charge === "FREE"
    ? {
        zh: `责任为"${def.zh}"时不能标记免费(免费仅限:${allowed.map((r) => r.zh).join("、")})`,
        en: `Cannot mark as free with responsibility "${def.en}" (free needs one of: ${allowed.map((r) => r.en).join(", ")})`,
      }
    : {
        zh: `责任为"${def.zh}"时不能标记收费(收费仅限:${allowed.map((r) => r.zh).join("、")})`,
        en: `Cannot mark as charged with responsibility "${def.en}" (charged needs one of: ${allowed.map((r) => r.en).join(", ")})`,
      };
}
