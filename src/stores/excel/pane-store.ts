/**
 * The Excel store as the task pane uses it: the plain store plus following
 * the user's selection to a case, and the adoption of a hand-kept sheet. Kept apart from store.ts so the store's round-trip
 * contract stays small and testable on its own.
 */
import { defaultPolicy, type Policy } from "../../domain/policy/policy";
import type { AdoptPlan, SheetGrid } from "../../adoption/planner";
import type { Adopter, AdoptResult } from "../../adoption/adopter";
import { SHEETS, TABLES } from "../../ledger/workbook-layout";
import { applyAdoptionWith, readGridWith } from "./adopt";
import { excelRun, parseAreas, type Run } from "./excel-run";
import { ExcelStore } from "./store";

export class PaneExcelStore extends ExcelStore {
  private readonly runner: Run;

  constructor(opts: { run?: Run; policy?: Policy } = {}) {
    super(opts);
    this.runner = opts.run ?? excelRun;
  }

  /**
   * Calls back with the table body row the user selects: 2 syncs to subscribe.
   * The table starts at A1 (layout), so body row = sheet row − 2.
   */
  async onSelectRow(cb: (row: number) => void): Promise<() => void> {
    const handler = await this.runner(async (ctx) => {
      const table = ctx.workbook.tables.getItemOrNullObject(TABLES.ledger);
      const range = table.getRange().load("rowIndex");
      await ctx.sync();
      if (table.isNullObject) return undefined;
      const top = range.rowIndex;
      const h = table.onSelectionChanged.add(async (args: Excel.TableSelectionChangedEventArgs) => {
        if (!args.isInsideTable) return;
        // The first area; a whole column starts above the body, so selecting one names no case ("C:C" → none, "5:5" → that row).
        const area = parseAreas(args.address)[0];
        if (area && area.row > top) cb(area.row - top - 1);
      });
      await ctx.sync();
      return h;
    });
    return () => {
      if (!handler) return;
      // A handler is removed in the context it was added in.
      void Excel.run({ previousObjects: handler.context, delayForCellEdit: true }, async (ctx) => {
        handler.remove();
        await ctx.sync();
      }).catch(() => undefined);
    };
  }
}

/** Adoption of a sheet of the open workbook, for the pane's adoption screen. */
export class ExcelAdopter implements Adopter {
  constructor(
    private readonly run: Run = excelRun,
    private readonly policy: Policy = defaultPolicy(),
  ) {}

  async sheets(): Promise<string[]> {
    return this.run(async (ctx) => {
      const sheets = ctx.workbook.worksheets.load("items/name,items/visibility");
      const active = ctx.workbook.worksheets.getActiveWorksheet().load("name");
      await ctx.sync();
      const ours = new Set<string>([SHEETS.policy, SHEETS.people, SHEETS.audit, SHEETS.problems, SHEETS.meta]);
      const names = sheets.items.filter((s) => s.visibility === "Visible" && !ours.has(s.name)).map((s) => s.name);
      // The sheet the user is looking at first: that is usually the ledger.
      return [active.name, ...names.filter((n) => n !== active.name)].filter((n) => names.includes(n));
    });
  }

  grid(sheet?: string): Promise<SheetGrid> {
    return readGridWith(this.run, sheet);
  }

  async apply(plan: AdoptPlan, opts: { user: string; people?: { name: string; roles: string[] }[] }): Promise<AdoptResult> {
    const r = await applyAdoptionWith(this.run, plan, { user: opts.user, policy: this.policy, people: opts.people });
    return { backup: r.backup, cases: r.cases, ...(r.historyNote ? { note: r.historyNote } : {}) };
  }
}
