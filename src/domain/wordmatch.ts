/**
 * Weighted words over free text, shared by the responsibility matcher
 * (责任) and the disposition reader (处理结果): one index per vocabulary,
 * built once, so a call costs a scan of the text, not of every keyword.
 *
 * Rules, in order:
 * - every word found claims its characters, longest first (then heavier,
 *   then earlier in the vocabulary): "包装设计" is one word, its "设计" does
 *   not count again; English words match whole words only ("ok" ∉ "broken");
 * - a negation (不是/非/无/并非/排除/不属于/not…) before a word in the same
 *   clause, or a denial after it (无关…), marks that word negated: the text
 *   says what the cause is not, so it cannot say what it is;
 * - the caller decides from the hits (negated, decisive words of two targets,
 *   a tie) whether the text is ambiguous.
 */

export interface WordEntry<T> {
  target: T;
  word: string;
  weight: number;
}

export interface WordHit<T> {
  target: T;
  word: string;
  weight: number;
  /** A negation governs this word. */
  negated: boolean;
}

/** Words that deny what follows them in the clause. Longer ones are listed so they claim before their parts. */
const NEGATE_BEFORE = [
  "不是",
  "并非",
  "并不是",
  "非",
  "无",
  "无需",
  "排除",
  "不属于",
  "不属",
  "不在",
  "没有",
  "不为",
  "不予",
  "不做",
  "不需要",
  "不用",
  "不要",
  "不同意",
  "not",
  "no",
  "non",
  "isn t",
  "never",
  "without",
  "excluding",
  "except",
];
/** Words that deny what precedes them in the clause. */
const NEGATE_AFTER = ["无关", "没关系", "没有关系", "不相关", "无责", "不负责", "not responsible", "not involved"];
/** Words that contain a negation character but negate nothing. */
const NEUTRAL = ["无法", "非常", "无论", "非要", "无意", "无误"];

const Kind = { Word: 0, Before: 1, After: 2, Neutral: 3 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface Entry<T> {
  key: string;
  kind: Kind;
  target?: T;
  word: string;
  weight: number;
  /** Vocabulary order: the last tie-break, so results never depend on scan order. */
  ordinal: number;
  ascii: boolean;
}

export interface WordIndex<T> {
  /** Entries by the char code of their first character, longest first: lists[slot[code] - 1]. */
  slot: Uint16Array;
  lists: Entry<T>[][];
}

const isAscii = (s: string) => /^[\x00-\x7f]+$/.test(s);
const wordChar = (c: string | undefined) => c !== undefined && ((c >= "a" && c <= "z") || (c >= "0" && c <= "9"));

/** What a character is to folding, by char code: 1 a clause break (,;!? 。，；、！？ line breaks), 2 a space or punctuation inside a clause. */
const CHAR_CLASS = new Uint8Array(65536);
for (const c of "," + ";!?。，；、！？\n\r") CHAR_CLASS[c.charCodeAt(0)] = 1;
for (const c of " \t\u3000_-—–·.:()[]{}'\"：（）【】《》“”‘’/\\") CHAR_CLASS[c.charCodeAt(0)] = 2;
for (let c = 0; c <= 32; c++) if (CHAR_CLASS[c] === 0) CHAR_CLASS[c] = 2;

/**
 * Lower case, half width; clause breaks as "|", other punctuation and spaces
 * as one space. One pass over the characters: this runs on every RESPCODE call.
 *
 * `foldClauses("Customer-Misuse，供应商")` → "customer misuse|供应商"
 */
export function foldClauses(s: string): string {
  if (buf.length < s.length) buf = new Uint16Array(s.length * 2);
  let n = 0;
  let gap = 0; // 1 = a space pending, 2 = a clause break pending
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    // Letters other than ASCII (Ä, Σ…) are lowered by the engine: start over on the lowered text.
    if (c >= 0xc0 && c < 0x530 && s !== s.toLowerCase()) return foldClauses(s.toLowerCase());
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    if (c >= 65 && c <= 90) c += 32;
    const k = CHAR_CLASS[c];
    if (k === 1) {
      gap = 2;
      continue;
    }
    if (k === 2) {
      if (gap === 0) gap = 1;
      continue;
    }
    if (gap !== 0 && n > 0) buf[n++] = gap === 2 ? 124 /* | */ : 32;
    gap = 0;
    buf[n++] = c;
  }
  return String.fromCharCode(...buf.subarray(0, n));
}
/** Reused between calls: folding allocates only the result. */
let buf = new Uint16Array(256);

