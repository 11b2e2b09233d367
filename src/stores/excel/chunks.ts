/**
 * Big tables in pieces that Excel on the web accepts: it refuses a request or
 * a response over 5 MB (https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins).
 * A ledger of 10,000 rows is already over that in one batch, so every read
 * and write of a table body goes through here: the number of round trips
 * grows with the rows, the size of each does not.
 *
 * Writes are measured (we hold the data): rows are queued until the batch
 * would pass `PAYLOAD_BUDGET`, then synced. Reads cannot be measured before
 * they arrive, so they go by cell count (`READ_CELLS`, sized for cells far
 * longer than a ledger's average), and a chunk that still comes back too big
 * is read again in halves. Desktop Excel documents no such limit; the same
 * code runs there, so a workbook behaves the same on both.
 */
export type Cells = readonly (readonly unknown[])[];

/** Bytes one batch may carry: well under 5 MB, leaving room for the operations queued beside the data. */
export const PAYLOAD_BUDGET = 2 * 1024 * 1024;

/**
 * Cells per chunk read: 50,000 cells stay under 5 MB up to ~100 bytes (≈ 30
 * Chinese characters) a cell on average; a generated ledger averages ~6.
 */
export const READ_CELLS = 50_000;

/** Rows read in the first batch, before the table's size is known: a small ledger still reads in one round trip. */
export const FIRST_ROWS = 400;

/** UTF-8 bytes of a value as JSON (what the request carries for it). */
export function jsonSize(v: unknown): number {
  if (v === null || v === undefined) return 4;
  if (typeof v === "number" || typeof v === "boolean") return String(v).length;
  if (typeof v === "string") {
    let n = 2;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      n += c < 0x80 ? (c === 0x22 || c === 0x5c || c < 0x20 ? 2 : 1) : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
    }
    return n;
  }
  if (Array.isArray(v)) return v.reduce((s: number, x) => s + jsonSize(x) + 1, 2);
  return JSON.stringify(v)?.length ?? 0;
}

/** Whether an error is Excel refusing a payload over its limit. */
export function isPayloadError(e: unknown): boolean {
  const code = (e as { code?: string })?.code ?? "";
  return /PayloadSizeLimitExceeded/i.test(code) || /PayloadSizeLimitExceeded|payload size/i.test(String((e as Error)?.message ?? e));
}

/**
 * Keeps one Excel.run's batches under the budget: `room(bytes)` syncs first
 * when the data about to be queued would not fit beside what is queued.
 */
export class Budget {
  private used = 0;
  syncs = 0;
  constructor(
    private readonly ctx: Excel.RequestContext,
    readonly limit = PAYLOAD_BUDGET,
  ) {}

  async room(bytes: number): Promise<void> {
    if (this.used > 0 && this.used + bytes > this.limit) await this.flush();
    this.used += bytes;
  }

  /** Sends what is queued (the caller's next sync would too; this one also resets the count). */
  async flush(): Promise<void> {
    await this.ctx.sync();
    this.syncs++;
    this.used = 0;
  }

  /** After a sync made elsewhere. */
  reset(): void {
    this.used = 0;
  }
}

/** Consecutive slices of `rows` whose JSON fits `limit` bytes (a row larger than that goes alone). */
function* slices(rows: Cells, limit: number): Generator<{ start: number; end: number; bytes: number }> {
  let start = 0;
  while (start < rows.length) {
    let end = start;
    let bytes = 0;
    while (end < rows.length) {
      const b = jsonSize(rows[end]) + 1;
      if (end > start && bytes + b > limit) break;
      bytes += b;
      end++;
    }
    yield { start, end, bytes };
    start = end;
  }
}

/**
 * Queues `rows` into consecutive ranges (`at(first, count)` gives the range of
 * `count` rows from body row `first`), as few ranges as fit the budget.
 */
