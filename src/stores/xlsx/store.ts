/**
 * LedgerStore over an exceljs Workbook: the .xlsx twin of the Excel adapter
 * (same sheets and tables, see layout.ts). It only moves cells; reading and
 * saving the file belong to file.ts (Node) or the workbench (browser).
 *
 * A table's trailing blank rows are not cases: Excel keeps one blank body row
 * in an empty table and people leave blank rows at the end; appends reuse them.
 *
 * Generated sheets (addSheet, writeDashboard, writeFinanceReview) are the
 * layouts of reports/report-sheets.ts written as values with their number formats,
 * bold headers and marked rows. exceljs cannot write charts: `saveWorkbook`
 * adds the layouts' charts to the file as DrawingML parts (chart-parts.ts).
 */
import type { Workbook, Worksheet } from "exceljs";
import type { CellValue } from "../../domain/case";
import { DomainError } from "../../domain/errors";
import { defaultPolicy, type Policy } from "../../domain/policy/policy";
import { policyFromRows } from "../../domain/policy/policy-table";
import {
  AUDIT_COLUMNS,
  COST_LINE_COLUMNS,
  EVIDENCE_COLUMNS,
  ledgerColumns,
  PEOPLE_COLUMNS,
  SHEETS,
  TABLES,
  type LedgerColumn,
} from "../../ledger/workbook-layout";
import { refuseNewer } from "../../ledger/schema-version";
import { blockRows, blockWidth, plainLayout, type SheetLayout } from "../../ledger/generated-sheet";
import { caseNoColumn, numberFormatOf } from "../../ledger/records";
import { noteCharts } from "./chart-parts";
import type { LedgerData, LedgerHead, LedgerStore, LedgerWrite } from "../../ledger/store";
import { isBlank, plainValue } from "./cells";
import { columnsOfHeader, computeContext, computedValues, setLedgerCell } from "./columns";
import { addTableColumns, findTable, hiddenLedgerSheets, internals, setTableRows, type TableSpot } from "./tables";
import { hiddenLedgerFinding } from "./reader/table-parts";
import { checkRowsFit, columnSpaceTaken, LIMITS, NOT_A_LEDGER } from "./limits";
import {
  addPlainTable,
  appendPolicyRows,
  FORMAT_HEADROOM,
  FORMAT_ROWS_KEY,
  formatLedgerRows,
  setMeta,
  writeLedgerRows,
  writePolicyRows,
  writeRows,
} from "./workbook";

/** Kept here for callers; defined with the other refusals (limits.ts), which load without exceljs. */
export { NOT_A_LEDGER };

/** Body rows of a table as plain values, trailing blank rows dropped. */
export function tableBody(spot: TableSpot): CellValue[][] {
  const rows: CellValue[][] = [];
  for (let i = 0; i < spot.bodyRows; i++) {
    const row = spot.ws.getRow(spot.top + 1 + i);
    const out: CellValue[] = [];
    for (let j = 0; j < spot.width; j++) out.push(plainValue(row.getCell(spot.left + j).value));
    rows.push(out);
  }
  while (rows.length && rows[rows.length - 1].every(isBlank)) rows.pop();
  return rows;
}

export function tableHeader(spot: TableSpot): string[] {
  const row = spot.ws.getRow(spot.top);
  return Array.from({ length: spot.width }, (_, j) => String(plainValue(row.getCell(spot.left + j).value) ?? "").trim());
}

/** All rows of a sheet from A1 (used range), trailing blank rows dropped; dates stay Dates (policy-table reads them). */
export function sheetRows(ws: Worksheet | undefined): CellValue[][] {
  if (!ws) return [];
  const rows: CellValue[][] = [];
  const width = ws.columnCount;
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    rows.push(Array.from({ length: width }, (_, j) => plainValue(row.getCell(j + 1).value, true)));
  }
  while (rows.length && rows[rows.length - 1].every(isBlank)) rows.pop();
  return rows;
}

export function metaOf(ws: Worksheet | undefined): Record<string, string> {
  const meta: Record<string, string> = {};
  ws?.eachRow({ includeEmpty: false }, (row) => {
    const k = String(plainValue(row.getCell(1).value) ?? "").trim();
    if (k) meta[k] = String(plainValue(row.getCell(2).value) ?? "");
  });
  return meta;
}

export class XlsxStore implements LedgerStore {
  readonly kind = "xlsx";
  private readonly ledger: TableSpot;

