/**
 * The case rows as the planner reads them (issue 26): each case packed as it is read — its fields' values in
 * fixed slots, then its extra columns, then the words of 处理结果 and 处理进度 when the sheet has those columns —
 * instead of a record object per case, then a 75-column row per case. The later steps read and set fields by
 * key; the ledger's rows are made from the packed rows when the writer asks.
 */
import type { CellValue } from "../domain/case";

export class CaseRows {
  /** The grid row each case came from, 0-based. */
  readonly source: number[] = [];
  private readonly rows: CellValue[][] = [];
  private readonly slot: Map<string, number>;
  private readonly width: number;
  /** Slots of the words kept beside the result and the progress (-1: the sheet has no such column). */
  readonly resultSlot: number;
  readonly progressSlot: number;

  /**
   * `keys`: every field a case's record may hold; `extras`: how many extra columns; `words`: whether the
   * sheet has a result and a progress column (their words may be kept in columns of their own).
   */
  constructor(
    readonly keys: readonly string[],
    readonly extras: number,
    words: { result: boolean; progress: boolean },
  ) {
    this.slot = new Map(keys.map((k, i) => [k, i]));
    let width = keys.length + extras;
    this.resultSlot = words.result ? width++ : -1;
    this.progressSlot = words.progress ? width++ : -1;
    this.width = width;
  }

  get length(): number {
    return this.rows.length;
  }

  /** A case read from grid row `source`: its record (the fields it names) and its extra columns' values. */
  add(source: number, rec: Record<string, CellValue>, extras: readonly CellValue[]): void {
    const row = new Array<CellValue>(this.width);
    for (const k in rec) {
      const s = this.slot.get(k);
      if (s === undefined) throw new Error(`internal: the field ${k} has no slot`);
      row[s] = rec[k];
    }
    for (let e = 0; e < this.extras; e++) row[this.keys.length + e] = extras[e];
    if (this.resultSlot >= 0) row[this.resultSlot] = null;
    if (this.progressSlot >= 0) row[this.progressSlot] = null;
    this.rows.push(row);
    this.source.push(source);
  }

  /** A field of case i, undefined where the record has none. */
  get(i: number, key: string): CellValue | undefined {
    const s = this.slot.get(key);
    return s === undefined ? undefined : this.rows[i][s];
  }

  set(i: number, key: string, value: CellValue): void {
    const s = this.slot.get(key);
    if (s === undefined) throw new Error(`internal: the field ${key} has no slot`);
    this.rows[i][s] = value;
  }

  /** Case i as a record: the fields it holds (a new object: readCase reads it). */
  record(i: number): Record<string, CellValue> {
    const row = this.rows[i];
    const rec: Record<string, CellValue> = {};
    this.keys.forEach((k, s) => {
      if (row[s] !== undefined) rec[k] = row[s];
    });
    return rec;
  }

  /** Sets a slot past the fields (the words kept beside the result or the progress). */
  setSlot(i: number, slot: number, value: CellValue): void {
    this.rows[i][slot] = value;
  }

  /** The packed rows, handed over whole (the planner's last step: the ledger's rows are made from them). */
  packed(): readonly (readonly CellValue[])[] {
    return this.rows;
  }

  /** The slot of a field, or of extra column e (`extra(e)`). */
  slotOf(key: string): number | undefined {
    return this.slot.get(key);
  }

  extraSlot(e: number): number {
    return this.keys.length + e;
  }
}
