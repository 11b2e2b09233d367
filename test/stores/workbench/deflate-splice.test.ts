/**
 * A download re-deflates only the blocks around a save's changes (issue 26): the block walk finds every block of
 * zlib's streams (stored, fixed and dynamic codes), the CRC is put together as zlib's crc32_combine does, and a
 * spliced sheet inflates to exactly what the whole-sheet splice gives, with the right CRC and size, while the
 * deflater sees only the stretches around the changes.
 */
import * as zlib from "zlib";
import { deflateBlocks } from "../../../src/stores/workbench/deflate-blocks";
import { crc32Combine, crc32Tail, DeflateSplice } from "../../../src/stores/workbench/deflate-splice";
import { SheetEdits, spliceRuns, spliceStream, type SpliceRun } from "../../../src/stores/workbench/sheet-splice";
import { platformDeflater, ZipParts } from "../../../src/stores/workbench/zip-parts";
import * as partIndex from "../../../src/stores/workbench/part-index";
import { indexPart, inflateFrom } from "../../../src/stores/workbench/part-index";
import { platformInflater } from "../../../src/stores/workbench/inflate";
import { ZipWriter, zipParts } from "../../../src/stores/xlsx/zip/zip-write";
import { crc32Table } from "../../../src/stores/xlsx/reader/crc32";

const deflate = platformDeflater()!;
afterEach(() => jest.restoreAllMocks());
const crc = (b: Uint8Array) => zlib.crc32(b, 0) >>> 0;

/** A worksheet of `n` rows of varied cells (a seeded generator: the same text every run). */
function sheet(n: number): string {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % 100000;
  const rows: string[] = [];
  for (let r = 2; r <= n + 1; r++) {
    rows.push(
      `<row r="${r}"><c r="A${r}" s="3" t="inlineStr"><is><t>KS-2026-${String(r).padStart(5, "0")}</t></is></c><c r="B${r}"><v>${rnd()}</v></c>` +
        `<c r="C${r}" s="5" t="inlineStr"><is><t>客户 ${rnd()} 号</t></is></c><c r="D${r}" s="4"><v>${46000 + (rnd() % 900)}</v></c></row>`,
    );
  }
  return `<?xml version="1.0"?><worksheet><dimension ref="A1:D${n + 1}"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>${rows.join("")}</sheetData><tableParts count="1"/></worksheet>`;
}

function pieces(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.subarray(at, (at += size)));
    },
  });
}

async function all<T>(s: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  const r = s.getReader();
  for (;;) {
    const { done, value } = await r.read();
    if (done) return out;
    out.push(value);
  }
}

