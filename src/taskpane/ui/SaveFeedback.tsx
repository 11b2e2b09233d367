import { findNamed } from "../../domain/policy/policy";
import { STATES } from "../../domain/schema";
import { Notice, Refusal, Working } from "./common";
import type { CaseSave } from "./save";

/** Progress, refusal or success of a step's save, right under its button. */
export function SaveFeedback({ s, shownFields = [] }: { s: CaseSave; shownFields?: readonly string[] }) {
  if (s.busy) return <Working what={{ zh: "正在保存…", en: "Saving…" }} />;
  // Reasons tied to a field on screen are shown next to it; the banner repeats none of them.
  const rest = s.reasons.filter((r) => !shownFields.includes(r.field));
  if (rest.length) return <Refusal reasons={rest} />;
  if (s.reasons.length) return <Refusal reasons={[{ zh: "请按字段旁的提示修改", en: "See the messages next to the fields" }]} />;
  if (s.saved) {
    const st = s.saved.movedTo ? findNamed(STATES, s.saved.movedTo) : undefined;
    return <Notice intent="success" msg={st ? { zh: `已保存,状态更新为"${st.zh}"`, en: `Saved; status is now "${st.en}"` } : { zh: "已保存", en: "Saved" }} />;
  }
  return null;
}

/** Reasons of a save keyed by field, for the inputs on screen. */
export function fieldErrors(s: CaseSave): Record<string, { zh: string; en: string }> {
  const out: Record<string, { zh: string; en: string }> = {};
  for (const r of s.reasons) if (r.field && !out[r.field]) out[r.field] = { zh: r.zh, en: r.en };
  return out;
}
