/** complaint-ledger check: every case against the rules; exit 0 clean, 1 violations, 2 unreadable. */
import { serialToIso } from "../../domain/dates";
import { needFile, scan, type Command } from "../command";
import { CheckPass, LISTED_MAX } from "../passes";

export const checkCommand: Command = {
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
            // Violations past the first LISTED_MAX, counted but not listed (output stays bounded).
            ...(r.unlisted ? { unlisted: r.unlisted } : {}),
            // Running deadlines computed on a provisional (estimated) holiday calendar.
            estimates: r.estimates.map((e) => ({ caseNo: e.caseNo, clock: e.clock, due: serialToIso(e.due), provisional: true })),
          },
          null,
          2,
        ),
      );
    } else {
      for (const v of r.violations) ctx.out(`${v.caseNo ?? ""}\t${v.code}\t${v.field}\t${ctx.t(v.zh, v.en)}`);
      const { cases: bad, violations: all } = r.counts;
      if (r.unlisted)
        ctx.out(
          ctx.t(`……另有 ${r.unlisted} 项违规未列出(只列前 ${LISTED_MAX} 项)`, `… and ${r.unlisted} more violations not listed (the first ${LISTED_MAX} are)`),
        );
      ctx.out(
        all
          ? ctx.t(`共 ${r.cases} 条案件,${bad} 条有问题,违规 ${all} 项`, `${r.cases} cases, ${bad} with problems, ${all} violations`)
          : ctx.t(`共 ${r.cases} 条案件,全部符合规则`, `${r.cases} cases, no violations`),
      );
    }
    return r.counts.violations ? 1 : 0;
  },
};
