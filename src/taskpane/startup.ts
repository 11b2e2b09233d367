/**
 * The one place that decides where the ledger lives, and what else the host
 * offers: inside Excel, the open workbook (its store, the change handler
 * that enforces the rules in the sheet, the Policy sheet feeding the custom
 * functions, adoption of a hand-kept sheet); in a browser, the workbench on
 * an .xlsx workbook (the bundled sample ledger, or a file the user opens).
 * Components never ask; they get a `Ledger`. Host code loads on demand, so
 * the browser build does not carry Office code and Excel does not carry
 * exceljs.
 */
import type { Bilingual } from "../domain/errors";
import type { Policy } from "../domain/policy/policy";
import type { Adopter } from "../adoption/adopter";
import type { Ledger } from "../ledger/service";
import type { LedgerStore } from "../ledger/store";
import type { WorkbenchFile } from "../stores/workbench/client";

export interface HostInfo {
  /** "excel" inside Excel; "browser" anywhere else (workbench, tests). */
  kind: "excel" | "browser";
  /** Office's UI language (e.g. "zh-CN"), when Office tells it. */
  displayLanguage?: string;
}

/** Waits for Office when office.js is on the page; never hangs outside Office. */
export async function detectHost(timeoutMs = 5000): Promise<HostInfo> {
  if (typeof Office === "undefined" || typeof Office.onReady !== "function") return { kind: "browser" };
  try {
    const info = await Promise.race([Office.onReady(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs))]);
    if (info && info.host === Office.HostType.Excel) {
      // From Office.onReady, not from the pane's first screen: the rules hold before anyone opens the pane.
      void onExcelReady().catch((e) => console.error("ledger enforcement did not start", e));
      return { kind: "excel", displayLanguage: Office.context?.displayLanguage };
    }
    return { kind: "browser", displayLanguage: info?.host ? Office.context?.displayLanguage : undefined };
  } catch {
    return { kind: "browser" };
  }
}

/** Messages that arrive outside any screen's flow: a reverted edit in the sheet, a Policy sheet with errors. */
export interface HostNotice extends Bilingual {
  intent: "error" | "warning" | "info";
  /** The cell concerned, when there is one. */
  cell?: string;
  at: Date;
}

type Listener = (n: HostNotice) => void;
const listeners = new Set<Listener>();
/** Notices pushed before the pane listens (the add-in loads with the document, the pane later): kept for it. */
let early: HostNotice[] = [];

export function onHostNotice(cb: Listener): () => void {
  listeners.add(cb);
  const missed = early;
  early = [];
  for (const n of missed) cb(n);
  return () => listeners.delete(cb);
}

export function pushHostNotice(n: Omit<HostNotice, "at">): void {
  const full = { ...n, at: new Date() };
  if (!listeners.size) early = [...early, full].slice(-10);
  for (const cb of listeners) cb(full);
}

/** The ledger was re-read behind the pane's back (the Policy sheet changed): screens redraw. */
const reloadListeners = new Set<() => void>();
export function onLedgerReloaded(cb: () => void): () => void {
  reloadListeners.add(cb);
  return () => reloadListeners.delete(cb);
}
function ledgerReloaded(): void {
  for (const cb of reloadListeners) cb();
}

/** Who is at the keyboard, for the change handler's audit entries: the pane keeps it current. */
let currentUser = "";
export function setCurrentUser(name: string | undefined): void {
  currentUser = name ?? "";
}
export const userForAudit = () => currentUser || "未识别用户 unidentified user";

export interface OpenedStore {
  store: LedgerStore;
  /** Set when the pane could not use the host's ledger as hoped. */
  notice?: Bilingual;
  /** Adoption of a hand-kept sheet, when the workbook has no ledger yet. */
  adopter?: Adopter;
  /** The browser workbench's workbook (open another file, download). */
  workbench?: WorkbenchFile;
  /** What the workbench bar calls a ledger that is not a workbook (the small demo). */
  label?: string;
  /** Starts what runs beside the pane once the ledger exists (Excel: the change handler). */
  start?(ledger: Ledger): Promise<void>;
  /** The pane rewrote the Policy sheet (events were off): give the functions the new rules and recalculate. */
  policyWritten?(ledger: Ledger): Promise<void>;
}

/** Applies a policy to the custom functions: they share this page's runtime. */
async function applyToFunctions(policy: Policy): Promise<void> {
  const { setPolicy } = await import("../functions/functions");
  setPolicy(policy);
}

/**
 * What runs in Excel from the moment the document opens, pane shown or not
 * (shared runtime): the workbook's policy for the custom functions, the
 * change handler on the ledger, and the Policy sheet's watch.
 */
