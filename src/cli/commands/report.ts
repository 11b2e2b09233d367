/**
 * complaint-ledger report --finance: free/charged counts and cost; --fines: 乐捐 per person and month;
 * --month YYYY-MM -o FILE.xlsx [--json]: the month-end review as a workbook with native charts (issue 23).
 */
import { serialToIso, toSerial } from "../../domain/dates";
import type { FinanceLine, FinanceReport } from "../../reports/finance-summary";
import { toCsv } from "../../reports/csv";
import { monthBounds, monthOf, type MonthlyReview } from "../../reports/monthly-review";
import { monthlyReviewLayout, summaryRows } from "../../reports/monthly-review-sheet";
import { checkOutput, money, needFile, scan, usageError, type Command, type Ctx } from "../command";
import { FinesPass, MonthPass, ReportPass } from "../passes";

export const reportCommand: Command = {
  summary: ["财务汇总(免费/收费)、乐捐统计、月度检讨", "Finance summary (free / charged), fines, monthly review"],
  usage:
    "complaint-ledger report FILE --finance|--fines [--from DATE] [--to DATE] [--csv|--json] | report FILE --month YYYY-MM -o FILE.xlsx [--json] [--force]",
  help: [
    "按责任、客户和半月(1–15 日、16 日–月末)汇总免费/收费案件数及费用。结案的案件按结案日期计,未结案的按接收日期计。--fines:按人按月统计设置表列为乐捐的违规(被拒绝的修改)。",
    "Free/charged counts and cost by responsibility, by customer and by half-month (1st–15th, 16th–end). A closed case counts on its closing date, an open one on its receipt date. --fines: refused edits the Policy sheet names as finable (乐捐), per person and month.",
  ],
  options: {
    finance: {},
    fines: {},
    from: { value: true },
    to: { value: true },
    csv: {},
    json: {},
    month: { value: true },
    output: { value: true, alias: "o" },
    force: {},
  },
  async run({ positional, options }, ctx) {
    const file = needFile(positional);
    if (options.month !== undefined) return month(file, options, ctx);
    if (options.output !== undefined) throw usageError("-o 只用于 --month(月度检讨工作簿)", "-o is for --month (the monthly review workbook)");
    if (options.fines && !options.finance) return fines(file, options.json === true, ctx);
    if (!options.finance) throw usageError("请指定报表类型:--finance 或 --fines", "Choose a report: --finance or --fines");
    if (options.csv && options.json) throw usageError("--csv 与 --json 只能选一个", "Choose one of --csv and --json");
    const date = (k: "from" | "to") => {
      if (options[k] === undefined) return undefined;
      const p = toSerial(String(options[k]));
      if (!p.ok) throw usageError(`--${k}:${p.zh}`, `--${k}: ${p.en}`);
      return Math.floor(p.serial);
    };
    const from = date("from"),
      to = date("to");
    if (from !== undefined && to !== undefined && from > to) throw usageError("--from 晚于 --to", "--from is after --to");
    const rep = (await scan(file, () => new ReportPass(ctx.now(), { from, to }), ctx)).result();
    if (options.json) ctx.out(JSON.stringify(rep, null, 2));
    else if (options.csv) ctx.out(reportCsv(rep));
    else printReport(rep, ctx);
    return 0;
  },
};

/**
 * The month-end review: every case read (the review looks back a year), the figures computed once
 * (reports/monthly-review.ts), written as the 月度检讨 Review sheet of a new workbook with its charts, and with --json
 * printed. The output is checked before the ledger is read: an existing file is kept unless --force (exit 2).
 */
