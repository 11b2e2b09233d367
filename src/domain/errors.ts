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

/** A message in both languages. */
export interface Bilingual {
  zh: string;
  en: string;
}
