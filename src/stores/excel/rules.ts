/**
 * The ledger sheet's rules, all read from the schema and the policy:
 * drop-down lists on coded columns (labels in the policy's language),
 * date validation on date columns, the computed columns' formulas, red and
 * amber marks on the reply status, a mark on serious cases, the frozen
 * header and the table's filter buttons.
 *
 * Validation alerts are warnings, not stops: a person may keep a synonym
 * the rules can read (e.g. "报废" typed as "scrap"); the change handler
 * still refuses what cannot be read. `queueRules` only queues (0 syncs);
 * `applyRules` finds the table and applies them in 2.
 */
import { Budget, writeRows } from "./chunks";
import { defaultPolicy, type Policy } from "../../domain/policy/policy";
import { policyFromRows } from "../../domain/policy/policy-table";
import { ledgerSchema } from "../../domain/schema";
import { SLA_STATUSES } from "../../domain/sla";
import { columnLetter, estimateFormula, SHEETS, TABLES } from "../../ledger/workbook-layout";
import { keysOfHeader } from "../../ledger/records";
import { rowsFromExcel } from "./cells";
import { eventsOff, eventsOn, excelRun, withEventsGuard, type Run } from "./excel-run";
import { computedByHeader } from "./store";
import { listSource, queueFieldRule } from "./new-columns";

export interface RuleTarget {
  sheet: Excel.Worksheet;
  table: Excel.Table;
  header: readonly string[];
  /** 0-based sheet row of the table's header, and sheet column of its first column. */
  headerRow: number;
  left: number;
  /** Body rows. */
  rows: number;
}

export interface RulesApplied {
  /** Headers that got a drop-down list / date validation / their formula. */
  lists: string[];
  dates: string[];
  computed: string[];
  /** Columns whose list cannot be inline (a label with a comma, or longer than Excel's 255 characters). */
  skipped: { header: string; zh: string; en: string }[];
}

export const FILLS = {
  overdue: { fill: "#FFC7CE", font: "#9C0006" },
  dueSoon: { fill: "#FFEB9C", font: "#9C5700" },
  serious: { fill: "#FCE4D6", font: "#C00000" },
  estimate: { fill: "#FFF4CE", font: "#8A6100" },
} as const;

export { listSource };

const quoted = (s: string) => `"${s.replace(/"/g, '""')}"`;

