/**
 * Two languages: 简体中文 by default (Office in Chinese, or no Office at all),
 * English on request or when Office's display language is not Chinese.
 * Every text is written once as a {zh, en} pair next to where it is shown;
 * messages from the domain and the service already come as such pairs.
 */
import { createContext, useContext, type ReactNode } from "react";
import { DomainError, inLang, translator, type Bilingual, type Lang } from "../domain/errors";

export type { Bilingual, Lang };
export { inLang, translator };

/** Chinese unless Office says the user reads another language. `detectLanguage("en-US")` → "en". */
export function detectLanguage(displayLanguage: string | undefined): Lang {
  if (!displayLanguage) return "zh";
  return /^zh\b/i.test(displayLanguage) || /^zh[-_]/i.test(displayLanguage) ? "zh" : "en";
}

export const LangContext = createContext<Lang>("zh");

/** `const t = useT(); t("登记", "Intake")` → the text in the pane's language. */
export function useT(): (zh: string, en: string) => string {
  return translator(useContext(LangContext));
}

export function useLang(): Lang {
  return useContext(LangContext);
}

/**
 * What went wrong, in both languages, after `what` failed: a project error
 * brings its own 中文 and English; anything else shows its message in both.
 * `errorOf(e, { zh: "保存失败", en: "Saving failed" })`.
 */
export function errorOf(e: unknown, what?: Bilingual): Bilingual {
  const own = e instanceof DomainError ? { zh: e.zh, en: e.en } : { zh: String((e as Error)?.message ?? e), en: String((e as Error)?.message ?? e) };
  return what ? { zh: `${what.zh}:${own.zh}`, en: `${what.en}: ${own.en}` } : own;
}

/** The language the pane is not in: the switch's target, and the second line of `Both`. */
export const otherLang = (lang: Lang): Lang => (({ zh: "en", en: "zh" }) as const)[lang];

/** The HTML `lang` attribute of text in `lang` (screen readers and fonts follow it). */
export const htmlLang = (lang: Lang): string => inLang({ zh: "zh-CN", en: "en" }, lang);

/** Items in running text, with the language's list separator: `joinList(["甲", "乙"], "zh")` → "甲、乙", in English "A, B". */
export const joinList = (items: readonly string[], lang: Lang): string => items.join(inLang({ zh: "、", en: ", " }, lang));

/** Names with the people behind them: `withPeople("品质经理", ["王工"], "zh")` → "品质经理(王工)"; none: the name alone. */
export const withPeople = (name: string, people: readonly string[], lang: Lang): string =>
  people.length ? inLang({ zh: `${name}(${joinList(people, lang)})`, en: `${name} (${joinList(people, lang)})` }, lang) : name;

/**
 * A message in both languages, the pane's language first: errors and refusals
 * are shown this way so a Chinese and an English reader both understand them.
 */
export function Both({ msg, className }: { msg: Bilingual; className?: string }): ReactNode {
  const lang = useLang();
  const first = inLang(msg, lang);
  const second = inLang(msg, otherLang(lang));
  return (
    <span className={className}>
      {first}
      {/* The other language, marked as such: readers (and screen readers) know which is which. */}
      {second && second !== first ? (
        <span className="cl-second" lang={htmlLang(otherLang(lang))}>
          {" "}
          {second}
        </span>
      ) : null}
    </span>
  );
}
