/**
 * The editable rule set. Defaults are `docs/process.md`; a workbook
 * carries its own copy on its Policy sheet (see policy-table.ts), so a quality
 * manager changes a limit, a synonym or a signer without a developer.
 *
 * Predicates that no table can express (when a clock applies) are a small
 * fixed vocabulary (`ClockCondition`) that policy rows refer to by name.
 */

import { findNamed, normalizeText, type Named } from "./named";
import type { DateKey } from "../schema";
import { DEFAULT_TIME_ZONE } from "../zone";
import { DEALER_DEBIT_FORM, defaultMoneyPolicy, defaultReviewPolicy, SUPPLIER_RETURN_CLOCK, type MoneyPolicy, type ReviewPolicy } from "../money/money-policy";

export { findNamed, normalizeText, type Named };

/** Units as the procedures write them: 1H (clock hours), 工作小时, 天, 工作日, 周, 月. */
export type ClockUnit = "HOUR" | "WORKHOUR" | "WORKDAY" | "DAY" | "WEEK" | "MONTH";
export const CLOCK_UNITS: readonly ClockUnit[] = ["HOUR", "WORKHOUR", "WORKDAY", "DAY", "WEEK", "MONTH"];

/** When a clock runs for a case; evaluated in sla.ts. */
export type ClockCondition =
  | "ALWAYS"
  | "GOODS_RETURNED" // goods came (or must come) back
  | "DOMESTIC"
  | "INTERNATIONAL"
  | "NOT_OUR_FAULT" // responsibility in the CUSTOMER group or complaint not confirmed
  | "OUR_FAULT_NO_RETURN" // internal responsibility and no goods to return
  | "SUPPLIER" // supplier responsibility
  | "REPLACEMENT_FIRST" // replacement shipped before the investigation
  | "PART_BACK" // replacement first, and the part must come back: domestic, or international when the case says so
  | "LOAN" // a loaned sample (客借)
  | "SUPPLIER_RETURN"; // defective material went back to the supplier, not as a batch (管理办法 7.1.2)
export const CLOCK_CONDITIONS: readonly ClockCondition[] = [
  "ALWAYS",
  "GOODS_RETURNED",
  "DOMESTIC",
  "INTERNATIONAL",
  "NOT_OUR_FAULT",
  "OUR_FAULT_NO_RETURN",
  "SUPPLIER",
  "REPLACEMENT_FIRST",
  "PART_BACK",
  "LOAN",
  "SUPPLIER_RETURN",
];

/** Who pays, and how the free/charged rule reads a responsibility code. */
export type ResponsibilityGroup = "CUSTOMER" | "INTERNAL" | "SUPPLIER" | "CARRIER";
export const RESPONSIBILITY_GROUPS: readonly ResponsibilityGroup[] = ["CUSTOMER", "INTERNAL", "SUPPLIER", "CARRIER"];
export type Charge = "FREE" | "CHARGED";

export interface ClockDef extends Named {
  unit: ClockUnit;
  /** Calendar-day clocks only: the start day is day 1 ("A类1天,即当天"). */
  countStartDay: boolean;
  /** Case field whose date starts the clock. */
  startField: DateKey;
  /** Case field whose date stops it. */
  endField: DateKey;
  appliesWhen: ClockCondition;
  /** Where the limit comes from in the procedures. */
  source: string;
}

/** One severity criterion: words of the defect text, and, when given, a least count (三个及以上). */
export interface SeverityCriterion {
  severity: string;
  words: string[];
  /** The count written before the word must reach this (三个及以上的模具刻字错误: 3); absent: any. */
  minCount?: number;
  source: string;
}

/** 附件1 客诉严重等级 and 管理办法 3.7, serious criteria first: the first row that matches decides. */
export function defaultSeverityCriteria(): SeverityCriterion[] {
  const row = (severity: string, words: string[], source: string, minCount?: number): SeverityCriterion => ({
    severity,
    words,
    source,
    ...(minCount !== undefined ? { minCount } : {}),
  });
  return [
    row("SERIOUS", ["模具刻字错误", "刻字错误"], "附件1 严重 1: 三个及以上的模具刻字错误", 3),
    row("SERIOUS", ["混料"], "附件1 严重 1: 混料"),
    row("SERIOUS", ["开裂", "裂纹"], "附件1 严重 1: 开裂"),
    row("SERIOUS", ["模具尺寸超差", "尺寸超差"], "附件1 严重 2: 三个及以上的模具尺寸超差", 3),
    row("SERIOUS", ["功能异常", "功能不良", "不亮", "失效", "短路", "烧坏", "闪烁"], "管理办法 3.7: 产品功能出现异常为严重客诉"),
    row("MINOR", ["模具尺寸超差", "尺寸超差"], "附件1 轻微 2: 两个及以下的模具尺寸超差"),
    row("MINOR", ["模具刻字错误", "刻字错误"], "附件1: 两个及以下的模具刻字错误(未达严重)"),
    row("MINOR", ["外观", "划伤", "刮花", "脏污", "色差"], "附件1 轻微 1: 外观不良;管理办法 3.7: 非产品功能问题为一般客诉"),
  ];
}

