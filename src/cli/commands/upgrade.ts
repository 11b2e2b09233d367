/**
 * complaint-ledger upgrade: a ledger written by an earlier release brought to this release's schema
 * (ledger/migrations): new columns at the table's end, the release's Policy rows below the user's, an
 * UPGRADED audit entry per step. Exit 0 upgraded or already current (then the file is not written at all,
 * so a second run leaves it byte-identical); 2 unreadable or written by a newer release (file untouched).
 */
import { existsSync } from "node:fs";
import { policyFromRows } from "../../domain/policy/policy-table";
import { defaultPolicy } from "../../domain/policy/policy";
import type { CellValue } from "../../domain/case";
import type { UpgradePlan } from "../../ledger/migrations/steps";
import { AUDIT_COLUMNS, META, SCHEMA_VERSION } from "../../ledger/workbook-layout";
import type { FileStamp, LedgerScanInfo, LedgerVisitor } from "../../stores/xlsx/file";
import type { UpgradePatch } from "../../stores/xlsx/upgrade/upgrade-parts";
import { needFile, usageError, type Command } from "../command";
import { Recorder, SmallParts, smallData } from "../small-parts";

const BY = { name: "complaint-ledger", source: "cli" } as const;

/** The upgrade through exceljs's model of the whole workbook (a file the patch does not write; bounded by LIMITS.exceljsBytes). */
async function upgradeLoaded(file: string, out: string | undefined, dryRun: boolean, now: () => Date): Promise<UpgradePlan> {
  const [{ openLedgerFile, saveWorkbook }, { Ledger }] = await Promise.all([import("../../stores/xlsx/file"), import("../../ledger/service")]);
  const { workbook, store, stamp } = await openLedgerFile(file, { now });
  const ledger = new Ledger(store, { now });
  // Throws SCHEMA_NEWER (exit 2, bilingual) before anything is written.
  const plan = await ledger.upgrade(BY, { dryRun });
  if (!dryRun && plan.steps.length > 0) {
    // Another file, or this one only if nobody saved it since it was read.
    if (out !== undefined) await saveWorkbook(workbook, out, { expect: null });
    else await saveWorkbook(workbook, file, { expect: stamp });
  }
  return plan;
}

/**
 * The upgrade as a patch of the file's parts (stores/xlsx/upgrade/upgrade-parts.ts): the small sheets read as check
 * reads them, the plan and its one write worked out by the Ledger over them, the ledger sheet streamed once with
 * the new columns' cells, the audit entries appended as the audit sheet streams (chained on the head found there).
 * Memory stays that of check whatever the row count. Undefined, with nothing written, when the file's shape needs
 * the whole workbook.
 */
async function upgradePatched(file: string, out: string | undefined, dryRun: boolean, now: () => Date): Promise<UpgradePlan | undefined> {
  const [{ stampOf }, { patchPlace }, { ZipFile }] = await Promise.all([
    import("../../stores/xlsx/file"),
    import("../../stores/xlsx/patch"),
    import("../../stores/xlsx/zip/zip-file"),
  ]);
  const stamp = await stampOf(file);
  if (!stamp) return undefined;
  const zip = ZipFile.open(file);
  try {
    if (!patchPlace(zip)) return undefined;
  } finally {
    zip.close();
  }
  const first = await patchedOnce({ file, out, dryRun, now, stamp }, false);
  // An audit log whose sequence or hash cells are shared strings: scanned first (as check reads it), then written.
  return first === "scan audit" ? ((await patchedOnce({ file, out, dryRun, now, stamp }, true)) as UpgradePlan | undefined) : first;
}

interface PatchRun {
  file: string;
  out: string | undefined;
  dryRun: boolean;
  now: () => Date;
  stamp: FileStamp;
}

/** One patched upgrade; with `scanAudit` the audit head and entry count come from a scan rather than the stream. */
async function patchedOnce(run: PatchRun, scanAudit: boolean): Promise<UpgradePlan | undefined | "scan audit"> {
  const [{ scanLedgerFile, saveParts }, { patchPlace }, { Ledger }, { headOf }, { ZipFile }] = await Promise.all([
    import("../../stores/xlsx/file"),
    import("../../stores/xlsx/patch"),
    import("../../ledger/service"),
    import("../../ledger/audit"),
    import("../../stores/xlsx/zip/zip-file"),
  ]);
  const { file, out, stamp } = run;
  const small = await scanLedgerFile(file, () => (scanAudit ? new SmallParts() : new SmallSheets()));
  const info = small.info!;
  if (!info.has.table || !info.has.policy || !info.has.audit || !info.meta) return undefined;
  const data = smallData(small);
  // Without a scan the entries chain on the meta sheet's head; the stream chains them again on the one it finds.
  if (!scanAudit) data.auditRows = metaHead(info.meta);
  const store = new Recorder(data);
  // Throws SCHEMA_NEWER (exit 2, bilingual) before anything is written.
  const plan = await new Ledger(store, { now: run.now }).upgrade(BY, { dryRun: run.dryRun });
  if (run.dryRun || plan.steps.length === 0) return plan;
  const w = store.batch;
  if (!w?.audit || !w.meta) return undefined;
  const { AuditHeadUnread, upgradePatchable, writeUpgrade } = await import("../../stores/xlsx/upgrade/upgrade-parts");
  const policyRows = [...info.policyRows, ...(w.policyAppend ?? [])];
  const patch: UpgradePatch = {
    columns: w.columns ?? [],
    policyAppend: w.policyAppend ?? [],
    policy: (policyRows.length ? policyFromRows(policyRows).policy : undefined) ?? defaultPolicy(),
    audit: w.audit,
    auditBase: headOf(data.auditRows),
    meta: w.meta,
    oldMeta: info.meta,
  };
  if (!upgradePatchable(patch)) return undefined;
  // The file read a slice at a time as its parts are written, never held whole; the stamp check refuses a file changed since.
  const zip = ZipFile.open(file);
  try {
    const place = patchPlace(zip);
    if (!place) return undefined;
    if (small instanceof SmallParts) patch.auditCount = small.lastAuditRow ? small.lastAuditRow - place.auditTable.top : 0;
    // Another file, or this one only if nobody saved it since it was read.
    await saveParts(out ?? file, { expect: out !== undefined ? null : stamp }, (sink) => writeUpgrade(place, patch, sink));
    return plan;
  } catch (e) {
    if (e instanceof AuditHeadUnread && !scanAudit) return "scan audit";
    if ((e as Error)?.name === "PatchConflict") return undefined;
    throw e;
  } finally {
    zip.close();
  }
}

