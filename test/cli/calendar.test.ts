import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { cliAt } from "./run";
import { decodeNotice } from "../../src/cli/commands/calendar";
import { CN_OFFICIAL_DAYS, CN_OFFICIAL_YEARS } from "../../src/domain/calendar/cn-holidays";
import { serialToIso, ymdToSerial } from "../../src/domain/dates";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { statutoryDays } from "../../src/domain/calendar/provisional";
import { generateSample, streamSample } from "../../src/sample/ledger-sample";
import { SHEETS } from "../../src/ledger/workbook-layout";
import { createLedgerBook, createLedgerWorkbook } from "../../src/stores/xlsx/workbook";
import { readLedgerStreaming, saveLedgerBook, saveWorkbook } from "../../src/stores/xlsx/file";
import { writableLimits } from "../fakes/limits";
import { FastWorkbook } from "../../src/stores/xlsx/reader/fast-read";
import { zipEntries } from "../../src/stores/xlsx/reader/zip-read";
import { SLICED } from "../../src/stores/xlsx/zip/zip-file";
import { NOTICE_2026 } from "../fixtures/notices";
import { shanghai } from "../fakes/clock";

jest.setTimeout(60000);
/** The first year without bundled data, and a day late in the year before it: clocks run into the estimate. */
const EST = Math.max(...CN_OFFICIAL_YEARS) + 1;
const now = () => shanghai(EST - 1, 11, 20, 10, 0, 0);
let dir: string;
const p = (f: string) => path.join(dir, f);

const cli = cliAt(now);

const md = (s: number) => `${+serialToIso(s).slice(5, 7)}月${+serialToIso(s).slice(8)}日`;
const festival = (year: number, zh: string) => statutoryDays(year).find((d) => d.name.startsWith(zh))!.serial;

/** A notice for EST as the State Council would write it, from the provisional days (a stand-in for the real one), every festival in it. */
function noticeFor(year: number): string {
  const spring = statutoryDays(year).filter((d) => d.name.startsWith("春节"));
  return `国务院办公厅关于${year}年部分节假日安排的通知
一、元旦:${md(ymdToSerial(year, 1, 1))}放假1天。
二、春节:${md(spring[0].serial)}至${md(spring[0].serial + 7)}放假调休,共8天。${md(spring[0].serial - 2)}上班。
三、清明节:${md(festival(year, "清明"))}放假1天。
四、劳动节:5月1日至5日放假调休,共5天。
五、端午节:${md(festival(year, "端午"))}放假1天。
六、中秋节:${md(festival(year, "中秋"))}放假1天。
七、国庆节:10月1日至7日放假调休,共7天。`;
}

/** A notice holding only 元旦, as when a page is copied halfway. */
const onlyNewYear = (year: number) => `国务院办公厅关于${year}年部分节假日安排的通知
一、元旦:${md(ymdToSerial(year, 1, 1))}放假1天。`;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-cal-"));
  await fs.writeFile(p("2026.txt"), NOTICE_2026);
  await fs.writeFile(p("junk.txt"), "这不是通知。Lorem ipsum.");
  await fs.writeFile(p("est.txt"), noticeFor(EST));
  await fs.writeFile(p("only-new-year.txt"), onlyNewYear(EST));
  await fs.writeFile(p("one-line.txt"), noticeFor(EST).replace(/\n/g, ""));
  const d = await generateSample({ cases: 40, mistakes: 0, seed: 7, today: ymdToSerial(EST - 1, 12, 20) });
  await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, now: now() }), p("ledger.xlsx"));
  await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, now: now() }), p("partial.xlsx"));
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

