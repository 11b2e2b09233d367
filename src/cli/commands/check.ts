/** complaint-ledger check: every case against the rules; exit 0 clean, 1 violations, 2 unreadable. */
import { serialToIso } from "../../domain/dates";
import { olderLedgerNotice, schemaStatus } from "../../ledger/schema-version";
import { needFile, scan, type Command } from "../command";
import { CheckPass, LISTED_MAX } from "../passes";

export const checkCommand: Command = {
  summary: ["按规则检查每条案件", "Validate every case"],
  usage: "complaint-ledger check FILE [--json] [--lang zh|en]",
  help: [
    "逐条检查案件(必填、流程、签核、收费/免费与责任、日期顺序等)。退出码:0 无违规,1 有违规,2 文件无法读取。--json 输出 {cases, violations:[{caseNo, code, field, message_zh, message_en}], estimates, schema:{version, current}, pastRetention, supplier8DOverdue:[{caseNo, due}]}。",
    "Validates every case (required fields, lifecycle, sign-offs, free/charged against responsibility, date order…). Exit 0: no violations, 1: violations, 2: unreadable input. --json prints {cases, violations:[{caseNo, code, field, message_zh, message_en}], estimates, schema:{version, current}, pastRetention, supplier8DOverdue:[{caseNo, due}]}.",
  ],
  options: { json: {} },
  async run({ positional, options }, ctx) {
    const file = needFile(positional);
    const r = await scan(file, () => new CheckPass(ctx.now()), ctx);
    const schema = schemaStatus(r.info?.meta ?? {});
    // Said on stderr, so the report on stdout stays as it was.
    if (schema.state === "older") {
      const n = olderLedgerNotice(schema);
      ctx.err(`${ctx.t(n.zh, n.en)}: complaint-ledger upgrade ${file}`);
    } else if (schema.state === "newer") {
      ctx.err(
        ctx.t(
          `此台账由较新版本写入(结构版本 ${schema.version},本程序只认识到 ${schema.current}),检查结果可能不完整,且本程序不会修改它`,
          `This ledger was written by a newer release (schema version ${schema.version}; this release knows up to ${schema.current}): the check may be incomplete, and this release will not change it`,
        ),
      );
    }
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
            // The ledger's schema version and this release's: older can be upgraded, newer is read-only here.
            schema: { version: schema.version, current: schema.current },
            // Closed cases kept longer than the Policy sheet's retention period: for the quality department to archive or dispose of.
            pastRetention: r.pastRetention.map((x) => ({ caseNo: x.caseNo, closedAt: serialToIso(x.closedAt) })),
            // Non-batch supplier returns whose supplier 8D (2 working days from the return) is overdue today.
            supplier8DOverdue: r.supplier8DOverdue.map((x) => ({ caseNo: x.caseNo, due: serialToIso(Math.floor(x.due)) })),
          },
          null,
          2,
        ),
      );
    } else {
      for (const v of r.violations) ctx.out(`${v.caseNo ?? ""}\t${v.code}\t${v.field}\t${ctx.t(v.zh, v.en)}`);
      for (const x of r.pastRetention) {
        ctx.out(
          `${x.caseNo}\tPAST_RETENTION\tclosedAt\t${ctx.t(`已超过保存年限(结案 ${serialToIso(x.closedAt)})`, `Past the retention period (closed ${serialToIso(x.closedAt)})`)}`,
        );
      }
      for (const x of r.supplier8DOverdue) {
        const due = serialToIso(Math.floor(x.due));
        ctx.out(`${x.caseNo}\tSUPPLIER_8D_OVERDUE\tsupplier8DAt\t${ctx.t(`供应商8D逾期(应于 ${due} 前回复)`, `Supplier 8D overdue (due ${due})`)}`);
      }
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
