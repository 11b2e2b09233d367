/**
 * A pinned clock for tests, written as the ledger's wall clock: `shanghai(2026, 2, 10, 9, 30)`
 * is 09:30 on 10 March 2026 in China Standard Time (the default Policy timeZone), the same
 * instant on a machine in any zone. Months count from 0, as in `new Date(y, m, d)`.
 */
export function shanghai(year: number, month: number, day: number, hours = 0, minutes = 0, seconds = 0): Date {
  return new Date(Date.UTC(year, month, day, hours, minutes, seconds) - 8 * 3600_000);
}
