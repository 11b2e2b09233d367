/**
 * complaint-ledger: the ledger on .xlsx files from the command line.
 *
 *   sample -o FILE                      a realistic sample ledger
 *   adopt IN.xlsx -o OUT.xlsx [--sheet NAME] [--renumber]
 *   check FILE [--json] [--lang zh|en]  exit 0 clean, 1 violations, 2 unreadable
 *   report FILE --finance [--from DATE] [--to DATE] [--csv|--json]
 *   verify-audit FILE [--head HEADFILE] exit 0 intact, 1 broken
 *   calendar import|show …              holiday notices and each year's source (calendar.ts)
 *
 * check, report and verify-audit read the file row by row (passes.ts); exceljs
 * (writing, adoption, the fallback reader) is loaded only by the commands
 * that need it, so the read-only commands start fast.
 *
 * `main(argv, io)` returns the exit code, so tests run it in-process.
 * Exit 2 for every usage or input problem (missing file, wrong sheet, bad option).
 */
import pkg from "../../package.json";
import { DomainError, translator } from "../domain/errors";
import { serialToIso, toSerial } from "../domain/dates";
import type { AdoptPlan } from "../adoption/planner";
import type { FinanceLine, FinanceReport } from "../reports/finance-summary";
import type { PolicyProblem } from "../domain/policy-table";
import { readHeadFile, scanLedgerFile, type LedgerVisitor } from "../stores/xlsx/file";
import { defaultPolicy, findNamed } from "../domain/policy";
import { STATES } from "../domain/schema";
import { toCsv } from "../reports/csv";
import { parseArgs, type OptionSpec } from "./args";
import { calendarCommand } from "./calendar";
import { CheckPass, ReportPass, VerifyPass } from "./passes";
import { progressBar } from "./progress";

export interface CliIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env?: Record<string, string | undefined>;
  /** Fixed clock for tests. */
  now?: () => Date;
}

type Lang = "zh" | "en";

interface Ctx {
  io: CliIO;
  lang: Lang;
  out(s?: string): void;
  err(s?: string): void;
  t(zh: string, en: string): string;
  now(): Date;
}

// One version: package.json's (tsc copies it beside the build, ts-jest reads it in place).
const VERSION: string = pkg.version;

const COMMON: Record<string, OptionSpec> = { help: { alias: "h" }, lang: { value: true } };

interface Command {
  summary: [string, string];
  usage: string;
  help: [string, string];
  options: Record<string, OptionSpec>;
  run(args: { positional: string[]; options: Record<string, string | boolean> }, ctx: Ctx): Promise<number>;
}

const usageError = (zh: string, en: string) => new DomainError("USAGE", zh, en);

function needFile(positional: string[], what: [string, string] = ["台账文件", "ledger file"]): string {
  if (positional.length === 0) throw usageError(`缺少${what[0]}`, `Missing the ${what[1]}`);
  if (positional.length > 1) throw usageError(`多余的参数:${positional.slice(1).join(" ")}`, `Unexpected arguments: ${positional.slice(1).join(" ")}`);
  return positional[0];
}

function needOut(options: Record<string, string | boolean>): string {
  const o = options.output;
  if (typeof o !== "string" || o === "") throw usageError("缺少输出文件(-o FILE)", "Missing the output file (-o FILE)");
  return o;
}

/** One pass over a ledger file with a progress bar; the policy sheet's problems are reported as the Ledger reports them. */
async function scan<V extends LedgerVisitor & { policyProblems: PolicyProblem[] }>(file: string, make: () => V, ctx: Ctx): Promise<V> {
  const bar = progressBar(ctx.t("读取", "Reading"), ctx.io.stderr);
  let v: V;
  try {
    v = await scanLedgerFile(file, make, { progress: (n) => bar.update(n) });
  } finally {
    bar.done();
  }
  for (const p of v.policyProblems) {
    ctx.err(ctx.t(`设置表第 ${p.row} 行:${p.zh}(已改用默认规则)`, `Policy sheet row ${p.row}: ${p.en} (using the default rules)`));
  }
  return v;
}

const headOption = (options: Record<string, string | boolean>): string | undefined => {
  if (options.head === undefined) return undefined;
  if (typeof options.head !== "string" || options.head === "") throw usageError("--head 需要一个文件", "--head needs a file");
  return options.head;
};

