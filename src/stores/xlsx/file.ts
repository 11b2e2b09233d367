/**
 * Node-only file access for ledgers: open, save atomically, adopt, and a
 * streaming read for the commands that only look (check, report,
 * verify-audit). Browser code uses store.ts/workbook.ts with buffers instead.
 */
import { createHash } from "crypto";
import { promises as fs, createReadStream } from "fs";
import * as path from "path";
// exceljs is loaded only where it is used (writing, adoption, the fallback reader): the read-only commands start without it.
import type { Workbook } from "exceljs";
import type { CellValue } from "../../domain/case";
import { DomainError } from "../../domain/errors";
import { defaultPolicy } from "../../domain/policy/policy";
import { quote } from "../../domain/text";
import type { AnyAdoptPlan } from "../../adoption/planner";
import { GENESIS } from "../../ledger/audit";
import { AUDIT_COLUMNS, COST_LINE_COLUMNS, EVIDENCE_COLUMNS, META, PEOPLE_COLUMNS, SHEETS, TABLES } from "../../ledger/workbook-layout";
import type { LedgerData } from "../../ledger/store";
import { isBlank, plainValue } from "./cells";
import { columnsOfHeader } from "./columns";
import type { AdoptWorkbookOptions } from "./adopt";
import { checkInflatedSize, FastReadUnsupported, FastWorkbook, partsContain, type FastReadOptions, type ZipBytes } from "./reader/fast-read";
import { SLICED, ZipFile } from "./zip/zip-file";
import { cellTooLong, limitError, LIMITS, NOT_A_LEDGER, tooManyCells } from "./limits";
import type { XlsxStore } from "./store";
import { hiddenLedgerFinding, tablesOfSync } from "./reader/table-parts";
import type { PartsPatch, PatchPlace } from "./patch";
import type { LedgerBook } from "./workbook";
import type { DeferredBody } from "./sheet-xml";
import { CellTooLong, fromStoredText, storeWorkbookText } from "./stored-text";
import { addChartParts, chartLayouts } from "./chart-parts";

/** A file we can read, or a bilingual error saying what it is instead (missing, a directory, unreadable). */
async function mustExist(file: string): Promise<void> {
  let st;
  try {
    st = await fs.stat(file);
  } catch (e) {
    throw ioError(file, e);
  }
  if (st.isDirectory()) throw new DomainError("NOT_A_FILE", `${file} 是一个文件夹,不是 .xlsx 文件`, `${file} is a folder, not an .xlsx file`);
  if (!st.isFile()) throw new DomainError("NOT_A_FILE", `${file} 不是普通文件`, `${file} is not a regular file`);
}

/** File-system errors in both languages: the raw Node message (English) never stands alone under --lang zh. */
function ioError(file: string, e: unknown): DomainError {
  const code = (e as { code?: string })?.code;
  switch (code) {
    case "ENOENT":
      return new DomainError("FILE_NOT_FOUND", `找不到文件:${file}`, `File not found: ${file}`);
    case "EACCES":
    case "EPERM":
      return new DomainError("NO_ACCESS", `没有权限读写 ${file}`, `No permission to read or write ${file}`);
    case "EISDIR":
      return new DomainError("NOT_A_FILE", `${file} 是一个文件夹,不是 .xlsx 文件`, `${file} is a folder, not an .xlsx file`);
    case "ENOSPC":
      return new DomainError("DISK_FULL", `磁盘已满,无法写入 ${file}`, `The disk is full: cannot write ${file}`);
    case "EROFS":
      return new DomainError("READ_ONLY", `${file} 所在位置只读`, `${file} is on a read-only file system`);
    default:
      return new DomainError(
        "IO",
        `无法访问 ${file}(系统错误 ${code ?? "未知"})`,
        `Cannot access ${file} (${code ?? "error"}: ${(e as Error)?.message ?? String(e)})`,
      );
  }
}

/** What a file that is not an .xlsx workbook is, judged from its first bytes, for the message. */
function kindOf(buf: Buffer | undefined): { zh: string; en: string } {
  if (!buf || buf.length === 0)
    return {
      zh: "文件是空的(0 字节),不是有效的 .xlsx 文件(下载或复制可能没有完成)",
      en: "the file is empty (0 bytes): not an .xlsx file (a download or copy may not have finished)",
    };
  // What a failed download or a cut copy leaves: too short even for a zip's signature.
  if (buf.length < 4) return { zh: "不是 .xlsx 文件,或文件已损坏(只有几个字节)", en: "not an .xlsx file, or it is damaged (only a few bytes)" };
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0)
    return {
      zh: "这是旧版 .xls 文件(或加密的工作簿),请在 Excel 中另存为 .xlsx",
      en: "this is an old .xls file (or an encrypted workbook): save it as .xlsx in Excel",
    };
  if (buf.readUInt32LE(0) !== 0x04034b50) return { zh: "不是 .xlsx 文件(不是 zip 格式)", en: "not an .xlsx file (not a zip)" };
  const head = buf.toString("latin1", 0, Math.min(buf.length, 200));
  if (head.includes("mimetypeapplication/vnd.oasis.opendocument")) {
    return {
      zh: "这是 OpenDocument 文件(.ods),只是扩展名为 .xlsx;请在 LibreOffice 或 WPS 中另存为 Excel 2007-365 (.xlsx)",
      en: "this is an OpenDocument file (.ods) renamed .xlsx: save it as Excel 2007-365 (.xlsx) in LibreOffice or WPS",
    };
  }
  return { zh: "不是有效的 .xlsx 文件或文件已损坏", en: "not a valid .xlsx file, or it is damaged" };
}

/** A file that does not read: the Chinese text says what it is; the library's own (English) detail goes in the English text only. */
const unreadable = (file: string, e: unknown, buf?: Buffer) => {
  // Without the bytes at hand (the streaming fallback), nothing says the file is empty: it is damaged.
  const k = buf ? kindOf(buf) : { zh: "不是有效的 .xlsx 文件或文件已损坏", en: "not a valid .xlsx file, or it is damaged" };
  const detail = e instanceof Error ? e.message : String(e);
  return new DomainError("NOT_XLSX", `无法读取 ${file}:${k.zh}`, `Cannot read ${file}: ${k.en} (${detail})`);
};

const EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/**
 * notAWorkbook on a file read by slices (a large one): its start (what kind of file), its last 64 KB (the zip's
 * end record) and, from there on, its central directory, where a zip names every part.
 */