  /** Throws NOT_A_LEDGER (bilingual) when the workbook has no ledger table. */
  constructor(
    readonly workbook: Workbook,
    private readonly opts: { now?: () => Date } = {},
  ) {
    const spot = findTable(workbook, TABLES.ledger);
    if (!spot) throw NOT_A_LEDGER(`没有名为 ${TABLES.ledger} 的表格`, `no table named ${TABLES.ledger}`);
    this.ledger = spot;
  }

  /** The ledger's sheet name. */
  get sheetName(): string {
    return this.ledger.ws.name;
  }

  private sheet(name: string): Worksheet | undefined {
    return this.workbook.getWorksheet(name);
  }

  private policy(): Policy {
    const rows = sheetRows(this.sheet(SHEETS.policy));
    return (rows.length ? policyFromRows(rows).policy : undefined) ?? defaultPolicy();
  }

  private table(name: string): TableSpot | undefined {
    return findTable(this.workbook, name);
  }

  async read(): Promise<LedgerData> {
    const people = this.table(TABLES.people);
    const audit = this.table(TABLES.audit);
    return {
      header: tableHeader(this.ledger),
      rows: tableBody(this.ledger),
      policyRows: sheetRows(this.sheet(SHEETS.policy)),
      peopleRows: people ? tableBody(people) : [],
      auditRows: audit ? tableBody(audit) : [],
      evidenceRows: this.table(TABLES.evidence) ? tableBody(this.table(TABLES.evidence)!) : [],
      costRows: this.table(TABLES.costs) ? tableBody(this.table(TABLES.costs)!) : [],
      meta: metaOf(this.sheet(SHEETS.meta)),
      sheets: { policy: !!this.sheet(SHEETS.policy), audit: !!audit, meta: !!this.sheet(SHEETS.meta) },
      ...this.decoys(),
    };
  }

  /** A CaseLedger table on a hidden sheet is never read, and said (Ledger.verifyAudit, validate). */
  private decoys(): Pick<LedgerData, "findings"> {
    const hidden = hiddenLedgerSheets(this.workbook);
    return hidden.length ? { findings: hidden.map(hiddenLedgerFinding) } : {};
  }

  async readHead(): Promise<LedgerHead> {
    const d = await this.read();
    const policy = this.policy();
    const col = caseNoColumn(d.header, policy);
    return { header: d.header, caseNos: d.rows.map((r) => (col >= 0 ? r[col] : null)), auditRows: d.auditRows, meta: d.meta };
  }

  /** Refuses any write to a ledger a newer release wrote (schema-version.ts). */
  private guard(): void {
    refuseNewer(metaOf(this.sheet(SHEETS.meta)));
  }

  async write(w: LedgerWrite): Promise<void> {
    this.guard();
    this.checkRoom(w);
    const spot = this.ledger;
    if (w.policy) this.replacePolicy(w.policy);
    if (w.policyAppend?.length) {
      const ws = this.sheet(SHEETS.policy) ?? this.workbook.addWorksheet(SHEETS.policy);
      appendPolicyRows(ws, sheetRows(ws).length, w.policyAppend);
    }
    if (w.columns?.length) this.addColumns(w.columns);
    const header = tableHeader(spot);
    const policy = this.policy();
    const cols = columnsOfHeader(header, policy);
    const ctx = computeContext(header, policy, this.opts.now ? this.opts.now() : new Date());
    const body = tableBody(spot);
    const touched = new Set<number>();
    for (const u of w.updates ?? []) {
      if (u.row < 0 || u.row >= body.length || u.col < 0 || u.col >= cols.length) {
        throw new DomainError(
          "BAD_WRITE",
          `第 ${u.row + 1} 行第 ${u.col + 1} 列不在台账表内`,
          `Row ${u.row + 1}, column ${u.col + 1} is outside the ledger table`,
        );
      }
      if (cols[u.col].computed) continue;
      body[u.row][u.col] = u.value;
      touched.add(u.row);
    }
    // Rewrite touched rows whole: their computed results depend on the changed cells;
    // a new policy (limits, calendar) changes every row's due dates.
    if (w.policy && body.length) writeLedgerRows(spot, cols, body, 0, ctx);
    else for (const r of touched) writeLedgerRows(spot, cols, [body[r]], r, ctx);
    const appends = w.appends ?? [];
    if (appends.length) {
      writeLedgerRows(spot, cols, appends, body.length, ctx);
      const rows = body.length + appends.length;
      setTableRows(spot, rows);
      const metaWs = this.ensureMeta();
      const covered = Number(metaOf(metaWs)[FORMAT_ROWS_KEY]) || 1;
      const last = spot.top + rows;
      if (last > covered) {
        const to = last + FORMAT_HEADROOM;
        formatLedgerRows(spot.ws, cols, policy, spot.left, covered + 1, to);
        setMeta(metaWs, { [FORMAT_ROWS_KEY]: String(to) });
      }
    }
    this.appendTo(
      TABLES.audit,
      w.audit,
      AUDIT_COLUMNS.map((c) => c.key !== "seq"),
    );
    if (w.peopleUpdates?.length) {
      const people = this.table(TABLES.people);
      if (!people) throw NOT_A_LEDGER(`缺少表格 ${TABLES.people}`, `table ${TABLES.people} is missing`);
      for (const u of w.peopleUpdates)
        writeRows(
          people,
          u.row,
          [u.values],
          PEOPLE_COLUMNS.map(() => true),
        );
    }
    this.appendTo(
      TABLES.people,
      w.people,
      PEOPLE_COLUMNS.map(() => true),
    );
    if (w.evidence?.length) this.linkCells(this.appendRecords(SHEETS.evidence, TABLES.evidence, EVIDENCE_COLUMNS, w.evidence), w.evidence);
    if (w.costLines?.length) this.appendRecords(SHEETS.costs, TABLES.costs, COST_LINE_COLUMNS, w.costLines);
    if (w.meta && Object.keys(w.meta).length) setMeta(this.ensureMeta(), w.meta);
  }

