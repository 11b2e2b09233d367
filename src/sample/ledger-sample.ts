/**
 * A realistic sample ledger, the same for the same seed: ~200 cases in
 * Chinese across every state, kind, customer class, market, severity and
 * responsibility, with dates on the working calendar, dispositions with
 * their sign-offs, people with roles, and a hash-chained audit log. Most
 * cases pass `Ledger.check()`; a few are late on purpose, and `mistakes`
 * cases break one rule each (so `check` has something to report).
 *
 * Pure apart from Web Crypto (audit hashes): the CLI and the browser
 * workbench both use it.
 */
import { serialToInstant } from "../domain/zone";
import type { Case, CellValue } from "../domain/case";
import { formatCaseNo, formatSignature, setCaseValue } from "../domain/case";
import type { WorkCalendar } from "../domain/calendar/calendar";
import { serialToYmd, ymdToSerial } from "../domain/dates";
import { prng } from "../domain/random";
import { allowedDispositions, missingApprovals, missingReplyApprovals, needs8D, type MissingApproval } from "../domain/disposition";
import { closeChecklist, STATE_ORDER, stateApplies, type State } from "../domain/lifecycle";
import { defaultPolicy, findNamed, type Policy } from "../domain/policy/policy";
import { policyToRows } from "../domain/policy/policy-table";
import { chargeFor, responsibilityOf } from "../domain/responsibility";
import { ledgerSchema, signatureKey, STATES, type CaseKey } from "../domain/schema";
import { calendarFor } from "../domain/sla";
import { chain, entryBase, entryToRow, GENESIS, hashOf, headOf, stamp, type AuditInput } from "../ledger/audit";
import { ledgerColumns, META, PEOPLE_COLUMNS, SCHEMA_VERSION } from "../ledger/workbook-layout";
import { cellOf } from "../ledger/records";
import type { LedgerData } from "../ledger/store";

export interface SampleOptions {
  seed?: number;
  cases?: number;
  /** The sample's "today" as a serial: cases are received in the months before it. Default 2026-06-30. */
  today?: number;
  /** Cases that break one rule each (shown by `check`). Default 3. */
  mistakes?: number;
  /** Write the audit log (hashing costs time for very large samples). Default true. */
  audit?: boolean;
}

export const SAMPLE_PEOPLE: { name: string; roles: string[]; account: string }[] = [
  { name: "王建国", roles: ["QUALITY_MANAGER"], account: "wangjg" },
  { name: "李娜", roles: ["PLANNING_MANAGER"], account: "lina" },
  { name: "赵敏", roles: ["OQC_INSPECTOR"], account: "zhaomin" },
  { name: "陈志强", roles: ["VP", "LEADER"], account: "chenzq" },
  { name: "刘洋", roles: ["GM", "LEADER"], account: "liuyang" },
  { name: "孙丽", roles: ["DEPT_HEAD"], account: "sunli" },
  { name: "周杰", roles: ["RECEIVING_HEAD"], account: "zhoujie" },
  { name: "吴芳", roles: ["CS_MANAGER"], account: "wufang" },
  { name: "黄磊", roles: ["CQE"], account: "huanglei" },
  { name: "徐静", roles: ["SALES"], account: "xujing" },
  { name: "何敏", roles: ["CS"], account: "hemin" },
  { name: "马超", roles: ["WAREHOUSE"], account: "machao" },
  { name: "林小红", roles: ["FINANCE"], account: "linxh" },
];