export function queueRules(ctx: Excel.RequestContext, t: RuleTarget, policy: Policy): RulesApplied {
  const out: RulesApplied = { lists: [], dates: [], computed: [], skipped: [] };
  const keys = keysOfHeader(t.header, policy);
  const schema = ledgerSchema(policy);
  const computed = computedByHeader(t.header, policy);
  const body = t.table.getDataBodyRange();
  const firstRow = t.headerRow + 2; // 1-based sheet row of the first body row
  const column = (i: number) => t.table.columns.getItemAt(i).getDataBodyRange();

  // Start clean: rules from an earlier run or from the hand-kept sheet would contradict these.
  body.dataValidation.clear();
  body.conditionalFormats.clearAll();

  keys.forEach((key, i) => {
    const field = schema.find((f) => f.key === key);
    if (computed.has(i)) {
      out.computed.push(t.header[i]); // written by writeComputed, in pieces under the payload limit
      return;
    }
    if (!field) return;
    if (field.type === "enum" || field.type === "bool") {
      if (!queueFieldRule(column(i), field, policy)) {
        out.skipped.push({
          header: t.header[i],
          zh: `"${t.header[i]}"的选项含逗号或过长,未设下拉列表`,
          en: `"${t.header[i]}" has options with commas or too long for a drop-down list`,
        });
        return;
      }
      out.lists.push(t.header[i]);
    } else if (field.type === "date" || field.type === "datetime") {
      queueFieldRule(column(i), field, policy);
      out.dates.push(t.header[i]);
    }
  });

  // Reply status: the labels SLASTATUS writes, in either language (a policy's language may change later).
  const statusCol = keys.indexOf("replyStatus");
  if (statusCol >= 0) {
    const mark = (code: string, colors: { fill: string; font: string }) => {
      const s = SLA_STATUSES.find((x) => x.code === code)!;
      for (const text of [s.zh, s.en]) {
        const cf = column(statusCol).conditionalFormats.add("ContainsText");
        cf.textComparison.format.fill.color = colors.fill;
        cf.textComparison.format.font.color = colors.font;
        cf.textComparison.rule = { operator: "Contains", text };
      }
    };
    mark("OVERDUE", FILLS.overdue);
    mark("DUE_SOON", FILLS.dueSoon);
  }

  // Serious cases: the whole row, by the severity labels that call for an 8D.
  const sevCol = keys.indexOf("severity");
  if (sevCol >= 0) {
    const serious = policy.severities.filter((s) => policy.settings.eightDSeverities.includes(s.code));
    const cell = `$${columnLetter(t.left + sevCol)}${firstRow}`;
    const tests = serious.flatMap((s) => [s.zh, s.en]).map((l) => `${cell}=${quoted(l)}`);
    if (tests.length) {
      const cf = body.conditionalFormats.add("Custom");
      cf.custom.rule.formula = `=OR(${tests.join(",")})`;
      cf.custom.format.fill.color = FILLS.serious.fill;
      cf.custom.format.font.color = FILLS.serious.font;
    }
  }

  // Reply due dates on an estimated holiday calendar: italic on amber, until the year's notice is imported.
  const dueCol = keys.indexOf("replyDue");
  if (dueCol >= 0) {
    const recCol = keys.indexOf("receivedAt");
    const at = (i: number) => `$${columnLetter(t.left + i)}${firstRow}`;
    const cf = column(dueCol).conditionalFormats.add("Custom");
    cf.custom.rule.formula = estimateFormula(at(dueCol), recCol >= 0 ? at(recCol) : undefined);
    cf.custom.format.font.italic = true;
    cf.custom.format.font.color = FILLS.estimate.font;
    cf.custom.format.fill.color = FILLS.estimate.fill;
  }

  t.sheet.freezePanes.freezeRows(t.headerRow + 1);
  t.table.showFilterButton = true;
  return out;
}

/**
 * The computed columns' formulas, the same in every row (so Excel keeps each
 * a calculated column), queued in pieces that fit the payload budget: a
 * 300-character formula in 50,000 rows is 15 MB.
 */
export async function writeComputed(budget: Budget, t: RuleTarget, policy: Policy): Promise<void> {
  const computed = computedByHeader(t.header, policy);
  for (const [i, formula] of computed) {
    const col = t.table.columns.getItemAt(i).getDataBodyRange();
    const rows = Array.from({ length: t.rows }, () => [formula]);
    await writeRows(budget, (first, n) => col.getRow(first).getResizedRange(n - 1, 0), rows, "formulas");
  }
}

/** Finds the ledger table and (re)applies its rules: 2 syncs (more for the formulas of a big table). */
export async function applyRules(run: Run = excelRun, opts: { policy?: Policy } = {}): Promise<RulesApplied> {
  return withEventsGuard(run, async (ctx) => {
    const table = ctx.workbook.tables.getItem(TABLES.ledger);
    const header = table.getHeaderRowRange().load("values,rowIndex,columnIndex");
    const body = table.getDataBodyRange().load("rowCount");
    const policySheet = ctx.workbook.worksheets.getItemOrNullObject(SHEETS.policy).getUsedRangeOrNullObject(true).load("values");
    await ctx.sync();
    eventsOff(ctx);
    const policy = opts.policy ?? (policySheet.isNullObject ? undefined : policyFromRows(rowsFromExcel(policySheet.values)).policy) ?? defaultPolicy();
    const target = {
      sheet: table.worksheet,
      table,
      header: header.values[0].map(String),
      headerRow: header.rowIndex,
      left: header.columnIndex,
      rows: body.rowCount,
    };
    const applied = queueRules(ctx, target, policy);
    await writeComputed(new Budget(ctx), target, policy);
    eventsOn(ctx);
    await ctx.sync();
    return applied;
  });
}