/** A limit; the most specific matching row wins (blank selector = any). */
export interface ClockLimit {
  clock: string;
  customerClass?: string;
  severity?: string;
  urgent?: boolean;
  /** The limit: past it the clock is overdue. */
  limit: number;
  /** A range's earlier bound (国际 15–30 个工作日: target 15, limit 30), shown beside the limit, never overdue by itself. */
  target?: number;
}

export interface ResponsibilityDef extends Named {
  charge: Charge;
  group: ResponsibilityGroup;
  /** Who bears the cost, in words. */
  payer: string;
  /** Decisive words (a party or a definite cause): weigh 3 each when matching free text. */
  keywords: string[];
  /** Supporting words: weigh 1 each. */
  hints: string[];
}

export interface DispositionDef extends Named {
  /** Approval forms this disposition needs (codes of `forms`). */
  forms: string[];
  /** Only possible with the goods in the factory. */
  needsGoods: boolean;
  /** Responsibility groups it fits; empty = any. */
  groups: ResponsibilityGroup[];
}

/** A form to be signed; `signers` are slots, each filled by any one of its roles. */
export interface ApprovalFormDef extends Named {
  signers: string[][];
  /** Case fields the document must hold before anyone may sign it (a 8D without its root cause is not reviewed). */
  requires?: string[];
}

/**
 * Who may record a step: the fields it writes and the roles that write them (the procedures name one
 * department per step); deputies stand in where the procedures allow it. A step nobody on the People
 * sheet holds a role for is open to anyone, so a ledger without its people keeps working.
 */
export interface StepDef extends Named {
  fields: string[];
  roles: string[];
  deputies: string[];
  source: string;
}

export interface Settings {
  /** Language of text results of the functions (CHARGE, SLASTATUS…). */
  language: "zh" | "en";
  /** A running clock is "due soon" when at most this many working days remain. */
  dueSoonWorkdays: number;
  /** Days of the week off, 0 = Sunday. */
  weekend: number[];
  /** Working periods, e.g. [["08:30","12:00"],["13:30","17:30"]]. */
  workHours: [string, string][];
  /** Years beyond the bundled official data whose holidays the Calendar section completes. */
  extraCalendarYears: number[];
  /** Severities that require an 8D report. */
  eightDSeverities: string[];
  /** Case number prefix: KS-2026-0001. */
  caseNoPrefix: string;
  /** Serial day of adoption: cases closed by then are history (domain/history.ts); unset in a ledger never adopted. */
  historyUntil?: number;
  /**
   * Approval forms whose signatures need a signer verified by Microsoft 365 sign-in (the organisation registered
   * the add-in: docs/admin-guide.md); a name chosen by hand in the pane cannot sign them. Empty: none.
   */
  verifiedSignForms?: string[];
  /** Audit actions that count as a violation of the procedure for the 乐捐 fine (未按此流程操作者,责任人乐捐20元每次). */
  finableActions: string[];
  /** The fine per violation, in yuan. */
  finePerViolation: number;
  /** Years a closed case's records are kept (品质部备份存档); 0: no limit. The procedures give no period: the company sets it. */
  retentionYears: number;
  /** The company's name on documents (8D, reply letter), in Chinese and in English. */
  companyName: string;
  companyNameEn: string;
  /** The company's logo on documents: a data: URI of a small PNG or JPEG (a cell holds at most 32,767 characters). */
  companyLogo: string;
  /** The ledger's clock: "today" and "now" are read in this zone, not the machine's (domain/zone.ts). */
  timeZone: string;
}

export interface CalendarRow {
  date: string;
  kind: "OFF" | "WORK";
  /** OFFICIAL: a public holiday or make-up day the bundled data lacks; COMPANY: this company only. */
  scope: "OFFICIAL" | "COMPANY";
  name: string;
}