function notAWorkbookSliced(file: string, src: ZipFile): DomainError | undefined {
  const head = src.slice(0, 4096);
  const k = kindOf(head);
  if (head.length < 22 || head.readUInt32LE(0) !== 0x04034b50 || k.en.startsWith("this is")) return notAWorkbook(file, head);
  const tailAt = Math.max(0, src.length - 22 - 0xffff);
  const tail = src.slice(tailAt, src.length);
  const eocd = tail.lastIndexOf(EOCD, tail.length - 22);
  if (eocd < 0) return notAWorkbook(file, Buffer.concat([head.subarray(0, 22), tail]));
  const cdAt = tail.readUInt32LE(eocd + 16);
  const dir = cdAt >= tailAt ? tail.subarray(cdAt - tailAt) : cdAt < src.length ? src.slice(cdAt, src.length) : tail;
  return notAWorkbook(file, Buffer.concat([head.subarray(0, 22), dir]));
}

/** A zip that is not an Excel workbook (no xl/workbook.xml): an .ods renamed, a Word file… */
function notAWorkbook(file: string, buf: Buffer): DomainError | undefined {
  const k = kindOf(buf);
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50 || k.en.startsWith("this is"))
    return new DomainError("NOT_XLSX", `无法读取 ${file}:${k.zh}`, `Cannot read ${file}: ${k.en}`);
  // A zip ends with its directory: without one the file was cut short (a download or copy that did not finish).
  if (buf.lastIndexOf(EOCD, buf.length - 22) < Math.max(0, buf.length - 22 - 0xffff)) {
    return new DomainError(
      "NOT_XLSX",
      `无法读取 ${file}:文件不完整或已损坏(压缩包末尾的目录不见了,可能下载或复制没有完成)`,
      `Cannot read ${file}: the file is truncated or damaged (the zip's directory at its end is missing; a download or copy may not have finished)`,
    );
  }
  if (!buf.includes("xl/workbook.xml", 0, "latin1")) {
    return new DomainError(
      "NOT_XLSX",
      `无法读取 ${file}:压缩包里没有 Excel 工作簿(xl/workbook.xml)`,
      `Cannot read ${file}: the zip holds no Excel workbook (xl/workbook.xml)`,
    );
  }
  return undefined;
}

/**
 * A ledger to read: its bytes in memory, or, above SLICED.aboveBytes, the file itself read a slice at a time
 * (zip-file.ts), so a 200,000-case ledger's ~150 MB of compressed bytes are not held whole. Close it when done.
 */
async function openBytes(file: string): Promise<{ src: Buffer | ZipFile; notXlsx: DomainError | undefined; close: () => void }> {
  await mustExist(file);
  let size: number;
  try {
    size = (await fs.stat(file)).size;
  } catch (e) {
    throw ioError(file, e);
  }
  if (size <= SLICED.aboveBytes) {
    const buf = await readBytes(file);
    return { src: buf, notXlsx: notAWorkbook(file, buf), close: () => undefined };
  }
  let src: ZipFile;
  try {
    src = ZipFile.open(file);
  } catch (e) {
    throw ioError(file, e);
  }
  try {
    return { src, notXlsx: notAWorkbookSliced(file, src), close: () => src.close() };
  } catch (e) {
    src.close();
    throw e;
  }
}

async function readBytes(file: string): Promise<Buffer> {
  await mustExist(file);
  try {
    return await fs.readFile(file);
  } catch (e) {
    throw ioError(file, e);
  }
}

/**
 * Loads a workbook with exceljs, which holds every cell in memory and
 * inflates without bound: the file is first measured by inflating it
 * (nothing kept) against LIMITS.exceljsBytes. A missing, non-xlsx, damaged or
 * over-limit file is a bilingual DomainError.
 */
export async function readWorkbookFile(file: string, bytes?: Buffer): Promise<Workbook> {
  // `bytes`: the file's bytes when the caller already read them (adopt's fallback), read once.
  const buf = bytes ?? (await readBytes(file));
  const other = notAWorkbook(file, buf);
  if (other) throw other;
  try {
    await checkInflatedSize(buf, LIMITS.exceljsBytes);
  } catch (e) {
    if (e instanceof DomainError) throw e;
    // The fast path's zip reader does not know this zip (zip64…): exceljs may; its own error says why not.
  }
  const { Workbook } = await import("exceljs");
  const wb = new Workbook();
  try {
    // exceljs declares its own global Buffer (one that extends ArrayBuffer); Node's Buffer is what it reads at run time.
    await wb.xlsx.load(buf as typeof buf & ArrayBuffer);
  } catch (e) {
    throw unreadable(file, e, buf);
  }
  return wb;
}

/** When a file was read: what a save checks to refuse overwriting someone else's save. */
export interface FileStamp {
  mtimeMs: number;
  size: number;
  sha256: string;
}

/** The stamp of a file as it is now; null when it does not exist. */
export async function stampOf(file: string): Promise<FileStamp | null> {
  try {
    const st = await fs.stat(file);
    // Hashed as it streams: a big ledger is not held a second time beside what the caller holds.
    const hash = createHash("sha256");
    for await (const piece of createReadStream(file)) hash.update(piece as Buffer);
    return { mtimeMs: st.mtimeMs, size: st.size, sha256: hash.digest("hex") };
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return null;
    throw ioError(file, e);
  }
}

const sameStamp = (a: FileStamp | null, b: FileStamp | null) =>
  a === null || b === null ? a === b : a.size === b.size && a.mtimeMs === b.mtimeMs && a.sha256 === b.sha256;

/** Opens a ledger file for reading and writing; `stamp` goes back to saveWorkbook so a changed file is not overwritten. */
export async function openLedgerFile(file: string, opts: { now?: () => Date } = {}): Promise<{ workbook: Workbook; store: XlsxStore; stamp: FileStamp }> {
  await cleanTempFiles(file);
  const stamp = await stampOf(file);
  const workbook = await readWorkbookFile(file);
  if (!stamp) throw ioError(file, Object.assign(new Error("gone"), { code: "ENOENT" }));
  const { XlsxStore } = await import("./store");
  return { workbook, store: new XlsxStore(workbook, opts), stamp };
}