const money = (x: number) => x.toFixed(2);

const COMMANDS: Record<string, Command> = {
  sample: {
    summary: ["生成示例台账", "Write a sample ledger"],
    usage: "complaint-ledger sample -o FILE [--seed N] [--cases N] [--head HEADFILE]",
    help: [
      "生成一个确定的示例台账(约 200 条中文案件,覆盖所有状态、类别、责任,含签核、人员和审计记录)。",
      "Writes a deterministic sample ledger (~200 Chinese cases across all states, kinds and responsibilities, with sign-offs, people and an audit log).",
    ],
    options: { output: { value: true, alias: "o" }, seed: { value: true }, cases: { value: true }, head: { value: true } },
    async run({ positional, options }, ctx) {
      if (positional.length) throw usageError(`多余的参数:${positional.join(" ")}`, `Unexpected arguments: ${positional.join(" ")}`);
      const out = needOut(options);
      const num = (k: string, dflt: number, max: number) => {
        if (options[k] === undefined) return dflt;
        const n = Number(options[k]);
        if (!Number.isInteger(n) || n < 1 || n > max) throw usageError(`--${k} 应为 1–${max} 的整数`, `--${k} must be an integer 1–${max}`);
        return n;
      };
      const seed = num("seed", 20260630, 2 ** 31),
        cases = num("cases", 200, 100000);
      const head = headOption(options);
      const [{ generateSample }, { createLedgerBook }, { saveLedgerBook }] = await Promise.all([
        import("../sample/ledger-sample"),
        import("../stores/xlsx/workbook"),
        import("../stores/xlsx/file"),
      ]);
      const data = await generateSample({ seed, cases });
      // The ledger and audit rows stream into the file (decision #40): 50,000 cases are not held as exceljs cells.
      const book = createLedgerBook({
        policy: defaultPolicy(),
        header: data.header,
        rows: data.rows,
        peopleRows: data.peopleRows,
        auditRows: data.auditRows,
        meta: data.meta,
        now: ctx.now(),
      });
      await saveLedgerBook(book, out, { headFile: head });
      ctx.out(
        ctx.t(
          `已生成示例台账 ${out}:${data.rows.length} 条案件,${data.peopleRows.length} 名人员,${data.auditRows.length} 条审计记录`,
          `Wrote sample ledger ${out}: ${data.rows.length} cases, ${data.peopleRows.length} people, ${data.auditRows.length} audit entries`,
        ),
      );
      return 0;
    },
  },

  adopt: {
    summary: ["导入原有的手工台账", "Adopt a hand-kept ledger sheet"],
    usage: "complaint-ledger adopt IN.xlsx -o OUT.xlsx [--sheet NAME] [--renumber] [--head HEADFILE]",
    help: [
      "读取 IN 中的工作表,识别列并整理为台账表写入 OUT;原表以备份保留,IN 不会被修改。无法识别的值原样保留并列在“导入问题”表中。--renumber 为重复或缺失的单号重新编号。",
      "Reads a sheet of IN, maps its columns and writes the ledger to OUT; the original sheet is kept as a backup and IN is never modified. Values that cannot be read are kept as typed and listed on the Problems sheet. --renumber gives duplicate or missing case numbers new ones.",
    ],
    options: { output: { value: true, alias: "o" }, sheet: { value: true }, renumber: {}, head: { value: true } },
    async run({ positional, options }, ctx) {
      const input = needFile(positional, ["输入文件", "input file"]);
      const out = needOut(options);
      const { adoptFile } = await import("../stores/xlsx/file");
      const plan = await adoptFile(input, out, {
        sheet: typeof options.sheet === "string" ? options.sheet : undefined,
        renumber: options.renumber === true,
        user: "complaint-ledger",
        now: ctx.now(),
        headFile: headOption(options),
      });
      printAdoption(plan, out, ctx);
      return 0;
    },
  },

  check: {
    summary: ["按规则检查每条案件", "Validate every case"],
    usage: "complaint-ledger check FILE [--json] [--lang zh|en]",
    help: [
      "逐条检查案件(必填、流程、签核、收费/免费与责任、日期顺序等)。退出码:0 无违规,1 有违规,2 文件无法读取。--json 输出 {cases, violations:[{caseNo, code, field, message_zh, message_en}]}。",
      "Validates every case (required fields, lifecycle, sign-offs, free/charged against responsibility, date order…). Exit 0: no violations, 1: violations, 2: unreadable input. --json prints {cases, violations:[{caseNo, code, field, message_zh, message_en}]}.",
    ],
    options: { json: {} },
    async run({ positional, options }, ctx) {
      const r = await scan(needFile(positional), () => new CheckPass(ctx.now()), ctx);
      if (options.json) {
        ctx.out(
          JSON.stringify(
            {
              cases: r.cases,
              violations: r.violations.map((v) => ({ caseNo: v.caseNo ?? "", code: v.code, field: v.field, message_zh: v.zh, message_en: v.en })),
              // Running deadlines computed on a provisional (estimated) holiday calendar.
              estimates: r.estimates.map((e) => ({ caseNo: e.caseNo, clock: e.clock, due: serialToIso(e.due), provisional: true })),
            },
            null,
            2,
          ),
        );
      } else {
        for (const v of r.violations) ctx.out(`${v.caseNo ?? ""}\t${v.code}\t${v.field}\t${ctx.t(v.zh, v.en)}`);
        const bad = new Set(r.violations.map((v) => v.caseNo)).size;
        ctx.out(
          r.violations.length
            ? ctx.t(
                `共 ${r.cases} 条案件,${bad} 条有问题,违规 ${r.violations.length} 项`,
                `${r.cases} cases, ${bad} with problems, ${r.violations.length} violations`,
              )
            : ctx.t(`共 ${r.cases} 条案件,全部符合规则`, `${r.cases} cases, no violations`),
        );
      }
      return r.violations.length ? 1 : 0;
    },
  },

  report: {
    summary: ["财务汇总(免费/收费)", "Finance summary (free / charged)"],
    usage: "complaint-ledger report FILE --finance [--from DATE] [--to DATE] [--csv|--json]",
    help: [
      "按责任、客户和半月(1–15 日、16 日–月末)汇总免费/收费案件数及费用。结案的案件按结案日期计,未结案的按接收日期计。",
      "Free/charged counts and cost by responsibility, by customer and by half-month (1st–15th, 16th–end). A closed case counts on its closing date, an open one on its receipt date.",
    ],
    options: { finance: {}, from: { value: true }, to: { value: true }, csv: {}, json: {} },
    async run({ positional, options }, ctx) {
      const file = needFile(positional);
      if (!options.finance) throw usageError("请指定报表类型:--finance", "Choose a report: --finance");
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
  },

  "verify-audit": {
    summary: ["校验审计记录的哈希链", "Verify the audit log's hash chain"],
    usage: "complaint-ledger verify-audit FILE [--head HEADFILE]",
    help: [
      "校验审计表:任何记录被修改、插入或删除都会被发现并指出位置;本工具写的台账缺少审计表、_cl_meta 表或其中的头部也算被改动。--head HEADFILE 再与保存时写在别处的头部文件(sample/adopt 的 --head)核对。退出码:0 完好,1 已被改动,2 文件无法读取。",
      "Checks the audit sheet: an entry altered, inserted or deleted is found and located; for a ledger this tool wrote, a missing audit sheet, _cl_meta sheet or head counts as tampering. --head HEADFILE also compares with a head file written elsewhere on save (--head of sample/adopt). Exit 0: intact, 1: broken, 2: unreadable input.",
    ],
    options: { head: { value: true } },
    async run({ positional, options }, ctx) {
      const file = needFile(positional);
      const headFile = headOption(options);
      const external = headFile ? await readHeadFile(headFile) : undefined;
      const v = (await scan(file, () => new VerifyPass(ctx.now()), ctx)).verdict(external);
      if (v.ok) {
        ctx.out(ctx.t(`审计记录完好:${v.entries} 条`, `Audit log intact: ${v.entries} entries`));
        if (external) ctx.out(ctx.t(`与头部文件 ${headFile} 一致(第 ${external.seq} 条)`, `Matches the head file ${headFile} (entry ${external.seq})`));
        else ctx.out(ctx.t(RESIDUAL[0], RESIDUAL[1]));
        return 0;
      }
      for (const p of v.problems) {
        const where = p.row !== undefined ? ctx.t(`审计表第 ${p.row + 1} 行`, `audit sheet row ${p.row + 1}`) : ctx.t("审计表末尾", "end of the audit sheet");
        ctx.out(`${where}: ${ctx.t(p.zh, p.en)}`);
      }
      ctx.out(
        ctx.t(`审计记录已被改动:${v.problems.length} 处问题(共 ${v.entries} 条)`, `Audit log BROKEN: ${v.problems.length} problems (${v.entries} entries)`),
      );
      return 1;
    },
  },

  calendar: calendarCommand,
};

/** The limit of a chain without a key, said on every verification without a head file. */
const RESIDUAL: [string, string] = [
  "说明:审计链没有密钥。若有人删掉末尾的记录、同时把 _cl_meta 中的头部改成剩下的最后一条,仅凭工作簿无法发现;用 --head HEADFILE 与保存在工作簿使用者无法修改之处的头部文件核对即可发现。",
  "Note: the chain has no key. Deleting entries at the end and rewriting the head in _cl_meta to match the last one left cannot be seen from the workbook alone; compare with a head file kept where the workbook's users cannot write: --head HEADFILE.",
];

function printAdoption(plan: AdoptPlan, out: string, ctx: Ctx): void {
  ctx.out(ctx.t(`工作表"${plan.sheet}",表头在第 ${plan.headerRow + 1} 行`, `Sheet "${plan.sheet}", header on row ${plan.headerRow + 1}`));
  ctx.out(ctx.t("列映射:", "Column mapping:"));
  for (const c of plan.columns) {
    const to = c.key ?? ctx.t("(保留为附加列)", "(kept as an extra column)");
    const how = { exact: ctx.t("精确", "exact"), synonym: ctx.t("同义词", "synonym"), user: ctx.t("指定", "user"), none: "-" }[c.how];
    ctx.out(`  ${c.letter}\t${c.header || "(空)"}\t→ ${to}\t${how}\t${ctx.t(c.why.zh, c.why.en)}`);
  }
  const k = plan.counts;
  ctx.out(
    ctx.t(
      `行数 ${k.rows}:案件 ${k.cases},空行 ${k.blank},合计行 ${k.total},备注行 ${k.note},重复表头 ${k.header};规范化 ${k.normalised} 个单元格;重复单号 ${k.duplicates},缺少单号 ${k.missingCaseNo},重新编号 ${k.renumbered}`,
      `Rows ${k.rows}: cases ${k.cases}, blank ${k.blank}, total ${k.total}, note ${k.note}, repeated header ${k.header}; ${k.normalised} cells normalised; duplicate numbers ${k.duplicates}, missing numbers ${k.missingCaseNo}, renumbered ${k.renumbered}`,
    ),
  );
  const states = Object.entries(k.states)
    .map(([code, n]) => `${ctx.t(findNamed(STATES, code)?.zh ?? code, findNamed(STATES, code)?.en ?? code)} ${n}`)
    .join(", ");
  ctx.out(
    ctx.t(
      `接管后的状态:${states};其中历史已结案 ${k.history} 条(按结案日判定时效,不计逾期);生成单号 ${k.generated} 个`,
      `States after adoption: ${states}; ${k.history} closed history (clocks judged at the close, never overdue); ${k.generated} case numbers generated`,
    ),
  );
  if (plan.people.length) {
    ctx.out(
      ctx.t(
        `写入人员表的姓名(角色请在人员表中补充):${plan.people.map((p) => p.name).join("、")}`,
        `Names written to the People sheet (fill in their roles there): ${plan.people.map((p) => p.name).join(", ")}`,
      ),
    );
  }
  if (plan.problems.length) {
    ctx.out(ctx.t(`问题 ${plan.problems.length} 个(也列在“导入问题”表中):`, `${plan.problems.length} problems (also on the Problems sheet):`));
    for (const p of plan.problems)
      ctx.out(`  ${ctx.t("第", "row ")}${p.row}${ctx.t("行", "")}${p.column ? ` ${p.column}` : ""}\t${p.kind}\t${ctx.t(p.zh, p.en)}`);
  }
  if ((k.duplicates || k.missingCaseNo) && !k.renumbered) {
    ctx.out(ctx.t("提示:加 --renumber 为重复或缺失的单号重新编号", "Hint: add --renumber to give duplicate or missing case numbers new ones"));
  }
  ctx.out(
    ctx.t(`已写入 ${out}(原表已备份为“备份”工作表,输入文件未改动)`, `Wrote ${out} (the original sheet is kept as a backup; the input file is unchanged)`),
  );
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

function helpText(ctx: Ctx): string {
  const lines = [
    ctx.t("complaint-ledger:客诉处置台账(.xlsx)命令行工具", "complaint-ledger: the complaint & returns ledger (.xlsx) on the command line"),
    "",
    ctx.t("用法:complaint-ledger <命令> [选项]", "Usage: complaint-ledger <command> [options]"),
    "",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)}${ctx.t(...c.summary)}`),
    "",
    ctx.t(
      "通用选项:--lang zh|en 输出语言;--help 查看命令说明;--version 版本",
      "Common options: --lang zh|en output language; --help for a command's help; --version",
    ),
  ];
  return lines.join("\n");
}

function langOf(argv: readonly string[], env: Record<string, string | undefined>): Lang {
  const i = argv.findIndex((a) => a === "--lang" || a.startsWith("--lang="));
  const v = i < 0 ? undefined : argv[i].includes("=") ? argv[i].split("=")[1] : argv[i + 1];
  if (v === "zh" || v === "en") return v;
  const sys = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return /^zh/i.test(sys) ? "zh" : "en";
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const env = io.env ?? {};
  const lang = langOf(argv, env);
  const ctx: Ctx = {
    io,
    lang,
    out: (s = "") => io.stdout.write(s + "\n"),
    err: (s = "") => io.stderr.write(s + "\n"),
    t: translator(lang),
    now: io.now ?? (() => new Date()),
  };
  const [name, ...rest] = argv;
  try {
    const li = argv.findIndex((a) => a === "--lang");
    const lv = li >= 0 ? argv[li + 1] : argv.find((a) => a.startsWith("--lang="))?.split("=")[1];
    if ((li >= 0 || lv !== undefined) && lv !== "zh" && lv !== "en") throw usageError("--lang 只能是 zh 或 en", "--lang must be zh or en");
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      const sub = name === "help" ? rest[0] : undefined;
      if (sub && COMMANDS[sub]) return commandHelp(sub, ctx);
      ctx.out(helpText(ctx));
      return name === undefined ? 2 : 0;
    }
    if (name === "--version" || name === "-v") {
      ctx.out(VERSION);
      return 0;
    }
    const cmd = COMMANDS[name];
    if (!cmd) {
      ctx.err(ctx.t(`未知命令"${name}"`, `Unknown command "${name}"`));
      ctx.err(helpText(ctx));
      return 2;
    }
    const args = parseArgs(rest, { ...COMMON, ...cmd.options });
    if (args.options.help) return commandHelp(name, ctx);
    return await cmd.run(args, ctx);
  } catch (e) {
    if (e instanceof DomainError) {
      ctx.err(`${ctx.t("错误", "Error")}: ${ctx.t(e.zh, e.en)}`);
      if (e.code === "USAGE" && name && COMMANDS[name]) ctx.err(`${ctx.t("用法", "Usage")}: ${COMMANDS[name].usage}`);
      return 2;
    }
    // A bug, not bad input: say so in the user's language; the (English) detail is for the maintainers.
    ctx.err(
      ctx.t(
        "内部错误:程序遇到了意外的问题(不是您的文件的问题),没有写入任何文件。请把下面的技术详情(英文)发给维护者:",
        "Internal error: the program met an unexpected problem (not a problem of your file); nothing was written. Please send the details below to the maintainers:",
      ),
    );
    ctx.err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return 3;
  }
}

function commandHelp(name: string, ctx: Ctx): number {
  const c = COMMANDS[name];
  ctx.out(`${ctx.t("用法", "Usage")}: ${c.usage}`);
  ctx.out("");
  ctx.out(ctx.t(...c.help));
  return 0;
}

/** Entry point for bin/complaint-ledger.js. */
export function run(): void {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(String(e?.stack ?? e) + "\n");
      process.exitCode = 3;
    },
  );
}