/** Folds a keyword the way the text is folded (never a clause break inside a word). */
const foldWord = (w: string) => foldClauses(w).replace(/\|/g, " ").replace(/ +/g, " ").trim();

/** Builds the index of a vocabulary (plus the negation words). */
export function buildWordIndex<T>(entries: readonly WordEntry<T>[]): WordIndex<T> {
  const all: Entry<T>[] = [];
  let ordinal = 0;
  const add = (word: string, kind: Kind, weight: number, target?: T) => {
    const key = foldWord(word);
    if (key) all.push({ key, kind, target, word, weight, ordinal: ordinal++, ascii: isAscii(key) });
  };
  for (const e of entries) add(e.word, Kind.Word, e.weight, e.target);
  for (const w of NEGATE_BEFORE) add(w, Kind.Before, 0);
  for (const w of NEGATE_AFTER) add(w, Kind.After, 0);
  for (const w of NEUTRAL) add(w, Kind.Neutral, 0);
  const slot = new Uint16Array(65536);
  const lists: Entry<T>[][] = [];
  for (const e of all) {
    const c = e.key.charCodeAt(0);
    if (slot[c] === 0) slot[c] = lists.push([]);
    lists[slot[c] - 1].push(e);
  }
  for (const list of lists) list.sort((a, b) => b.key.length - a.key.length);
  return { slot, lists };
}

interface Found<T> {
  e: Entry<T>;
  at: number;
}

/**
 * The words of `index` found in `text` (already folded with foldClauses),
 * each claiming its characters, with negation marked. In text order.
 *
 * `scanWords(foldClauses("不是客户原因"), idx)` → [{word: "客户原因", negated: true, …}]
 */
export function scanWords<T>(text: string, index: WordIndex<T>): WordHit<T>[] {
  const found: Found<T>[] = [];
  for (let at = 0; at < text.length; at++) {
    const s = index.slot[text.charCodeAt(at)];
    if (s === 0) continue;
    const list = index.lists[s - 1];
    for (let k = 0; k < list.length; k++) {
      const e = list[k];
      if (!text.startsWith(e.key, at)) continue;
      if (e.ascii && (wordChar(text[at - 1]) || wordChar(text[at + e.key.length]))) continue;
      found.push({ e, at });
    }
  }
  if (found.length === 0) return [];
  // Longest first, then heavier, then vocabulary order: the same claims whatever the scan order.
  if (found.length > 1) found.sort((a, b) => b.e.key.length - a.e.key.length || b.e.weight - a.e.weight || a.e.ordinal - b.e.ordinal || a.at - b.at);
  const kept: Found<T>[] = [];
  for (const f of found) {
    const end = f.at + f.e.key.length;
    // A handful of words per text: checking the kept ones beats marking characters.
    let free = true;
    for (let i = 0; i < kept.length && free; i++) free = end <= kept[i].at || f.at >= kept[i].at + kept[i].e.key.length;
    if (free) kept.push(f);
  }
  if (kept.length > 1) kept.sort((a, b) => a.at - b.at);

  // Clause numbers by position: negation never crosses a clause break.
  const hits: (WordHit<T> & { clause: number })[] = [];
  let clause = 0;
  let pos = 0;
  let negatedClause = -1;
  for (const f of kept) {
    for (; pos < f.at; pos++) if (text.charCodeAt(pos) === 124 /* | */) clause++;
    if (f.e.kind === Kind.Before) {
      negatedClause = clause;
    } else if (f.e.kind === Kind.After) {
      for (let i = hits.length - 1; i >= 0 && hits[i].clause === clause; i--) hits[i].negated = true;
    } else if (f.e.kind === Kind.Word) {
      hits.push({ target: f.e.target as T, word: f.e.word, weight: f.e.weight, negated: clause === negatedClause, clause });
    }
  }
  return hits;
}
