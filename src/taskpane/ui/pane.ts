/** What every screen of the pane shares: the ledger, who is acting, today, and how to move around. */
import { createContext, useContext } from "react";
import type { WorkCalendar } from "../../domain/calendar/calendar";
import type { Actor, Ledger } from "../../ledger/service";

export interface Pane {
  /**
   * The `Ledger` service over any LedgerStore (Excel, an .xlsx file, memory). The pane never
   * touches a store except for the host-only extras (select, onSelectRow, addSheet).
   */
  ledger: Ledger;
  actor?: Actor;
  /** Role codes the actor holds in the People sheet. */
  myRoles: string[];
  /** Today as a serial (whole day), and the clock. */
  today: number;
  now: () => Date;
  cal: WorkCalendar;
  /** Bumped after every write so screens re-read the ledger. */
  version: number;
  refresh(): void;
  /** Opens a case in the case view; `select` also moves the sheet's cursor to its row. */
  openCase(caseNo: string, opts?: { select?: boolean }): void;
  /** Acts as this person from now on (the header's "I am"), e.g. after adding oneself. */
  chooseActor(name: string): void;
}

/**
 * The ledger as of `version`. The Ledger updates its rows, people and audit in place, so a memo
 * over them is keyed on the version App bumps after every write and reload; reading the ledger
 * through `asOf(ledger, version)` says so where the memo reads it (and the hooks lint sees the key).
 */
export const asOf = (ledger: Ledger, _version: number): Ledger => ledger;

export const PaneContext = createContext<Pane | undefined>(undefined);

export function usePane(): Pane {
  const p = useContext(PaneContext);
  if (!p) throw new Error("usePane outside <PaneContext.Provider>");
  return p;
}