export interface Policy {
  settings: Settings;
  classes: Named[];
  severities: Named[];
  clocks: ClockDef[];
  limits: ClockLimit[];
  responsibilities: ResponsibilityDef[];
  dispositions: DispositionDef[];
  forms: ApprovalFormDef[];
  roles: Named[];
  calendar: CalendarRow[];
  /** Words and counts that suggest a severity (classify.ts suggestSeverity). */
  severityCriteria: SeverityCriterion[];
  confidentialTerms: string[];
  /** Words of confidential terms that are no secret (保密原则: 不包含电源供应商信息…): a term inside one of these is not flagged. */
  confidentialExceptions: string[];
  steps: StepDef[];
  /** Cost categories, journal layouts and the money rules' settings (issue 23; domain/money). */
  money: MoneyPolicy;
  /** The monthly review's settings: `review.repeatWindowDays` (Settings row reviewRepeatWindowDays). */
  review: ReviewPolicy;
}

/**
 * Codes the program itself names. The Policy sheet may rename, re-sign or re-time anything, but
 * these codes must stay: policyFromRows refuses a table that lacks one, saying which (a renamed
 * code would otherwise silently switch off the rule that names it).
 */
export const ROLE = {
  CS_MANAGER: "CS_MANAGER",
  FINANCE: "FINANCE",
  QUALITY_MANAGER: "QUALITY_MANAGER",
  DEPT_HEAD: "DEPT_HEAD",
  VP: "VP",
  SALES: "SALES",
  CS: "CS",
  WAREHOUSE: "WAREHOUSE",
  CQE: "CQE",
  GM: "GM",
} as const;
/** Who may edit the People sheet's roles (the quality manager, the general manager): named once, checked at load (RELIED_ON). */
export const PEOPLE_ADMIN_ROLES: readonly string[] = [ROLE.QUALITY_MANAGER, ROLE.GM];
export const FORM = {
  EXTERNAL_8D: "EXTERNAL_8D",
  URGENT: "URGENT",
  REPLACEMENT_FIRST: "REPLACEMENT_FIRST",
  ACCEPT_CUSTOMER_FAULT: "ACCEPT_CUSTOMER_FAULT",
} as const;
/**
 * Forms a rule names that older Policy sheets lack (added in this release): absent, their rule is off
 * rather than the sheet refused; the upgrade adds them (issue 20).
 */
export const NEW_FORM = { REPLY_REVIEW: "REPLY_REVIEW", EIGHT_D_VP: "EIGHT_D_VP" } as const;
export const CLOCK = { REPLY_DOMESTIC: "REPLY_DOMESTIC", REPLY_INTERNATIONAL: "REPLY_INTERNATIONAL" } as const;
export const SEVERITY = { SERIOUS: "SERIOUS" } as const;
export const RESPONSIBILITY = { SUPPLIER: "SUPPLIER", NO_FAULT: "NO_FAULT" } as const;

/** Every code above with the policy list it must be found in, for the load check. */
export const RELIED_ON: readonly {
  list: "roles" | "forms" | "clocks" | "severities" | "responsibilities";
  zh: string;
  en: string;
  codes: readonly string[];
}[] = [
  { list: "roles", zh: "角色", en: "role", codes: Object.values(ROLE) },
  { list: "forms", zh: "签核单", en: "approval form", codes: Object.values(FORM) },
  { list: "clocks", zh: "时限", en: "clock", codes: Object.values(CLOCK) },
  { list: "severities", zh: "客诉等级", en: "severity", codes: Object.values(SEVERITY) },
  { list: "responsibilities", zh: "责任", en: "responsibility", codes: Object.values(RESPONSIBILITY) },
];

const named = (code: string, zh: string, en: string, synonyms: string[] = []): Named => ({ code, zh, en, synonyms });

