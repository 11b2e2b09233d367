/** Saving changes to one case from any step: one write, the status moved along when the data allows it. */
import { useState } from "react";
import type { AuditAction } from "../../domain/codes";
import { autoAdvance, type State } from "../../domain/lifecycle";
import type { EditReason } from "../../ledger/edit-check";
import { errorOf } from "../i18n";
import { previewCase } from "../model";
import { usePane } from "./pane";

export interface CaseSave {
  busy: boolean;
  /** Reasons of the last refusal (empty after a success). */
  reasons: EditReason[];
  /** Set after a successful save: the status the case moved to, if it moved. */
  saved?: { movedTo?: State };
  /** `action` names the audit entry (CASE_UPDATED unless a correction, CORRECTED). */
  save(changes: Record<string, unknown>, opts?: { action?: AuditAction; reason?: string }): Promise<boolean>;
  reset(): void;
}

const NO_ACTOR: EditReason = { field: "", code: "NO_ACTOR", zh: "请先在顶部选择您是谁", en: "Choose who you are at the top first" };

/**
 * The status follows the data: after the change, the case's status becomes
 * the furthest state its data supports when that is further than the
 * recorded one, short of 结案 (`autoAdvance`: closing is its own action).
 * Never moved back here; reopening is a deliberate edit.
 */
export function useCaseSave(caseNo: string): CaseSave {
  const pane = usePane();
  const [busy, setBusy] = useState(false);
  const [reasons, setReasons] = useState<EditReason[]>([]);
  const [saved, setSaved] = useState<{ movedTo?: State }>();

  async function save(changes: Record<string, unknown>, opts: { action?: AuditAction; reason?: string } = {}): Promise<boolean> {
    setSaved(undefined);
    const { ledger, actor } = pane;
    if (!actor) {
      setReasons([NO_ACTOR]);
      return false;
    }
    const row = ledger.find(caseNo);
    if (!row) {
      setReasons([{ field: "caseNo", code: "NOT_FOUND", zh: `找不到客诉单 ${caseNo}`, en: `Case ${caseNo} was not found` }]);
      return false;
    }
    const after = previewCase(row.record, changes, ledger.policy);
    const reached = autoAdvance(after, row.case.status, ledger.policy);
    const move = reached !== undefined;
    setBusy(true);
    try {
      const res = await ledger.updateCase(caseNo, move ? { ...changes, status: reached } : changes, actor, opts);
      if (!res.ok) {
        setReasons(res.reasons);
        return false;
      }
      setReasons([]);
      setSaved({ movedTo: move ? reached : undefined });
      pane.refresh();
      return true;
    } catch (err) {
      setReasons([{ field: "", code: "FAILED", ...errorOf(err, { zh: "保存失败", en: "Saving failed" }) }]);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return {
    busy,
    reasons,
    saved,
    save,
    reset: () => {
      setReasons([]);
      setSaved(undefined);
    },
  };
}