export interface ExcelBackground {
  store: import("../stores/excel/pane-store").PaneExcelStore;
  adopter: Adopter;
  policyLoad: { policy?: Policy; problems: { row: number; zh: string; en: string }[] };
  /** Starts the change handler if it is not running (a ledger adopted after the document opened). */
  enforce(): Promise<boolean>;
  /** Ledgers the pane shows: re-read when the Policy sheet changes. */
  ledgers: Set<Ledger>;
  /** After the pane rewrote the Policy sheet: the functions and the change handler take it up. */
  policyWritten(): Promise<void>;
}

let background: Promise<ExcelBackground> | undefined;

/**
 * Called from Office.onReady in Excel (detectHost): asks Office to load the
 * add-in with this document from now on (Office.StartupBehavior.load, shared
 * runtime: https://learn.microsoft.com/office/dev/add-ins/develop/run-code-on-document-open),
 * so edits made before anyone opens the pane are judged too, and starts the
 * background. Once per page.
 */
export function onExcelReady(): Promise<ExcelBackground> {
  background ??= (async () => {
    try {
      if (Office.context?.requirements?.isSetSupported("SharedRuntime", "1.1")) {
        await Office.addin.setStartupBehavior(Office.StartupBehavior.load);
      }
    } catch (e) {
      // Enforcement still runs now; only the next opening of the document would wait for the pane.
      console.error("setStartupBehavior failed", e);
    }
    return startBackground();
  })();
  return background;
}

function reportPolicy(r: { problems: { row: number; zh: string; en: string }[] }): void {
  if (!r.problems.length) return;
  const first = r.problems.slice(0, 3);
  pushHostNotice({
    intent: "warning",
    zh: `设置表有 ${r.problems.length} 处错误,函数仍按上次的规则计算:${first.map((p) => `第 ${p.row} 行 ${p.zh}`).join(";")}`,
    en: `The Policy sheet has ${r.problems.length} error(s); the functions keep the last good rules: ${first.map((p) => `row ${p.row} ${p.en}`).join("; ")}`,
  });
}

async function startBackground(): Promise<ExcelBackground> {
  const [{ PaneExcelStore, ExcelAdopter }, { ExcelEnforcer }, { loadPolicy, watchPolicy }, { setPolicy }, { excelRun: run }, { watchAudit }] =
    await Promise.all([
      import(/* webpackChunkName: "excel" */ "../stores/excel/pane-store"),
      import(/* webpackChunkName: "excel" */ "../stores/excel/change-handler"),
      import(/* webpackChunkName: "excel" */ "../stores/excel/policy-watch"),
      import("../functions/functions"),
      // Every batch with delayForCellEdit (and mergeUndoGroup where ExcelApi 1.20 exists).
      import(/* webpackChunkName: "excel" */ "../stores/excel/excel-run"),
      import(/* webpackChunkName: "excel" */ "../stores/excel/audit-watch"),
    ]);
  const { dailyStatus } = await import(/* webpackChunkName: "excel" */ "../stores/excel/daily");
  const policyLoad = await loadPolicy(run, setPolicy);
  reportPolicy(policyLoad);
  const store = new PaneExcelStore({ run, policy: policyLoad.policy });
  const enforcer = new ExcelEnforcer({
    run,
    user: userForAudit,
    notify: (n) => pushHostNotice({ intent: "error", zh: n.zh, en: n.en, cell: n.cell }),
  });
  const ledgers = new Set<Ledger>();
  const onPolicy = async (r: Awaited<ReturnType<typeof loadPolicy>>) => {
    reportPolicy(r);
    if (!r.policy) return;
    // New codes or labels change what a valid cell is: the pane and the change handler both re-read.
    for (const l of ledgers) await l.load();
    await enforcer.refresh();
    ledgerReloaded();
    pushHostNotice({
      intent: "info",
      zh: "设置表已更新:函数已重新计算,新规则已生效",
      en: "The Policy sheet changed: functions recalculated, the new rules apply",
    });
  };
  let running: Promise<boolean> | undefined;
  // Everything that needs the ledger (and so the Policy and Audit sheets adoption makes) starts with the handler.
  const enforce = () => {
    running ??= enforcer.start().then(
      async () => {
        enforcer.attach(store);
        await watchPolicy(run, setPolicy, onPolicy);
        await watchAudit(run, (n) => pushHostNotice({ intent: "warning", ...n })).catch(() => false);
        // CL.SLASTATUS is not volatile: its column is recalculated now and after each midnight.
        // Midnight on the ledger's clock: the zone of the policy the functions run on.
        const { currentPolicy } = await import("../functions/functions");
        dailyStatus(run, undefined, () => currentPolicy().settings.timeZone);
        sweepWhenQuiet(() => enforcer.sweep());
        return true;
      },
      () => {
        running = undefined;
        return false;
      },
    );
    return running;
  };
  // What this Excel lacks, said once: without ExcelApi 1.20 an undo can take back an audit row alone.
  if (!Office.context?.requirements?.isSetSupported("ExcelApi", "1.20")) {
    pushHostNotice({
      intent: "info",
      zh: "此版本 Excel 不能把加载项的一次操作合并为一个撤销步骤:Ctrl+Z 可能只撤销其中一部分(如一条审计记录),审计表的改动会被提示。",
      en: "This Excel cannot group the add-in's writes into one undo step: Ctrl+Z may take back part of one (such as an audit row); changes to the audit sheet are reported.",
    });
  }
  // A workbook without a ledger yet has nothing to enforce: the pane starts it after adoption.
  await enforce();
  const policyWritten = async () => {
    // Reads the sheet back (as Excel now holds it), hands it to the functions and recalculates in full.
    reportPolicy(await loadPolicy(run, setPolicy));
    if (await enforce()) await enforcer.refresh();
  };
  return { store, adopter: new ExcelAdopter(run, policyLoad.policy), policyLoad, enforce, ledgers, policyWritten };
}

