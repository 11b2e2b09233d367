/**
 * The worker's Buffer (stores/workbench/buffer.ts) answers as Node's Buffer does for
 * what the fast reader asks of it; and the fast reader running on it, with
 * DecompressionStream, reads a ledger as on Node — the browser's combination,
 * here in Node ("buffer" is swapped for the shim in an isolated module registry).
 */
import { Buffer as NodeBuffer } from "node:buffer";
import fc from "fast-check";
import { ymdToSerial } from "../../../src/domain/dates";
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { generateSample } from "../../../src/sample/ledger-sample";
import { createLedgerWorkbook, workbookBuffer } from "../../../src/stores/xlsx/workbook";
import { Buffer as Shim } from "../../../src/stores/workbench/buffer";
import { readLedgerFast } from "../../../src/stores/workbench/fast";
import { platformInflater } from "../../../src/stores/workbench/inflate";
import { shanghai } from "../../fakes/clock";

const bytes = fc.uint8Array({ maxLength: 300 });
const shimOf = (a: Uint8Array) => Shim.from(a);
const nodeOf = (a: Uint8Array) => NodeBuffer.from(a);

describe("the worker's Buffer", () => {
  test("decodes latin1 and UTF-8 over any range as Node does (bytes 0x80–0x9F included, invalid UTF-8 replaced, BOM kept)", () => {
    fc.assert(
      fc.property(bytes, fc.nat(), fc.nat(), (a, x, y) => {
        const s = shimOf(a),
          n = nodeOf(a);
        const [from, to] = [x % (a.length + 2), y % (a.length + 2)];
        expect(s.toString("latin1", from, to)).toBe(n.toString("latin1", from, to));
        expect(s.toString("utf8", from, to)).toBe(n.toString("utf8", from, to));
        expect(s.toString("utf8")).toBe(n.toString("utf8"));
      }),
    );
    const big = new Uint8Array(70000).map((_, i) => i % 256);
    expect(shimOf(big).toString("latin1")).toBe(nodeOf(big).toString("latin1"));
    expect(shimOf(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41)).toString("utf8")).toBe("\uFEFFA");
  });

  test("reads little-endian integers and refuses reads past the end, as Node does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 40 }), fc.nat(), (a, x) => {
        const i = x % (a.length - 3);
        expect(shimOf(a).readUInt32LE(i)).toBe(nodeOf(a).readUInt32LE(i));
        expect(shimOf(a).readUInt16LE(i)).toBe(nodeOf(a).readUInt16LE(i));
      }),
    );
    expect(() => shimOf(new Uint8Array(3)).readUInt32LE(0)).toThrow(RangeError);
  });

  test("finds a latin1 needle forwards and backwards from any offset as Node does", () => {
    const hay = fc.array(fc.constantFrom("<row>", "</row>", "</r", "ow>", "x", "\u00e9"), { maxLength: 40 }).map((p) => p.join(""));
    fc.assert(
      fc.property(hay, fc.constantFrom("</row>", "<", "w>"), fc.integer({ min: -60, max: 260 }), (h, needle, off) => {
        const s = Shim.from(h, "latin1"),
          n = NodeBuffer.from(h, "latin1");
        expect(s.lastIndexOf(needle, off, "latin1")).toBe(n.lastIndexOf(needle, off, "latin1"));
        expect(s.lastIndexOf(needle, s.length, "latin1")).toBe(n.lastIndexOf(needle, n.length, "latin1"));
        if (off >= 0) expect(s.indexOf(needle, off, "latin1")).toBe(n.indexOf(needle, off, "latin1"));
      }),
    );
  });

  test("concatenates, makes views without copying, and subarrays stay Buffers", () => {
    fc.assert(
      fc.property(fc.array(bytes, { maxLength: 5 }), (parts) => {
        expect([...Shim.concat(parts.map(shimOf))]).toEqual([...NodeBuffer.concat(parts.map(nodeOf))]);
      }),
    );
    const ab = new Uint8Array([1, 2, 3, 4, 5]).buffer;
    const view = Shim.from(ab, 1, 3);
    new Uint8Array(ab)[2] = 9;
    expect([...view]).toEqual([2, 9, 4]);
    expect(view.subarray(1)).toBeInstanceOf(Shim);
    expect((view.subarray(1) as Shim).readUInt16LE(0)).toBe(9 + 4 * 256);
    expect(() => Shim.from("x", "ucs2")).toThrow(TypeError);
  });

  test("the fast reader on it reads a ledger as on Node's Buffer", async () => {
    const d = await generateSample({ cases: 120, today: ymdToSerial(2026, 11, 20) });
    const wb = createLedgerWorkbook({
      policy: defaultPolicy(),
      header: d.header,
      rows: d.rows,
      peopleRows: d.peopleRows,
      auditRows: d.auditRows,
      meta: d.meta,
      now: shanghai(2026, 10, 26, 9),
    });
    const file = new Uint8Array(await workbookBuffer(wb)).slice().buffer;
    const ref = await readLedgerFast(file);
    expect(ref!.rows).toHaveLength(120);
    expect(ref!.header).toEqual(d.header);
    // The browser's combination: the shim as "buffer" (as webpack aliases it), DecompressionStream, no zlib.
    let data: unknown;
    await jest.isolateModulesAsync(async () => {
      jest.doMock("buffer", () => jest.requireActual("../../../src/stores/workbench/buffer"));
      jest.doMock("zlib", () => ({}));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect((require("buffer") as { Buffer: unknown }).Buffer).not.toBe(NodeBuffer);
      const m = await import("../../../src/stores/workbench/fast");
      data = await m.readLedgerFast(file, platformInflater());
    });
    expect(data).toEqual(ref);
  });
});