const CUSTOMERS: { name: string; cls: string; market: string }[] = [
  { name: "华南电器有限公司", cls: "A", market: "DOMESTIC" },
  { name: "宁波海天五金", cls: "B", market: "DOMESTIC" },
  { name: "苏州精工机电", cls: "A", market: "DOMESTIC" },
  { name: "重庆长安配套厂", cls: "C", market: "DOMESTIC" },
  { name: "成都蓝光照明", cls: "B", market: "DOMESTIC" },
  { name: "北京京东方采购部", cls: "A", market: "DOMESTIC" },
  { name: "Euro Lighting GmbH", cls: "A", market: "INTERNATIONAL" },
  { name: "Pacific Hardware Inc.", cls: "B", market: "INTERNATIONAL" },
  { name: "越南河内贸易公司", cls: "C", market: "INTERNATIONAL" },
  { name: "深圳星河经销部", cls: "C", market: "DOMESTIC" },
];
const PRODUCTS = [
  { name: "LED面板灯 600×600", part: "LP-6060-40W" },
  { name: "不锈钢门铰链", part: "HG-304-4" },
  { name: "注塑外壳", part: "PP-H220" },
  { name: "电源适配器 12V", part: "AD-12V2A" },
  { name: "铝合金散热器", part: "HS-AL-80" },
  { name: "线束总成", part: "WH-0935" },
];
const DEFECTS: { text: string; serious: boolean; resp: string[] }[] = [
  { text: "外观划伤,表面有明显划痕", serious: false, resp: ["PRODUCTION", "LOGISTICS", "QC"] },
  { text: "尺寸超差(2处),装配困难", serious: false, resp: ["PROCESS", "QC"] },
  { text: "通电不亮,功能失效", serious: true, resp: ["SUPPLIER", "PRODUCTION", "DEALER"] },
  { text: "混料:同批次混入其他型号", serious: true, resp: ["PRODUCTION", "QC"] },
  { text: "产品开裂", serious: true, resp: ["SUPPLIER", "PROCESS"] },
  { text: "包装破损,运输途中受压", serious: false, resp: ["LOGISTICS", "PROCESS"] },
  { text: "数量短少,少装 5 件", serious: false, resp: ["QC"] },
  { text: "客户安装后异响,疑似安装不当", serious: false, resp: ["DEALER", "NO_FAULT"] },
  { text: "规格与订单需求不符", serious: false, resp: ["DESIGN"] },
  { text: "客户反映色差,复测合格", serious: false, resp: ["NO_FAULT"] },
];
const DEMANDS = ["尽快补发", "退货退款", "提供8D报告", "换货", "维修后退回", "确认是否属实"];

type Rand = () => number;
const randomOf = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** The n-th working day after `day` (n ≥ 1), or `day` itself when it is one and n = 0. */
function nextWorkday(cal: WorkCalendar, day: number, n: number): number {
  let d = Math.floor(day);
  if (n === 0) {
    while (!cal.isWorkday(d)) d++;
    return d;
  }
  return cal.workday(d, n);
}

/** A working time of day on a workday: 08:30–17:00 in minutes. */
const at = (r: Rand, day: number) => day + (510 + Math.floor(r() * 17) * 30) / 1440;

interface Built {
  record: Record<string, unknown>;
  audit: { time: number; input: AuditInput }[];
}

/**
 * A case while it is built: the record written to the sheet, the Case the
 * rules judge (kept in step by `set`), its audit entries, and the working
 * clock that walks it through the lifecycle toward `target`. The steps below
 * draw from `r` in a fixed order, so a seed always gives the same ledger.
 */
interface Draft {
  r: Rand;
  policy: Policy;
  cal: WorkCalendar;
  today: number;
  c: Case;
  rec: Record<string, unknown>;
  audit: Built["audit"];
  caseNo: string;
  owner: string;
  kind: string;
  cust: (typeof CUSTOMERS)[number];
  defect: (typeof DEFECTS)[number];
  received: number;
  clock: number;
  state: State;
  target: State;
  late: boolean;
}

const set = (d: Draft, k: CaseKey, v: unknown) => {
  d.rec[k] = v;
  setCaseValue(d.c, k, v);
};
/** Moves the clock n working days on and returns it. */
const step = (d: Draft, n: number) => (d.clock = nextWorkday(d.cal, d.clock, n));
const reach = (d: Draft, s: State) => STATE_ORDER.indexOf(s) <= STATE_ORDER.indexOf(d.target);
const ok = (d: Draft, day: number) => day <= d.today;

