/**
 * complaint-ledger case: one case driven from outside under the same rules and audit as the pane
 * (automation, bulk intake from another system, scenario tests).
 *
 *   case new   LEDGER.xlsx --set KEY=VALUE… --as NAME [--json]         prints the new case number
 *   case set   LEDGER.xlsx CASENO --set KEY=VALUE… --as NAME [--json]
 *   case sign  LEDGER.xlsx CASENO --role ROLE [--form FORM] --as NAME [--comment TEXT] [--json]
 *   case close LEDGER.xlsx CASENO --as NAME [--json]
 *   case show  LEDGER.xlsx CASENO [--json]
 *
 * Exit 0 done, 1 refused by a rule (reasons in both languages, nothing written), 2 bad input.
 * A write is one atomic save of the file with its audit entries, refused when the file changed
 * since it was read (saveWorkbook's stamp check).
 */
import { readValue } from "../../domain/case";
import { findNamed, type Policy } from "../../domain/policy/policy";
import { ledgerSchema, matchHeader, type FieldDef } from "../../domain/schema";
import type { EditReason } from "../../ledger/edit-check";
import type { Actor, Ledger, SaveResult } from "../../ledger/service";
import { caseReport, type CaseReport } from "../../ledger/case-report";
import { usageError, type Command, type Ctx } from "../command";

const SUBCOMMANDS = ["new", "set", "sign", "close", "show"] as const;
type Sub = (typeof SUBCOMMANDS)[number];

interface Opened {
  ledger: Ledger;
  save(): Promise<void>;
}

async function open(file: string, ctx: Ctx): Promise<Opened> {
  const [{ openLedgerFile, saveWorkbook }, { Ledger }] = await Promise.all([import("../../stores/xlsx/file"), import("../../ledger/service")]);
  const { workbook, store, stamp } = await openLedgerFile(file, { now: ctx.now });
  const ledger = new Ledger(store, { now: ctx.now });
  await ledger.load();
  for (const p of ledger.policyProblems) {
    ctx.err(ctx.t(`设置表第 ${p.row} 行:${p.zh}(已改用默认规则)`, `Policy sheet row ${p.row}: ${p.en} (using the default rules)`));
  }
  return { ledger, save: async () => void (await saveWorkbook(workbook, file, { expect: stamp })) };
}

/** The field a KEY names: its key, 中文 or English header (or a synonym), never a sign-off column. */
function fieldOf(key: string, policy: Policy): FieldDef {
  const fields = ledgerSchema(policy).filter((f) => f.type !== "signature");
  const f = fields.find((x) => x.key === key) ?? matchHeader(key, fields);
  if (!f) throw usageError(`未知的字段"${key}"`, `Unknown field "${key}"`);
  if (f.key === "caseNo") throw usageError("客诉单号由台账分配,不能设置", "The case number is assigned by the ledger and cannot be set");
  return f;
}

/** --set KEY=VALUE… → values by field key, each read as its field's type (bad values are bad input, exit 2). */
export function readSets(sets: readonly string[], policy: Policy): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sets) {
    const eq = s.indexOf("=");
    if (eq <= 0) throw usageError(`--set 应为 KEY=VALUE:"${s}"`, `--set should be KEY=VALUE: "${s}"`);
    const f = fieldOf(s.slice(0, eq).trim(), policy);
    const raw = s.slice(eq + 1);
    if (f.key in out) throw usageError(`字段"${f.zh}"设置了两次`, `Field "${f.en}" is set twice`);
    if (raw.trim() === "") {
      out[f.key] = null;
      continue;
    }
    const r = readValue(f, raw, policy);
    if (r.problem) throw usageError(`${f.zh}:${r.problem.zh}`, `${f.en}: ${r.problem.en}`);
    out[f.key] = r.value;
  }
  return out;
}

/** The person acting: on the People sheet, acting in the roles it gives. */
function actorOf(name: string | boolean | undefined, ledger: Ledger): Actor {
  if (typeof name !== "string" || name.trim() === "") throw usageError("缺少 --as NAME(人员表中的姓名)", "Missing --as NAME (a name on the People sheet)");
  const p = ledger.people.find((x) => x.name === name.trim());
  if (!p) throw usageError(`人员表中没有"${name}"`, `"${name}" is not on the People sheet`);
  return { name: p.name, account: p.account, source: "cli" };
}

const reasonsJson = (reasons: readonly EditReason[]) => reasons.map((r) => ({ field: r.field, code: r.code, message_zh: r.zh, message_en: r.en }));

function refused(reasons: readonly EditReason[], json: boolean, ctx: Ctx): number {
  if (json) ctx.out(JSON.stringify({ ok: false, reasons: reasonsJson(reasons) }, null, 2));
  // Refusals are said in both languages whatever --lang: a script's log is read by both.
  for (const r of reasons) ctx.err(`${r.field}\t${r.code}\t${r.zh} / ${r.en}`);
  return 1;
}

async function finish(result: SaveResult, o: Opened, json: boolean, ctx: Ctx, say: (caseNo: string) => string): Promise<number> {
  if (!result.ok) return refused(result.reasons, json, ctx);
  await o.save();
  const row = o.ledger.find(result.caseNo);
  if (json) ctx.out(JSON.stringify({ ok: true, caseNo: result.caseNo, status: row?.case.status ?? null }, null, 2));
  else ctx.out(say(result.caseNo));
  return 0;
}

function needCase(positional: string[], o: Opened): string {
  const caseNo = positional[0];
  if (!caseNo) throw usageError("缺少客诉单号", "Missing the case number");
  if (positional.length > 1) throw usageError(`多余的参数:${positional.slice(1).join(" ")}`, `Unexpected arguments: ${positional.slice(1).join(" ")}`);
  if (!o.ledger.find(caseNo)) throw usageError(`找不到客诉单 ${caseNo}`, `Case ${caseNo} was not found`);
  return caseNo;
}