  /** Refuses, before anything changes, a write whose appended rows would pass Excel's grid on any sheet (limits.ts). */
  private checkRoom(w: LedgerWrite): void {
    const adds: [string, number][] = [
      [TABLES.ledger, w.appends?.length ?? 0],
      [TABLES.audit, w.audit?.length ?? 0],
      [TABLES.people, w.people?.length ?? 0],
      [TABLES.evidence, w.evidence?.length ?? 0],
      [TABLES.costs, w.costLines?.length ?? 0],
    ];
    for (const [name, adding] of adds) {
      const spot = name === TABLES.ledger ? this.ledger : this.table(name);
      // Fits even below the table's blank rows: the body is not read (the usual case).
      if (!adding || !spot || spot.top + spot.bodyRows + adding <= LIMITS.rows) continue;
      checkRowsFit(spot.ws.name, spot.top + tableBody(spot).length, adding);
    }
  }

  /**
   * An upgrade's columns at the table's right end, with the layout's formats,
   * validation and (computed columns) formulas; refused when a cell there is
   * taken, so nothing beside the table is overwritten.
   */
  private addColumns(add: readonly { key: string; header: string }[]): void {
    const spot = this.ledger;
    const ws = spot.ws;
    const start = spot.left + spot.width;
    for (let r = spot.top; r <= spot.top + spot.bodyRows; r++) {
      for (let j = 0; j < add.length; j++) {
        const c = ws.getRow(r).findCell(start + j);
        if (c && !isBlank(plainValue(c.value))) throw columnSpaceTaken(c.address);
      }
    }
    const policy = this.policy();
    const known = ledgerColumns(policy);
    const cols: LedgerColumn[] = add.map((a) => ({ ...(known.find((k) => k.key === a.key) ?? { key: a.key }), header: a.header }));
    const head = ws.getRow(spot.top);
    cols.forEach((col, j) => {
      const cell = head.getCell(start + j);
      cell.value = col.header;
      cell.font = { bold: true };
      ws.getColumn(start + j).numFmt = numberFormatOf(col);
      const t = col.field?.type;
      ws.getColumn(start + j).width = t === "longtext" ? 36 : t === "datetime" ? 17 : t === "date" ? 12 : col.field?.protected ? 24 : 14;
    });
    addTableColumns(
      spot,
      cols.map((c) => c.header),
    );
    const covered = Number(metaOf(this.sheet(SHEETS.meta))[FORMAT_ROWS_KEY]) || spot.top + spot.bodyRows + FORMAT_HEADROOM;
    formatLedgerRows(ws, cols, policy, start, spot.top + 1, covered);
    if (cols.some((c) => c.computed)) {
      const ctx = computeContext(tableHeader(spot), policy, this.opts.now ? this.opts.now() : new Date());
      const body = tableBody(spot);
      body.forEach((row, i) => {
        const values = computedValues(row, ctx);
        cols.forEach((col, j) => {
          if (col.computed) setLedgerCell(ws.getRow(spot.top + 1 + i).getCell(start + j), col, null, values[col.key]);
        });
      });
    }
  }