/** Signs every approval still missing, by a sample person holding the role, on `when`. */
function sign(d: Draft, when: number, missing: (c: Case, policy: Policy) => MissingApproval[] = missingApprovals): void {
  // The reply reviews are signed at a fixed hour without a comment: they draw no random numbers, so the rest of the sample stays as it was.
  const fixed = missing !== missingApprovals;
  for (const m of missing(d.c, d.policy)) {
    const role = m.roles.find((x) => SAMPLE_PEOPLE.some((p) => p.roles.includes(x))) ?? m.roles[0];
    const who = SAMPLE_PEOPLE.find((p) => p.roles.includes(role))!;
    const sig = fixed ? { name: who.name, at: when + 600 / 1440 } : { name: who.name, at: at(d.r, when), comment: d.r() < 0.3 ? "同意" : undefined };
    d.c.signatures[role] = sig;
    d.rec[signatureKey(role)] = formatSignature(sig);
    d.audit.push({
      time: sig.at,
      input: {
        user: who.name,
        action: "SIGNED",
        caseNo: d.caseNo,
        field: signatureKey(role),
        newValue: formatSignature(sig),
        reason: `${findNamed(d.policy.roles, role)?.zh ?? role}签核 / Signed`,
      },
    });
  }
}

/** The case as logged: customer, product, defect, dates, demand; undefined when the draw lands after today (the caller draws again). */
function intake(i: number, r: Rand, policy: Policy, cal: WorkCalendar, today: number): Draft | undefined {
  const kind = randomOf(r, ["COMPLAINT", "COMPLAINT", "COMPLAINT", "COMPLAINT", "RETURN", "RETURN", "RETURN", "EXCHANGE", "LOAN"]);
  const cust = randomOf(r, CUSTOMERS);
  const prod = randomOf(r, PRODUCTS);
  const defect =
    kind === "EXCHANGE" ? DEFECTS[8] : kind === "LOAN" ? { text: "借样确认,客户试装后归还", serious: false, resp: ["DESIGN"] } : randomOf(r, DEFECTS);
  const ageDays = Math.floor(r() * 170) + 1;
  const received = at(r, nextWorkday(cal, today - ageDays, 0));
  if (Math.floor(received) > today) return undefined;
  const year = serialToYmd(received).year;
  const caseNo = formatCaseNo(policy.settings.caseNoPrefix, year, i + 1);
  const owner = randomOf(r, ["黄磊", "何敏", "徐静"]);
  const d: Draft = {
    r,
    policy,
    cal,
    today,
    c: { signatures: {} },
    rec: {},
    audit: [],
    caseNo,
    owner,
    kind,
    cust,
    defect,
    received,
    clock: Math.floor(received),
    state: "RECEIVED",
    target: "RECEIVED",
    late: false,
  };
  set(d, "caseNo", caseNo);
  set(d, "kind", kind);
  set(d, "receivedAt", received);
  set(d, "customer", cust.name);
  set(d, "customerClass", cust.cls);
  set(d, "market", cust.market);
  set(d, "product", prod.name);
  set(d, "partNo", prod.part);
  const ship = Math.floor(received) - 10 - Math.floor(r() * 60);
  set(d, "batch", `${serialToYmd(ship).year}${String(serialToYmd(ship).month).padStart(2, "0")}-${String(1 + Math.floor(r() * 30)).padStart(2, "0")}`);
  set(d, "shipDate", ship);
  set(d, "quantity", 1 + Math.floor(r() * 200));
  set(d, "defect", defect.text);
  set(d, "demand", randomOf(r, DEMANDS));
  set(d, "owner", owner);
  set(d, "urgent", r() < 0.06);
  set(d, "customerRequests8D", r() < 0.1);
  set(d, "replacementFirst", kind === "COMPLAINT" && r() < 0.12);
  set(d, "loggedAt", Math.round(Math.min(received + 0.5 / 24 + Math.floor(r() * 3) / 48, Math.floor(received) + 17.5 / 24) * 1440) / 1440);
  d.audit.push({ time: d.c.loggedAt!, input: { user: owner, action: "CASE_ADDED", caseNo, reason: "登记 / Logged" } });
  // Target state: older cases are further along; a few old ones stall (overdue on purpose).
  const stalled = r() < 0.05;
  const progress = stalled ? 0.15 : Math.min(1, ageDays / 45 + r() * 0.3);
  d.target = STATE_ORDER[Math.min(STATE_ORDER.length - 1, Math.floor(progress * STATE_ORDER.length))];
  d.late = r() < 0.06; // replies after the deadline
  return d;
}

