/**
 * What every command of the command line shares: its shape (Command), the context it runs in (Ctx: output,
 * language, clock), and the argument helpers each uses the same way. One module per command in commands/.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { DomainError } from "../domain/errors";
import type { PolicyProblem, SuppliedCode } from "../domain/policy/policy-table";
import { scanLedgerFile, type LedgerVisitor } from "../stores/xlsx/file";
import type { OptionSpec } from "./args";
import { progressBar } from "./progress";

export interface CliIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env?: Record<string, string | undefined>;
  /** Fixed clock for tests. */
  now?: () => Date;
}

export type Lang = "zh" | "en";

export interface Ctx {
  io: CliIO;
  lang: Lang;
  out(s?: string): void;
  err(s?: string): void;
  t(zh: string, en: string): string;
  now(): Date;
}

export interface Command {
  summary: [string, string];
  usage: string;
  help: [string, string];
  options: Record<string, OptionSpec>;
  /**
   * V8's heap growth for the command's process (`--heap-growing-percent`), set by `run()` before it starts: a
   * batch that holds little but allocates fast keeps its peak near what it holds (decision 154). Not set when
   * `main` runs in another program's process (the tests).
   */
  heapGrowingPercent?: number;
  run(args: { positional: string[]; options: Record<string, string | boolean>; lists?: Record<string, string[]> }, ctx: Ctx): Promise<number>;
}

export const usageError = (zh: string, en: string) => new DomainError("USAGE", zh, en);

export function needFile(positional: string[], what: [string, string] = ["台账文件", "ledger file"]): string {
  if (positional.length === 0) throw usageError(`缺少${what[0]}`, `Missing the ${what[1]}`);
  if (positional.length > 1) throw usageError(`多余的参数:${positional.slice(1).join(" ")}`, `Unexpected arguments: ${positional.slice(1).join(" ")}`);
  return positional[0];
}

export function needOut(options: Record<string, string | boolean>): string {
  const o = options.output;
  if (typeof o !== "string" || o === "") throw usageError("缺少输出文件(-o FILE)", "Missing the output file (-o FILE)");
  return o;
}

/**
 * The -o file of a writer (sample, adopt), checked before any work: an existing file is never
 * replaced unless `--force` (exit 2, naming it), and a missing folder is said as such.
 * Returns the save option that keeps the check true up to the rename (null: must not exist yet).
 */
export async function checkOutput(out: string, options: Record<string, string | boolean>): Promise<{ expect?: null }> {
  const force = options.force === true;
  const dir = path.dirname(path.resolve(out));
  const st = await fs.stat(dir).catch(() => undefined);
  if (!st) throw usageError(`输出文件夹不存在:${dir}`, `The output folder does not exist: ${dir}`);
  if (!st.isDirectory()) throw usageError(`输出位置不是文件夹:${dir}`, `The output location is not a folder: ${dir}`);
  const there = await fs.lstat(out).catch(() => undefined);
  if (there?.isDirectory()) throw usageError(`${out} 是一个文件夹`, `${out} is a folder`);
  if (there && !force)
    throw new DomainError(
      "OUTPUT_EXISTS",
      `${out} 已存在,没有覆盖它(未做任何更改)。换一个输出文件名,或加 --force 覆盖`,
      `${out} already exists and was not overwritten (nothing changed). Choose another output file, or add --force to replace it`,
    );
  return force ? {} : { expect: null };
}

/** One pass over a ledger file with a progress bar; the policy sheet's problems are reported as the Ledger reports them. */
export async function scan<V extends LedgerVisitor & { policyProblems: PolicyProblem[]; policySupplied?: SuppliedCode[] }>(
  file: string,
  make: () => V,
  ctx: Ctx,
): Promise<V> {
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
  for (const s of v.policySupplied ?? []) ctx.err(ctx.t(s.zh, s.en));
  return v;
}

export const headOption = (options: Record<string, string | boolean>): string | undefined => {
  if (options.head === undefined) return undefined;
  if (typeof options.head !== "string" || options.head === "") throw usageError("--head 需要一个文件", "--head needs a file");
  return options.head;
};

export const money = (x: number) => x.toFixed(2);
