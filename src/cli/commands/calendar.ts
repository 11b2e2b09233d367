/**
 * `complaint-ledger calendar`: where each year's holidays come from, and the
 * State Council's notice imported into a ledger's Policy sheet.
 *
 *   calendar import NOTICE.txt [--year Y] [--json] [--into LEDGER.xlsx] [--partial]
 *   calendar show YEAR [--json] [--ledger LEDGER.xlsx]
 *
 * Kept apart from main.ts, which registers it: it needs nothing of the other
 * commands but the context they share.
 */
import { readFile } from "node:fs/promises";
import { DomainError } from "../../domain/errors";
import { applyNotice, festivalList, noticeCoverage, parseNotice, type ParsedNotice } from "../../domain/calendar/notice";
import { defaultPolicy, type Policy } from "../../domain/policy/policy";
import { calendarYear } from "../../domain/sla";
import { incompleteNotice, Ledger } from "../../ledger/service";
import { openLedgerFile, patchLedgerFile, saveWorkbook, scanLedgerFile, stampOf, type LedgerScanInfo } from "../../stores/xlsx/file";
import { computedFor, patchPlace } from "../../stores/xlsx/patch";
import type { CellValue } from "../../domain/case";
import { MemoryStore } from "../../stores/memory";
import { Recorder, SmallParts, smallData } from "../small-parts";

interface CalendarCtx {
  out(s?: string): void;
  err(s?: string): void;
  t(zh: string, en: string): string;
  now(): Date;
}

const usage = (zh: string, en: string) => new DomainError("USAGE", zh, en);

/**
 * A notice saved from a browser or Notepad: UTF-8 (with or without BOM),
 * UTF-16 with BOM, or GB18030/GBK as older Chinese Windows saves text.
 */
export function decodeNotice(buf: Uint8Array): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder("utf-16le").decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder("utf-16be").decode(buf.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    return new TextDecoder("gb18030").decode(buf);
  }
}

const NOTICE_MAX = 1024 * 1024;
const tooBig = () => usage("通知超过 1 MB,不像是一份放假通知", "The notice is over 1 MB: not a holiday notice");

async function readNotice(file: string): Promise<string> {
  if (file === "-") {
    // Capped like a file: a notice is a few KB, and an endless pipe must not take the memory.
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of process.stdin) {
      size += (c as Buffer).length;
      if (size > NOTICE_MAX) {
        process.stdin.destroy();
        throw tooBig();
      }
      chunks.push(c as Buffer);
    }
    return decodeNotice(Buffer.concat(chunks));
  }
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EISDIR") throw usage(`"${file}" 是文件夹,不是通知文件`, `"${file}" is a folder, not a notice file`);
    throw usage(`找不到通知文件"${file}"`, `Notice file "${file}" not found`);
  }
  if (buf.length > NOTICE_MAX) throw tooBig();
  return decodeNotice(buf);
}

const stringOption = (v: string | boolean | undefined) => (typeof v === "string" && v ? v : undefined);

function yearOption(v: string | boolean | undefined): number | undefined {
  if (v === undefined) return undefined;
  const y = Number(v);
  if (!Number.isInteger(y) || y < 1990 || y > 2100) throw usage("--year 应为 1990–2100 的年份", "--year must be a year 1990–2100");
  return y;
}

/**
 * A ledger's policy: its Policy sheet read as `check` reads it, with the other small sheets and the ledger's header
 * (to know it is a ledger); no case or audit row is read, so a ledger whose big sheets pass the limit for a sheet
 * read whole (a 200,000-case ledger's, 600–880 MB) is read like any other.
 */
async function policyOf(file: string | undefined, ctx: CalendarCtx): Promise<Policy> {
  if (!file) return defaultPolicy();
  const small = await scanLedgerFile(file, () => ({
    info: undefined as LedgerScanInfo | undefined,
    begin(info: LedgerScanInfo) {
      this.info = info;
    },
  }));
  const ledger = new Ledger(new MemoryStore(smallData(small)), { now: ctx.now });
  await ledger.load();
  return ledger.policy;
}

