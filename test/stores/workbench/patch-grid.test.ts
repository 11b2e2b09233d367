/**
 * The workbench's save without exceljs (patch.ts) refuses rows past Excel's grid as XlsxStore does
 * (limits.ts checkRowsFit): the parts stay byte for byte; the limit is lowered here, not reached.
 */
import { defaultPolicy } from "../../../src/domain/policy/policy";
import { generateSample } from "../../../src/sample/ledger-sample";
import { XlsxStore } from "../../../src/stores/xlsx/store";
import { createLedgerBook } from "../../../src/stores/xlsx/workbook";
import { ledgerBookBuffer } from "../../../src/stores/xlsx/book-write";
import { LIMITS } from "../../../src/stores/xlsx/limits";
import * as workbench from "../../../src/stores/workbench/open";
import { FastStore, openLedgerFast } from "../../../src/stores/workbench/fast";
import { platformInflater } from "../../../src/stores/workbench/inflate";
import { platformDeflater, ZipParts } from "../../../src/stores/workbench/zip-parts";
import { SHEETS } from "../../../src/ledger/workbook-layout";
import { deflatePart, inflatePart, unzipParts, zipParts } from "../xlsx/zip-kit";
import { shanghai } from "../../fakes/clock";

jest.setTimeout(60_000);
const now = () => shanghai(2026, 6, 30, 9, 0, 0);
const limits = LIMITS as { rows: number };
const REAL = LIMITS.rows;
afterEach(() => {
  limits.rows = REAL;
});

test("an audit entry or a case past the grid: LIMIT before anything changes; with room, the same write saves by patch", async () => {
  const d = await generateSample({ cases: 20, seed: 9 });
  const bytes = new Uint8Array(await ledgerBookBuffer(createLedgerBook({ policy: defaultPolicy(), ...d, now: now() })));
  const read = (await openLedgerFast(bytes.slice(), platformInflater()!))!;
  const parts = new ZipParts(Buffer.from(bytes), platformInflater()!, platformDeflater()!);
  let exceljs = 0;
  const store = new FastStore(
    read.data,
    async () => {
      exceljs++;
      return new XlsxStore(await workbench.loadWorkbook(new Uint8Array(await parts.bytes()).buffer as ArrayBuffer), { now });
    },
    { parts, places: read.places, now },
  );
  const before = Buffer.from(await parts.bytes());
  const entry = d.auditRows[d.auditRows.length - 1].map((v, j) => (j === 0 ? d.auditRows.length + 1 : v));
  limits.rows = 1 + d.auditRows.length; // the audit log is full
  await expect(store.write({ audit: [entry] })).rejects.toMatchObject({
    code: "LIMIT",
    zh: expect.stringContaining("审计日志已满,请将已结案年度归档到另一个工作簿"),
  });
  limits.rows = 1 + d.rows.length; // the ledger is full (a case row, no entry)
  await expect(store.write({ appends: [d.rows[0].slice()] })).rejects.toMatchObject({ code: "LIMIT", en: expect.stringMatching(/The ledger is full/) });
  expect(Buffer.from(await parts.bytes()).equals(before)).toBe(true);
  expect(exceljs).toBe(0); // refused by the patch itself, not handed to exceljs
  limits.rows = 2 + d.auditRows.length;
  await store.write({ audit: [entry] });
  expect(exceljs).toBe(0);
  expect(Buffer.from(await parts.bytes()).equals(before)).toBe(false);
});

test("an adopted ledger's sheet keeps its own name: the full-ledger refusal names that sheet, not the default's", async () => {
  const d = await generateSample({ cases: 20, seed: 9 });
  const zip = unzipParts(await ledgerBookBuffer(createLedgerBook({ policy: defaultPolicy(), ...d, now: now() })));
  // Adopted-shaped: the ledger table on a sheet named as the plant named it.
  const own = "2025年客诉台账";
  const i = zip.findIndex((p) => p.name === "xl/workbook.xml");
  const xml = inflatePart(zip[i]);
  expect(xml).toContain(`name="${SHEETS.ledger}"`);
  zip[i] = deflatePart(zip[i].name, xml.replace(`name="${SHEETS.ledger}"`, `name="${own}"`));
  const bytes = new Uint8Array(zipParts(zip));
  const read = (await openLedgerFast(bytes.slice(), platformInflater()!))!;
  const parts = new ZipParts(Buffer.from(bytes), platformInflater()!, platformDeflater()!);
  const store = new FastStore(read.data, () => Promise.reject(new Error("the patch, not exceljs, refuses")), { parts, places: read.places, now });
  limits.rows = 1 + d.rows.length;
  const refused = store.write({ appends: [d.rows[0].slice()] });
  await expect(refused).rejects.toMatchObject({
    code: "LIMIT",
    en: expect.stringContaining(`sheet "${own}" is used to row`),
    zh: expect.stringContaining(`工作表"${own}"已用到`),
  });
  await expect(refused).rejects.toMatchObject({ en: expect.stringMatching(/The ledger is full/) });
  await expect(refused).rejects.not.toMatchObject({ en: expect.stringContaining(SHEETS.ledger) });
});
