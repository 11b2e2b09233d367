/** complaint-ledger sample: a deterministic sample ledger. */
import { defaultPolicy } from "../../domain/policy/policy";
import { SHEETS } from "../../ledger/workbook-layout";
import { checkOutput, headOption, needOut, usageError, type Command } from "../command";

export const sampleCommand: Command = {
  summary: ["生成示例台账", "Write a sample ledger"],
  usage: "complaint-ledger sample -o FILE [--seed N] [--cases N] [--head HEADFILE] [--force]",
  help: [
    "生成一个确定的示例台账(约 200 条中文案件,覆盖所有状态、类别、责任,含签核、人员和审计记录)。FILE 已存在时不覆盖(退出码 2),除非加 --force。审计日志或台账超出 Excel 的 1,048,576 行时不写文件(退出码 2),并给出此种子下最多可用的 --cases。",
    "Writes a deterministic sample ledger (~200 Chinese cases across all states, kinds and responsibilities, with sign-offs, people and an audit log). An existing FILE is not replaced (exit 2) unless --force. A sample whose audit log or ledger would pass Excel's 1,048,576 rows is not written (exit 2); the most --cases that fit with the seed is named.",
  ],
  options: { output: { value: true, alias: "o" }, seed: { value: true }, cases: { value: true }, head: { value: true }, force: {} },
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
      // Cases are made as they are written (decision #121): memory does not bound the count, patience does.
      cases = num("cases", 200, 1000000);
    const head = headOption(options);
    const guard = await checkOutput(out, options);
    const [{ streamSample, SampleTooBig, largestSample }, { createLedgerBook }, { saveLedgerBook }, { LIMITS, limitError }] = await Promise.all([
      import("../../sample/ledger-sample"),
      import("../../stores/xlsx/workbook"),
      import("../../stores/xlsx/file"),
      import("../../stores/xlsx/limits"),
    ]);
    // The ledger and audit rows are made as they stream into the file (decisions #40, #121): no case is held for long.
    // A sample past Excel's grid is refused after counting, before an entry is hashed or a byte written (decision 170).
    const data = await streamSample({ seed, cases, rows: LIMITS.rows }).catch((e: unknown) => {
      if (!(e instanceof SampleTooBig)) throw e;
      const { found, exact } = largestSample({ seed }, cases, LIMITS.rows, e.counts);
      const n = (x: number) => x.toLocaleString("en");
      const most = exact ? `${found}` : `≤ ${found}`;
      throw limitError(
        `${n(cases)} 条案件的示例台账有 ${n(e.entries)} 条审计记录,工作表"${SHEETS.audit}"将超出 Excel 的 ${n(e.rows)} 行上限(Excel 只能删去多出的行后打开);` +
          `此种子下 --cases 最多为 ${most}。未写入任何文件`,
        `a sample of ${n(cases)} cases holds ${n(e.entries)} audit entries: sheet "${SHEETS.audit}" would pass Excel's ${n(e.rows)} rows ` +
          `(Excel opens such a file only by dropping the rows beyond); with this seed --cases can be at most ${most}. No file was written`,
      );
    });
    const book = createLedgerBook({
      policy: defaultPolicy(),
      header: data.header,
      rows: data.rows,
      peopleRows: data.peopleRows,
      auditRows: data.auditRows,
      meta: data.meta,
      now: ctx.now(),
    });
    await saveLedgerBook(book, out, { headFile: head, ...guard });
    ctx.out(
      ctx.t(
        `已生成示例台账 ${out}:${data.rows.length} 条案件,${data.peopleRows.length} 名人员,${data.auditRows.length} 条审计记录`,
        `Wrote sample ledger ${out}: ${data.rows.length} cases, ${data.peopleRows.length} people, ${data.auditRows.length} audit entries`,
      ),
    );
    return 0;
  },
};
