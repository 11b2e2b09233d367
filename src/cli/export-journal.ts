/**
 * complaint-ledger export journal LEDGER.xlsx --from DATE --to DATE -o FILE.csv [--layout NAME] [--again] [--force]
 * (issue 23): the period's bookings not exported before, in the layout's
 * columns; each line marked in the ledger by a JOURNAL_EXPORTED audit entry
 * (its key, the batch) so it is never exported twice. `--again` lists the
 * period's lines already exported too (a lost file), marking nothing new.
 * The CSV goes to a temporary file, renamed into place only once the ledger
 * is saved with its marks: never marks without the file, never a half file.
 */
import { promises as fs } from "fs";
import path from "path";
import { toSerial } from "../domain/dates";
import { DomainError } from "../domain/errors";
import { newerLedgerError } from "../ledger/schema-version";
import { Ledger } from "../ledger/service";
import { bookings, JOURNAL_FIELD, journalCsv, journalMarks, layoutOf } from "../reports/journal";
import { checkOutput, usageError, type Ctx } from "./command";

export const JOURNAL_MAX_LINES = 100_000;

function dateOption(options: Record<string, string | boolean>, k: "from" | "to"): number {
  const v = options[k];
  if (typeof v !== "string" || v === "") throw usageError(`缺少 --${k} DATE`, `Missing --${k} DATE`);
  const p = toSerial(v);
  if (!p.ok) throw usageError(`--${k}:${p.zh}`, `--${k}: ${p.en}`);
  return Math.floor(p.serial);
}

export async function exportJournal(file: string, out: string, options: Record<string, string | boolean>, ctx: Ctx): Promise<number> {
  const from = dateOption(options, "from");
  const to = dateOption(options, "to");
  if (from > to) throw usageError("--from 晚于 --to", "--from is after --to");
  if (path.extname(out).toLowerCase() !== ".csv") throw usageError("输出文件应以 .csv 结尾", "The output file should end in .csv");
  await checkOutput(out, options);
  const again = options.again === true;
  const user = typeof options.user === "string" && options.user ? options.user : ctx.io.env?.USER || "complaint-ledger";

  const { openLedgerFile, saveWorkbook } = await import("../stores/xlsx/file");
  const { workbook, store, stamp } = await openLedgerFile(file, { now: ctx.now });
  const ledger = new Ledger(store, { now: ctx.now });
  await ledger.load();
  // Exporting marks the ledger: a ledger a newer release wrote is read-only here, even for a period with nothing new.
  if (ledger.schema.state === "newer") throw newerLedgerError(ledger.schema);
  const policy = ledger.policy;
  const layout = layoutOf(typeof options.layout === "string" ? options.layout : undefined, policy);
  if (!layout) {
    const known = policy.money.layouts.map((l) => l.code).join(", ");
    throw usageError(
      `设置表中没有凭证格式 ${String(options.layout)}(可选:${known})`,
      `The Policy sheet has no journal layout ${String(options.layout)} (one of: ${known})`,
    );
  }
  const marks = journalMarks(ledger.auditEntries());
  const inPeriod = bookings(
    ledger.rows.map((r) => r.case),
    ledger.costLines,
    policy,
  ).filter((b) => b.date >= from && b.date <= to);
  const fresh = inPeriod.filter((b) => !marks.has(b.key));
  const list = again ? inPeriod : fresh;
  if (list.length > JOURNAL_MAX_LINES)
    throw new DomainError(
      "TOO_MANY",
      `本期有 ${list.length} 条分录,超过单个文件上限 ${JOURNAL_MAX_LINES}:请缩短期间`,
      `The period holds ${list.length} lines, more than one file takes (${JOURNAL_MAX_LINES}): export a shorter period`,
    );
  const batch = `J${ctx.now().toISOString().replace(/\D/g, "").slice(0, 14)}`;
  const tmp = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.${process.pid}.tmp`);
  await fs.writeFile(tmp, journalCsv(list, layout, policy));
  try {
    if (fresh.length) {
      await ledger.record(
        fresh.map((b) => ({
          user,
          action: "JOURNAL_EXPORTED" as const,
          caseNo: b.caseNo,
          field: JOURNAL_FIELD,
          oldValue: batch,
          newValue: b.key,
          reason: `凭证导出批次 ${batch}(${layout.code},${path.basename(out)}) / Journal export batch ${batch} (${layout.code}, ${path.basename(out)})`,
        })),
      );
      await saveWorkbook(workbook, file, { expect: stamp });
    }
    await fs.rename(tmp, out);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  const repeated = list.length - fresh.length;
  ctx.out(
    ctx.t(
      `已写入 ${out}:${list.length} 条分录(新导出 ${fresh.length}${repeated ? `,重复导出 ${repeated}` : ""}${!again && inPeriod.length > fresh.length ? `,已导出过 ${inPeriod.length - fresh.length} 条未列出,要重出请加 --again` : ""})`,
      `Wrote ${out}: ${list.length} lines (${fresh.length} new${repeated ? `, ${repeated} exported again` : ""}${!again && inPeriod.length > fresh.length ? `; ${inPeriod.length - fresh.length} exported before are left out, add --again to list them` : ""})`,
    ),
  );
  return 0;
}
