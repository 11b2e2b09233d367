/**
 * The reply-status column, recalculated once a day. CL.SLASTATUS is not
 * volatile (a volatile function in a 10,000-row calculated column reruns on
 * every edit in the workbook); its answer changes with its inputs, which
 * Excel tracks, and with the date, which it does not. So the add-in
 * recalculates just that column when it starts and after each midnight
 * (Range.calculate, ExcelApi 1.6).
 */
import { DEFAULT_TIME_ZONE, serialToInstant, todayIn } from "../../domain/zone";
import { computedColumns, TABLES } from "../../ledger/workbook-layout";
import { defaultPolicy } from "../../domain/policy/policy";
import type { Run } from "./excel-run";

const STATUS = computedColumns(defaultPolicy()).find((c) => c.key === "replyStatus")!;
const STATUS_HEADER = `${STATUS.zh} ${STATUS.en}`;

/** Recalculates the status column (1 sync); false when the workbook has no ledger or no such column. */
export async function recalcStatus(run: Run): Promise<boolean> {
  return run(async (ctx) => {
    const table = ctx.workbook.tables.getItemOrNullObject(TABLES.ledger);
    const column = table.columns.getItemOrNullObject(STATUS_HEADER);
    const body = column.getDataBodyRange();
    await ctx.sync();
    if (table.isNullObject || column.isNullObject) return false;
    body.calculate();
    await ctx.sync();
    return true;
  });
}

/**
 * Milliseconds from `now` to the next midnight on the ledger's clock (plus a
 * second, so the new day has begun): the status changes with the ledger's
 * date, not the machine's.
 */
export function untilMidnight(now: Date, zone: string = DEFAULT_TIME_ZONE): number {
  const next = serialToInstant(todayIn(now, zone) + 1 + 1 / 86400, zone);
  return next - now.getTime();
}

/** Recalculates now and after every midnight; returns a function that stops it. */
export function dailyStatus(run: Run, now: () => Date = () => new Date(), zone: () => string = () => DEFAULT_TIME_ZONE): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      await recalcStatus(run);
    } catch {
      // Tried again tomorrow; a failed recalculation leaves yesterday's status, never a wrong rule.
    }
    if (stopped) return;
    timer = setTimeout(tick, untilMidnight(now(), zone()));
    // In Node (tests) a day-long timer must not keep the process alive; browsers have no unref.
    (timer as { unref?: () => void }).unref?.();
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
