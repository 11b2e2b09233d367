/**
 * Adoption as the task pane drives it, whatever holds the workbook: list the
 * sheets, read one as a grid, and (after the user confirmed or corrected
 * the mapping, which `planAdoption` turns into a plan) write the plan.
 * Implemented for Excel (excel/pane-store.ts) and for an .xlsx workbook in
 * memory (xlsx/adopter.ts, the browser workbench).
 */
import type { Bilingual } from "../domain/errors";
import type { AdoptPlan, SheetGrid } from "./planner";

export interface Adopter {
  /** Sheets that could be a ledger, the likeliest first. */
  sheets(): Promise<string[]>;
  grid(sheet?: string): Promise<SheetGrid>;
  /** Writes the plan: backup copy, ledger table, Problems, Policy, People, Audit sheets. */
  apply(plan: AdoptPlan, opts: { user: string; people?: { name: string; roles: string[] }[] }): Promise<AdoptResult>;
}

export interface AdoptResult {
  backup: string;
  cases: number;
  /** Something the user must know about the result (e.g. the adoption day not recorded). */
  note?: Bilingual;
}