  /** The link column of new Evidence rows as hyperlink cells (the text stays the link, so it reads back the same). */
  private linkCells(from: number, rows: CellValue[][]): void {
    const spot = this.table(TABLES.evidence)!;
    const col = EVIDENCE_COLUMNS.findIndex((c) => c.key === "link");
    rows.forEach((r, i) => {
      const link = typeof r[col] === "string" ? (r[col] as string).trim() : "";
      if (!link || link.startsWith("package:")) return;
      spot.ws.getCell(spot.top + 1 + from + i, spot.left + col).value = { text: link, hyperlink: link };
    });
  }

  /** Replaces the Policy sheet's cells, keeping the sheet's place among the tabs. */
  private replacePolicy(rows: CellValue[][]): void {
    const old = this.sheet(SHEETS.policy);
    const order = old ? internals(old).orderNo : undefined;
    if (old) this.workbook.removeWorksheet(old.id);
    const ws = this.workbook.addWorksheet(SHEETS.policy);
    if (order !== undefined) internals(ws).orderNo = order;
    writePolicyRows(ws, rows);
  }

  /**
   * Rows for a records sheet (Evidence, CostLines), all text columns: a ledger from before the sheet gets it at
   * its first record. Returns the body row the new records start at.
   */
  private appendRecords(sheet: string, table: string, columns: readonly { header: string }[], rows: CellValue[][]): number {
    if (!this.table(table))
      addPlainTable(
        this.workbook,
        sheet,
        table,
        columns.map((c) => c.header),
        [],
      );
    const at = tableBody(this.table(table)!).length;
    this.appendTo(
      table,
      rows,
      columns.map(() => true),
    );
    return at;
  }

  private appendTo(table: string, rows: CellValue[][] | undefined, textCols: boolean[]): void {
    if (!rows?.length) return;
    const spot = this.table(table);
    if (!spot) throw NOT_A_LEDGER(`缺少表格 ${table}`, `table ${table} is missing`);
    const n = tableBody(spot).length;
    writeRows(spot, n, rows, textCols);
    setTableRows(spot, n + rows.length);
  }

  async addSheet(name: string, rows: CellValue[][]): Promise<string> {
    this.guard();
    return writeLayoutSheet(this.workbook, plainLayout(name, rows));
  }

  async writeSheet(layout: SheetLayout): Promise<string> {
    this.guard();
    return writeLayoutSheet(this.workbook, layout);
  }

  private ensureMeta(): Worksheet {
    let ws = this.sheet(SHEETS.meta);
    if (!ws) {
      ws = this.workbook.addWorksheet(SHEETS.meta);
      ws.state = "veryHidden";
    }
    return ws;
  }
}

const MARK_FILL = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFEB9C" } } as const;

/**
 * Writes a layout as a sheet of values (replacing one of the same name, in
 * its place). Strings are set as strings, which exceljs never turns into
 * formulas: text stays text. exceljs has no charts: the layout's charts are noted and `saveWorkbook` adds them as
 * DrawingML parts (chart-parts.ts).
 */
export function writeLayoutSheet(wb: Workbook, layout: SheetLayout): string {
  const old = wb.getWorksheet(layout.name);
  const order = old ? internals(old).orderNo : undefined;
  if (old) wb.removeWorksheet(old.id);
  const ws = wb.addWorksheet(layout.name, layout.freezeRows ? { views: [{ state: "frozen", ySplit: layout.freezeRows }] } : undefined);
  if (order !== undefined) internals(ws).orderNo = order;
  for (const b of layout.blocks) {
    const at = blockRows(b);
    if (at.title !== undefined) {
      const c = ws.getCell(at.title + 1, b.col + 1);
      c.value = b.title!;
      c.font = { bold: true, color: { argb: "FF174A7E" } };
    }
    if (at.header !== undefined) {
      b.header!.forEach((h, j) => {
        const c = ws.getCell(at.header! + 1, b.col + j + 1);
        c.value = h;
        c.font = { bold: true };
      });
    }
    const marked = new Set(b.marked ?? []);
    const width = blockWidth(b);
    b.rows.forEach((row, i) => {
      for (let j = 0; j < width; j++) {
        const c = ws.getCell(at.first + i + 1, b.col + j + 1);
        const v = row[j];
        c.value = v === undefined || v === null || v === "" ? null : v instanceof Date ? v.toISOString() : v;
        const fmt = b.formats?.[j];
        if (fmt) c.numFmt = fmt;
        if (marked.has(i)) c.fill = MARK_FILL;
      }
    });
  }
  (layout.widths ?? []).forEach((w, j) => {
    ws.getColumn(j + 1).width = w;
  });
  noteCharts(wb, layout);
  return layout.name;
}