const TEMP = (file: string) => {
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^\\.${base}\\.(\\d+)\\.\\d+\\.(tmp|lock)$`);
};

const alive = (pid: number) => {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
};

/**
 * Removes temporary and lock files a killed save left beside `file` (a save
 * killed with -9 cannot clean up after itself): those whose process is gone.
 */
export async function cleanTempFiles(file: string): Promise<string[]> {
  const dir = path.dirname(path.resolve(file));
  const re = TEMP(file);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const m = re.exec(n);
    if (m && !alive(Number(m[1]))) {
      await fs.rm(path.join(dir, n), { force: true });
      removed.push(n);
    }
  }
  return removed;
}

export interface SaveOptions {
  /**
   * The file as it was read (openLedgerFile's stamp), or null for "must not
   * exist yet". When given, the save is refused if the file changed since:
   * another writer saved in between, and overwriting would lose their update.
   */
  expect?: FileStamp | null;
  /** Also write the audit chain's head here (JSON), for `verify-audit --head FILE`. */
  headFile?: string;
}

export const fileChanged = (file: string) =>
  new DomainError(
    "FILE_CHANGED",
    `${file} 在读取之后已被其他人或程序保存过;为了不覆盖对方的修改,本次没有保存。请重新打开文件后再做一次修改。`,
    `${file} was saved by someone else after it was read; nothing was saved, so their changes are not overwritten. Open the file again and redo the change.`,
  );

/**
 * Saves to a temporary file beside the target, then renames it into place:
 * a crash or a full disk never leaves a half-written ledger behind. Text is
 * stored in the form of text.ts (and put back in memory after); a cell over
 * 32,767 characters refuses the save before anything is written. With
 * `expect`, a lock file beside the target makes check-and-rename one step
 * against other savers using this function. Returns the new stamp.
 */
export async function saveWorkbook(wb: Workbook, file: string, opts: SaveOptions = {}): Promise<FileStamp> {
  let restore: () => void;
  try {
    restore = storeWorkbookText(wb as never);
  } catch (e) {
    if (e instanceof CellTooLong) throw cellTooLong(`${e.sheet}!${e.cell}`, e.chars);
    throw e;
  }
  try {
    const charts = chartLayouts(wb);
    await atomicSave(file, opts, async (tmp) => {
      if (!charts.length) return wb.xlsx.writeFile(tmp);
      // exceljs writes no charts: its output gets the chart parts added (chart-parts.ts), then goes to the file.
      await fs.writeFile(tmp, await addChartParts(Buffer.from(await wb.xlsx.writeBuffer()), charts), { flag: "wx" });
    });
  } finally {
    restore();
  }
  if (opts.headFile) await writeHeadFile(opts.headFile, file, (await import("./store")).metaOf(wb.getWorksheet(SHEETS.meta)));
  return (await stampOf(file))!;
}

/**
 * saveWorkbook for a LedgerBook (workbook.ts createLedgerBook): the big
 * bodies stream into the temporary file (book-write.ts), so memory does not
 * grow with the rows written; the same temporary file, lock, stamp check and
 * rename, and nothing at `file` changes when writing fails half-way.
 */
export async function saveLedgerBook(book: LedgerBook, file: string, opts: SaveOptions = {}): Promise<FileStamp> {
  const { writeLedgerBook } = await import("./book-write");
  await atomicSave(file, opts, (tmp) => writeThrough(tmp, (sink) => writeLedgerBook(book, sink)));
  if (opts.headFile) await writeHeadFile(opts.headFile, file, (await import("./store")).metaOf(book.workbook.getWorksheet(SHEETS.meta)));
  return (await stampOf(file))!;
}

/** A new file written through a zip sink, a megabyte per write call (deflated pieces are small), synced before it is closed. */
async function writeThrough(tmp: string, write: (sink: (b: Buffer) => Promise<void>) => Promise<void>): Promise<void> {
  const fh = await fs.open(tmp, "wx");
  try {
    let held: Buffer[] = [];
    let size = 0;
    const flush = async () => {
      if (size) await fh.write(Buffer.concat(held, size));
      held = [];
      size = 0;
    };
    await write(async (b) => {
      held.push(b);
      size += b.length;
      if (size >= 1 << 20) await flush();
    });
    await flush();
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Saves a ledger file by rewriting a few of its parts (patch.ts: the Policy sheet, new audit rows, meta, the
 * computed columns' results) and copying the rest as stored: the same temporary file, lock, stamp check and
 * rename as saveWorkbook, in the memory it took to read the ledger. Returns the new stamp.
 */
export async function patchLedgerFile(file: string, place: PatchPlace, patch: PartsPatch, opts: SaveOptions = {}): Promise<FileStamp> {
  const { writePatched } = await import("./patch");
  await saveParts(file, opts, (sink) => writePatched(place, patch, sink));
  if (opts.headFile) await writeHeadFile(opts.headFile, file, { ...patch.oldMeta, ...patch.meta });
  return (await stampOf(file))!;
}

/** Saves what `write` gives the sink (a patch of a ledger's parts) as patchLedgerFile saves; returns the new stamp. */
export async function saveParts(file: string, opts: SaveOptions, write: (sink: (b: Buffer) => Promise<void>) => Promise<void>): Promise<FileStamp> {
  await atomicSave(file, opts, (tmp) => writeThrough(tmp, write));
  return (await stampOf(file))!;
}

/**
 * Writes through a temporary file beside the target, then renames it into
 * place (under the lock, after the stamp check, when `expect` is given).
 * Whatever fails, the temporary file is removed and `file` is as it was.
 */
async function atomicSave(file: string, opts: SaveOptions, write: (tmp: string) => Promise<unknown>): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  await cleanTempFiles(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let lock: string | undefined;
  try {
    await write(tmp);
    if (opts.expect !== undefined) {
      lock = await takeLock(file);
      if (!sameStamp(opts.expect, await stampOf(file))) throw fileChanged(file);
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    // A patch that met what it cannot patch (patch.ts PatchConflict): the caller writes the whole workbook instead.
    if (e instanceof DomainError || (e as Error)?.name === "PatchConflict") throw e;
    // No errno code: not the file system but the workbook (exceljs failing on a part another program left out).
    if ((e as { code?: unknown })?.code === undefined)
      throw new DomainError(
        "WRITE_FAILED",
        `无法写入 ${file}:工作簿中有本程序无法重新生成的部分(可能是其他程序保存时省略了某些部分);文件未改动`,
        `Cannot write ${file}: the workbook holds a part this program cannot write again (another program may have left parts out); the file is unchanged (${(e as Error)?.message ?? String(e)})`,
      );
    const io = ioError(file, e);
    throw new DomainError("WRITE_FAILED", `无法写入 ${file}:${io.zh}`, `Cannot write ${file}: ${io.en}`);
  } finally {
    if (lock) await fs.rm(lock, { force: true });
  }
}

/** An exclusive lock file beside the target, for the few milliseconds of check-and-rename. */
async function takeLock(file: string): Promise<string> {
  const lock = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.0.lock`);
  const shared = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.lock`);
  for (let i = 0; i < 200; i++) {
    try {
      await fs.writeFile(lock, String(process.pid));
      await fs.link(lock, shared);
      await fs.rm(lock, { force: true });
      return shared;
    } catch (e) {
      await fs.rm(lock, { force: true });
      if ((e as { code?: string }).code !== "EEXIST") throw e;
      // Held: by a live saver (wait), or by one killed mid-save (take it over).
      const holder = Number(await fs.readFile(shared, "utf8").catch(() => "0"));
      if (holder && !alive(holder)) await fs.rm(shared, { force: true });
      else await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new DomainError("LOCKED", `${file} 正被另一个程序保存,请稍后再试`, `${file} is being saved by another program; try again shortly`);
}

/** The audit head kept outside the workbook: `verify-audit --head FILE` compares the ledger with it. */
export interface HeadFile {
  ledger: string;
  seq: number;
  hash: string;
  savedAt: string;
}

async function writeHeadFile(headFile: string, ledger: string, meta: Record<string, string>): Promise<void> {
  const head: HeadFile = {
    ledger: path.basename(ledger),
    seq: Number(meta[META.auditSeq] ?? 0) || 0,
    hash: meta[META.auditHash] ?? GENESIS,
    savedAt: new Date().toISOString(),
  };
  const tmp = `${headFile}.${process.pid}.tmp`;
  try {
    await fs.writeFile(tmp, JSON.stringify(head, null, 2) + "\n");
    await fs.rename(tmp, headFile);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    const io = ioError(headFile, e);
    throw new DomainError("WRITE_FAILED", `台账已保存,但无法写入头部文件:${io.zh}`, `The ledger was saved, but the head file could not be written: ${io.en}`);
  }
}

/** Reads a head file written on a save; a missing or unreadable one is a bilingual error (exit 2). */
export async function readHeadFile(headFile: string): Promise<HeadFile> {
  const text = (await readBytes(headFile)).toString("utf8");
  let h: Partial<HeadFile>;
  try {
    h = JSON.parse(text);
  } catch {
    h = {};
  }
  if (!Number.isInteger(h.seq) || (h.seq as number) < 0 || typeof h.hash !== "string" || !/^[0-9a-f]{64}$/.test(h.hash)) {
    throw new DomainError("BAD_HEAD_FILE", `${headFile} 不是有效的审计头部文件`, `${headFile} is not a valid audit head file`);
  }
  return h as HeadFile;
}

/** Adopts a sheet of IN and writes the ledger to OUT; IN is only read. */
export async function adoptFile(
  inPath: string,
  outPath: string,
  opts: AdoptWorkbookOptions & {
    headFile?: string;
    expect?: FileStamp | null;
    /** "exceljs": adopt through exceljs's model even where the parts path would (tests and the bench compare the two). */
    via?: "parts" | "exceljs";
    /** Told which path adopted (tests check the fallback is taken). */
    took?: (path: "parts" | "exceljs") => void;
  } = {},
): Promise<AnyAdoptPlan> {
  if (path.resolve(inPath) === path.resolve(outPath)) {
    throw new DomainError(
      "SAME_FILE",
      "输出文件不能与输入文件相同(原文件保持不变)",
      "The output file must differ from the input (the original is never changed)",
    );
  }
  // The input read by the fast reader and the output written by parts (decision 148); exceljs's whole model for the rest.
  let buf: Buffer | undefined;
  if ((opts.via ?? process.env.COMPLAINT_LEDGER_ADOPT_VIA) !== "exceljs") {
    buf = await readBytes(inPath);
    if (!notAWorkbook(inPath, buf)) {
      const { adoptByParts } = await import("./adopt-parts/adopt-parts");
      const byParts = await adoptByParts(buf, opts);
      if (byParts) {
        await atomicSave(outPath, { ...(opts.expect !== undefined ? { expect: opts.expect } : {}) }, (tmp) => writeThrough(tmp, (sink) => byParts.write(sink)));
        if (opts.headFile) await writeHeadFile(opts.headFile, outPath, byParts.meta);
        opts.took?.("parts");
        return byParts.plan;
      }
    }
  }
  opts.took?.("exceljs");
  const wb = await readWorkbookFile(inPath, buf);
  checkGrid(wb, opts.sheet);
  const { adoptWorkbook } = await import("./adopt");
  // The new sheets' big bodies stream into the file; the backup (the original sheet, renamed) is exceljs's.
  const bodies: DeferredBody[] = [];
  const plan = await adoptWorkbook(wb, opts, bodies);
  await saveLedgerBook({ workbook: wb, bodies }, outPath, { headFile: opts.headFile, ...(opts.expect !== undefined ? { expect: opts.expect } : {}) });
  return plan;
}

/**
 * Adoption counts the cells present, not the used range: one stray cell at
 * XFD1048576 stretches the used range to 17 billion cells but is one cell
 * (listed on the Problems sheet, kept in the backup). Refused here when the
 * sheet holds more than the limit, before the grid is built (readGrid also
 * bounds the ledger's block it reads).
 */
export function checkGrid(wb: Workbook, sheet?: string): void {
  const visible = wb.worksheets.filter((w) => w.state !== "hidden" && w.state !== "veryHidden");
  const ws = sheet === undefined ? visible[0] : wb.worksheets.find((w) => w.name === sheet);
  if (!ws) return;
  let cells = 0;
  ws.eachRow({ includeEmpty: false }, (row) => {
    cells += row.actualCellCount;
  });
  if (cells > LIMITS.gridCells) throw tooManyCells(ws.name, cells);
}

/** Progress callback: rows read so far. */
export type Progress = (rows: number) => void;

/** What one sheet of a streaming read feeds: rows as `row.values.slice(1)` through plainValue. */
interface SheetFeed {
  /** The Policy sheet keeps Dates (policy-table reads them); others get serials. */
  keepDates: boolean;
  /** One row; false when the rest of the sheet is not wanted. `unresolved`: columns of `vals` holding a formula with no cached result. */
  row(rowNumber: number, vals: CellValue[], unresolved?: readonly number[]): boolean;
  end(): void;
}

/** A finding about the workbook's shape, said by check and verify-audit (exit 1). */
export interface BookFinding {
  code: "HIDDEN_LEDGER";
  sheet: string;
  zh: string;
  en: string;
}

/** Where the ledger is: the CaseLedger table (by its table part) on a visible sheet. */
export interface LedgerPlace {
  sheet: string;
  top: number;
  left: number;
  width: number;
}

/** What the file's parts say before any row is read: the ledger table's place and the sheets Excel hides. */
export interface BookLayout {
  place?: LedgerPlace;
  /** Names of hidden and very hidden sheets. */
  hidden: Set<string>;
  /** Hidden sheets holding a CaseLedger table. */
  hiddenTables: Set<string>;
}

const OWN_SHEETS: readonly string[] = [SHEETS.policy, SHEETS.people, SHEETS.audit, SHEETS.evidence, SHEETS.costs, SHEETS.meta];

/** The layout from a fast-opened workbook: tables by their parts, hidden sheets from workbook.xml. */
export function layoutOf(book: FastWorkbook): BookLayout {
  const sheets = book.sheets;
  const tables = tablesOfSync(sheets, book.partNames, (n) => book.partTextSync(n));
  const hidden = new Set(sheets.filter((sh) => sh.state).map((sh) => sh.name));
  const nameOf = (p: string) => sheets.find((sh) => sh.path === p)?.name ?? p;
  const ledgers = tables.filter((t) => t.name.toLowerCase() === TABLES.ledger.toLowerCase());
  const shown = ledgers.find((t) => !hidden.has(nameOf(t.sheet)));
  return {
    place: shown ? { sheet: nameOf(shown.sheet), top: shown.top, left: shown.left, width: shown.width } : undefined,
    hidden,
    hiddenTables: new Set(ledgers.filter((t) => hidden.has(nameOf(t.sheet))).map((t) => nameOf(t.sheet))),
  };
}

/** The ledger header's score (schema fields mapped), 0 unless it maps the case number and at least 5 fields. */
function headerScore(header: string[], policy = defaultPolicy()): number {
  const cols = columnsOfHeader(header, policy);
  const score = cols.filter((c) => c.field).length;
  return cols.some((c) => c.key === "caseNo") && score >= 5 ? score : 0;
}

const hiddenLedger = (sheet: string): BookFinding => hiddenLedgerFinding(sheet);

/** The Policy sheet is a few hundred rows; past this it is not one. */
const POLICY_ROWS = 20000;

/**
 * Turns the sheets of a workbook, in the order a reader meets them, into
 * LedgerData: shared by the fast path and the exceljs streaming reader, so
 * both choose the same ledger sheet and pad, trim and key rows alike.
 */
class LedgerCollector {
  private readonly policyRows: CellValue[][] = [];
  private readonly sheets = new Map<string, CellValue[][]>();
  private best: { name: string; header: string[]; score: number; rows: CellValue[][]; marks: Map<number, number[]> } | undefined;
  private readonly policy = defaultPolicy();
  private seen = 0;
  // Each kept row's sheet row: blank rows are dropped, so an index no longer says it (rows keep their identity through pad and trim).
  private readonly numbers = new WeakMap<CellValue[], number>();
  /** Names of the sheets met. */
  readonly names = new Set<string>();
  /** Hidden sheets claiming to be the ledger. */
  readonly findings: BookFinding[] = [];

  constructor(
    private readonly progress?: Progress,
    private readonly layout?: BookLayout,
  ) {}

  sheet(name: string): SheetFeed {
    this.names.add(name);
    const want = name === SHEETS.policy ? "policy" : OWN_SHEETS.includes(name) ? "plain" : "ledger?";
    const rows: CellValue[][] = [];
    // A ledger candidate's formulas without a cached result, by index in `rows`: few, so kept aside rather than per row.
    const marks = new Map<number, number[]>();
    let header: string[] | undefined;
    let score = 0;
    const layout = this.layout;
    const place = layout?.place;
    const hidden = layout?.hidden.has(name) ?? false;
    if (want === "ledger?" && hidden && layout?.hiddenTables.has(name)) this.findings.push(hiddenLedger(name));
    // With a CaseLedger table on a visible sheet, that table is the ledger: its header where its range starts, its columns only.
    const cut = (vals: CellValue[]) => (place && place.left > 1 ? vals.slice(place.left - 1, place.left - 1 + place.width) : vals);
    return {
      keepDates: want === "policy",
      row: (number, vals, unresolved) => {
        if (want === "ledger?" && header === undefined) {
          if (place && name === place.sheet) {
            if (number < place.top) return true;
            header = cut(vals).map((v) => String(v ?? "").trim());
            score = Math.max(1, headerScore(header, this.policy));
            return true;
          }
          const h = vals.map((v) => String(v ?? "").trim());
          const sc = number === 1 ? headerScore(h, this.policy) : 0;
          if (sc && hidden && !layout?.hiddenTables.has(name)) this.findings.push(hiddenLedger(name));
          // Without a table part, a ledger starts at A1 and maps the case number; a hidden sheet is never it.
          const skip = place !== undefined || hidden || !sc || (this.best !== undefined && this.best.score >= sc);
          if (!skip) {
            header = h;
            score = sc;
          }
          return !skip;
        }
        const onTable = want === "ledger?" && place !== undefined && name === place.sheet;
        if (onTable) vals = cut(vals);
        const shift = onTable ? place.left - 1 : 0;
        // Sparse rows are never padded (one at row 1,048,576 is one row, not a million): blank rows are not
        // cases, and People and Audit rows are found by content. Only the Policy sheet keeps row numbers (its problems name them).
        if (want === "policy") {
          if (number > POLICY_ROWS)
            throw limitError(`设置表超过 ${POLICY_ROWS} 行(第 ${number} 行)`, `the Policy sheet runs past ${POLICY_ROWS} rows (row ${number})`);
          while (rows.length < number - 1) rows.push([]);
        } else if (vals.every(isBlank)) return true;
        if (want === "ledger?" && unresolved?.length) {
          const cols = unresolved.map((c) => c - shift).filter((c) => c >= 0 && c < (header?.length ?? 0));
          if (cols.length) marks.set(rows.length, cols);
        }
        rows.push(vals);
        this.numbers.set(vals, number);
        if (want === "ledger?" && ++this.seen % 2000 === 0) this.progress?.(this.seen);
        return true;
      },
      end: () => {
        while (rows.length && rows[rows.length - 1].every(isBlank)) rows.pop();
        if (want === "policy") this.policyRows.push(...rows);
        else if (want === "plain") this.sheets.set(name, rows);
        else if (header && score > 0 && (!this.best || score > this.best.score || (place && name === place.sheet)))
          this.best = { name, header, score, rows, marks };
      },
    };
  }

  /** The sheet row a row of result() was read from (ledger, audit and the other own sheets). */
  rowNumber(row: CellValue[]): number | undefined {
    return this.numbers.get(row);
  }

  /** The Policy sheet's rows as read (scanLedgerBuffer reads it on its own). */
  policyRowsRead(): CellValue[][] {
    return this.policyRows;
  }

  /** The ledger rows' formulas without a cached result: columns by index in LedgerData.rows. */
  unresolved(): ReadonlyMap<number, readonly number[]> {
    return this.best?.marks ?? new Map();
  }

  /** A plain sheet's non-blank rows, header included. */
  plainRows(name: string): CellValue[][] {
    return this.sheets.get(name) ?? [];
  }

  result(): LedgerData {
    const best = this.best;
    if (!best) throw NOT_A_LEDGER("没有找到台账表", "no ledger table was found");
    this.progress?.(best.rows.length);
    const width = best.header.length;
    // Rows are this reader's own arrays: cut or fill them to n cells in place (holes and undefined become null).
    const pad = (rows: CellValue[][] | undefined, n: number, skipHeader: boolean) => {
      const out = (rows ?? []).slice(skipHeader ? 1 : 0);
      for (const r of out) {
        if (r.length > n) r.length = n;
        for (let i = 0; i < n; i++) if (r[i] === undefined) r[i] = null;
      }
      return out;
    };
    const meta: Record<string, string> = {};
    for (const r of this.sheets.get(SHEETS.meta) ?? []) {
      const k = String(r[0] ?? "").trim();
      if (k) meta[k] = String(r[1] ?? "");
    }
    const trimBlank = (rows: CellValue[][]) => rows.filter((r) => !r.every(isBlank));
    return {
      header: best.header,
      rows: pad(best.rows, width, false),
      policyRows: this.policyRows,
      peopleRows: trimBlank(pad(this.sheets.get(SHEETS.people), PEOPLE_COLUMNS.length, true)),
      auditRows: trimBlank(pad(this.sheets.get(SHEETS.audit), AUDIT_COLUMNS.length, true)),
      evidenceRows: trimBlank(pad(this.sheets.get(SHEETS.evidence), EVIDENCE_COLUMNS.length, true)),
      costRows: trimBlank(pad(this.sheets.get(SHEETS.costs), COST_LINE_COLUMNS.length, true)),
      meta,
      sheets: { policy: this.sheets.has(SHEETS.policy), audit: this.sheets.has(SHEETS.audit), meta: this.sheets.has(SHEETS.meta) },
    };
  }
}

/** Which reader readLedgerStreaming uses: the fast path with exceljs as fallback (default), or one of them only. */
export type LedgerReader = "auto" | "fast" | "exceljs";

/**
 * Reads a ledger file as LedgerData without holding the workbook in memory:
 * what check, report and verify-audit need.
 *
 * No table definitions are read, so the ledger is the sheet whose first row
 * maps the case-number column and the most schema fields; its body runs to
 * the last non-blank row. Files written by this project and by the Excel
 * adapter keep the table at A1, so both agree.
 *
 * The fast path (fast-read.ts: zlib + hand-written XML scanners) reads the
 * file; whatever it does not understand falls back to exceljs's streaming
 * reader, which gives the same LedgerData (or its error) more slowly.
 * `reader` picks one of them only (tests, diagnosis): "fast" then throws
 * FastReadUnsupported instead of falling back.
 */
export async function readLedgerStreaming(file: string, progress?: Progress, reader: LedgerReader = "auto"): Promise<LedgerData> {
  const buf = await readBytes(file);
  const other = notAWorkbook(file, buf);
  if (other) throw other;
  if (reader !== "exceljs") {
    try {
      return readLedgerBuffer(buf, { progress });
    } catch (e) {
      if (!(e instanceof FastReadUnsupported) || reader === "fast") throw e;
      // Not understood: exceljs reads it (or reports why it cannot), within the same bounds.
    }
  }
  await boundForExceljs(buf, reader !== "exceljs");
  return (await readLedgerExceljs(file, progress, false, layoutIfReadable(buf))).data;
}

/** The layout when the fast reader can open the workbook's small parts (the exceljs fallback uses it to find the same ledger). */
function layoutIfReadable(buf: ZipBytes): BookLayout | undefined {
  try {
    return layoutOf(FastWorkbook.open(buf));
  } catch (e) {
    if (e instanceof FastReadUnsupported) return undefined;
    throw e;
  }
}

/** exceljs inflates without bound: measure first (nothing kept). A zip the fast path cannot parse is left to exceljs's own error. */
async function boundForExceljs(buf: ZipBytes, fallback: boolean): Promise<void> {
  try {
    // The streaming fallback keeps every row it reads: the exceljs budget, not the fast path's.
    await checkInflatedSize(buf, LIMITS.exceljsBytes);
    // exceljs reads a phonetic reading (拼音指南) instead of the text Excel shows: an edit could hide behind
    // the old value. Such a file is refused here rather than misread (the fast reader reads it right); asked
    // for by name (`reader: "exceljs"`, diagnosis and the tests' reference), exceljs reads it as it does.
    if (fallback && (await partsContain(buf, /^xl\/(sharedStrings|worksheets\/[^/]+)\.xml$/, "<rPh"))) throw phoneticFallback();
  } catch (e) {
    if (!(e instanceof FastReadUnsupported)) throw e;
  }
}

const phoneticFallback = () =>
  new DomainError(
    "UNSUPPORTED",
    "此文件含拼音指南(注音),而它的其他部分只能由备用读取器读取,备用读取器会把注音当作单元格的文字;为免误读,没有读取。请在 Excel 中打开并另存为后再试",
    "This file holds phonetic readings (拼音指南), and other parts of it only the fallback reader can read, which would take a reading for the cell's text; it was not read, so nothing is misread. Open it in Excel, save it again and retry",
  );

/** Everything of a ledger file but its case rows and audit rows: what a row-by-row pass needs first. */
export interface LedgerScanInfo {
  ledgerSheet: string;
  header: string[];
  policyRows: CellValue[][];
  peopleRows: CellValue[][];
  /** The meta sheet's key/values; undefined when the file has no meta sheet. */
  meta: Record<string, string> | undefined;
  /** Which of the ledger's own sheets the file has; `table`: the ledger is a CaseLedger table (by its table part). */
  has: { policy: boolean; audit: boolean; meta: boolean; table: boolean };
  /** Sheet row of the ledger's header (1 unless the table starts lower, under a title). */
  headerRow: number;
  /** What the workbook's shape says that Excel would not show: a hidden sheet claiming to be the ledger. */
  findings: BookFinding[];
  /** The cost lines sheet's rows under its header (blank rows dropped), read only for a visitor with `costs`. */
  costRows?: CellValue[][];
}

/**
 * A row-by-row pass over a ledger file (check, report, verify-audit): only
 * what the visitor keeps stays in memory. `begin` comes first, then the
 * non-blank case rows in sheet order, then the non-blank audit rows — the
 * audit sheet is read only when the visitor has `audit`. Cells are cut or
 * filled to the header's width (blanks are null). In the audit sheet a
 * formula reads as "=" + its source: an entry is typed, never computed.
 */
export interface LedgerVisitor {
  /** Read the cost lines sheet too (LedgerScanInfo.costRows): the monthly review's money figures. */
  costs?: boolean;
  begin(info: LedgerScanInfo): void;
  /** `unresolved`: columns of `cells` whose formula has no cached result (either reader says so). */
  row?(sheetRow: number, cells: CellValue[], unresolved?: readonly number[]): void;
  audit?(sheetRow: number, cells: CellValue[]): void;
}

/** Cuts or fills a row to n cells in place (holes and undefined become null). */
function fit(r: CellValue[], n: number): CellValue[] {
  if (r.length > n) r.length = n;
  for (let i = 0; i < n; i++) if (r[i] === undefined) r[i] = null;
  return r;
}

/**
 * Runs a visitor over a ledger file: the fast path (fast-read.ts), or, for a
 * file it does not understand, exceljs's streaming reader collecting the
 * rows first (bounded by LIMITS). `make` gives a fresh visitor for each try,
 * so a fast pass given up half-way leaves nothing behind; the visitor used
 * is returned.
 */
export async function scanLedgerFile<V extends LedgerVisitor>(
  file: string,
  make: () => V,
  opts: { progress?: Progress; reader?: LedgerReader; bytes?: Buffer } = {},
): Promise<V> {
  // `bytes`: the file as the caller already read it (calendar import scans it twice and patches it: one copy, not three).
  const opened = opts.bytes ? { src: opts.bytes, notXlsx: notAWorkbook(file, opts.bytes), close: () => undefined } : await openBytes(file);
  try {
    if (opened.notXlsx) throw opened.notXlsx;
    return await scanOpened(file, opened.src, make, opts);
  } finally {
    opened.close();
  }
}

async function scanOpened<V extends LedgerVisitor>(
  file: string,
  buf: ZipBytes,
  make: () => V,
  opts: { progress?: Progress; reader?: LedgerReader },
): Promise<V> {
  const reader = opts.reader ?? "auto";
  if (reader !== "exceljs") {
    const v = make();
    try {
      await scanLedgerBuffer(buf, v, opts);
      return v;
    } catch (e) {
      if (!(e instanceof FastReadUnsupported) || reader === "fast") throw e;
    }
  }
  await boundForExceljs(buf, reader !== "exceljs");
  const layout = layoutIfReadable(buf);
  const { data, names, findings, unresolved, rowNumber } = await readLedgerExceljs(file, opts.progress, true, layout);
  const v = make();
  const top = layout?.place?.top ?? 1;
  v.begin({
    ledgerSheet: "",
    header: data.header,
    policyRows: data.policyRows,
    peopleRows: data.peopleRows,
    meta: names.has(SHEETS.meta) ? data.meta : undefined,
    has: { policy: names.has(SHEETS.policy), audit: names.has(SHEETS.audit), meta: names.has(SHEETS.meta), table: layout?.place !== undefined },
    headerRow: top,
    findings,
    ...(v.costs ? { costRows: data.costRows } : {}),
  });
  // Sheet rows as read, as the fast pass gives them (a blank row between cases keeps the next case's number).
  if (v.row) data.rows.forEach((r, i) => v.row!(rowNumber(r) ?? i + top + 1, r, unresolved.get(i)));
  if (v.audit) data.auditRows.forEach((r, i) => v.audit!(rowNumber(r) ?? i + 2, r));
  return v;
}

/** The fast pass of scanLedgerFile on a file's bytes. */
export async function scanLedgerBuffer(buf: ZipBytes, v: LedgerVisitor, opts: FastReadOptions & { progress?: Progress } = {}): Promise<void> {
  const book = FastWorkbook.open(buf, opts);
  const sheets = book.sheets;
  const index = (name: string) => sheets.findIndex((sh) => sh.name === name);
  const small = async (name: string, keepDates: boolean): Promise<CellValue[][] | undefined> => {
    const i = index(name);
    if (i < 0) return undefined;
    const c = new LedgerCollector();
    const feed = c.sheet(name);
    await book.streamRows(i, keepDates, (n, vals) => feed.row(n, vals));
    feed.end();
    return name === SHEETS.policy ? c.policyRowsRead() : c.plainRows(name);
  };
  const policyRows = await small(SHEETS.policy, true);
  const peopleRows = await small(SHEETS.people, false);
  const metaRows = await small(SHEETS.meta, false);
  const costRows = v.costs
    ? ((await small(SHEETS.costs, true)) ?? [])
        .slice(1)
        .map((r) => fit(r, COST_LINE_COLUMNS.length))
        .filter((r) => !r.every(isBlank))
    : undefined;
  const found = await findLedger(book, opts.inflate ? undefined : layoutOf(book));
  let meta: Record<string, string> | undefined;
  if (metaRows) {
    meta = {};
    for (const r of metaRows) {
      const k = String(r[0] ?? "").trim();
      if (k) meta[k] = String(r[1] ?? "");
    }
  }
  v.begin({
    ledgerSheet: sheets[found.i].name,
    header: found.header,
    policyRows: policyRows ?? [],
    peopleRows: (peopleRows ?? []).slice(1).map((r) => fit(r, PEOPLE_COLUMNS.length)),
    meta,
    has: { policy: policyRows !== undefined, audit: index(SHEETS.audit) >= 0, meta: metaRows !== undefined, table: found.table },
    headerRow: found.top,
    findings: found.findings,
    ...(costRows ? { costRows } : {}),
  });
  const width = found.header.length;
  let seen = 0;
  if (v.row) {
    const row = v.row.bind(v);
    const left = found.left - 1;
    await book.streamRows(found.i, false, (n, vals, unresolved) => {
      if (n <= found.top) return;
      const cells = left > 0 ? vals.slice(left, left + width) : vals;
      const cols = unresolved?.map((c) => c - left).filter((c) => c >= 0 && c < width);
      // A row of blanks is no case, even where a formula never calculated sits in it (a table's computed columns run on).
      if (cells.every(isBlank)) return;
      row(n, fit(cells, width), cols?.length ? cols : undefined);
      if (++seen % 2000 === 0) opts.progress?.(seen);
    });
    opts.progress?.(seen);
  }
  const ai = index(SHEETS.audit);
  if (v.audit && ai >= 0) {
    const audit = v.audit.bind(v);
    await book.streamRows(
      ai,
      false,
      (n, vals) => {
        if (n < 2 || vals.every(isBlank)) return;
        audit(n, fit(vals, AUDIT_COLUMNS.length));
      },
      { markFormulas: true },
    );
  }
}

/**
 * The ledger of a fast-opened workbook: the CaseLedger table on a visible sheet when the
 * file has one (its header where its range starts); else the visible sheet whose first row,
 * at row 1, maps the case number and the most fields. A hidden sheet never is the ledger:
 * one that claims to be is a finding.
 */
async function findLedger(
  book: FastWorkbook,
  layout: BookLayout | undefined,
): Promise<{ i: number; header: string[]; top: number; left: number; table: boolean; findings: BookFinding[] }> {
  const sheets = book.sheets;
  const policy = defaultPolicy();
  const findings: BookFinding[] = [];
  const firstRow = async (i: number, top: number): Promise<CellValue[]> => {
    let row: CellValue[] = [];
    await book.streamRows(i, false, (n, vals) => {
      if (n < top) return true;
      if (n === top) row = vals;
      return false;
    });
    return row;
  };
  let best: { i: number; header: string[]; score: number } | undefined;
  for (const [i, sh] of sheets.entries()) {
    if (OWN_SHEETS.includes(sh.name)) continue;
    const hidden = sh.state !== undefined;
    if (hidden && layout?.hiddenTables.has(sh.name)) {
      findings.push(hiddenLedger(sh.name));
      continue;
    }
    if (layout?.place && !hidden) continue;
    const vals = await firstRow(i, 1);
    const header = fit(vals, vals.length).map((x) => String(x ?? "").trim());
    const score = headerScore(header, policy);
    if (!score) continue;
    if (hidden) findings.push(hiddenLedger(sh.name));
    else if (!best || score > best.score) best = { i, header, score };
  }
  const place = layout?.place;
  if (place) {
    const i = sheets.findIndex((sh) => sh.name === place.sheet);
    const vals = await firstRow(i, place.top);
    const header = fit(vals.slice(place.left - 1, place.left - 1 + place.width), place.width).map((x) => String(x ?? "").trim());
    return { i, header, top: place.top, left: place.left, table: true, findings };
  }
  if (!best) {
    if (findings.length)
      throw NOT_A_LEDGER(
        `只在隐藏的工作表"${quote(findings[0].sheet)}"中有台账表`,
        `the only ledger table is on the hidden sheet "${quote(findings[0].sheet)}"`,
      );
    throw NOT_A_LEDGER("没有找到台账表", "no ledger table was found");
  }
  return { i: best.i, header: best.header, top: 1, left: 1, table: false, findings };
}

/**
 * The fast path alone, on a file's bytes: LedgerData, NOT_A_LEDGER, or
 * FastReadUnsupported when the file needs exceljs.
 */
export function readLedgerBuffer(buf: Buffer, opts: FastReadOptions & { progress?: Progress } = {}): LedgerData {
  const book = FastWorkbook.open(buf, opts);
  const collect = new LedgerCollector(opts.progress, layoutOf(book));
  book.sheets.forEach((sheet, i) => {
    const feed = collect.sheet(sheet.name);
    book.readRows(i, feed.keepDates, (n, vals) => feed.row(n, vals));
    feed.end();
  });
  return collect.result();
}

async function readLedgerExceljs(
  file: string,
  progress?: Progress,
  markFormulas = false,
  layout?: BookLayout,
): Promise<{
  data: LedgerData;
  names: Set<string>;
  findings: BookFinding[];
  unresolved: ReadonlyMap<number, readonly number[]>;
  rowNumber: (row: CellValue[]) => number | undefined;
}> {
  const collect = new LedgerCollector(progress, layout);
  try {
    const { stream: xlsxStream } = await import("exceljs");
    const reader = new xlsxStream.xlsx.WorkbookReader(createReadStream(file), {
      worksheets: "emit",
      sharedStrings: "cache",
      styles: "cache",
      hyperlinks: "ignore",
      entries: "ignore",
    } as never);
    for await (const sheet of reader) {
      // The streaming reader names each sheet at run time; its declaration leaves the name out.
      const ws = sheet as typeof sheet & { name: string };
      const feed = collect.sheet(ws.name);
      const mark = markFormulas && ws.name === SHEETS.audit;
      let skip = false;
      // Rows are read to the end even of sheets that are not wanted: leaving a sheet early stalls the reader.
      for await (const row of ws) {
        if (skip) continue;
        // The streaming reader gives each row's values as an array from column 1 (index 0 unused).
        const values: unknown[] = Array.isArray(row.values) ? row.values : [];
        const cells = values.slice(1);
        // A formula no program calculated (as scripts write them) is said, as the fast reader says it: never a blank.
        const unresolved = mark ? [] : cells.flatMap((v, c) => (isFormula(v) && (v as { result?: unknown }).result === undefined ? [c] : []));
        skip = !feed.row(
          row.number,
          cells.map((v) => (mark && isFormula(v) ? `=${(v as { formula?: string }).formula ?? ""}` : storedValue(v, feed.keepDates))),
          unresolved.length ? unresolved : undefined,
        );
      }
      feed.end();
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw unreadable(file, e);
  }
  return {
    data: collect.result(),
    names: collect.names,
    findings: collect.findings,
    unresolved: collect.unresolved(),
    rowNumber: (row) => collect.rowNumber(row),
  };
}

/**
 * plainValue, with text decoded from its stored form (text.ts): exceljs's
 * streaming reader, unlike its in-memory one, leaves `_xHHHH_` as it is.
 * A formula's cached text is not in that form.
 */
function storedValue(v: unknown, keepDates: boolean): CellValue {
  const plain = plainValue(v, keepDates);
  return typeof plain === "string" && !isFormula(v) ? fromStoredText(plain) : plain;
}

const isFormula = (v: unknown) => typeof v === "object" && v !== null && ("formula" in v || "sharedFormula" in v);