/** The defaults of process.md. Returns a fresh copy each call, safe to edit. */
export function defaultPolicy(): Policy {
  return {
    settings: {
      language: "zh",
      dueSoonWorkdays: 1,
      weekend: [6, 0],
      workHours: [
        ["08:30", "12:00"],
        ["13:30", "17:30"],
      ],
      extraCalendarYears: [],
      eightDSeverities: ["SERIOUS"],
      caseNoPrefix: "KS",
      verifiedSignForms: [],
      finableActions: ["EDIT_REVERTED", "STEP_REFUSED", "CLOSE_REFUSED"],
      finePerViolation: 20,
      retentionYears: 3,
      companyName: "",
      companyNameEn: "",
      companyLogo: "",
      timeZone: DEFAULT_TIME_ZONE,
    },
    classes: [
      named("A", "A类客户", "Class A", ["A类", "A级"]),
      named("B", "B类客户", "Class B", ["B类", "B级"]),
      named("C", "C类客户", "Class C", ["C类", "C级"]),
    ],
    severities: [
      named("MINOR", "一般", "Minor", ["轻微", "一般", "轻", "minor", "normal", "外观"]),
      named("SERIOUS", "严重", "Serious", ["严重", "重大", "serious", "major", "critical", "功能"]),
    ],
    clocks: defaultClocks(),
    limits: defaultLimits(),
    responsibilities: defaultResponsibilities(),
    dispositions: defaultDispositions(),
    forms: [
      form("SCRAP_APPLICATION", "报废申请单", "Scrap application", [["QUALITY_MANAGER"], ["VP", "GM"]], ["quantity"]),
      form("RESTOCK_REQUEST", "客诉退料申请单", "Restock request", [["OQC_INSPECTOR"], ["QUALITY_MANAGER"], ["PLANNING_MANAGER"]]),
      form("MATERIAL_REQUISITION", "客诉领料申请单", "Material requisition", [["QUALITY_MANAGER"], ["PLANNING_MANAGER"]]),
      form("REMAKE_ORDER", "客诉排产通知单", "Remake production order", [["QUALITY_MANAGER"], ["VP"]]),
      form("REWORK_ORDER", "工作联系单", "Rework work order", [["QUALITY_MANAGER"], ["RECEIVING_HEAD"]]),
      form("EXTERNAL_8D", "8D报告/回复书", "External 8D / reply report", [["QUALITY_MANAGER"], ["DEPT_HEAD"]], ["rootCause"]),
      form("URGENT", "加急特批", "Urgent handling", [["VP", "GM", "LEADER"]]),
      form("ACCEPT_CUSTOMER_FAULT", "退货核准(总经理同意)", "Return authorisation (GM consent)", [["GM"]], ["returnReason"]),
      form("REPLACEMENT_FIRST", "先补发确认", "Ship replacement first", [["CS_MANAGER"]]),
      form("REPLY_REVIEW", "处理措施审核", "Review of the measures", [["QUALITY_MANAGER"], ["DEPT_HEAD"]], ["rootCause"]),
      form("EIGHT_D_VP", "8D副总裁审阅", "8D review by the VP", [["VP"]], ["rootCause"]),
      // The dealer-debit approver: whoever the Policy has sign this form (在经销商帐户上扣除相应金额).
      form(DEALER_DEBIT_FORM, "经销商扣款审批", "Dealer debit approval", [["CS_MANAGER"]], ["dealerDebitAmount"]),
    ],
    roles: [
      named("QUALITY_MANAGER", "品质部经理", "Quality manager", ["品质经理", "品管经理", "质量经理", "QM"]),
      named("PLANNING_MANAGER", "计划部经理", "Planning manager", ["生管经理", "计划经理", "PMC经理"]),
      named("OQC_INSPECTOR", "OQC检验员", "OQC inspector", ["OQC", "出货检验员"]),
      named("VP", "副总裁", "Vice president", ["副总", "副总经理"]),
      named("GM", "总经理", "General manager", ["总经办", "总经理办公室", "总经理室"]),
      named("DEPT_HEAD", "部长", "Department head", ["部门负责人"]),
      named("RECEIVING_HEAD", "承接部门负责人", "Head of receiving department", ["接收部门负责人", "承接部门主管"]),
      named("CS_MANAGER", "客服经理", "Customer-service manager", ["客服部经理"]),
      named("LEADER", "公司领导", "Company leader", ["领导"]),
      named("CQE", "CQE", "Customer quality engineer", ["客户质量工程师"]),
      named("SALES", "业务员", "Sales", ["业务", "销售"]),
      named("CS", "客服专员", "Customer service", ["客服"]),
      named("WAREHOUSE", "仓管员", "Warehouse clerk", ["仓库", "储运"]),
      named("FINANCE", "财务", "Finance", ["财务部"]),
    ],
    calendar: [],
    severityCriteria: defaultSeverityCriteria(),
    confidentialTerms: [...DEFAULT_CONFIDENTIAL_TERMS],
    confidentialExceptions: [...DEFAULT_CONFIDENTIAL_EXCEPTIONS],
    steps: defaultSteps(),
    money: defaultMoneyPolicy(),
    review: defaultReviewPolicy(),
  };
}