/** The small sheets only (the audit sheet is not read). */
class SmallSheets implements LedgerVisitor {
  info: LedgerScanInfo | undefined;
  begin(info: LedgerScanInfo): void {
    this.info = info;
  }
}

/** The meta sheet's audit head as the one audit row a Ledger chains on (none when the meta sheet has no head). */
function metaHead(meta: Record<string, string>): CellValue[][] {
  const seq = Number(meta[META.auditSeq]);
  if (!Number.isInteger(seq) || seq <= 0) return [];
  const row: CellValue[] = AUDIT_COLUMNS.map(() => null);
  row[AUDIT_COLUMNS.findIndex((c) => c.key === "seq")] = seq;
  row[AUDIT_COLUMNS.findIndex((c) => c.key === "hash")] = meta[META.auditHash] ?? "";
  return [row];
}

export const upgradeCommand: Command = {
  summary: ["把旧版本写的台账升级到本版本", "Upgrade a ledger written by an earlier release"],
  usage: "complaint-ledger upgrade LEDGER.xlsx [-o OUT.xlsx] [--dry-run] [--json]",
  help: [
    `把台账升级到本程序的结构版本 ${SCHEMA_VERSION}:在台账表末尾添加新列(含公式、校验和格式),为设置表新签核角色添加签核列,把本版本新增的设置行追加到设置表末尾(您修改过的行保持原样,您删除的默认行不再加回,程序依赖的代码除外),并记一条 UPGRADED 审计记录。原有单元格一律不变。-o 写到另一个文件(原文件不变);--dry-run 只列出将做的变更,不写文件;--json 输出 {"from","to","changes":[{"kind","detail"}]}。已是本版本时不写文件。退出码:0 已升级或无需升级,2 文件无法读取或由更新的版本写入(文件未改动)。`,
    `Upgrades the ledger to this release's schema version ${SCHEMA_VERSION}: new columns at the ledger table's end (with their formulas, validation and formats), a sign-off column for each role the policy now names, and this release's new Policy rows appended below the sheet's own (rows you edited stay as edited, default rows you deleted stay deleted unless the add-in relies on their code), with an UPGRADED audit entry. No existing cell changes. -o writes another file (the input is untouched); --dry-run lists the changes and writes nothing; --json prints {"from","to","changes":[{"kind","detail"}]}. A current ledger is not written at all. Exit 0: upgraded or already current, 2: unreadable or written by a newer release (file untouched).`,
  ],
  options: { output: { value: true, alias: "o" }, "dry-run": {}, json: {} },
  async run({ positional, options }, ctx) {
    const file = needFile(positional);
    const out = options.output;
    if (out !== undefined && (typeof out !== "string" || out === "")) throw usageError("-o 需要一个文件", "-o needs a file");
    const dryRun = options["dry-run"] === true;
    if (typeof out === "string" && existsSync(out)) {
      throw usageError(`${out} 已存在;为免覆盖,请换一个输出文件名`, `${out} already exists; choose another output file so nothing is overwritten`);
    }
    const target = typeof out === "string" ? out : undefined;
    // The file's parts patched (its other parts copied as stored); a shape the patch does not write, through exceljs.
    const plan = (await upgradePatched(file, target, dryRun, ctx.now)) ?? (await upgradeLoaded(file, target, dryRun, ctx.now));
    if (options.json) {
      ctx.out(JSON.stringify({ from: plan.from, to: plan.to, changes: plan.changes.map((c) => ({ kind: c.kind, detail: c.detail })) }, null, 2));
      return 0;
    }
    if (plan.steps.length === 0) {
      ctx.out(ctx.t(`台账已是结构版本 ${plan.to},无需升级(文件未改动)`, `The ledger is already at schema version ${plan.to}; nothing to do (file unchanged)`));
      return 0;
    }
    for (const c of plan.changes) ctx.out(`  ${c.kind}\t${ctx.t(c.zh, c.en)}`);
    ctx.out(
      dryRun
        ? ctx.t(
            `可从结构版本 ${plan.from} 升级到 ${plan.to},共 ${plan.changes.length} 项变更(--dry-run:未写入)`,
            `Can upgrade from schema version ${plan.from} to ${plan.to}: ${plan.changes.length} changes (--dry-run: nothing written)`,
          )
        : ctx.t(
            `已从结构版本 ${plan.from} 升级到 ${plan.to},共 ${plan.changes.length} 项变更,已写入 ${target ?? file}`,
            `Upgraded from schema version ${plan.from} to ${plan.to}: ${plan.changes.length} changes, written to ${target ?? file}`,
          ),
    );
    return 0;
  },
};