/** First response, replacement, goods back, judgement, responsibility and disposition, as far as the target and today allow. */
function judge(d: Draft): string {
  const { r, c, policy, kind, defect, received } = d;
  if (ok(d, step(d, 1))) set(d, "firstResponseAt", at(r, d.clock));
  if (c.replacementFirst) {
    set(d, "replacementPromisedAt", Math.floor(received) + 1);
    if (ok(d, Math.floor(received) + 1)) set(d, "replacementShippedAt", Math.floor(received) + 1);
  }
  // 先补发, then the part comes back (管理办法 4.4), except abroad where the case decides.
  const goods = kind !== "COMPLAINT" || r() < 0.3 || (c.replacementFirst === true && c.market !== "INTERNATIONAL");
  if (reach(d, "GOODS_BACK") && goods) {
    if (ok(d, step(d, 2 + Math.floor(r() * 3)))) {
      set(d, "goodsBackAt", d.clock);
      d.state = "GOODS_BACK";
    }
  }
  const respCode = randomOf(r, defect.resp);
  const resp = responsibilityOf(respCode, policy)!;
  if (reach(d, "JUDGED") && (d.state === "GOODS_BACK" || !goods) && ok(d, step(d, 1 + Math.floor(r() * 2)))) {
    set(d, "judgedAt", d.clock);
    set(d, "confirmed", respCode !== "NO_FAULT");
    set(d, "severity", defect.serious ? "SERIOUS" : "MINOR");
    if (ok(d, step(d, 1))) set(d, "analysedAt", d.clock);
    set(d, "rootCause", `${resp.zh}:${defect.text.split(",")[0]}`);
    d.state = "JUDGED";
  }
  if (reach(d, "RESPONSIBILITY") && d.state === "JUDGED") {
    set(d, "responsibility", respCode);
    set(d, "charge", chargeFor(respCode, policy));
    set(d, "cost", Math.round((50 + r() * 4950) * 100) / 100);
    if (resp.group === "SUPPLIER") {
      set(d, "supplierNotifiedAt", d.clock);
      if (ok(d, nextWorkday(d.cal, d.clock, 2))) set(d, "supplier8DAt", nextWorkday(d.cal, d.clock, 1 + Math.floor(r() * 2)));
    }
    d.state = "RESPONSIBILITY";
  }
  if (reach(d, "DISPOSITION") && d.state === "RESPONSIBILITY") {
    const fits = allowedDispositions(c, policy).map((x) => x.code);
    const choices = (PREFERRED_DISPOSITIONS[respCode] ?? []).filter((x) => fits.includes(x));
    if (choices.length) {
      set(d, "disposition", randomOf(r, choices));
      d.state = "DISPOSITION";
    }
  }
  return respCode;
}

/** Dispositions a factory would pick for each responsibility, most likely first among those the policy allows. */
const PREFERRED_DISPOSITIONS: Record<string, string[]> = {
  SUPPLIER: ["RETURN_TO_SUPPLIER", "REMAKE"],
  DEALER: ["REWORK", "RETURN_TO_CUSTOMER", "REFUND"],
  NO_FAULT: ["RETURN_TO_CUSTOMER", "CONCESSION"],
  QC: ["REWORK", "REMAKE", "SCRAP"],
  PRODUCTION: ["REWORK", "REMAKE", "SCRAP", "DISASSEMBLE"],
  PROCESS: ["REMAKE", "REWORK", "SELL_OFF"],
  DESIGN: ["RESTOCK", "SLOW_STOCK", "REMAKE"],
  LOGISTICS: ["REMAKE", "REFUND", "CONCESSION"],
};

