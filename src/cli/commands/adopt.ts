/** complaint-ledger adopt: a hand-kept sheet made into a ledger, with the plan printed. */
import * as path from "path";
import { findNamed } from "../../domain/policy/policy";
import { OPEN } from "../../domain/progress-words";
import { KINDS, STATES } from "../../domain/schema";
import type { AnyAdoptPlan } from "../../adoption/planner";
import { fieldName } from "../../adoption/preview";
import type { Policy } from "../../domain/policy/policy";
import { defaultPolicy } from "../../domain/policy/policy";
import { checkOutput, headOption, needFile, needOut, usageError, type Command, type Ctx } from "../command";

export const adoptCommand: Command = {
  summary: ["导入原有的手工台账", "Adopt a hand-kept ledger sheet"],
  usage: "complaint-ledger adopt IN.xlsx -o OUT.xlsx [--sheet NAME] [--renumber] [--kind KIND] [--json] [--head HEADFILE] [--force]",
  help: [
    "读取 IN 中的工作表,识别列并整理为台账表写入 OUT;原表以备份保留,IN 不会被修改。无法识别的值原样保留并列在“导入问题”表中。--renumber 为重复或缺失的单号重新编号。--kind 指定表中未注明类别的行的类别(默认 客诉)。输出最后列出接管后台账的检查结果(与 check 相同),按原因分组。--json 输出 {sheet, counts, kinds, progress, check:{cases, violations, casesWithViolations, groups}}。OUT 已存在时不覆盖(退出码 2),除非加 --force。",
    "Reads a sheet of IN, maps its columns and writes the ledger to OUT; the original sheet is kept as a backup and IN is never modified. Values that cannot be read are kept as typed and listed on the Problems sheet. --renumber gives duplicate or missing case numbers new ones. --kind sets the kind of the rows whose data names none (default Complaint). The output ends with the check of the adopted ledger (the same as check), grouped by cause. --json prints {sheet, counts, kinds, progress, check:{cases, violations, casesWithViolations, groups}}. An existing OUT is not replaced (exit 2) unless --force.",
  ],
  options: { output: { value: true, alias: "o" }, sheet: { value: true }, renumber: {}, kind: { value: true }, json: {}, head: { value: true }, force: {} },
  // At 200,000 rows adopt holds 80 MB at its peak; with V8's default growth (the heap may double and more before it
  // collects) it was resident at 290–380 MB, with 30 % at 240–280 MB (decision 154).
  heapGrowingPercent: 30,
  async run({ positional, options }, ctx) {
    const input = needFile(positional, ["输入文件", "input file"]);
    const out = needOut(options);
    const kind = typeof options.kind === "string" ? options.kind : undefined;
    if (kind !== undefined && !findNamed(KINDS, kind)) {
      throw usageError(
        `未知的类别"${kind}"(可用:${KINDS.map((k) => `${k.code} ${k.zh}`).join("、")})`,
        `Unknown kind "${kind}" (use ${KINDS.map((k) => `${k.code} ${k.en}`).join(", ")})`,
      );
    }
    // The same file for both is refused by adoptFile itself (SAME_FILE), before this check would call it "existing".
    const guard = path.resolve(input) === path.resolve(out) ? {} : await checkOutput(out, options);
    const { adoptFile } = await import("../../stores/xlsx/file");
    const plan = await adoptFile(input, out, {
      sheet: typeof options.sheet === "string" ? options.sheet : undefined,
      renumber: options.renumber === true,
      kind,
      user: "complaint-ledger",
      now: ctx.now(),
      headFile: headOption(options),
      ...guard,
    });
    if (options.json) {
      const { sheet, counts, kinds, progress, check } = plan;
      ctx.out(JSON.stringify({ sheet, out, counts, kinds, progress, check }, null, 2));
    } else printAdoption(plan, out, ctx);
    return 0;
  },
};

function printAdoption(plan: AnyAdoptPlan, out: string, ctx: Ctx): void {
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
  printSheetSays(plan, ctx);
  printCheck(plan, defaultPolicy(), ctx);
  if ((k.duplicates || k.missingCaseNo) && !k.renumbered) {
    ctx.out(ctx.t("提示:加 --renumber 为重复或缺失的单号重新编号", "Hint: add --renumber to give duplicate or missing case numbers new ones"));
  }
  ctx.out(
    ctx.t(`已写入 ${out}(原表已备份为“备份”工作表,输入文件未改动)`, `Wrote ${out} (the original sheet is kept as a backup; the input file is unchanged)`),
  );
}

/** What the sheet said beyond its columns: where the kinds came from, and each progress text's state. */
function printSheetSays(plan: AnyAdoptPlan, ctx: Ctx): void {
  const f = plan.kinds.from;
  const kindName = (code: string) => ctx.t(findNamed(KINDS, code)?.zh ?? code, findNamed(KINDS, code)?.en ?? code);
  ctx.out(
    ctx.t(
      `类别:按退货回厂 ${f.goods},按处理方式 ${f.disposition},按单号前缀 ${f.prefix},按表名 ${f.title},未注明 ${f.asked}`,
      `Kinds: from goods back ${f.goods}, from the disposition ${f.disposition}, from the number's prefix ${f.prefix}, from the sheet's title ${f.title}, named nowhere ${f.asked}`,
    ),
  );
  const asked = plan.kinds.asked;
  if (asked && asked.rows > 0) {
    const k = asked.chosen ?? asked.default;
    ctx.out(
      ctx.t(
        `  未注明类别的 ${asked.rows} 行记为"${kindName(k)}"${asked.chosen ? "(您指定)" : "(默认;用 --kind 另选)"}`,
        `  The ${asked.rows} rows that name no kind are written as "${kindName(k)}"${asked.chosen ? " (your choice)" : " (the default; choose another with --kind)"}`,
      ),
    );
  }
  const stateName = (code: string) =>
    code === OPEN ? ctx.t("未结(按本行数据)", "open (as its data says)") : ctx.t(findNamed(STATES, code)?.zh ?? code, findNamed(STATES, code)?.en ?? code);
  if (plan.progress.length) ctx.out(ctx.t("进度列的对应:", "Progress column read as:"));
  for (const pr of plan.progress) {
    const written = Object.entries(pr.written)
      .map(([code, n]) => `${stateName(code)} ${n}`)
      .join(", ");
    ctx.out(`  "${pr.text}"	→ ${pr.state ? stateName(pr.state) : "?"}	${ctx.t(`${pr.rows} 行,写入:${written}`, `${pr.rows} rows, written as: ${written}`)}`);
  }
}

/** The check of the adopted ledger before it is written: the same count check prints after. */
function printCheck(plan: AnyAdoptPlan, policy: Policy, ctx: Ctx): void {
  const c = plan.check;
  ctx.out(
    c.violations
      ? ctx.t(
          `接管后检查:共 ${c.cases} 条案件,${c.casesWithViolations} 条有问题,违规 ${c.violations} 项:`,
          `Check after adoption: ${c.cases} cases, ${c.casesWithViolations} with problems, ${c.violations} violations:`,
        )
      : ctx.t(`接管后检查:共 ${c.cases} 条案件,全部符合规则`, `Check after adoption: ${c.cases} cases, no violations`),
  );
  for (const g of c.groups) {
    const name = fieldName(g.field, policy);
    const fix = g.fix ? `	${ctx.t("可修正:", "fix: ")}${ctx.t(g.fix.label.zh, g.fix.label.en)}` : "";
    ctx.out(`  ${g.count}	${g.code}	${ctx.t(name.zh, name.en)}	${ctx.t(g.zh, g.en)}${fix}`);
  }
}
