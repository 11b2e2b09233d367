/**
 * The one error the domain throws: a stable code plus the same message in
 * 简体中文 and English, so the sheet, the task pane, the functions and the CLI
 * all show the words written here.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} / ${en}`);
    this.name = "DomainError";
  }
}

/** A message in both languages (also the shape of every Named entry: a role, a state, a field). */
export interface Bilingual {
  zh: string;
  en: string;
}

export type Lang = "zh" | "en";

/**
 * The one way to choose a language: a pair in `lang`. Components, the sheet, the functions and
 * the CLI all go through it (the pane's `useT`, the CLI's `t` are this with the language bound).
 * `inLang({ zh: "报废", en: "Scrap" }, "en")` → "Scrap".
 */
export const inLang = (msg: Bilingual, lang: Lang): string => msg[lang];

/** `inLang` with the language bound, for text written inline: `translator("en")("登记", "Intake")` → "Intake". */
export const translator =
  (lang: Lang) =>
  (zh: string, en: string): string =>
    inLang({ zh, en }, lang);