/** Approval, execution, reply (late on purpose for a few), close and follow-up, as far as the target and today allow. */
function finish(d: Draft): void {
  const { r, c, policy, cust, received } = d;
  if (d.state === "DISPOSITION" && reach(d, "APPROVED") && ok(d, step(d, 1))) {
    sign(d, d.clock);
    d.state = stateApplies("APPROVED", c, policy) ? "APPROVED" : "DISPOSITION";
  }
  if ((d.state === "APPROVED" || d.state === "DISPOSITION") && reach(d, "EXECUTED") && ok(d, step(d, 1 + Math.floor(r() * 2)))) {
    set(d, "executedAt", d.clock);
    d.state = "EXECUTED";
  }
  if (d.state === "EXECUTED" && reach(d, "REPLIED")) {
    const limit = cust.market === "INTERNATIONAL" ? 15 : c.urgent ? 2 : 7;
    const due = d.cal.workday(Math.floor(received), limit);
    const reply = d.late ? nextWorkday(d.cal, due, 1 + Math.floor(r() * 3)) : Math.max(d.clock, Math.min(due, nextWorkday(d.cal, d.clock, 1)));
    if (ok(d, reply) && reply >= d.clock) {
      d.clock = reply;
      // 处理措施经品质部经理及部长审核批准后…回复客户.
      sign(d, d.clock, missingReplyApprovals);
      set(d, "repliedAt", d.clock);
      if (needs8D(c.severity, c.customerRequests8D, policy)) set(d, "eightDStatus", "SENT");
      d.state = "REPLIED";
    }
  }
  if (d.state === "REPLIED" && reach(d, "CLOSED") && closeChecklist(c, policy).length === 0 && ok(d, step(d, 1 + Math.floor(r() * 3)))) {
    set(d, "closedAt", d.clock);
    d.state = "CLOSED";
    if (reach(d, "FOLLOWED_UP") && ok(d, d.clock + 14)) {
      set(d, "followUpAt", nextWorkday(d.cal, d.clock + 7 + Math.floor(r() * 14), 0));
      if (c.followUpAt! > d.today) delete d.rec.followUpAt;
      else {
        set(d, "satisfaction", randomOf(r, ["SATISFIED", "SATISFIED", "ACCEPTABLE", "UNSATISFIED"]));
        d.state = "FOLLOWED_UP";
      }
    }
  }
  if (needs8D(c.severity, c.customerRequests8D, policy) && d.rec.eightDStatus === undefined && d.state !== "RECEIVED" && d.state !== "GOODS_BACK") {
    set(d, "eightDStatus", randomOf(r, ["DRAFT", "REVIEWED"]));
  }
}

/** One sample case: logged, walked through the lifecycle, a deliberate mistake when asked, its status and audit entries. */
function buildCase(i: number, r: Rand, policy: Policy, cal: WorkCalendar, today: number, mistake: number | undefined): Built {
  const d = intake(i, r, policy, cal, today);
  if (!d) return buildCase(i, r, policy, cal, today, mistake);
  const respCode = judge(d);
  finish(d);
  const { rec } = d;
  const resp = responsibilityOf(respCode, policy);
  if (resp && rec.responsibility) set(d, "responsibilityText", `${resp.zh}`);
  // Deliberate mistakes, one rule each.
  if (mistake === 0) set(d, "charge", chargeFor(respCode, policy) === "FREE" ? "CHARGED" : "FREE");
  if (mistake === 1) {
    set(d, "status", "CLOSED");
    delete rec.closedAt;
  }
  if (mistake === 2) set(d, "quantity", -3);
  if (rec.status === undefined) set(d, "status", d.state);
  if (d.state !== "RECEIVED") {
    d.audit.push({
      time: Math.max(...Object.values(rec).filter((v): v is number => typeof v === "number" && v > 40000 && v < 60000)),
      input: {
        user: d.owner,
        action: "CASE_UPDATED",
        caseNo: d.caseNo,
        field: "status",
        oldValue: "已登记",
        newValue: findNamed(STATES, rec.status)?.zh ?? "",
        reason: "进度更新 / Progress",
      },
    });
  }
  return { record: rec, audit: d.audit };
}

/** The instant a serial names on the ledger's clock (the audit stamps that clock's wall time). */
function instantOf(serial: number, zone: string): Date {
  return new Date(serialToInstant(serial, zone));
}

/** A case's record as a ledger row: the policy's columns, computed ones left to their formulas (undefined). */
function rowMaker(policy: Policy): (record: Record<string, unknown>) => CellValue[] {
  const schema = ledgerSchema(policy);
  const cols = ledgerColumns(policy);
  const fields = cols.map((col) => schema.find((x) => x.key === col.key));
  return (record) =>
    cols.map((col, j) => {
      if (col.computed) return undefined;
      const f = fields[j];
      const v = record[col.key];
      return f ? cellOf(f, v, policy) : ((v as CellValue) ?? null);
    });
}