const str = (v: string | boolean | undefined) => (typeof v === "string" ? v : undefined);

async function runSub(sub: Sub, file: string, rest: string[], options: Record<string, string | boolean>, sets: string[], ctx: Ctx): Promise<number> {
  const json = options.json === true;
  const o = await open(file, ctx);
  const { ledger } = o;
  if (sub !== "set" && sub !== "new" && sets.length) throw usageError(`case ${sub} 不接受 --set`, `case ${sub} takes no --set`);
  switch (sub) {
    case "new": {
      if (rest.length) throw usageError(`多余的参数:${rest.join(" ")}`, `Unexpected arguments: ${rest.join(" ")}`);
      const values = readSets(sets, ledger.policy);
      const by = actorOf(options.as, ledger);
      return finish(await ledger.addCase(values, by), o, json, ctx, (no) => no);
    }
    case "set": {
      const caseNo = needCase(rest, o);
      if (!sets.length) throw usageError("缺少 --set KEY=VALUE", "Missing --set KEY=VALUE");
      const values = readSets(sets, ledger.policy);
      const by = actorOf(options.as, ledger);
      return finish(await ledger.updateCase(caseNo, values, by), o, json, ctx, (no) => ctx.t(`已保存 ${no}`, `Saved ${no}`));
    }
    case "sign": {
      const caseNo = needCase(rest, o);
      const role = str(options.role);
      if (!role) throw usageError("缺少 --role ROLE", "Missing --role ROLE");
      const def = findNamed(ledger.policy.roles, role);
      if (!def) throw usageError(`未知的角色"${role}"`, `Unknown role "${role}"`);
      const formText = str(options.form);
      const form = formText === undefined ? undefined : findNamed(ledger.policy.forms, formText);
      if (formText !== undefined && !form) throw usageError(`未知的签核单"${formText}"`, `Unknown approval form "${formText}"`);
      const by = actorOf(options.as, ledger);
      const r = await ledger.sign(caseNo, def.code, by, str(options.comment), form?.code);
      return finish(r, o, json, ctx, (no) => ctx.t(`已签核 ${no}(${def.zh})`, `Signed ${no} as ${def.en}`));
    }
    case "close": {
      const caseNo = needCase(rest, o);
      const by = actorOf(options.as, ledger);
      return finish(await ledger.closeCase(caseNo, by), o, json, ctx, (no) => ctx.t(`已结案 ${no}`, `Closed ${no}`));
    }
    case "show": {
      const caseNo = needCase(rest, o);
      const report = caseReport(ledger, caseNo, ctx.now());
      if (json) ctx.out(JSON.stringify(report, null, 2));
      else printReport(report, ctx);
      return 0;
    }
  }
}

function printReport(r: CaseReport, ctx: Ctx): void {
  ctx.out(`${r.caseNo}\t${ctx.t(r.state.zh, r.state.en)}`);
  for (const [k, v] of Object.entries(r.fields)) ctx.out(`  ${k}\t${String(v)}`);
  for (const c of r.clocks) {
    const due = c.due ? `${c.due}${c.target ? ` (${ctx.t("目标", "target")} ${c.target})` : ""}` : "-";
    ctx.out(`  ${ctx.t("时限", "clock")} ${c.clock}\t${due}\t${c.unit}\t${c.status ?? ""}${c.estimate ? ` ${ctx.t("估算", "estimate")}` : ""}`);
  }
  for (const m of r.signatures.missing) ctx.out(`  ${ctx.t("缺少签核", "missing sign-off")} ${m.form}\t${m.roles.join("|")}`);
  for (const v of r.violations) ctx.out(`  ${v.code}\t${v.field}\t${ctx.t(v.message_zh, v.message_en)}`);
}

export const caseCommand: Command = {
  summary: ["按规则新建、修改、签核、结案、查看一条案件", "Create, change, sign, close or show one case under the rules"],
  usage:
    "complaint-ledger case new|set|sign|close|show LEDGER.xlsx [CASENO] [--set KEY=VALUE…] [--role ROLE] [--form FORM] [--as NAME] [--comment TEXT] [--json]",
  help: [
    "与任务窗格同样的规则和审计记录:new 新建案件并输出单号;set 修改字段(KEY 为字段代码或中文/英文表头);sign 以角色签核(--form 指定签核的单据);close 结案;show 显示字段、状态、时限、签核和违规(--json)。--as 为人员表中的姓名,按其角色行事。退出码:0 完成,1 被规则拒绝(不写入),2 输入有误。每次写入是一次原子保存;文件在读取后被改动则拒绝保存。",
    "The same rules and audit as the task pane: new logs a case and prints its number; set changes fields (KEY is a field key or its 中文/English header); sign signs for a role (--form names the document signed); close closes; show prints fields, state, clocks, sign-offs and violations (--json). --as is a name on the People sheet, acting in the roles it gives. Exit 0 done, 1 refused by a rule (nothing written), 2 bad input. Each write is one atomic save, refused when the file changed since it was read.",
  ],
  options: { set: { value: true, repeat: true }, as: { value: true }, role: { value: true }, form: { value: true }, comment: { value: true }, json: {} },
  async run({ positional, options, lists }, ctx) {
    const [sub, file, ...rest] = positional;
    if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw usageError(`请指定 ${SUBCOMMANDS.join("|")}`, `Say one of ${SUBCOMMANDS.join("|")}`);
    }
    if (!file) throw usageError("缺少台账文件", "Missing the ledger file");
    return runSub(sub as Sub, file, rest, options, lists?.set ?? [], ctx);
  },
};