async function month(file: string, options: Record<string, string | boolean>, ctx: Ctx): Promise<number> {
  if (typeof options.month !== "string" || options.month === "")
    throw usageError("--month 需要月份,例如 --month 2026-03", "--month needs a month, e.g. --month 2026-03");
  for (const k of ["finance", "fines", "csv", "from", "to"] as const) {
    if (options[k] !== undefined) throw usageError(`--month 不能与 --${k} 同用`, `--month cannot be used with --${k}`);
  }
  let month: string;
  try {
    month = monthOf(monthBounds(options.month).start);
  } catch (e) {
    const d = e as { zh: string; en: string };
    throw usageError(`--month:${d.zh}`, `--month: ${d.en}`);
  }
  const out = typeof options.output === "string" && options.output !== "" ? options.output : undefined;
  if (!out && !options.json) throw usageError("缺少输出文件(-o FILE.xlsx)", "Missing the output file (-o FILE.xlsx)");
  if (out && !/\.xlsx$/i.test(out)) throw usageError("输出文件应以 .xlsx 结尾", "The output file should end in .xlsx");
  const save = out ? await checkOutput(out, options) : undefined;
  const review = (await scan(file, () => new MonthPass(ctx.now(), month), ctx)).result();
  if (out) {
    const { default: ExcelJS } = await import("exceljs");
    const { writeLayoutSheet } = await import("../../stores/xlsx/store");
    const { saveWorkbook } = await import("../../stores/xlsx/file");
    const wb = new ExcelJS.Workbook();
    writeLayoutSheet(wb, monthlyReviewLayout(review));
    await saveWorkbook(wb, out, save);
  }
  if (options.json) ctx.out(JSON.stringify(review, null, 2));
  else printMonth(review, ctx);
  if (out) ctx.err(ctx.t(`已写入 ${out}`, `Wrote ${out}`));
  return 0;
}

function printMonth(r: MonthlyReview, ctx: Ctx): void {
  for (const [label, value] of summaryRows(r)) ctx.out(`${label}\t${value ?? ""}`);
}

/** 乐捐: refused edits per person and month (未按此流程操作者,责任人乐捐20元每次). */
async function fines(file: string, json: boolean, ctx: Ctx): Promise<number> {
  const lines = (await scan(file, () => new FinesPass(ctx.now()), ctx)).result();
  if (json) ctx.out(JSON.stringify({ fines: lines }, null, 2));
  else {
    ctx.out(ctx.t("乐捐统计(按人按月)", "Fines (per person and month)"));
    for (const l of lines) ctx.out(`${l.month}\t${l.user}\t${l.count}\t${money(l.amount)}`);
    if (!lines.length) ctx.out(ctx.t("无", "None"));
  }
  return 0;
}

const REPORT_HEAD: [string, string][] = [
  ["免费单数", "Free"],
  ["免费金额", "Free cost"],
  ["收费单数", "Charged"],
  ["收费金额", "Charged cost"],
];

function printReport(r: FinanceReport, ctx: Ctx): void {
  const range = `${r.from !== undefined ? serialToIso(r.from) : "…"} ~ ${r.to !== undefined ? serialToIso(r.to) : "…"}`;
  ctx.out(ctx.t(`财务汇总 ${range}:${r.cases} 条已标记免费/收费的案件`, `Finance summary ${range}: ${r.cases} cases marked free or charged`));
  if (r.missingCost) ctx.out(ctx.t(`注意:${r.missingCost} 条案件缺少费用(按 0 计)`, `Note: ${r.missingCost} cases have no cost (counted as 0)`));
  if (r.badCost)
    ctx.out(
      ctx.t(
        `注意:${r.badCost} 条案件的费用不合理(超过 1 万亿或不是有限数),未计入金额`,
        `Note: ${r.badCost} cases have a cost that is not a sane amount (over a trillion, or not finite); left out of the sums`,
      ),
    );
  const section = (title: [string, string], lines: FinanceLine[]) => {
    ctx.out("");
    ctx.out(`${ctx.t(...title)}\t${REPORT_HEAD.map((h) => ctx.t(...h)).join("\t")}`);
    for (const l of [...lines, r.total]) ctx.out(`${ctx.t(l.zh, l.en)}\t${l.free}\t${money(l.freeCost)}\t${l.charged}\t${money(l.chargedCost)}`);
  };
  section(["按责任", "By responsibility"], r.byResponsibility);
  section(["按客户", "By customer"], r.byCustomer);
  section(["按半月", "By half-month"], r.byPeriod);
}

export function reportCsv(r: FinanceReport): string {
  const rows: (string | number)[][] = [["section", "key", "name_zh", "name_en", "free", "free_cost", "charged", "charged_cost"]];
  const add = (section: string, lines: FinanceLine[]) => {
    for (const l of lines) rows.push([section, l.key, l.zh, l.en, l.free, money(l.freeCost), l.charged, money(l.chargedCost)]);
  };
  add("responsibility", r.byResponsibility);
  add("customer", r.byCustomer);
  add("period", r.byPeriod);
  add("total", [r.total]);
  return toCsv(rows, "\n").slice(0, -1);
}
