/**
 * complaint-ledger: the ledger on .xlsx files from the command line.
 *
 *   sample -o FILE                      a realistic sample ledger
 *   adopt IN.xlsx -o OUT.xlsx [--sheet NAME] [--renumber]
 *   check FILE [--json] [--lang zh|en]  exit 0 clean, 1 violations, 2 unreadable
 *   report FILE --finance [--from DATE] [--to DATE] [--csv|--json]
 *   verify-audit FILE [--head HEADFILE] exit 0 intact, 1 broken
 *   calendar import|show …              holiday notices and each year's source (calendar.ts)
 *   upgrade FILE [-o OUT] [--dry-run] [--json]   a ledger of an earlier release to this release's schema
 *   case new|set|sign|close|show …      one case under the rules, for scripts (case.ts)
 *   export 8d|reply|dossier FILE CASENO -o OUT   a case's documents (Word, zip), exit 0/1 refused/2
 *   remind FILE [--send] [--smtp URL] [--from ADDR] [--json]   notices and daily digests by e-mail
 *
 * check, report, verify-audit and remind's listing read the file row by row (passes.ts, remind-pass.ts); exceljs
 * (writing, adoption, the fallback reader) is loaded only by the commands
 * that need it, so the read-only commands start fast.
 *
 * `main(argv, io)` returns the exit code, so tests run it in-process.
 * Exit 2 for every usage or input problem (missing file, wrong sheet, bad option).
 */
import { setFlagsFromString } from "v8";
import pkg from "../../package.json";
import { DomainError, translator } from "../domain/errors";
import { parseArgs, type OptionSpec } from "./args";
import { usageError, type CliIO, type Command, type Ctx, type Lang } from "./command";
import { adoptCommand } from "./commands/adopt";
import { calendarCommand } from "./commands/calendar";
import { caseCommand } from "./commands/case";
import { checkCommand } from "./commands/check";
import { exportCommand } from "./commands/export";
import { remindCommand } from "./commands/remind";
import { reportCommand } from "./commands/report";
import { sampleCommand } from "./commands/sample";
import { upgradeCommand } from "./commands/upgrade";
import { verifyAuditCommand } from "./commands/verify-audit";
import { SCHEMA_VERSION } from "../ledger/workbook-layout";

export type { CliIO };

// One version: package.json's (tsc copies it beside the build, ts-jest reads it in place).
const VERSION: string = pkg.version;

const COMMON: Record<string, OptionSpec> = { help: { alias: "h" }, lang: { value: true } };

const COMMANDS: Record<string, Command> = {
  sample: sampleCommand,
  adopt: adoptCommand,
  check: checkCommand,
  report: reportCommand,
  "verify-audit": verifyAuditCommand,
  calendar: calendarCommand,
  upgrade: upgradeCommand,
  case: caseCommand,
  export: exportCommand,
  remind: remindCommand,
};

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
      // The release and the ledger schema version it writes (CHANGELOG.md lists both per release).
      ctx.out(`${VERSION} (schema ${SCHEMA_VERSION})`);
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
  // A reader that stops early (`report … | head -1`) closes the pipe: the output is simply no longer wanted.
  const quietPipe = (stream: NodeJS.WriteStream) =>
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  quietPipe(process.stdout);
  quietPipe(process.stderr);
  // A command's own heap growth (decision 154): this process is the command's, and ends with it.
  const growth = COMMANDS[process.argv[2]]?.heapGrowingPercent;
  if (growth !== undefined) setFlagsFromString(`--heap-growing-percent=${growth}`);
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