function printDays(n: Pick<ParsedNotice, "off" | "on">, ctx: CalendarCtx): void {
  ctx.out(`${ctx.t("放假", "Off")} (${n.off.length}): ${n.off.join(" ")}`);
  ctx.out(`${ctx.t("调休上班", "Worked (make-up)")} (${n.on.length}): ${n.on.join(" ") || "-"}`);
}

async function importNotice(positional: string[], options: Record<string, string | boolean>, ctx: CalendarCtx): Promise<number> {
  if (positional.length !== 1) throw usage("请给出一个通知文件(- 表示标准输入)", "Give one notice file (- for standard input)");
  const notice = parseNotice(await readNotice(positional[0]), yearOption(options.year));
  for (const w of notice.warnings) ctx.err(`${ctx.t("注意", "Warning")}: ${ctx.t(w.zh, w.en)}`);
  // An import never makes a year worse: festivals the notice leaves out are refused, or with --partial kept as estimates.
  const { missing } = noticeCoverage(notice);
  if (missing.length && !options.partial) {
    const r = incompleteNotice(notice.year, missing);
    ctx.err(`${ctx.t("错误", "Error")}: ${ctx.t(r.zh, r.en)}`);
    ctx.err(ctx.t("(用 --partial 合并:未提到的节日保留估算)", "(--partial merges: the festivals it does not mention keep their estimate)"));
    return 1;
  }
  const partial = missing.length > 0;
  // What the year becomes: with --partial, the notice's days over the estimate of the festivals it does not mention.
  const shown = partial ? calendarYear(applyNotice(await policyOf(stringOption(options.into), ctx), notice, { partial }), notice.year) : notice;
  const estimated = partial ? { estimated: missing.map((f) => f.zh) } : {};
  if (options.json) ctx.out(JSON.stringify({ year: notice.year, off: shown.off, on: shown.on, ...estimated }));
  else {
    ctx.out(ctx.t(`${notice.year} 年放假安排`, `Holiday arrangement for ${notice.year}`));
    printDays(shown, ctx);
    if (partial) {
      const names = festivalList(missing);
      ctx.out(ctx.t(`通知未提到的节日仍为估算:${names.zh}`, `Festivals the notice does not mention are still estimates: ${names.en}`));
    }
  }
  const into = options.into;
  if (into !== undefined) {
    if (typeof into !== "string" || !into) throw usage("--into 需要台账文件", "--into needs a ledger file");
    if (options.force !== true) refuseDoubtful(notice);
    // The ledger streamed and patched (its other parts copied as stored); a file whose shape needs the whole workbook, loaded.
    if (!(await importPatched(into, notice, partial, ctx))) {
      const { workbook, store, stamp } = await openLedgerFile(into, { now: ctx.now });
      const ledger = new Ledger(store, { now: ctx.now });
      await ledger.load();
      const r = await ledger.importCalendar(notice, IMPORTER, { partial });
      if (!r.ok) throw importRefused(r.reasons);
      // Refused when someone saved the ledger meanwhile: their update is not overwritten.
      await saveWorkbook(workbook, into, { expect: stamp });
    }
    ctx.err(
      partial
        ? ctx.t(
            `已写入 ${into} 的设置表:${notice.year} 年未提到的节日仍为估算`,
            `Wrote the Policy sheet of ${into}: ${notice.year}'s festivals the notice does not mention are still estimates`,
          )
        : ctx.t(`已写入 ${into} 的设置表:${notice.year} 年不再是估算`, `Wrote the Policy sheet of ${into}: ${notice.year} is no longer an estimate`),
    );
  }
  return 0;
}

const IMPORTER = { name: "complaint-ledger", source: "cli" } as const;
const importRefused = (reasons: readonly { zh: string; en: string }[]) =>
  new DomainError("IMPORT_REFUSED", reasons.map((x) => x.zh).join(";"), reasons.map((x) => x.en).join("; "));

