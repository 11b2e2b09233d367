/**
 * CSV that spreadsheets open safely: text that starts like a formula
 * (= + - @, tab, CR, and their full-width forms ＝ ＋ － ＠, which Excel on a
 * Chinese system takes as formula signs too) is prefixed with an apostrophe
 * so Excel, WPS and LibreOffice show it instead of running it; numbers stay
 * numbers (a negative cost is not a formula); quotes, commas, semicolons
 * (the separator where the decimal mark is a comma) and line breaks quoted.
 */
export function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  const safe = typeof v === "string" && /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(s) ? `'${s}` : s;
  return /[",;\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows → CSV text; CRLF line ends by default, as Excel writes files (a terminal's stdout wants "\n"). */
export function toCsv(rows: readonly (readonly (string | number | boolean | null | undefined)[])[], eol = "\r\n"): string {
  return rows.map((r) => r.map(csvCell).join(",")).join(eol) + eol;
}
