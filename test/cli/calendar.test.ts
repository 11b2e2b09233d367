import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { cliAt } from "./run";
import { decodeNotice } from "../../src/cli/commands/calendar";
import { CN_OFFICIAL_DAYS, CN_OFFICIAL_YEARS } from "../../src/domain/calendar/cn-holidays";
import { serialToIso, ymdToSerial } from "../../src/domain/dates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { statutoryDays } from "../../src/domain/calendar/provisional";
import { generateSample } from "../../src/sample/ledger-sample";
import { createLedgerWorkbook } from "../../src/stores/xlsx/workbook";
import { saveWorkbook } from "../../src/stores/xlsx/file";
import { NOTICE_2026 } from "../fixtures/notices";

jest.setTimeout(60000);
/** The first year without bundled data, and a day late in the year before it: clocks run into the estimate. */
const EST = Math.max(...CN_OFFICIAL_YEARS) + 1;
const now = () => new Date(EST - 1, 11, 20, 10, 0, 0);
let dir: string;
const p = (f: string) => path.join(dir, f);

const cli = cliAt(now);

/** A notice for EST as the State Council would write it, from the provisional days (a stand-in for the real one). */
function noticeFor(year: number): string {
  const md = (s: number) => `${+serialToIso(s).slice(5, 7)}月${+serialToIso(s).slice(8)}日`;
  const spring = statutoryDays(year).filter((d) => d.name.startsWith("春节"));
  return `国务院办公厅关于${year}年部分节假日安排的通知
一、元旦:${md(ymdToSerial(year, 1, 1))}放假1天。
二、春节:${md(spring[0].serial)}至${md(spring[0].serial + 7)}放假调休,共8天。${md(spring[0].serial - 2)}上班。
三、国庆节:10月1日至7日放假调休,共7天。`;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-cal-"));
  await fs.writeFile(p("2026.txt"), NOTICE_2026);
  await fs.writeFile(p("junk.txt"), "这不是通知。Lorem ipsum.");
  await fs.writeFile(p("est.txt"), noticeFor(EST));
  const d = await generateSample({ cases: 40, mistakes: 0, seed: 7, today: ymdToSerial(EST - 1, 12, 20) });
  await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, now: now() }), p("ledger.xlsx"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe("complaint-ledger calendar import", () => {
  test("--json prints exactly {year, off, on}: the published notice gives the bundled days", async () => {
    const r = await cli("calendar", "import", p("2026.txt"), "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(["year", "off", "on"]);
    expect(j.year).toBe(2026);
    const bundled = (k: "OFF" | "WORK") => CN_OFFICIAL_DAYS.filter((x) => x.kind === k && x.date.startsWith("2026-")).map((x) => x.date);
    expect(j.off).toEqual(bundled("OFF"));
    expect(j.on).toEqual(bundled("WORK"));
  });

  test("text with no arrangement exits 2 with a bilingual message and no stack trace", async () => {
    for (const lang of ["zh", "en"]) {
      const r = await cli("calendar", "import", p("junk.txt"), "--year", String(EST), "--lang", lang);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(lang === "zh" ? /没有读到任何放假安排/ : /No holiday arrangement found/);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    expect((await cli("calendar", "import", p("missing.txt"))).code).toBe(2);
    expect((await cli("calendar", "import", dir)).err).toMatch(/folder/);
    expect((await cli("calendar", "import", p("2026.txt"), "--year", "abc")).code).toBe(2);
    expect((await cli("calendar", "frobnicate")).code).toBe(2);
  });

  test("--into writes the year to the Policy sheet, audited; the estimate is gone", async () => {
    const before = JSON.parse((await cli("calendar", "show", String(EST), "--json", "--ledger", p("ledger.xlsx"))).out);
    expect(before.source).toBe("provisional");
    const checked = JSON.parse((await cli("check", p("ledger.xlsx"), "--json")).out);
    expect(checked.estimates.length).toBeGreaterThan(0); // December's cases have deadlines in EST
    for (const e of checked.estimates) expect(e).toMatchObject({ provisional: true, due: expect.stringMatching(new RegExp(`^${EST}-`)) });

    const r = await cli("calendar", "import", p("est.txt"), "--into", p("ledger.xlsx"), "--lang", "en");
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/no longer an estimate/);
    const after = JSON.parse((await cli("calendar", "show", String(EST), "--json", "--ledger", p("ledger.xlsx"))).out);
    expect(after.source).toBe("policy");
    expect(after.off).toContain(`${EST}-10-07`); // the notice's days, not the estimate's
    expect(after.on).toHaveLength(1);
    expect(JSON.parse((await cli("check", p("ledger.xlsx"), "--json")).out).estimates).toEqual([]);
    const audit = await cli("verify-audit", p("ledger.xlsx"), "--lang", "en");
    expect(audit.code).toBe(0);
  });
});

describe("complaint-ledger calendar show", () => {
  test("a bundled year is official; the first year without data is provisional with its statutory days", async () => {
    expect(JSON.parse((await cli("calendar", "show", String(EST - 1), "--json")).out).source).toBe("official");
    const j = JSON.parse((await cli("calendar", "show", String(EST), "--json")).out);
    expect(Object.keys(j)).toEqual(["year", "source", "off", "on"]);
    expect(j.source).toBe("provisional");
    expect(j.on).toEqual([]);
    for (const d of statutoryDays(EST)) expect(j.off).toContain(serialToIso(d.serial));
    const text = await cli("calendar", "show", String(EST), "--lang", "zh");
    expect(text.out).toMatch(/估算/);
    expect((await cli("calendar", "show", "2101")).code).toBe(2);
  });
});

test("notices saved as UTF-8 with BOM, UTF-16 or GBK all read", () => {
  const text = "一、元旦:1月1日放假。";
  const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  expect(decodeNotice(utf8)).toBe(text);
  expect(decodeNotice(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]))).toBe(text);
  const gbk = new Uint8Array([0xd2, 0xbb, 0xa1, 0xa2, 0xd4, 0xaa, 0xb5, 0xa9]); // 一、元旦 in GBK
  expect(decodeNotice(gbk)).toBe("一、元旦");
});