const samplePeopleRows = (policy: Policy): CellValue[][] =>
  SAMPLE_PEOPLE.map((p) =>
    PEOPLE_COLUMNS.map(
      (c) =>
        ({
          name: p.name,
          roles: p.roles.map((x) => findNamed(policy.roles, x)?.zh ?? x).join("、"),
          account: p.account,
          email: `${p.account}@example.com`,
        })[c.key],
    ),
  );

/** Generates the sample as LedgerData (ready for any store or for createLedgerWorkbook). */
export async function generateSample(opts: SampleOptions = {}): Promise<LedgerData> {
  const policy = defaultPolicy();
  const cal = calendarFor(policy);
  const r = prng(opts.seed ?? 20260630);
  const n = opts.cases ?? 200;
  const today = opts.today ?? ymdToSerial(2026, 6, 30);
  const mistakeAt = mistakesOf(opts, n);
  const built = Array.from({ length: n }, (_, i) => buildCase(i, r, policy, cal, today, mistakeAt.get(i)));
  // Case numbers in order of receipt, per year, as a real ledger assigns them.
  const order = built.map((b, i) => ({ b, i })).sort((x, y) => (x.b.record.receivedAt as number) - (y.b.record.receivedAt as number));
  const perYear = new Map<number, number>();
  for (const { b } of order) {
    const y = serialToYmd(b.record.receivedAt as number).year;
    const no = (perYear.get(y) ?? 0) + 1;
    perYear.set(y, no);
    const caseNo = formatCaseNo(policy.settings.caseNoPrefix, y, no);
    b.record.caseNo = caseNo;
    for (const a of b.audit) a.input.caseNo = caseNo;
  }
  const toRow = rowMaker(policy);
  const rows: CellValue[][] = order.map(({ b }) => toRow(b.record));
  let auditRows: CellValue[][] = [];
  if (opts.audit ?? true) {
    const entries = order.flatMap(({ b }) => b.audit).sort((x, y) => x.time - y.time);
    let head = headOf([]);
    for (const e of entries) {
      const { rows: one } = await chain(head, [e.input], instantOf(e.time, policy.settings.timeZone), policy.settings.timeZone);
      auditRows.push(...one);
      head = headOf(one);
    }
  } else auditRows = [];
  const head = headOf(auditRows);
  return {
    header: ledgerColumns(policy).map((c) => c.header),
    rows,
    policyRows: policyToRows(policy),
    peopleRows: samplePeopleRows(policy),
    auditRows,
    meta: { [META.schemaVersion]: SCHEMA_VERSION, ...(head.seq ? { [META.auditSeq]: String(head.seq), [META.auditHash]: head.hash } : {}) },
  };
}

/** Mistakes go to evenly spread cases, so they are easy to find: case index → which rule it breaks. */
function mistakesOf(opts: SampleOptions, n: number): Map<number, number> {
  const mistakes = Math.min(opts.mistakes ?? 3, n);
  const at = new Map<number, number>();
  for (let k = 0; k < mistakes; k++) at.set(Math.floor(((k + 0.5) * n) / mistakes), k % 3);
  return at;
}

/** A sample whose ledger or audit log would not fit in `rows` rows (a header row and one row per case or entry). */
export class SampleTooBig extends Error {
  override name = "SampleTooBig";
  constructor(
    readonly cases: number,
    readonly entries: number,
    readonly rows: number,
    /** Entries after each case, in build order (as sampleEntries gives them). */
    readonly counts?: Uint32Array,
  ) {
    super(`a sample of ${cases} cases holds ${entries} audit entries: more than ${rows - 1} rows`);
  }
}

/**
 * Audit entries of the sample of `n` cases (these options otherwise), after each case in build order: entry
 * counts only, nothing hashed or kept (streamSample's first pass, ~1 µs of memory per case). The k-th prefix
 * is the k-case sample's count but for the three mistakes, whose places follow the count.
 */
export function sampleEntries(opts: SampleOptions, n: number): Uint32Array {
  const policy = defaultPolicy();
  const cal = calendarFor(policy);
  const today = opts.today ?? ymdToSerial(2026, 6, 30);
  const mistakeAt = mistakesOf(opts, n);
  const r = prng(opts.seed ?? 20260630);
  const cum = new Uint32Array(n + 1);
  const audit = opts.audit ?? true;
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i] + (audit ? buildCase(i, r, policy, cal, today, mistakeAt.get(i)).audit.length : 0);
  return cum;
}