/**
 * computedFor's results by sheet row, kept column by column: a slot per row and column rather than an object and a
 * map entry per row (11,000 rows: the import then needs no more heap than `check`).
 */
class ComputedByRow {
  private readonly cols = new Map<string, CellValue[]>();
  private readonly rows: boolean[] = [];
  set(row: number, vals: Record<string, CellValue>): this {
    this.rows[row] = true;
    for (const k of Object.keys(vals)) {
      let col = this.cols.get(k);
      if (!col) this.cols.set(k, (col = []));
      col[row] = vals[k];
    }
    return this;
  }
  get(row: number): Record<string, CellValue> | undefined {
    if (!this.rows[row]) return undefined;
    const out: Record<string, CellValue> = {};
    for (const [k, col] of this.cols) out[k] = col[row] ?? null;
    return out;
  }
}

/**
 * The import written by patching the file's parts (stores/xlsx/patch.ts): the ledger is scanned as `check`
 * scans it, its case rows never held, so memory stays that of `check`. False when the file's shape needs the
 * whole workbook (nothing written).
 */
async function importPatched(file: string, notice: ParsedNotice, partial: boolean, ctx: CalendarCtx): Promise<boolean> {
  const stamp = await stampOf(file);
  // The file read once: both scans and the patch use these bytes (three reads held three copies until a collection
  // freed them: +20 MB peak on an 11,000-case ledger). A file changed since the stamp is refused at the rename.
  const bytes = await readFile(file);
  const place = patchPlace(bytes);
  if (!stamp || !place) return false;
  const small = await scanLedgerFile(file, () => new SmallParts(), { bytes });
  const info = small.info!;
  if (!info.has.table || !info.has.policy || !info.has.audit || !info.meta) return false;
  const store = new Recorder(smallData(small));
  const ledger = new Ledger(store, { now: ctx.now });
  await ledger.load();
  const r = await ledger.importCalendar(notice, IMPORTER, { partial });
  if (!r.ok) throw importRefused(r.reasons);
  const w = store.batch;
  if (!w?.policy || !w.audit) return false;
  // The computed columns' new results, row by row: two values a row are kept, not the rows.
  const results = new ComputedByRow();
  const of = computedFor(info.header, r.policy, ctx.now());
  await scanLedgerFile(file, () => ({ begin: () => undefined, row: (n: number, cells: CellValue[]) => void results.set(n, of(cells)) }), { bytes });
  const auditCount = small.lastAuditRow ? small.lastAuditRow - place.auditTable.top : 0;
  const patch = {
    policy: w.policy,
    audit: w.audit,
    meta: w.meta ?? {},
    ledger: { header: info.header, policy: r.policy, computed: results },
    oldMeta: info.meta,
    auditCount,
  };
  try {
    // Refused when someone saved the ledger meanwhile: their update is not overwritten.
    await patchLedgerFile(file, place, patch, { expect: stamp });
    return true;
  } catch (e) {
    if ((e as Error)?.name === "PatchConflict") return false;
    throw e;
  }
}

/**
 * A notice that contradicts itself or the year asked for is not written into a ledger (it would
 * replace an official calendar with another year's days) unless --force: exit 2, naming the conflict.
 */
function refuseDoubtful(notice: ParsedNotice): void {
  const zh: string[] = [];
  const en: string[] = [];
  if (notice.titleYear !== undefined && notice.titleYear !== notice.year) {
    zh.push(`通知标题是 ${notice.titleYear} 年,而 --year 是 ${notice.year}`);
    en.push(`the notice's title says ${notice.titleYear} but --year says ${notice.year}`);
  }
  if (notice.warnings.length) {
    zh.push(`${notice.warnings.length} 处星期与日期不符(如:${notice.warnings[0].zh})`);
    en.push(`${notice.warnings.length} weekdays do not match their dates (e.g. ${notice.warnings[0].en})`);
  }
  if (zh.length)
    throw new DomainError(
      "NOTICE_CONFLICT",
      `没有写入台账:${zh.join(";")}。请核对通知与年份;确认无误可加 --force`,
      `Nothing was written to the ledger: ${en.join("; ")}. Check the notice and the year; add --force if it is right`,
    );
}