/** Seconds between sweeps while nothing else happens. */
export const SWEEP_EVERY_MS = 120_000;

/**
 * Edits the change handler never hears of (a drop-down pick on Excel on the
 * web, a fill over filtered rows: change-handler.ts `sweep`) are looked for
 * when the pane regains focus or becomes visible again (the person was in the
 * grid) and on a quiet timer. At open the snapshot is read fresh, so what was
 * changed while the add-in was closed cannot be reverted: it shows as a
 * violation in the pane and in `check`. Returns a function that stops it.
 */
export function sweepWhenQuiet(
  sweep: () => Promise<unknown>,
  win: Pick<Window, "addEventListener" | "removeEventListener"> | undefined = globalThis.window,
  every = SWEEP_EVERY_MS,
): () => void {
  let busy = false;
  const go = () => {
    if (busy) return;
    busy = true;
    sweep()
      .catch(() => undefined) // the handler's own notices report failures; the next trigger tries again
      .finally(() => (busy = false));
  };
  const visible = () => {
    if (typeof document === "undefined" || document.visibilityState === "visible") go();
  };
  win?.addEventListener("focus", go);
  win?.addEventListener("visibilitychange", visible);
  const timer = setInterval(go, every);
  (timer as { unref?: () => void }).unref?.();
  return () => {
    clearInterval(timer);
    win?.removeEventListener("focus", go);
    win?.removeEventListener("visibilitychange", visible);
  };
}

async function openExcel(): Promise<OpenedStore> {
  const bg = await onExcelReady();
  return {
    store: bg.store,
    adopter: bg.adopter,
    async start(ledger: Ledger) {
      bg.ledgers.add(ledger);
      if (ledger.keys.length === 0) return;
      await bg.enforce();
    },
    policyWritten: () => bg.policyWritten(),
  };
}

async function openWorkbench(now: Date): Promise<OpenedStore> {
  const small = typeof location !== "undefined" && new URLSearchParams(location.search).get("sample") === "small";
  if (small) {
    const [{ MemoryStore }, { sampleLedgerData }, { defaultPolicy }] = await Promise.all([
      import("../stores/memory"),
      import("../sample/pane-sample"),
      import("../domain/policy/policy"),
    ]);
    return {
      store: new MemoryStore(sampleLedgerData(defaultPolicy(), now)),
      label: "小样例(仅内存) small demo (memory only)",
      start: (ledger) => applyToFunctions(ledger.policy),
      policyWritten: (ledger) => applyToFunctions(ledger.policy),
    };
  }
  // The workbook lives in a worker (stores/workbench/client.ts): exceljs never runs on the page's thread.
  const { workbenchClient } = await import(/* webpackChunkName: "workbench" */ "../stores/workbench/client");
  return fromWorkbook(await (await workbenchClient()).sample(now));
}

/** A workbook opened in the workbench: its ledger, or its sheets to adopt. */
export function fromWorkbook(w: WorkbenchFile): OpenedStore {
  if (w.store) {
    const apply = (ledger: Ledger) => applyToFunctions(ledger.policy);
    return { store: w.store, workbench: w, start: apply, policyWritten: apply };
  }
  // No ledger yet: an empty memory store stands in until the adoption writes one.
  return { store: emptyStore(), workbench: w, adopter: w.adopter };
}

function emptyStore(): LedgerStore {
  const empty = { header: [], rows: [], policyRows: [], peopleRows: [], auditRows: [], meta: {} };
  return {
    kind: "xlsx",
    read: async () => ({ ...empty }),
    readHead: async () => ({ header: [], caseNos: [], auditRows: [], meta: {} }),
    write: async () => {
      throw new Error("没有台账 / no ledger");
    },
  };
}

export async function openStore(host: HostInfo, now = new Date()): Promise<OpenedStore> {
  return host.kind === "excel" ? openExcel() : openWorkbench(now);
}
