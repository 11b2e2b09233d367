/**
 * RowReader (the passes' row → Case) gives exactly readCase(rowToRecord(…)):
 * on a generated ledger with mistakes, and on cells of every awkward kind —
 * a field in two columns, text where numbers go, dates typed as text,
 * out-of-range serials, blanks made of spaces, labels typed in other forms.
 */
import { readCase, type CellValue } from "../../src/domain/case";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { keysOfHeader, rowToRecord } from "../../src/ledger/records";
import { RowReader } from "../../src/ledger/row-reader";
import { generateSample } from "../../src/sample/ledger-sample";

const opts = { defaultYear: 2026 };

function expectSameAsReadCase(header: string[], rows: CellValue[][]) {
  const policy = defaultPolicy();
  const keys = keysOfHeader(header, policy);
  const reader = new RowReader(keys, policy, opts);
  for (const cells of rows) expect(reader.read(cells)).toEqual(readCase(rowToRecord(keys, cells), policy, opts));
}

test("a generated ledger with mistakes reads as readCase reads it, twice over (remembered labels change nothing)", async () => {
  const d = await generateSample({ cases: 120, mistakes: 12, seed: 11, audit: false });
  expectSameAsReadCase(d.header, [...d.rows, ...d.rows]);
});

test("awkward cells: a field in two columns, wrong types, text dates, bad serials, blanks, other label forms", async () => {
  const d = await generateSample({ cases: 3, mistakes: 0, seed: 5, audit: false });
  const col = (zh: string) => d.header.findIndex((h) => h.startsWith(zh));
  const kind = col("类别"),
    received = col("接收时间"),
    qty = col("数量"),
    cost = col("费用"),
    urgent = col("加急"),
    customer = col("客户 ");
  const sign = col("签核-");
  expect([kind, received, qty, cost, urgent, customer, sign].every((i) => i >= 0)).toBe(true);
  // The same field again at the end: the first column wins.
  const header = [...d.header, d.header[kind], "我的备注"];
  const base = [...d.rows[0], "客退", "自由文本"];
  const variant = (changes: Record<number, CellValue>) => base.map((v, i) => (i in changes ? changes[i] : v));
  const rows: CellValue[][] = [
    base,
    variant({ [kind]: "complaint", [urgent]: "YES", [customer]: "  宁波某某  " }),
    variant({ [kind]: "不存在的类别", [urgent]: "也许", [qty]: "12 件", [cost]: "1,234.50元" }),
    variant({ [received]: "2026年3月5日 14:20", [qty]: true, [cost]: Number.NaN }),
    variant({ [received]: "3月5日", [qty]: "   ", [cost]: null }),
    variant({ [received]: 1e9, [qty]: -3, [customer]: new Date(Date.UTC(2026, 2, 5)) }),
    variant({ [received]: "46100", [kind]: 42, [urgent]: 1 }),
    variant({ [received]: "明天", [cost]: Infinity }),
    // Sign-offs: with a comment, a date that does not exist (twice: the remembered answer is the same), no date, a number.
    variant({ [sign]: "  张三 2026-03-05 14:20 同意 " }),
    variant({ [sign]: "张三 2026-02-30 10:00" }),
    variant({ [sign]: "张三 2026-02-30 10:00" }),
    variant({ [sign]: "张三" }),
    variant({ [sign]: 46100 }),
    base.map(() => null),
    [],
  ];
  expectSameAsReadCase(header, rows);
});

test("a remembered sign-off date never shares a signature object between two cases", async () => {
  const d = await generateSample({ cases: 1, mistakes: 0, seed: 5, audit: false });
  const policy = defaultPolicy();
  const sign = d.header.findIndex((h) => h.startsWith("签核-"));
  const row = d.rows[0].map((v, i) => (i === sign ? "李四 2026-04-01 09:30" : v));
  const reader = new RowReader(keysOfHeader(d.header, policy), policy, opts);
  const a = reader.read(row).case.signatures;
  const b = reader.read(row).case.signatures;
  const role = Object.keys(a).find((r) => a[r].name === "李四")!;
  expect(a[role]).toEqual(b[role]);
  expect(a[role]).not.toBe(b[role]);
});