/**
 * 保密原则 (管理办法 3.6): 严禁泄露…生产技术、生产流程、生产工艺、原材料供应商. The words that point at
 * each in an 8D; a company adds its suppliers' names on the Policy sheet.
 */
export const DEFAULT_CONFIDENTIAL_TERMS: readonly string[] = [
  "供应商",
  "供方",
  "来料",
  "原材料",
  "外协",
  "外购",
  "生产工艺",
  "工艺参数",
  "生产流程",
  "生产技术",
  // 导线供应商信息(除防水接头): the waterproof connector's supplier stays confidential.
  "防水接头",
  "颗粒",
  "灯珠",
  "Luxeon",
  "Rebel",
  "supplier",
  "vendor",
];

/** The exceptions the procedure names: 不包含电源供应商信息、导线供应商信息(除防水接头)、飞利浦常规颗粒信息(Luxeon T 和 Rebel ES). */
export const DEFAULT_CONFIDENTIAL_EXCEPTIONS: readonly string[] = ["电源供应商", "电源", "导线供应商", "导线", "飞利浦", "Philips", "Luxeon T", "Rebel ES"];

/** Who records each step (process.md §4, the procedures' 职责): fields, roles, deputies. */
function defaultSteps(): StepDef[] {
  const step = (code: string, zh: string, en: string, fields: string[], roles: string[], deputies: string[], source: string): StepDef => ({
    code,
    zh,
    en,
    synonyms: [],
    fields,
    roles,
    deputies,
    source,
  });
  return [
    step(
      "RETURN_AUTH",
      "退货通知",
      "Return authorisation",
      ["returnReason", "returnAuthorisedAt"],
      ["SALES"],
      ["CS", "CS_MANAGER"],
      "客退品处理流程(退仓单) 1",
    ),
    step("GOODS_BACK", "退货回厂", "Goods back", ["goodsBackAt"], ["WAREHOUSE"], ["PLANNING_MANAGER"], "客诉退货处理程序 5.8;控制程序 3.5"),
    step(
      "JUDGEMENT",
      "品质判定",
      "Quality judgement",
      // Not the severity: sales give a first one at intake, the judgement confirms it.
      ["judgedAt", "confirmed", "analysedAt", "rootCause", "returnJudgement"],
      ["CQE"],
      ["QUALITY_MANAGER"],
      "管理办法 4.2, 5.2",
    ),
    step("RESPONSIBILITY", "责任与费用", "Responsibility and cost", ["responsibility", "charge", "cost"], ["CQE"], ["QUALITY_MANAGER"], "客诉退货处理程序 5.7"),
    step(
      "REPLACEMENT",
      "先补发",
      "Replacement first",
      ["replacementShippedAt", "replacementPromisedAt"],
      ["CS", "SALES"],
      ["CS_MANAGER"],
      "客服部投诉建议 三;四.1",
    ),
    step(
      "DEALER_DEBIT",
      "经销商扣款",
      "Dealer debit",
      ["dealerDebitAmount", "dealerNotifiedAt", "dealerNotifiedBy"],
      ["CS"],
      ["CS_MANAGER"],
      "客服部投诉建议 四.3",
    ),
    step(
      "SUPPLIER_RETURN",
      "退供应商",
      "Return to supplier",
      ["supplierName", "supplierReturnedAt", "supplierBatch", "supplierReturnedQty", "supplierReplacedQty", "supplierCreditAmount"],
      ["CQE"],
      ["QUALITY_MANAGER"],
      "管理办法 7.1",
    ),
    step("BOOKING", "入账", "Booking", ["dealerDebitBookedAt", "supplierCreditedAt"], ["FINANCE"], [], "客诉退货处理程序: 纳入T6系统账"),
  ];
}

