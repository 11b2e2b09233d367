/**
 * streamSample (issue 26): the same ledger as generateSample, row for row and
 * entry for entry, while holding at most `hold` built cases at once whatever
 * the number of cases — counted, not timed. Written through the streaming
 * writer, the file reads back as the held sample's.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { ymdToSerial } from "../../src/domain/dates";
import { verifyAudit } from "../../src/ledger/audit";
import { generateSample, streamSample, type SampleRows } from "../../src/sample/ledger-sample";
import { createLedgerBook } from "../../src/stores/xlsx/workbook";
import { readLedgerStreaming, saveLedgerBook } from "../../src/stores/xlsx/file";
import { shanghai } from "../fakes/clock";

jest.setTimeout(120000);
const all = (rows: SampleRows) => Array.from({ length: rows.length }, (_, i) => rows.row(i));

describe("streamSample", () => {
  test("makes generateSample's rows and audit entries, in order, from a few numbers per case", async () => {
    const opts = { seed: 11, cases: 400, mistakes: 5, today: ymdToSerial(2026, 11, 20) };
    const held = await generateSample(opts);
    const streamed = await streamSample({ ...opts, hold: 8 });
    expect(streamed.header).toEqual(held.header);
    expect(streamed.rows.length).toBe(400);
    expect(all(streamed.rows)).toEqual(held.rows);
    expect(streamed.auditRows.length).toBe(held.auditRows.length);
    expect(all(streamed.auditRows)).toEqual(held.auditRows);
    expect(streamed.meta).toEqual(held.meta);
    expect(streamed.peopleRows).toEqual(held.peopleRows);
    // Asked again (out of order), a row is the same: the case is rebuilt from its state, not from what was dropped.
    expect(streamed.rows.row(7)).toEqual(held.rows[7]);
    expect(streamed.auditRows.row(3)).toEqual(held.auditRows[3]);
  });

  test("holds at most `hold` cases at once while the whole ledger is written, however many cases there are", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-stream-"));
    try {
      const hold = 16;
      const s = await streamSample({ seed: 3, cases: 800, hold });
      const file = path.join(dir, "big.xlsx");
      const now = shanghai(2026, 6, 30, 9, 0, 0);
      await saveLedgerBook(createLedgerBook({ policy: defaultPolicy(), ...s, now }), file);
      // Every row and entry was made (800 cases, several entries each), yet no more than `hold` cases were held together.
      expect(s.maxHeld()).toBeGreaterThan(1);
      expect(s.maxHeld()).toBeLessThanOrEqual(hold);
      const back = await readLedgerStreaming(file);
      expect(back.rows.length).toBe(800);
      expect(back.auditRows.length).toBe(s.auditRows.length);
      const report = await verifyAudit(back.auditRows, { seq: Number(back.meta["audit.seq"]), hash: back.meta["audit.hash"] });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.entries).toBe(s.auditRows.length);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
