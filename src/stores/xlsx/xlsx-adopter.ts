/** Adoption of a sheet of an .xlsx workbook held in memory (the browser workbench). */
import type { Workbook } from "exceljs";
import { defaultPolicy, type Policy } from "../../domain/policy/policy";
import { DomainError } from "../../domain/errors";
import type { AdoptPlan, SheetGrid } from "../../adoption/planner";
import type { Adopter } from "../../adoption/adopter";
import { safeSheetName, SHEETS } from "../../ledger/workbook-layout";
import { adoptWorkbook, readGrid } from "./adopt";

export class XlsxAdopter implements Adopter {
  constructor(
    readonly workbook: Workbook,
    private readonly policy: Policy = defaultPolicy(),
    private readonly now: () => Date = () => new Date(),
  ) {}

  async sheets(): Promise<string[]> {
    return this.workbook.worksheets.filter((w) => w.state !== "hidden" && w.state !== "veryHidden").map((w) => w.name);
  }

  async grid(sheet?: string): Promise<SheetGrid> {
    const ws = sheet === undefined ? this.workbook.worksheets[0] : this.workbook.getWorksheet(sheet);
    if (!ws) throw new DomainError("NO_SHEET", `找不到工作表"${sheet ?? ""}"`, `No sheet named "${sheet ?? ""}"`);
    return readGrid(ws);
  }

  async apply(plan: AdoptPlan, opts: { user: string; people?: { name: string; roles: string[] }[] }): Promise<{ backup: string; cases: number }> {
    const mapping: Record<number, string | null> = {};
    for (const c of plan.columns) if (c.how === "user") mapping[c.index] = c.key;
    const renumber = plan.renumbered.length > 0;
    const done = await adoptWorkbook(this.workbook, {
      sheet: plan.sheet,
      mapping,
      headerRow: plan.headerRow,
      renumber,
      kind: plan.kinds.asked?.chosen,
      policy: this.policy,
      user: opts.user,
      now: this.now(),
      people: opts.people,
    });
    return { backup: safeSheetName(`${SHEETS.backupPrefix}${plan.sheet}`), cases: done.table.rows.length };
  }
}