export async function writeRows(
  budget: Budget,
  at: (first: number, count: number) => Excel.Range,
  rows: Cells,
  kind: "values" | "formulas" | "numberFormat",
): Promise<void> {
  for (const { start, end, bytes } of slices(rows, budget.limit)) {
    await budget.room(bytes);
    const range = at(start, end - start);
    const block = rows.slice(start, end) as unknown[][];
    if (kind === "values") range.values = block;
    else if (kind === "formulas") range.formulas = block;
    else range.numberFormat = block;
  }
}

/**
 * Appends `rows` to a table by writing them as `Range.values` into the rows
 * directly below it, which Excel's table auto-expansion takes in. Not
 * `table.rows.add`: Microsoft's co-authoring guidance says that call "can
 * cause coauthoring conflicts" (the yellow refresh bar, edits possibly lost)
 * while others edit the workbook, and recommends exactly this instead
 * (https://learn.microsoft.com/office/dev/add-ins/excel/co-authoring-in-excel-add-ins#avoid-table-row-coauthoring-conflicts).
 * Each chunk's range is `getRowsBelow` of the table as it stands when the
 * batch runs, so a co-author's rows appended meanwhile are never overwritten.
 * Rows must hold data (an empty row does not expand a table; ours never are).
 * Returns the first chunk's range (its position loads with the next sync when asked).
 */
export async function appendBelow(budget: Budget, table: Excel.Table, rows: Cells): Promise<Excel.Range | undefined> {
  let first: Excel.Range | undefined;
  for (const { start, end, bytes } of slices(rows, budget.limit)) {
    await budget.room(bytes);
    const range = table.getRange().getRowsBelow(end - start);
    range.values = rows.slice(start, end) as (string | number | boolean)[][];
    first ??= range;
  }
  return first;
}

/** A body read begun in a batch: the first rows and the size, loaded with that batch's sync. */
export interface ChunkedRead {
  body: Excel.Range;
  size: Excel.Range;
  first: Excel.Range;
  firstRows: number;
  props: string;
}

/**
 * Queues the start of a chunked read of `body` (a table's data body or a
 * used range): its size and its first `firstRows` rows, in the caller's batch.
 */
export function beginRead(body: Excel.Range, props = "values", firstRows = FIRST_ROWS): ChunkedRead {
  const size = body.load("rowCount,columnCount");
  const first = body
    .getRow(0)
    .getResizedRange(firstRows - 1, 0)
    .load(props);
  return { body, size, first, firstRows, props };
}

/**
 * After the batch of `beginRead` synced: the whole body, reading what is left
 * in chunks of `READ_CELLS` cells (one sync each; a chunk refused for its
 * size is read again in halves). Returns one array per loaded property.
 */
export async function finishRead(ctx: Excel.RequestContext, r: ChunkedRead, cells = READ_CELLS): Promise<Record<string, unknown[][]>> {
  const props = r.props.split(",").map((p) => p.trim());
  const total = r.size.rowCount;
  const width = Math.max(1, r.size.columnCount);
  const out: Record<string, unknown[][]> = {};
  // The loaded properties are read by name (`values`, `formulas`…): the range with them as an index.
  const firstData = r.first as typeof r.first & Record<string, unknown[][]>;
  for (const p of props) out[p] = firstData[p].slice(0, Math.min(total, r.firstRows));
  let at = Math.min(total, r.firstRows);
  let step = Math.max(1, Math.floor(cells / width));
  while (at < total) {
    const n = Math.min(step, total - at);
    const chunk = r.body
      .getRow(at)
      .getResizedRange(n - 1, 0)
      .load(r.props);
    try {
      await ctx.sync();
    } catch (e) {
      if (!isPayloadError(e) || n === 1) throw e;
      step = Math.max(1, Math.floor(n / 2));
      continue;
    }
    const data = chunk as typeof chunk & Record<string, unknown[][]>;
    for (const p of props) out[p].push(...data[p]);
    at += n;
  }
  return out;
}