async function show(positional: string[], options: Record<string, string | boolean>, ctx: CalendarCtx): Promise<number> {
  if (positional.length !== 1) throw usage("请给出年份,如 calendar show 2026", "Give a year, e.g. calendar show 2026");
  const year = yearOption(positional[0])!;
  const y = calendarYear(await policyOf(typeof options.ledger === "string" ? options.ledger : undefined, ctx), year);
  if (options.json) {
    ctx.out(JSON.stringify({ year: y.year, source: y.source, off: y.off, on: y.on }));
    return 0;
  }
  const source = {
    official: ctx.t("国务院公布的安排(内置数据)", "the State Council's published arrangement (bundled data)"),
    policy: ctx.t("设置表(已导入的通知)", "the Policy sheet (an imported notice)"),
    provisional: ctx.t(
      "估算:按《全国年节及纪念日放假办法》推算,调休未知;通知公布后请用 calendar import 导入",
      "an ESTIMATE from the national holiday rules, make-up days unknown; import the notice with calendar import once published",
    ),
  }[y.source];
  ctx.out(`${year}: ${source}`);
  printDays(y, ctx);
  return 0;
}

export const calendarCommand = {
  summary: ["节假日日历:查看来源、导入国务院放假通知", "Holiday calendar: show a year's source, import the State Council notice"] as [string, string],
  usage:
    "complaint-ledger calendar import NOTICE.txt [--year Y] [--json] [--into LEDGER.xlsx [--force]] [--partial] | calendar show YEAR [--json] [--ledger LEDGER.xlsx]",
  help: [
    'import:读取国务院办公厅《关于 YYYY 年部分节假日安排的通知》的正文(文件或 - 标准输入),列出放假日和调休上班日;--json 输出 {"year","off","on"};--into 把该年写入台账的设置表(替换估算,记入审计)。年份取自通知标题,或用 --year 指定。读不出任何安排时退出码 2。通知缺少当年的法定节日(如只有元旦)时退出码 1 并列出缺少的节日;--partial 合并导入,未提到的节日保留估算(JSON 多一项 "estimated")。\n' +
      "show:某年节假日的来源(official 内置 / policy 设置表 / provisional 估算)及日期;--ledger 使用该台账的设置表。",
    'import: reads the text of the State Council notice (国务院办公厅关于 YYYY 年部分节假日安排的通知) from a file or - for standard input and lists the days off and make-up working days; --json prints {"year","off","on"}; --into writes the year to the ledger\'s Policy sheet (replacing the estimate, audited). The year comes from the notice\'s title or --year. Exit 2 when no arrangement can be read. A notice without all of the year\'s statutory festivals (e.g. only 元旦) exits 1 naming the missing ones; --partial merges it, the festivals it does not mention keeping their estimate (the JSON adds "estimated").\n' +
      "show: where a year's holidays come from (official: bundled, policy: the Policy sheet, provisional: estimated) and its days; --ledger uses that ledger's Policy sheet.",
  ] as [string, string],
  options: { json: {}, year: { value: true }, into: { value: true }, ledger: { value: true }, force: {}, partial: {} },
  async run({ positional, options }: { positional: string[]; options: Record<string, string | boolean> }, ctx: CalendarCtx): Promise<number> {
    const [verb, ...rest] = positional;
    if (verb === "import") return importNotice(rest, options, ctx);
    if (verb === "show") return show(rest, options, ctx);
    throw usage(`calendar 的子命令是 import 或 show${verb ? `,不是"${verb}"` : ""}`, `calendar takes import or show${verb ? `, not "${verb}"` : ""}`);
  },
};