describe("the block walk", () => {
  const text = Buffer.from(sheet(3000));
  test.each<[string, zlib.ZlibOptions]>([
    ["dynamic codes, small blocks", { memLevel: 1 }],
    ["dynamic codes, default blocks", {}],
    ["fixed codes", { strategy: zlib.constants.Z_FIXED, memLevel: 1 }],
    ["stored blocks", { level: 0 }],
    ["zlib's fastest level", { level: 1 }],
  ])("%s: every block found, the sizes add up to the inflated size", (_k, opts) => {
    const raw = zlib.deflateRawSync(text, opts);
    const b = deflateBlocks(raw);
    expect(b.end.out).toBe(text.length);
    expect(Math.ceil(b.end.bit / 8)).toBe(raw.length);
    expect(b.starts[0]).toEqual({ bit: 0, out: 0 });
    for (let i = 1; i < b.starts.length; i++) expect(b.starts[i].out).toBeGreaterThanOrEqual(b.starts[i - 1].out);
    if (opts.memLevel === 1 || opts.level === 0) expect(b.starts.length).toBeGreaterThan(5);
    // Each block start holds: a stream made of the blocks before it as they are, plus a final empty stored block, inflates to the bytes before it.
    for (const s of [b.starts[1], b.starts[b.starts.length >> 1], b.starts[b.starts.length - 1]]) {
      const head = new Uint8Array(Math.ceil(s.bit / 8) + 5);
      head.set(raw.subarray(0, Math.ceil(s.bit / 8)));
      // Bits past the start are cleared, then BFINAL=1, BTYPE=00, padding, LEN 0, NLEN 0xffff.
      const k = s.bit & 7;
      const at = s.bit >> 3;
      head[at] = (k ? head[at] & ((1 << k) - 1) : 0) | (1 << k);
      const after = k + 3 > 8 ? at + 2 : at + 1;
      head.set([0, 0, 0xff, 0xff], after);
      expect(Buffer.compare(zlib.inflateRawSync(head.subarray(0, after + 4)), text.subarray(0, s.out))).toBe(0);
    }
  });

  test("a stream that is not deflate is refused", () => {
    expect(() => deflateBlocks(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(/deflate/);
    expect(() => deflateBlocks(zlib.deflateRawSync(text).subarray(0, 1000))).toThrow(/deflate/);
  });
});

test("the browser's CRC (eight bytes a step) is zlib's, whole and continued, at every length mod 8", () => {
  const data = Buffer.from(sheet(300));
  for (let n = 0; n < 40; n++) expect(crc32Table(data.subarray(0, n), 0)).toBe(crc(data.subarray(0, n)));
  for (const cut of [0, 3, 4097, data.length]) expect(crc32Table(data.subarray(cut), crc32Table(data.subarray(0, cut), 0))).toBe(crc(data));
});

test("CRCs combine as zlib's crc32_combine: of A and B, and B's from A's and AB's", () => {
  const data = Buffer.from(sheet(200));
  for (const cut of [0, 1, 7, 1000, data.length - 1, data.length]) {
    const [a, b] = [data.subarray(0, cut), data.subarray(cut)];
    expect(crc32Combine(crc(a), crc(b), b.length)).toBe(crc(data));
    expect(crc32Tail(crc(a), crc(data), b.length)).toBe(crc(b));
  }
});

describe("a spliced sheet's new compressed bytes", () => {
  const xml = Buffer.from(sheet(6000));
  const raw = zlib.deflateRawSync(xml, { memLevel: 2 });
  const blocks = deflateBlocks(raw);

  /** The edits, spliced whole (the reference) and by blocks; what the deflater was given. */
  async function both(e: SheetEdits, size: number) {
    const expected = Buffer.concat(await all(pieces(xml, size).pipeThrough(spliceStream(e))));
    const splice = new DeflateSplice(raw, blocks, crc(xml), xml.length);
    let deflated = 0;
    const counting = (d: Uint8Array) => {
      deflated += d.length;
      return deflate(d);
    };
    // Stops when the rest is the original's, as the download does.
    const r = pieces(xml, size).pipeThrough(spliceRuns(e)).getReader();
    let read = 0;
    for (;;) {
      const { done, value } = await r.read();
      if (done) break;
      const run = value as SpliceRun;
      if (run.kind === "orig" || run.kind === "dropped") read = run.at + run.bytes.length;
      splice.add(run);
      if (splice.stoppable) {
        await r.cancel();
        break;
      }
    }
    const out = await splice.finish(counting);
    return { expected, out, deflated, read };
  }

  const cell = (ref: string, v: string) => ({ ref, xml: [`<c r="${ref}"`, ` t="inlineStr"><is><t>${v}</t></is></c>`] as [string, string] });

  test.each([65536, 4096, 999])("edits at the start, two close together, one far on, rows added at the end; pieces of %i bytes", async (size) => {
    const e = new SheetEdits();
    e.set(3, 3, cell("C3", "改 & <一>"));
    e.set(3000, 2, { ref: "B3000", xml: ['<c r="B3000"', "><v>1</v></c>"] });
    e.set(3003, 3, { ref: "C3003" });
    e.set(5200, 1, cell("A5200", "远处"));
    e.set(6003, 1, cell("A6003", "新行"));
    e.bottom = 6003;
    const { expected, out, deflated } = await both(e, size);
    expect(Buffer.compare(zlib.inflateRawSync(out.raw), expected)).toBe(0);
    expect(out.crc).toBe(crc(expected));
    expect(out.usize).toBe(expected.length);
    expect(expected.toString()).toContain('<dimension ref="A1:D6003"/>');
    // Only the stretches around the four places were deflated again.
    expect(deflated).toBeLessThan(xml.length / 4);
  });

  test("an edit near the start only: the rest is neither inflated nor deflated, its bits copied as they are", async () => {
    const e = new SheetEdits();
    e.set(40, 4, { ref: "D40", xml: ['<c r="D40"', "><v>46001</v></c>"] });
    const { expected, out, deflated, read } = await both(e, 65536);
    expect(Buffer.compare(zlib.inflateRawSync(out.raw), expected)).toBe(0);
    expect(out.crc).toBe(crc(expected));
    expect(read).toBeLessThan(xml.length / 4);
    expect(deflated).toBeLessThan(xml.length / 8);
    // The last half of the compressed stream is in the new one, shifted by the same number of bits throughout.
    const tail = raw.subarray(raw.length >> 1, raw.length - 1);
    const shifted = [...Array(8).keys()].some((s) => {
      const t = Buffer.from(tail.subarray(1).map((_, i) => ((tail[i] >>> s) | (tail[i + 1] << (8 - s))) & 0xff));
      return Buffer.from(out.raw).indexOf(t.subarray(0, 4096)) >= 0;
    });
    expect(shifted).toBe(true);
  });

  test("an edit in the last block: the stretch runs to the end and stays the last", async () => {
    const e = new SheetEdits();
    e.set(6001, 2, { ref: "B6001", xml: ['<c r="B6001"', "><v>5</v></c>"] });
    const { expected, out } = await both(e, 8192);
    expect(Buffer.compare(zlib.inflateRawSync(out.raw), expected)).toBe(0);
    expect(out.crc).toBe(crc(expected));
  });
});

/**
 * Chromium's DecompressionStream: a byte after the end of the deflate stream is an error ("Junk found after end of
 * compressed data"), where Node's passes it over. The download's streams are checked as the browser checks them.
 */
class StrictDecompressionStream {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  constructor(format: "deflate-raw") {
    if (format !== "deflate-raw") throw new Error(format);
    const chunks: Buffer[] = [];
    const t = new TransformStream<Uint8Array, Uint8Array>({
      transform: (c) => void chunks.push(Buffer.from(c)),
      flush(ctl) {
        const input = Buffer.concat(chunks);
        const r = zlib.inflateRawSync(input, { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
        if (r.engine.bytesWritten !== input.length) throw new TypeError("Junk found after end of compressed data.");
        // In pieces, as the browser gives them (a download stops reading once the rest is the original's).
        for (let at = 0; at < r.buffer.length; at += 65536) ctl.enqueue(new Uint8Array(r.buffer.subarray(at, at + 65536)));
      },
    });
    this.readable = t.readable;
    this.writable = t.writable;
  }
}

describe("checkpoints: where a download starts inflating a big part", () => {
  const xml = Buffer.from(sheet(6000));
  const raw = zlib.deflateRawSync(xml, { memLevel: 2 });
  const text = xml.toString("latin1");
  const g = globalThis as { DecompressionStream?: unknown };
  const nodeDS = g.DecompressionStream;
  beforeAll(() => (g.DecompressionStream = StrictDecompressionStream));
  afterAll(() => (g.DecompressionStream = nodeDS));

  test("the browser's inflater refuses a byte after the stream (the fake checks as Chromium does)", async () => {
    await expect(all(pieces(Buffer.concat([raw, Buffer.from([0])]), 65536).pipeThrough(new StrictDecompressionStream("deflate-raw")))).rejects.toThrow(/Junk/);
    expect(Buffer.compare(Buffer.concat(await all(pieces(raw, 65536).pipeThrough(new StrictDecompressionStream("deflate-raw")))), xml)).toBe(0);
  });

  test("each holds the CRC of the bytes before it, the 32 KB before it and the first row after it; inflating from it gives the rest", async () => {
    const blocks = deflateBlocks(raw);
    const index = await indexPart(raw, blocks, 100_000);
    expect(index.checkpoints.length).toBeGreaterThan(8);
    // Some checkpoints' bits, moved back to a byte boundary, leave the original's last byte holding only padding.
    const lastBits = ((blocks.end.bit - 1) & 7) + 1;
    const padded = index.checkpoints.filter((c) => (c.start.bit & 7) >= lastBits);
    expect(padded.length).toBeGreaterThan(0);
    await expect(all(inflateFrom(raw, padded[0], raw.length * 8))).rejects.toThrow(/Junk/);
    expect(index.head).toBe(text.slice(0, text.indexOf("<sheetData")));
    for (const c of index.checkpoints) {
      const at = c.start.out;
      expect(c.crc).toBe(crc(xml.subarray(0, at)));
      expect(Buffer.compare(Buffer.from(c.window), xml.subarray(Math.max(0, at - 32768), at))).toBe(0);
      const m = /<row r="(\d+)"/.exec(text.slice(at));
      expect(c.firstRow).toBe(m ? Number(m[1]) : Infinity);
      const rest = Buffer.concat(await all(inflateFrom(raw, c, blocks.end.bit)));
      expect(Buffer.compare(rest, xml.subarray(at))).toBe(0);
    }
  });

  /** A zip of one sheet part, deflated in small blocks. */
  async function zipOf(name: string): Promise<Buffer> {
    const out: Buffer[] = [];
    const w = new ZipWriter(async (b) => void out.push(b));
    await w.copy({ name, method: 8, crc: crc(xml), csize: raw.length, usize: xml.length, raw });
    await w.finish();
    return Buffer.concat(out);
  }

  test.each([
    ["rows in the middle, two far apart, and rows added at the end", [1500, 1501, 4400], 6005, 4],
    ["a row at the very start and one at the very end", [2, 6001], 0, 2],
    ["only a row added past the end (and the dimension)", [], 6500, 2],
  ])("a download of %s: the part inflates to the whole-sheet splice, with its CRC; the rest copied", async (_k, rows, bottom, regions) => {
    const inflated = jest.spyOn(partIndex, "inflateFrom");
    const name = "xl/worksheets/sheet1.xml";
    const parts = new ZipParts(await zipOf(name), platformInflater(), deflate, 100_000);
    const e = new SheetEdits();
    for (const n of rows) e.set(n, 2, { ref: `B${n}`, xml: [`<c r="B${n}"`, `><v>${n * 7}</v></c>`] });
    if (bottom) e.set(bottom, 1, { ref: `A${bottom}`, xml: [`<c r="A${bottom}"`, ` t="inlineStr"><is><t>新 ${bottom}</t></is></c>`] });
    e.bottom = bottom;
    const warn = jest.spyOn(console, "warn");
    parts.commit(new Map(), new Map([[name, e]]));
    const expected = Buffer.concat(await all(pieces(xml, 65536).pipeThrough(spliceStream(e))));
    const [part] = zipParts(Buffer.from(await parts.bytes()));
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    // Inflated from the head and from the checkpoint before each row far on (the checkpoints' own pass is not counted).
    expect(inflated).toHaveBeenCalledTimes(regions);
    expect(Buffer.compare(zlib.inflateRawSync(part.raw), expected)).toBe(0);
    expect(part.crc).toBe(crc(expected));
    expect(part.usize).toBe(expected.length);
    if (bottom) expect(expected.toString()).toContain(`<dimension ref="A1:D${bottom}"/>`);
  });
});
