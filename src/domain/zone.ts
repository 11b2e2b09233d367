/**
 * The ledger's own time zone: "now" and "today" are read on its clock, not the
 * machine's. A case received on the 5th in Shanghai is received on the 5th
 * although the clerk's laptop is in California (docs/decisions.md).
 *
 * A zone is an IANA name (`Asia/Shanghai`, the default: China Standard Time,
 * UTC+8 without daylight saving since 1991) or a fixed offset (`UTC+8`,
 * `UTC+05:30`, `+08:00`). Names are resolved by `Intl`, which every supported
 * host has; where a host lacks a name, China Standard Time is still known.
 */
import { ymdToSerial } from "./dates";
import { DomainError } from "./errors";

/** China Standard Time. */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

const OFFSET = /^(?:(?:UTC|GMT)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;
/** Zones whose offset is fixed for every date a ledger holds, for hosts whose Intl lacks them. */
const KNOWN_FIXED: Record<string, number> = { "Asia/Shanghai": 480, PRC: 480, "Asia/Chongqing": 480, "Asia/Harbin": 480, UTC: 0, "Etc/UTC": 0 };

type Wall = (ms: number) => number;
const walls = new Map<string, Wall>();

const dayMs = 86400000;
/** Serial of a UTC instant shifted by `offsetMinutes`: the wall clock of that offset, to the second. */
const shifted = (ms: number, offsetMinutes: number) => {
  const s = Math.floor((ms + offsetMinutes * 60000) / 1000);
  const days = Math.floor(s / 86400);
  return ymdToSerial(1970, 1, 1) + days + (s - days * 86400) / 86400;
};

function fixedOffset(zone: string): number | undefined {
  const m = OFFSET.exec(zone.trim());
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (Number(m[2]) > 14 || Number(m[3] ?? 0) > 59 || minutes > 14 * 60) return undefined;
  return (m[1] === "-" ? -1 : 1) * minutes;
}

function intlWall(zone: string): Wall | undefined {
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    return undefined;
  }
  return (ms) => {
    const p: Record<string, number> = {};
    for (const part of f.formatToParts(new Date(ms))) if (part.type !== "literal") p[part.type] = Number(part.value);
    return ymdToSerial(p.year, p.month, p.day) + ((p.hour % 24) * 3600 + p.minute * 60 + p.second) / 86400;
  };
}

function wallOf(zone: string): Wall | undefined {
  let w = walls.get(zone);
  if (w) return w;
  const fixed = fixedOffset(zone);
  if (fixed !== undefined) w = (ms) => shifted(ms, fixed);
  else w = intlWall(zone) ?? (KNOWN_FIXED[zone] !== undefined ? (ms) => shifted(ms, KNOWN_FIXED[zone]) : undefined);
  if (w) walls.set(zone, w);
  return w;
}

function badZone(zone: string): DomainError {
  return new DomainError("ZONE_UNKNOWN", `未知的时区"${zone}"(可写 Asia/Shanghai 或 UTC+8)`, `Unknown time zone "${zone}" (write e.g. Asia/Shanghai or UTC+8)`);
}

/** A zone as typed on the Policy sheet, checked; refused with a bilingual error when unknown. */
export function readTimeZone(text: string): string {
  const zone = text.trim();
  if (zone === "" || !wallOf(zone)) throw badZone(text);
  return zone;
}

/**
 * Serial of an instant on the wall clock of `zone`, to the second.
 * `instantToSerial(new Date("2026-10-04T17:00:00Z"), "Asia/Shanghai")` is 2026-10-05 01:00.
 */
export function instantToSerial(instant: Date | number, zone: string = DEFAULT_TIME_ZONE): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const wall = wallOf(zone);
  if (!wall) throw badZone(zone);
  return wall(ms);
}

/** The day (whole serial) an instant falls on in `zone`. */
export function todayIn(instant: Date | number, zone: string = DEFAULT_TIME_ZONE): number {
  return Math.floor(instantToSerial(instant, zone));
}

/**
 * The instant at which the wall clock of `zone` shows `serial`: the inverse of
 * instantToSerial (for a wall time skipped by daylight saving, the instant
 * after the gap). Used to schedule work at the ledger's midnight.
 */
export function serialToInstant(serial: number, zone: string = DEFAULT_TIME_ZONE): number {
  const naive = Math.round((serial - ymdToSerial(1970, 1, 1)) * dayMs);
  // Two corrections settle any offset that is constant around the answer.
  let ms = naive;
  for (let i = 0; i < 3; i++) {
    const off = Math.round((instantToSerial(ms, zone) - serial) * dayMs);
    if (off === 0) return ms;
    ms -= off;
  }
  return ms;
}

/** `2026-10-05 01:00:00` on the wall clock of `zone`: how the audit log writes "when". */
export function formatInstant(instant: Date | number, zone: string = DEFAULT_TIME_ZONE): string {
  const s = instantToSerial(instant, zone);
  const day = Math.floor(s);
  const secs = Math.round((s - day) * 86400);
  const d = new Date((day - ymdToSerial(1970, 1, 1)) * dayMs);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(Math.floor(secs / 3600))}:${p(Math.floor((secs % 3600) / 60))}:${p(secs % 60)}`;
}
