/** What every screen of the pane shares: the ledger, who is acting, today, and how to move around. */
import { createContext, useContext } from "react";
import type { WorkCalendar } from "../../domain/calendar";
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
}

export const PaneContext = createContext<Pane | undefined>(undefined);

export function usePane(): Pane {
  const p = useContext(PaneContext);
  if (!p) throw new Error("usePane outside <PaneContext.Provider>");
  return p;
}