describe("an import never makes a year worse (issue 25)", () => {
  const spring = () =>
    statutoryDays(EST)
      .filter((d) => d.name.startsWith("春节"))
      .map((d) => serialToIso(d.serial));
  const national = [`${EST}-10-01`, `${EST}-10-02`, `${EST}-10-03`];

  test("a notice naming only 元旦 is refused: exit 1, the missing festivals named in either language, nothing written", async () => {
    const zh = await cli("calendar", "import", p("only-new-year.txt"), "--into", p("partial.xlsx"), "--lang", "zh");
    expect(zh.code).toBe(1);
    expect(zh.err).toMatch(/春节、清明节、劳动节、端午节、中秋节、国庆节/);
    expect(zh.err).toMatch(/--partial/);
    const en = await cli("calendar", "import", p("only-new-year.txt"), "--lang", "en");
    expect(en.code).toBe(1);
    expect(en.err).toMatch(/Spring Festival, Tomb-sweeping Day, Labour Day, Dragon Boat Festival, Mid-autumn Festival, National Day/);
    const shown = JSON.parse((await cli("calendar", "show", String(EST), "--json", "--ledger", p("partial.xlsx"))).out);
    expect(shown.source).toBe("provisional");
    expect((await cli("verify-audit", p("partial.xlsx"))).code).toBe(0);
  });

  test("--partial merges: 春节 and 国庆 stay off, still estimates; 元旦 is the notice's", async () => {
    const dry = await cli("calendar", "import", p("only-new-year.txt"), "--partial", "--json");
    expect(dry.code).toBe(0);
    const j = JSON.parse(dry.out);
    expect(j.estimated).toEqual(["春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]);
    for (const d of [...spring(), ...national]) expect(j.off).toContain(d);

    const r = await cli("calendar", "import", p("only-new-year.txt"), "--partial", "--into", p("partial.xlsx"), "--lang", "en");
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/still estimates/);
    const after = JSON.parse((await cli("calendar", "show", String(EST), "--json", "--ledger", p("partial.xlsx"))).out);
    expect(after.source).toBe("provisional"); // the year stays an estimate
    for (const d of [`${EST}-01-01`, ...spring(), ...national]) expect(after.off).toContain(d);
    // Deadlines in the year are still marked as estimates.
    const checked = JSON.parse((await cli("check", p("partial.xlsx"), "--json")).out);
    expect(checked.estimates.length).toBeGreaterThan(0);
    expect((await cli("verify-audit", p("partial.xlsx"))).code).toBe(0);
  });

  test("a notice pasted on one line imports the same days as with its line breaks", async () => {
    const lines = JSON.parse((await cli("calendar", "import", p("est.txt"), "--json")).out);
    const one = await cli("calendar", "import", p("one-line.txt"), "--json");
    expect(one.code).toBe(0);
    expect(JSON.parse(one.out)).toEqual(lines);
    expect(lines.off.length).toBeGreaterThan(15);
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

describe("a ledger whose big sheets pass the limit for a sheet read whole (lowered here): the commands reading its policy work (issue 26)", () => {
  const { limits, real: saved } = writableLimits();

  /** Every limit for a part read whole (and exceljs's, so no fallback reads it) set below the ledger and audit sheets, above every other part. */
  async function lowered(file: string): Promise<void> {
    const buf = await fs.readFile(file);
    const book = FastWorkbook.open(buf);
    const big = [SHEETS.ledger, SHEETS.audit].map((name) => book.sheets.find((sh) => sh.name === name)!.path);
    const entries = zipEntries(buf);
    const below = Math.min(...big.map((b) => entries.find((e) => e.name === b)!.usize)) - 1;
    // Meaningful only when every other part still fits (the workbook, styles, the small sheets).
    expect(Math.max(...entries.filter((e) => !big.includes(e.name)).map((e) => e.usize))).toBeLessThan(below);
    limits.partBytes = limits.wholePartBytes = limits.exceljsBytes = below;
    SLICED.aboveBytes = 0;
  }

  /** The calendar commands that read a ledger's policy, in order: show, a partial import, show, a full import, show (text and JSON). */
  async function session(file: string): Promise<{ code: number; out: string; err: string }[]> {
    const said = [];
    const show = async () => {
      said.push(await cli("calendar", "show", String(EST), "--ledger", file, "--lang", "en"));
      said.push(await cli("calendar", "show", String(EST), "--json", "--ledger", file));
    };
    await show();
    said.push(await cli("calendar", "import", p("only-new-year.txt"), "--partial", "--json", "--into", file, "--lang", "en"));
    await show();
    said.push(await cli("calendar", "import", p("est.txt"), "--into", file, "--lang", "zh"));
    await show();
    return said.map((r) => ({ code: r.code, out: r.out, err: r.err.split(file).join("LEDGER") }));
  }

  test("show --ledger and import --partial --into say and write what they do under the real limits", async () => {
    const s = await streamSample({ cases: 150, today: ymdToSerial(EST - 1, 11, 1) });
    await saveLedgerBook(createLedgerBook({ ...s, policy: defaultPolicy(), now: now() }), p("big.xlsx"));
    const [normal, big] = [p("big-normal.xlsx"), p("big-lowered.xlsx")];
    await fs.copyFile(p("big.xlsx"), normal);
    await fs.copyFile(p("big.xlsx"), big);
    const expected = await session(normal);
    expect(expected.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(JSON.parse(expected[4].out).off).toContain(`${EST}-01-01`);
    expect(JSON.parse(expected[7].out).source).toBe("policy");

    await lowered(big);
    // The whole-sheet reader refuses it now: its big sheets really are over the limit.
    await expect(readLedgerStreaming(big)).rejects.toMatchObject({ code: "LIMIT" });
    expect(await session(big)).toEqual(expected);
    Object.assign(limits, saved);
    const [a, b] = [await readLedgerStreaming(normal), await readLedgerStreaming(big)];
    expect(b).toEqual(a);
  });
});
