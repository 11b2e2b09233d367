/**
 * A ledger's schema version against this release's (SCHEMA_VERSION), and the
 * one guard every write path calls: a ledger written by a newer release is
 * read-only here (its columns and rules may mean what this release cannot
 * know), whoever asks — the pane, the sheet's change handler, the CLI.
 */
import { DomainError } from "../domain/errors";
import { META, SCHEMA_VERSION } from "./workbook-layout";

export type SchemaState = "older" | "same" | "newer";

export interface SchemaStatus {
  /** The version the ledger says ("1" when it says none: files from before the meta sheet are schema 1 by what they contain). */
  version: string;
  /** This release's version. */
  current: string;
  state: SchemaState;
}

/** Versions are whole numbers; anything else was not written by any release this one knows, so it counts as newer. */
export function schemaStatus(meta: Readonly<Record<string, string>>, current: string = SCHEMA_VERSION): SchemaStatus {
  const said = String(meta[META.schemaVersion] ?? "").trim();
  const version = said === "" || said === "0" ? "1" : said;
  const n = /^\d+$/.test(version) ? Number(version) : Number.POSITIVE_INFINITY;
  const c = Number(current);
  return { version, current, state: n < c ? "older" : n === c ? "same" : "newer" };
}

/** The refusal, naming both versions in both languages. */
export function newerLedgerError(s: Pick<SchemaStatus, "version" | "current">): DomainError {
  return new DomainError(
    "SCHEMA_NEWER",
    `此台账由较新版本的程序写入(结构版本 ${s.version},本程序只认识到 ${s.current}),只能查看,不能修改。请更新加载项或命令行工具后再修改。`,
    `This ledger was written by a newer release (schema version ${s.version}; this release knows up to ${s.current}): it is read-only here. Update the add-in or the command line tool to change it.`,
  );
}

/** Throws SCHEMA_NEWER when the meta says a newer version: call it before any write. */
export function refuseNewer(meta: Readonly<Record<string, string>>): void {
  const s = schemaStatus(meta);
  if (s.state === "newer") throw newerLedgerError(s);
}

/** The notice for an older ledger ("can be upgraded"), both languages. */
export function olderLedgerNotice(s: Pick<SchemaStatus, "version" | "current">): { zh: string; en: string } {
  return {
    zh: `此台账的结构版本为 ${s.version},可升级到 ${s.current}(新增的列和设置行;原有内容不变)`,
    en: `This ledger's schema version is ${s.version}; it can be upgraded to ${s.current} (new columns and Policy rows; nothing already there changes)`,
  };
}