/**
 * The most cases, below `tooMany` (a count known not to fit), whose sample keeps its ledger and audit log within
 * `rows` rows each, header included; `exact` when `found + 1` cases were seen not to fit (`tooMany` itself when it fits).
 * `counts`: sampleEntries of `tooMany` when the caller has them (SampleTooBig), saving a pass. A few counting passes
 * (sampleEntries): each guess is the prefix of the last pass that fits, so it lands within a case or two.
 */
export function largestSample(opts: SampleOptions, tooMany: number, rows: number, counts?: Uint32Array): { found: number; exact: boolean } {
  const room = rows - 1;
  const fitsIn = (cum: Uint32Array) => {
    let k = Math.min(cum.length - 1, room);
    while (k > 0 && cum[k] > room) k--;
    return k;
  };
  const all = counts ?? sampleEntries(opts, tooMany);
  if (all[tooMany] <= room && tooMany <= room) return { found: tooMany, exact: false }; // it fits after all
  let lo = 0,
    hi = tooMany,
    guess = fitsIn(all);
  for (let pass = 0; pass < 12 && hi - lo > 1; pass++) {
    const k = guess > lo && guess < hi ? guess : Math.floor((lo + hi) / 2);
    const cum = sampleEntries(opts, k);
    if (cum[k] <= room && k <= room) {
      lo = k;
      // Short of the room by more than a few cases' entries (an under-guess): a step that stays short; else the next case.
      guess = k + 1 + Math.floor((room - cum[k]) / 32);
    } else {
      hi = k;
      guess = fitsIn(cum);
    }
  }
  return { found: lo, exact: hi - lo === 1 };
}

/** Rows made when asked, by index (structurally the xlsx writer's RowSource). */
export interface SampleRows {
  readonly length: number;
  row(i: number): CellValue[];
}

/** The sample as `streamSample` gives it: what generateSample returns, with its two big bodies made when asked. */
export interface StreamedSample extends Omit<LedgerData, "rows" | "auditRows"> {
  rows: SampleRows;
  auditRows: SampleRows;
  /** The most cases held at once so far (bounded by `hold`, whatever the count). */
  maxHeld(): number;
  /** Cases built again so far to make rows (the price of not holding them). */
  builds(): number;
}

/** Cases kept built at once by default: more than are open together in a large sample, so a case is seldom built again. */
export const SAMPLE_HOLD = 4096;

/**
 * The same ledger as generateSample (row for row, entry for entry), holding
 * per case only its random generator's state, its receipt date and number,
 * and per audit entry its time, case, place and hash (~50 bytes). A row is
 * made again from the case's state when the writer asks for it; up to
 * `hold` built cases are kept (least recently used dropped). Memory is flat
 * in the cases but for those few numbers (issue 26).
 */
