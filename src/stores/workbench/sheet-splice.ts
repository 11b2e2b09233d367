/**
 * The big sheets' saves (issue 26): a save records the cells it sets by row, and a download streams
 * the sheet's original bytes through, putting those cells into their rows as they pass — every other
 * cell, row and byte as it was. Nothing of a 100 MB sheet is held: the worker keeps the cells set and a
 * window of the stream. Positions are found in a windows-1252 decoding of the bytes (one character per
 * byte, native speed); the XML's structure is ASCII, so its indices are the bytes'.
 */
import { columnNumber } from "../../ledger/workbook-layout";

/** One cell a save sets: its XML around the style attribute, which is the cell's own (or its column's) unless forced. */
export interface CellEdit {
  ref: string;
  /** The cell's XML is before + ` s="n"` + after; undefined for a blank. */
  xml?: [string, string];
  /** A style the writer chose (text in a date column, the audit's text columns). */
  style?: number;
}

/** A sheet's recorded edits: cells by row and column, and the row its dimension must reach. */
export class SheetEdits {
  readonly rows = new Map<number, Map<number, CellEdit>>();
  bottom = 0;

  set(row: number, col: number, e: CellEdit): void {
    let r = this.rows.get(row);
    if (!r) this.rows.set(row, (r = new Map()));
    r.set(col, e);
  }

  /** A copy with `other`'s cells laid over these (a save's edits over the earlier ones). */
  merged(other: SheetEdits): SheetEdits {
    const out = new SheetEdits();
    for (const src of [this, other]) for (const [n, cells] of src.rows) for (const [c, e] of cells) out.set(n, c, e);
    out.bottom = Math.max(this.bottom, other.bottom);
    return out;
  }
}

export const STYLE_MARK = 2147483646;
/** Splits a cell writer's XML written with style STYLE_MARK around its style attribute. */
export function aroundStyle(xml: string): [string, string] {
  const mark = ` s="${STYLE_MARK}"`;
  const at = xml.indexOf(mark);
  if (at < 0) throw new Error("internal: a cell written without its style");
  return [xml.slice(0, at), xml.slice(at + mark.length)];
}

const styleAttr = (id: number | undefined) => (id ? ` s="${id}"` : "");

/** A cell's XML from its edit and what the sheet had: the old cell's style (null: it had none), or none there. */
function cellXml(e: CellEdit, old: number | null | undefined, colStyle: number | undefined): string {
  if (!e.xml) {
    // A blank keeps a styled cell styled (exceljs writes a styled empty cell); without a cell it stays without.
    const s = e.style ?? (old === undefined ? undefined : (old ?? 0));
    return s ? `<c r="${e.ref}"${styleAttr(s)}/>` : "";
  }
  const s = e.style ?? (old === undefined ? colStyle : (old ?? 0));
  return e.xml[0] + styleAttr(s) + e.xml[1];
}

const latin = new TextDecoder("windows-1252");
const utf8 = new TextEncoder();

