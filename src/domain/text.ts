/** Text folding shared by every matcher: what a Chinese IME types is compared like ASCII. */

/** Full-width letters, digits and punctuation (ＡＢＣ１２３－) → their ASCII forms; ideographic space → space. */
export function halfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}

/**
 * Half-width, lower case, each run of spaces or punctuation as one space:
 * keeps word boundaries for English terms. `foldText("Customer-Misuse！")` → "customer misuse".
 */
export function foldText(s: string): string {
  return halfWidth(String(s))
    .toLowerCase()
    .replace(/[\s_\-—–·.,;:!?()[\]{}'"、，。；：！？（）【】《》“”‘’/\\|]+/g, " ")
    .trim();
}

/** foldText without any spaces: for comparing labels and codes. */
export function normalizeText(s: string): string {
  // A ledger repeats the same few labels thousands of times: remember recent answers.
  let r = normalized.get(s);
  if (r === undefined) {
    r = foldText(s).replace(/ /g, "");
    if (normalized.size >= 20000) normalized.clear();
    normalized.set(s, r);
  }
  return r;
}
const normalized = new Map<string, string>();

/**
 * A value quoted in a message: at most `max` characters and its length after, so a
 * 32,000-character cell never makes a 32,000-character message (nor gigabytes of output).
 */
export function quote(v: unknown, max = 80): string {
  const s = String(v ?? "");
  return s.length > max ? `${s.slice(0, max)}…(${s.length})` : s;
}

/** A cell as text: blank for an empty cell, else its string form, trimmed (how every sheet reader compares a cell). */
export const cellText = (v: unknown): string => (v === null || v === undefined ? "" : String(v).trim());