export async function streamSample(opts: SampleOptions & { hold?: number; rows?: number } = {}): Promise<StreamedSample> {
  const policy = defaultPolicy();
  const cal = calendarFor(policy);
  const zone = policy.settings.timeZone;
  const n = opts.cases ?? 200;
  const today = opts.today ?? ymdToSerial(2026, 6, 30);
  const mistakeAt = mistakesOf(opts, n);
  // Pass 1: each case built once, in the order generateSample builds them; its state kept to build it again.
  const r = prng(opts.seed ?? 20260630);
  const state = new Uint32Array(n);
  const received = new Float64Array(n);
  let eTime = new Float64Array(1024),
    eCase = new Uint32Array(1024),
    eK = new Uint16Array(1024),
    m = 0;
  for (let i = 0; i < n; i++) {
    state[i] = r.state();
    const b = buildCase(i, r, policy, cal, today, mistakeAt.get(i));
    received[i] = b.record.receivedAt as number;
    while (m + b.audit.length > eTime.length) [eTime, eCase, eK] = [grown(eTime), grown(eCase), grown(eK)];
    b.audit.forEach((a, k) => {
      eTime[m] = a.time;
      eCase[m] = i;
      eK[m++] = k;
    });
  }
  if (!(opts.audit ?? true)) m = 0;
  // Refused before an entry is hashed or a byte written when a sheet would pass the grid (the CLI says how many fit).
  if (opts.rows !== undefined && (m + 1 > opts.rows || n + 1 > opts.rows)) {
    // Entries after each case (sampleEntries' shape), so the caller's search for the most that fit starts without a pass.
    const counts = new Uint32Array(n + 1);
    for (let j = 0; j < m; j++) counts[eCase[j] + 1]++;
    for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
    throw new SampleTooBig(n, m, opts.rows, counts);
  }
  // Numbers in order of receipt, per year (ties in build order, as generateSample's stable sort).
  const order = new Uint32Array(n).map((_, i) => i);
  order.sort((a, b) => received[a] - received[b] || a - b);
  const pos = new Uint32Array(n);
  const caseNos = new Uint32Array(n);
  const perYear = new Map<number, number>();
  order.forEach((c, p) => {
    pos[c] = p;
    const y = serialToYmd(received[c]).year;
    const no = (perYear.get(y) ?? 0) + 1;
    perYear.set(y, no);
    caseNos[c] = no;
  });
  const caseNoOf = (c: number) => formatCaseNo(policy.settings.caseNoPrefix, serialToYmd(received[c]).year, caseNos[c]);

  const held = new Map<number, Built>();
  let maxHeld = 0,
    builds = 0;
  const hold = Math.max(1, opts.hold ?? SAMPLE_HOLD);
  const built = (c: number): Built => {
    let b = held.get(c);
    if (b) {
      held.delete(c);
    } else {
      b = buildCase(c, prng(state[c]), policy, cal, today, mistakeAt.get(c));
      builds++;
      const caseNo = caseNoOf(c);
      b.record.caseNo = caseNo;
      for (const a of b.audit) a.input.caseNo = caseNo;
      if (held.size >= hold) held.delete(held.keys().next().value as number);
    }
    held.set(c, b);
    maxHeld = Math.max(maxHeld, held.size);
    return b;
  };

  // Audit entries in time order (ties in receipt order, then the case's own order), chained once; the hashes kept as bytes.
  const entries = new Uint32Array(m).map((_, j) => j);
  entries.sort((a, b) => eTime[a] - eTime[b] || pos[eCase[a]] - pos[eCase[b]] || eK[a] - eK[b]);
  const hashes = new Uint8Array(32 * m);
  const hexAt = (j: number) => (j < 0 ? GENESIS : hexOf(hashes, 32 * j));
  // Entries share their times (half-hour slots on working days): each stamp is made once while it is in use.
  const stamps = new Map<number, string>();
  const stampAt = (time: number) => {
    let t = stamps.get(time);
    if (t === undefined) {
      if (stamps.size >= hold) stamps.clear();
      stamps.set(time, (t = stamp(instantOf(time, zone), zone)));
    }
    return t;
  };
  const baseAt = (j: number) => {
    const e = entries[j];
    return entryBase({ seq: j, hash: hexAt(j - 1) }, built(eCase[e]).audit[eK[e]].input, stampAt(eTime[e]), zone);
  };
  for (let j = 0; j < m; j++) putHex(hashes, 32 * j, await hashOf(baseAt(j)));

  const toRow = rowMaker(policy);
  return {
    header: ledgerColumns(policy).map((c) => c.header),
    rows: { length: n, row: (p) => toRow(built(order[p]).record) },
    policyRows: policyToRows(policy),
    peopleRows: samplePeopleRows(policy),
    auditRows: { length: m, row: (j) => entryToRow({ ...baseAt(j), hash: hexAt(j) }) },
    meta: { [META.schemaVersion]: SCHEMA_VERSION, ...(m ? { [META.auditSeq]: String(m), [META.auditHash]: hexAt(m - 1) } : {}) },
    maxHeld: () => maxHeld,
    builds: () => builds,
  };
}

/** The array twice as long, its numbers kept (the entries' count is known only when every case is built). */
function grown<T extends Float64Array | Uint32Array | Uint16Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

function hexOf(bytes: Uint8Array, at: number): string {
  let s = "";
  for (let k = at; k < at + 32; k++) s += (bytes[k] < 16 ? "0" : "") + bytes[k].toString(16);
  return s;
}

function putHex(bytes: Uint8Array, at: number, hex: string): void {
  for (let k = 0; k < 32; k++) bytes[at + k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
}