/** The `<col>` styles of a sheet's head (column number → style id). */
function colStyles(head: string): (col: number) => number | undefined {
  const cols: { min: number; max: number; s?: number }[] = [];
  for (const m of head.matchAll(/<col\b[^>]*>/g)) {
    const s = /\bstyle="(\d+)"/.exec(m[0]);
    cols.push({ min: Number(/\bmin="(\d+)"/.exec(m[0])?.[1]), max: Number(/\bmax="(\d+)"/.exec(m[0])?.[1]), s: s ? Number(s[1]) : undefined });
  }
  return (c) => cols.find((x) => c >= x.min && c <= x.max)?.s;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A row, its old cells kept byte for byte, the edited ones replaced or added in column order. */
function mergedRow(n: number, oldBytes: Uint8Array | undefined, cells: Map<number, CellEdit>, colStyle: (c: number) => number | undefined): Uint8Array[] {
  const out: Uint8Array[] = [];
  const old = oldBytes ? latin.decode(oldBytes) : "";
  const close = old.indexOf(">");
  const selfClosing = old && old[close - 1] === "/";
  const open = old ? (selfClosing ? old.slice(0, close - 1).trimEnd() + ">" : old.slice(0, close + 1)) : `<row r="${n}">`;
  // The open tag is ASCII but for attribute values: re-slice it from the bytes when it is the old one unchanged.
  out.push(old && !selfClosing ? oldBytes!.subarray(0, close + 1) : utf8.encode(open));
  const olds: { col: number; start: number; end: number; style: number | null }[] = [];
  if (old && !selfClosing) {
    for (const m of old.slice(close + 1).matchAll(/<c\b[^>]*?(?:\/>|>[\s\S]*?<\/c>)/g)) {
      const r = /\br="([A-Z]+)\d+"/.exec(m[0]);
      if (!r) throw new Error("a cell without its reference");
      const s = /^<c\b[^>]*?\bs="(\d+)"/.exec(m[0]);
      olds.push({ col: columnNumber(r[1]), start: close + 1 + m.index!, end: close + 1 + m.index! + m[0].length, style: s ? Number(s[1]) : null });
    }
  }
  const cols = [...new Set([...olds.map((o) => o.col), ...cells.keys()])].sort((a, b) => a - b);
  const byCol = new Map(olds.map((o) => [o.col, o]));
  for (const c of cols) {
    const o = byCol.get(c);
    const e = cells.get(c);
    if (!e) out.push(oldBytes!.subarray(o!.start, o!.end));
    else {
      const x = cellXml(e, o ? o.style : undefined, colStyle(c));
      if (x) out.push(utf8.encode(x));
    }
  }
  out.push(utf8.encode("</row>"));
  return out;
}

const ROW_AT = /<row r="(\d+)"/g;

/**
 * What the splice emits, with where it came from: the sheet's own bytes at their offset in it ("orig"), bytes
 * of the sheet it replaced ("dropped", not part of the output), new bytes ("new"); "done" once every edit is
 * placed (the rest is the sheet's bytes as they are). A download re-deflates only around the changes (deflate-splice.ts).
 */
export type SpliceRun = { kind: "orig" | "dropped"; bytes: Uint8Array; at: number } | { kind: "new"; bytes: Uint8Array } | { kind: "done" };

/**
 * A TransformStream over a sheet's inflated bytes that puts `edits` in: rows replaced or merged where they
 * are, added before the first row numbered after them (or at the end of the sheet data), the dimension
 * grown to `edits.bottom`. Throws on a sheet it cannot follow (no numbered rows).
 */
export function spliceStream(edits: SheetEdits): TransformStream<Uint8Array, Uint8Array> {
  return spliceTransform(edits, (r, ctl: TransformStreamDefaultController<Uint8Array>) => {
    if ((r.kind === "orig" || r.kind === "new") && r.bytes.length) ctl.enqueue(r.bytes);
  });
}

/** Where a splice starts inside the sheet: the offset of its first byte, the sheet's XML before `<sheetData` (part-index.ts). */
export interface SpliceFrom {
  at: number;
  head: string;
}

/** spliceStream's runs, each saying where its bytes came from; `from`: the bytes start inside the sheet's data, not at its head. */
export function spliceRuns(edits: SheetEdits, from?: SpliceFrom): TransformStream<Uint8Array, SpliceRun> {
  return spliceTransform(
    edits,
    (r, ctl: TransformStreamDefaultController<SpliceRun>) => {
      if (r.kind === "done" || r.bytes.length) ctl.enqueue(r);
    },
    from,
  );
}

function spliceTransform<T>(
  edits: SheetEdits,
  out: (r: SpliceRun, ctl: TransformStreamDefaultController<T>) => void,
  from?: SpliceFrom,
): TransformStream<Uint8Array, T> {
  const pending = [...edits.rows.keys()].sort((a, b) => a - b);
  let k = 0;
  let buf: Uint8Array = new Uint8Array(0);
  /** The sheet's offset of buf[0], and of the next piece's first byte. */
  let bufAt = from?.at ?? 0;
  let seen = bufAt;
  let head = !from;
  let colStyle: (c: number) => number | undefined = from ? colStyles(from.head) : () => undefined;
  let done = false;

  /** Emits what it can of buf; keeps what a later piece may complete. */
  function pump(emit: (r: SpliceRun) => void, last: boolean): void {
    const orig = (from: number, to?: number) => emit({ kind: "orig", bytes: buf.subarray(from, to), at: bufAt + from });
    const drop = (from: number, to: number) => emit({ kind: "dropped", bytes: buf.subarray(from, to), at: bufAt + from });
    const add = (b: Uint8Array) => emit({ kind: "new", bytes: b });
    const s = latin.decode(buf);
    let pos = 0;
    if (head) {
      const data = s.indexOf("<sheetData");
      if (data < 0) {
        if (last) throw new Error("no <sheetData> in the sheet");
        return;
      }
      colStyle = colStyles(s.slice(0, data));
      const dim = /<dimension ref="([A-Z]+\d+)(?::([A-Z]+)(\d+))?"\s*\/>/.exec(s.slice(0, data));
      if (dim && dim[2] && Number(dim[3]) < edits.bottom) {
        orig(0, dim.index);
        add(utf8.encode(`<dimension ref="${dim[1]}:${dim[2]}${edits.bottom}"/>`));
        drop(dim.index, dim.index + dim[0].length);
        pos = dim.index + dim[0].length;
      }
      const empty = s.startsWith("<sheetData/>", data);
      if (empty) {
        // No rows at all: every edited row goes into a sheetData of its own.
        orig(pos, data);
        add(utf8.encode("<sheetData>"));
        for (; k < pending.length; k++) for (const b of mergedRow(pending[k], undefined, edits.rows.get(pending[k])!, colStyle)) add(b);
        add(utf8.encode("</sheetData>"));
        drop(data, data + "<sheetData/>".length);
        pos = data + "<sheetData/>".length;
      }
      head = false;
    }
    while (k < pending.length) {
      const n = pending[k];
      const at = s.indexOf(`<row r="${n}"`, pos);
      if (at >= 0) {
        const close = s.indexOf(">", at);
        const endTag = close < 0 || s[close - 1] === "/" ? -1 : s.indexOf("</row>", close);
        const end = close < 0 ? -1 : s[close - 1] === "/" ? close + 1 : endTag < 0 ? -1 : endTag + 6;
        if (end < 0) break;
        orig(pos, at);
        for (const b of mergedRow(n, buf.subarray(at, end), edits.rows.get(n)!, colStyle)) add(b);
        drop(at, end);
        pos = end;
        k++;
        continue;
      }
      // Not here: before the first row numbered after it, or at the end of the rows.
      const lastAt = s.lastIndexOf('<row r="');
      let to = -1;
      if (lastAt >= pos && parseInt(s.slice(lastAt + 8, lastAt + 20), 10) > n) {
        ROW_AT.lastIndex = pos;
        for (let m = ROW_AT.exec(s); m; m = ROW_AT.exec(s)) {
          if (Number(m[1]) > n) {
            to = m.index;
            break;
          }
        }
      }
      if (to < 0) to = s.indexOf("</sheetData>", pos);
      if (to < 0) break;
      orig(pos, to);
      for (const b of mergedRow(n, undefined, edits.rows.get(n)!, colStyle)) add(b);
      pos = to;
      k++;
    }
    if (k >= pending.length) {
      orig(pos);
      bufAt += buf.length;
      buf = new Uint8Array(0);
      done = true;
      emit({ kind: "done" });
      return;
    }
    if (last) throw new Error("the sheet ended before its rows were placed");
    // Keep an unfinished tail: a row cut by the piece's end (at most a row and a few bytes are held).
    const from = Math.max(pos, Math.min(s.lastIndexOf("<row "), s.length - 32));
    orig(pos, from);
    buf = buf.slice(from);
    bufAt += from;
  }

  return new TransformStream<Uint8Array, T>({
    transform(piece, ctl) {
      const at = seen;
      seen += piece.length;
      if (done) return out({ kind: "orig", bytes: piece, at }, ctl);
      buf = concat(buf, piece);
      pump((r) => out(r, ctl), false);
    },
    flush(ctl) {
      if (done) return;
      pump((r) => out(r, ctl), true);
    },
  });
}