/** The clocks of process.md §3: what starts and stops each. */
function defaultClocks(): Policy["clocks"] {
  return [
    clock("LOG", "登记", "Log the complaint", "WORKHOUR", "receivedAt", "loggedAt", "ALWAYS", "顾客投诉处理程序 §5.1", ["登记时限"]),
    clock("FIRST_RESPONSE", "首次响应", "First response", "WORKDAY", "receivedAt", "firstResponseAt", "ALWAYS", "管理办法 §8", ["响应", "response"]),
    clock(
      "REPLACEMENT_PROMISE",
      "承诺到货",
      "Promise replacement date",
      "DAY",
      "receivedAt",
      "replacementPromisedAt",
      "REPLACEMENT_FIRST",
      "客服部建议 (先补发,再追究)",
      ["承诺到货时间", "promise"],
      true,
    ),
    // (2天内完成): two calendar days from the goods' return.
    clock("JUDGEMENT", "品质判定", "Quality judgement", "DAY", "goodsBackAt", "judgedAt", "GOODS_RETURNED", "客诉退货处理程序 §5.8", ["判定", "judgement"]),
    // 自国内应用设计中心开出《客诉、客退产品处理单》起…3个工作日内完成分析: domestic, from the form.
    clock("ANALYSIS", "原因分析", "Quality analysis", "WORKDAY", "formIssuedAt", "analysedAt", "DOMESTIC", "管理办法 §8", ["分析", "analysis"]),
    clock("REPLY_DOMESTIC", "回复(国内)", "Solve and reply (domestic)", "WORKDAY", "receivedAt", "repliedAt", "DOMESTIC", "管理办法 §8", [
      "国内回复",
      "reply domestic",
    ]),
    clock("REPLY_INTERNATIONAL", "回复(国际)", "Solve and reply (international)", "WORKDAY", "receivedAt", "repliedAt", "INTERNATIONAL", "管理办法 §8", [
      "国际回复",
      "reply international",
    ]),
    clock("CLOSE", "结案", "Close the case", "WEEK", "goodsBackAt", "closedAt", "GOODS_RETURNED", "客退品处理流程 (品管确认)", ["处理周期", "close"]),
    clock(
      "NOT_OUR_FAULT_NOTICE",
      "非我司责任告知",
      "Tell customer: not our fault",
      "WORKDAY",
      "judgedAt",
      "repliedAt",
      "NOT_OUR_FAULT",
      "顾客投诉处理程序 §5.2.1",
      ["非我司责任"],
    ),
    clock(
      "CORRECTIVE_ACTION",
      "纠正措施回复",
      "Corrective action to customer",
      "WORKDAY",
      "analysedAt",
      "repliedAt",
      "OUR_FAULT_NO_RETURN",
      "顾客投诉处理程序 §5.2.2",
      ["纠正措施"],
    ),
    clock("SUPPLIER_8D", "供应商8D回复", "Supplier 8D reply", "WORKDAY", "supplierNotifiedAt", "supplier8DAt", "SUPPLIER", "管理办法 §7.1.2", ["供应商8D"]),
    // 非批量不良: 退回供应商,跟踪供应商在2个工作日内回复8D报告 — from the return itself.
    clock(
      SUPPLIER_RETURN_CLOCK,
      "退货后供应商8D",
      "Supplier 8D after a return",
      "WORKDAY",
      "supplierReturnedAt",
      "supplier8DAt",
      "SUPPLIER_RETURN",
      "管理办法 §7.1.2",
      ["退供应商8D"],
    ),
    clock("PART_BACK", "不良品退回", "Replaced part comes back", "MONTH", "replacementShippedAt", "goodsBackAt", "PART_BACK", "管理办法 §4.4", ["追回不良品"]),
    clock(
      "SAMPLE_RETURN",
      "借样归还",
      "Loaned sample returned",
      "MONTH",
      "receivedAt",
      "sampleReturnedAt",
      "LOAN",
      "管理办法 §3.4 (期限由公司定 / limit set by the company)",
      ["样品归还"],
    ),
    clock("FOLLOW_UP", "满意度跟踪", "Satisfaction follow-up", "MONTH", "closedAt", "followUpAt", "ALWAYS", "管理办法 §8", ["跟踪", "follow-up"]),
  ];
}

/** Each clock's limit of process.md §3, by customer class and urgency where they differ. */
function defaultLimits(): Policy["limits"] {
  return [
    { clock: "LOG", limit: 1 },
    { clock: "FIRST_RESPONSE", limit: 1 },
    { clock: "REPLACEMENT_PROMISE", customerClass: "A", limit: 1 },
    { clock: "REPLACEMENT_PROMISE", customerClass: "B", limit: 2 },
    { clock: "REPLACEMENT_PROMISE", customerClass: "C", limit: 3 },
    { clock: "JUDGEMENT", limit: 2 },
    { clock: "ANALYSIS", limit: 3 },
    { clock: "REPLY_DOMESTIC", limit: 7 },
    { clock: "REPLY_DOMESTIC", urgent: true, limit: 2 },
    // 15–30 working days in the source: a range, the target 15 shown, overdue past 30.
    { clock: "REPLY_INTERNATIONAL", limit: 30, target: 15 },
    { clock: "REPLY_INTERNATIONAL", urgent: true, limit: 3 },
    { clock: "CLOSE", severity: "MINOR", limit: 1 },
    // 2–4 weeks for function defects: a range, the target 2 shown, overdue past 4.
    { clock: "CLOSE", severity: "SERIOUS", limit: 4, target: 2 },
    { clock: "NOT_OUR_FAULT_NOTICE", limit: 1 },
    { clock: "CORRECTIVE_ACTION", limit: 2 },
    { clock: "SUPPLIER_8D", limit: 2 },
    { clock: SUPPLIER_RETURN_CLOCK, limit: 2 },
    { clock: "PART_BACK", limit: 1 },
    { clock: "FOLLOW_UP", limit: 1 },
    { clock: "SAMPLE_RETURN", limit: 1 },
  ];
}

