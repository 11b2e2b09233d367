/**
 * The 8D drafts of this page, by case and language: they outlive the 8D
 * panel (a signature re-renders the case view and may remount it; a language
 * switch shows the other draft), so typed text is never lost. A draft is
 * "dirty" until saved with the case; leaving the page with a dirty draft asks
 * first (beforeunload).
 */
import type { EightDReport, ReportLang } from "../../../reports/eightd";

const drafts = new Map<string, EightDReport>();
/** Sections a person typed into, per draft: only those are theirs; the rest follow the case. */
const edited = new Map<string, Set<string>>();
const dirty = new Set<string>();
let guarded = false;

export const draftKey = (caseNo: string, lang: ReportLang) => `${caseNo}|${lang}`;

export function readDraft(key: string): EightDReport | undefined {
  return drafts.get(key);
}

export function isDirty(key: string): boolean {
  return dirty.has(key);
}

export function writeDraft(key: string, report: EightDReport, unsaved: boolean): void {
  drafts.set(key, report);
  if (unsaved) dirty.add(key);
  else dirty.delete(key);
  guard();
}

export function markEdited(key: string, section: string): void {
  if (!edited.has(key)) edited.set(key, new Set());
  edited.get(key)!.add(section);
}

export const editedSections = (key: string): ReadonlySet<string> => edited.get(key) ?? new Set();

/**
 * The draft to show: the sections a person edited from the stored draft,
 * every other section as the case now drafts it (a signature since then shows in D1 and D8).
 */
export function mergedDraft(key: string, fresh: EightDReport): EightDReport {
  const kept = drafts.get(key);
  const mine = editedSections(key);
  if (!kept || mine.size === 0) return fresh;
  return { ...fresh, sections: fresh.sections.map((s) => (mine.has(s.id) ? (kept.sections.find((k) => k.id === s.id) ?? s) : s)) };
}

export function clearDraft(key: string): void {
  drafts.delete(key);
  edited.delete(key);
  dirty.delete(key);
}

/** Drafts with unsaved text ("KS-2026-0001|zh"). */
export const unsavedDrafts = (): string[] => [...dirty];

function guard(): void {
  if (guarded || typeof window === "undefined") return;
  guarded = true;
  window.addEventListener("beforeunload", (e) => {
    if (dirty.size === 0) return;
    e.preventDefault();
    e.returnValue = "";
  });
}
