/**
 * Named entries — a code with its 中文 and English names and the synonyms of hand-kept ledgers — and how one is
 * found by any of them. Policy lists (roles, clocks, codes) and the schema's fixed vocabularies are all Named.
 */
import { normalizeText } from "../text";

export { normalizeText };

export interface Named {
  code: string;
  zh: string;
  en: string;
  /** Other ways people write it in hand-kept ledgers. */
  synonyms: string[];
}

/**
 * Finds a named entry by code, 中文, English or synonym, ignoring case,
 * width and punctuation. `findNamed(policy.roles, "副总")` → the VP role.
 */
export function findNamed<T extends Named>(list: readonly T[], text: unknown): T | undefined {
  if (text === null || text === undefined) return undefined;
  const key = normalizeText(String(text));
  if (key === "") return undefined;
  const index = indexOf(list);
  return (index.primary.get(key) ?? index.secondary.get(key)) as T | undefined;
}

/**
 * Normalised names of a list, built once: reading a 50,000-row ledger calls
 * findNamed millions of times. Entries are re-checked cheaply on every call
 * (same objects, same names, same synonym count) so a list edited in place
 * is re-indexed rather than answered from stale data.
 */
interface NameIndex {
  items: readonly Named[];
  /** What each item looked like when indexed: names, synonym list and its length. */
  seen: { code: string; zh: string; en: string; synonyms: readonly string[]; n: number }[];
  primary: Map<string, Named>;
  secondary: Map<string, Named>;
}
const indexes = new WeakMap<readonly Named[], NameIndex>();

function fresh(index: NameIndex | undefined, list: readonly Named[]): index is NameIndex {
  if (!index || index.items.length !== list.length) return false;
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    const s = index.seen[i];
    if (x !== index.items[i] || x.code !== s.code || x.zh !== s.zh || x.en !== s.en || x.synonyms !== s.synonyms || x.synonyms.length !== s.n) return false;
  }
  return true;
}

function indexOf(list: readonly Named[]): NameIndex {
  const cached = indexes.get(list);
  if (fresh(cached, list)) return cached;
  const primary = new Map<string, Named>();
  const secondary = new Map<string, Named>();
  // First match wins, as in a scan in list order: codes and names before any synonym.
  for (const item of list) {
    for (const n of [item.code, item.zh, item.en]) {
      const k = normalizeText(n);
      if (!primary.has(k)) primary.set(k, item);
    }
  }
  for (const item of list) {
    for (const syn of item.synonyms) {
      const k = normalizeText(syn);
      if (!secondary.has(k)) secondary.set(k, item);
    }
  }
  const index = {
    items: [...list],
    seen: list.map((x) => ({ code: x.code, zh: x.zh, en: x.en, synonyms: x.synonyms, n: x.synonyms.length })),
    primary,
    secondary,
  };
  indexes.set(list, index);
  return index;
}