/** The dispositions of process.md §6. */
function defaultDispositions(): Policy["dispositions"] {
  return [
    disp("RESTOCK", "检验合格入库", "Restock after inspection", ["RESTOCK_REQUEST"], ["入库", "合格入库", "restock"], true),
    disp("RETURN_TO_CUSTOMER", "退回客户", "Return to customer", [], ["退回", "退还客户", "return"], true),
    disp("REWORK", "返工/返修", "Rework / repair", ["REWORK_ORDER"], ["返工", "返修", "维修", "重工", "rework", "repair"], true),
    disp("REMAKE", "重做/补货", "Remake / replace", ["REMAKE_ORDER", "MATERIAL_REQUISITION"], ["重做", "补货", "补发", "重新生产", "remake", "replace"], false),
    disp("DISASSEMBLE", "拆解", "Disassemble", ["RESTOCK_REQUEST", "SCRAP_APPLICATION"], ["拆解", "拆机", "disassemble"], true),
    disp("SCRAP", "报废", "Scrap", ["SCRAP_APPLICATION"], ["报废", "scrap"], true),
    disp("SELL_OFF", "变卖", "Sell off", ["SCRAP_APPLICATION"], ["变卖", "处理变卖", "sell off", "salvage"], true),
    disp("RETURN_TO_SUPPLIER", "退供应商", "Return to supplier", [], ["退供应商", "退供方", "return to supplier"], true, ["SUPPLIER"]),
    disp("SLOW_STOCK", "入呆滞品仓", "Slow-moving stock", ["RESTOCK_REQUEST"], ["呆滞", "呆滞品仓", "只退不补", "slow stock"], true),
    disp("CONCESSION", "让步接受/特殊放行", "Concession", [], ["让步接受", "特采", "特殊放行", "concession"], false),
    disp("REFUND", "退款", "Refund", [], ["退款", "refund"], false),
  ];
}

/** The responsibility codes of process.md §5, with the words that point to each in free text: rows of resp()'s arguments. */
const RESPONSIBILITY_ROWS: Parameters<typeof resp>[] = [
  [
    "DEALER",
    "经销商/客户原因",
    "Dealer / customer",
    "CHARGED",
    "CUSTOMER",
    "经销商或消费者 Dealer or consumer",
    [
      "经销商",
      "代理商",
      "客户原因",
      "客户责任",
      "顾客原因",
      "消费者",
      "客户使用不当",
      "使用不当",
      "误用",
      "安装错误",
      "安装不当",
      "存放不当",
      "储存不当",
      "保管不当",
      "客户仓库",
      "dealer",
      "customer fault",
      "customer misuse",
      "misuse",
      "wrong installation",
    ],
    ["搬运", "装卸", "储存", "存放", "受潮", "运输不当", "损坏", "安装", "客户", "顾客", "customer", "handling", "storage", "installation"],
    ["经销商", "经销商责任", "客户", "客户责任", "客户原因"],
  ],
  [
    "QC",
    "质量原因",
    "Quality control",
    "FREE",
    "INTERNAL",
    "公司内部 Internal",
    [
      "品质",
      "质检",
      "检验员",
      "来料检验",
      "漏检",
      "错检",
      "少装",
      "少包装",
      "数量不足",
      "quality control",
      "inspection",
      "inspector",
      "missed defect",
      "short packing",
    ],
    ["检验", "外观", "明显缺陷", "误判", "quality", "qc", "iqc", "oqc", "ipqc", "defect"],
    ["质量", "品质", "品质部", "品管部", "质量责任", "品质责任", "品管"],
  ],
  [
    "PROCESS",
    "工艺原因",
    "Process / engineering",
    "FREE",
    "INTERNAL",
    "公司内部 Internal",
    ["工艺", "图纸", "工艺分解", "变更", "包装设计", "process", "drawing", "engineering change", "packaging design"],
    ["不成熟", "技术", "方案", "engineering", "immature"],
    ["工艺", "工艺部", "工艺责任", "技术部"],
  ],
  [
    "PRODUCTION",
    "生产原因",
    "Production",
    "FREE",
    "INTERNAL",
    "公司内部 Internal",
    [
      "生产",
      "制造",
      "作业",
      "做工",
      "装配",
      "焊接",
      "漏装",
      "工艺水平",
      "厂内",
      "我司仓库",
      "厂内搬运",
      "内部搬运",
      "production",
      "workmanship",
      "manufacturing",
      "assembly",
    ],
    ["操作", "员工", "车间", "仓库", "库房", "internal transport", "operator", "warehouse"],
    ["生产", "生产部", "生产责任", "制造部"],
  ],
  [
    "DESIGN",
    "设计/沟通",
    "Design / communication",
    "FREE",
    "INTERNAL",
    "公司内部 Internal",
    ["设计", "需求不符", "沟通", "理解错误", "选型", "design", "requirement", "misunderstood"],
    ["不符", "需求", "客换", "need"],
    ["设计", "设计部", "设计责任", "沟通"],
  ],
  [
    "SUPPLIER",
    "原材料/供应商",
    "Supplier / raw material",
    "FREE",
    "SUPPLIER",
    "供应商(按采购合同索赔) Supplier, per purchase contract",
    ["供应商", "来料", "原材料", "原料", "外购", "外协", "supplier", "vendor", "raw material", "incoming material"],
    ["材料", "批量", "material", "batch"],
    ["供应商", "原材料", "供方", "供应商责任"],
  ],
  [
    "LOGISTICS",
    "物流",
    "Logistics / carrier",
    "CHARGED",
    "CARRIER",
    "承运商(按合同) Carrier, per contract",
    ["物流", "承运", "快递", "运输公司", "运输途中", "运输损坏", "carrier", "logistics", "courier", "transit", "freight"],
    ["运输", "途中", "shipping", "transport"],
    ["物流", "物流责任", "运输", "承运商"],
  ],
  [
    "NO_FAULT",
    "无质量问题/客户误判",
    "No fault found",
    "CHARGED",
    "CUSTOMER",
    "客户;重复误判计入销售费用 Customer; repeat misjudgement booked to sales expense",
    [
      "无质量问题",
      "客户误判",
      "投诉不属实",
      "不属实",
      "无异常",
      "未发现不良",
      "正常品",
      "no fault",
      "no defect",
      "not confirmed",
      "no quality problem",
      "no quality issue",
      "not quality related",
      "no problem found",
      "misjudged",
      "misjudgement",
      "misjudgment",
      "misjudge",
    ],
    ["误判", "正常", "合格", "ok", "nff"],
    ["无质量问题", "客户误判", "无责任", "非质量问题"],
  ],
];

function defaultResponsibilities(): ResponsibilityDef[] {
  // Fresh arrays each call: a policy is safe to edit.
  return RESPONSIBILITY_ROWS.map(([code, zh, en, charge, group, payer, keywords, hints, synonyms]) =>
    resp(code, zh, en, charge, group, payer, [...keywords], [...hints], [...synonyms]),
  );
}

function clock(
  code: string,
  zh: string,
  en: string,
  unit: ClockUnit,
  startField: DateKey,
  endField: DateKey,
  appliesWhen: ClockCondition,
  source: string,
  synonyms: string[],
  countStartDay = false,
): ClockDef {
  return { code, zh, en, synonyms, unit, countStartDay, startField, endField, appliesWhen, source };
}

function resp(
  code: string,
  zh: string,
  en: string,
  charge: Charge,
  group: ResponsibilityGroup,
  payer: string,
  keywords: string[],
  hints: string[],
  synonyms: string[],
): ResponsibilityDef {
  return { code, zh, en, synonyms, charge, group, payer, keywords, hints };
}

function disp(
  code: string,
  zh: string,
  en: string,
  forms: string[],
  synonyms: string[],
  needsGoods: boolean,
  groups: ResponsibilityGroup[] = [],
): DispositionDef {
  return { code, zh, en, synonyms, forms, needsGoods, groups };
}

function form(code: string, zh: string, en: string, signers: string[][], requires: string[] = []): ApprovalFormDef {
  return { code, zh, en, synonyms: [], signers, requires };
}
