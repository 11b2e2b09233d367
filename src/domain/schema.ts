/**
 * The ledger's columns, listed once. Validation, the sheet's data-validation
 * lists, the task-pane form and the file adapters all read this list instead
 * of repeating column names (ERPNext's "doctype as data").
 */
import { findNamed, normalizeText, type Named } from "./policy/named";

/**
 * What the schema reads of a policy (a Policy has it): the roles and the forms they sign, and the vocabularies a
 * policy defines. Structural, so the policy's own module can use the schema's field keys without a cycle.
 */
export interface SchemaPolicy {
  forms: readonly { signers: readonly (readonly string[])[] }[];
  roles: readonly Named[];
  classes: readonly Named[];
  severities: readonly Named[];
  responsibilities: readonly Named[];
  dispositions: readonly Named[];
}

export type FieldType = "text" | "longtext" | "date" | "datetime" | "number" | "money" | "bool" | "enum" | "signature";

/** Fixed vocabularies (the rest, like responsibility codes, come from the policy). */
export const KINDS: readonly Named[] = [
  { code: "COMPLAINT", zh: "客诉", en: "Complaint", synonyms: ["投诉", "客户投诉", "质量投诉", "complaint"] },
  { code: "RETURN", zh: "客退", en: "Return", synonyms: ["退货", "客户退货", "退换货", "销退", "return"] },
  { code: "EXCHANGE", zh: "客换", en: "Exchange", synonyms: ["换货", "exchange"] },
  { code: "LOAN", zh: "客借", en: "Loan", synonyms: ["借样", "借货", "样品借用", "loan"] },
];
export const MARKETS: readonly Named[] = [
  { code: "DOMESTIC", zh: "国内", en: "Domestic", synonyms: ["内销", "国内客户", "domestic"] },
  { code: "INTERNATIONAL", zh: "国际", en: "International", synonyms: ["外销", "国外", "海外", "出口", "international", "export", "overseas"] },
];
export const CHARGES: readonly Named[] = [
  { code: "FREE", zh: "免费", en: "Free", synonyms: ["免费", "free", "不收费", "no charge"] },
  { code: "CHARGED", zh: "收费", en: "Charged", synonyms: ["收费", "charged", "charge", "有偿", "付费"] },
];
export const EIGHT_D_STATUSES: readonly Named[] = [
  { code: "NONE", zh: "未开始", en: "Not started", synonyms: ["无", "未做", "none"] },
  { code: "DRAFT", zh: "编写中", en: "Draft", synonyms: ["草稿", "进行中", "draft"] },
  { code: "REVIEWED", zh: "已审核", en: "Reviewed", synonyms: ["审核", "reviewed"] },
  { code: "SENT", zh: "已发送", en: "Sent", synonyms: ["已回复", "已发", "sent"] },
];
export const SATISFACTION: readonly Named[] = [
  { code: "SATISFIED", zh: "满意", en: "Satisfied", synonyms: ["很满意", "satisfied"] },
  { code: "ACCEPTABLE", zh: "基本满意", en: "Acceptable", synonyms: ["一般", "acceptable"] },
  { code: "UNSATISFIED", zh: "不满意", en: "Unsatisfied", synonyms: ["unsatisfied", "dissatisfied"] },
];
export const BOOLS: readonly Named[] = [
  { code: "YES", zh: "是", en: "Yes", synonyms: ["y", "yes", "true", "1", "√", "✓", "有", "需要", "要"] },
  { code: "NO", zh: "否", en: "No", synonyms: ["n", "no", "false", "0", "×", "无", "不需要", "不"] },
];

/** The salesperson's first reading of returned goods, before they come back (客退客诉管理程序: 客户原因不可返修与产品无质量问题不可以退货,总经理同意除外). */
export const RETURN_REASONS: readonly Named[] = [
  { code: "OUR_DEFECT", zh: "我司产品不良", en: "Our defect", synonyms: ["我司不良", "我司原因", "our defect"] },
  { code: "CUSTOMER_REPAIRABLE", zh: "客户原因可返修", en: "Customer-caused, repairable", synonyms: ["客户原因-可返修", "帮忙返修"] },
  { code: "CUSTOMER_NOT_REPAIRABLE", zh: "客户原因不可返修", en: "Customer-caused, not repairable", synonyms: ["客户原因-不可返修"] },
  { code: "NO_FAULT", zh: "无质量问题", en: "No quality problem", synonyms: ["产品无质量问题", "no fault"] },
];
/** Complaint types of 顾客投诉(退货)处理程序 5.1.1: 交期、数量、质量缺陷、工程技术. */
export const COMPLAINT_TYPES: readonly Named[] = [
  { code: "DELIVERY", zh: "交期", en: "Delivery", synonyms: ["交货期", "delivery"] },
  { code: "QUANTITY", zh: "数量", en: "Quantity", synonyms: ["数量不足", "quantity"] },
  { code: "QUALITY", zh: "质量缺陷", en: "Quality defect", synonyms: ["质量", "品质", "quality"] },
  { code: "ENGINEERING", zh: "工程技术", en: "Engineering", synonyms: ["技术", "工程", "engineering"] },
];
/** 客退品处理流程: 销退品 / 帮修品 / 只退不补品, the quality department's final reading of returned goods. */
export const RETURN_JUDGEMENTS: readonly Named[] = [
  { code: "SALES_RETURN", zh: "销退品", en: "Sales return", synonyms: ["销退", "销货退回"] },
  { code: "REPAIR_FOR_CUSTOMER", zh: "帮修品", en: "Repaired for the customer", synonyms: ["帮修"] },
  { code: "RETURN_NO_REPLACEMENT", zh: "只退不补品", en: "Return, no replacement", synonyms: ["只退不补"] },
];

/** 是/否 as a boolean is written in a cell: the one place the two labels live. `yesNo(true).zh` → "是". */
export const yesNo = (b: boolean): Named => findNamed(BOOLS, b ? "YES" : "NO")!;
/** A cell read as yes/no (是, Y, √, 需要…), or undefined when it is neither. */
export const readYesNo = (v: unknown): boolean | undefined => {
  if (typeof v === "boolean") return v;
  const hit = findNamed(BOOLS, v);
  return hit ? hit.code === "YES" : undefined;
};

/** Lifecycle states, in order (lifecycle.ts holds the rules between them). */
export const STATES: readonly Named[] = [
  { code: "RECEIVED", zh: "已登记", en: "Received", synonyms: ["登记", "新建", "received", "new", "open"] },
  { code: "GOODS_BACK", zh: "已回厂", en: "Goods back", synonyms: ["退货回厂", "回厂", "goods back"] },
  { code: "JUDGED", zh: "已判定", en: "Judged", synonyms: ["品质判定", "判定", "judged"] },
  { code: "RESPONSIBILITY", zh: "已定责", en: "Responsibility set", synonyms: ["责任判定", "定责"] },
  { code: "DISPOSITION", zh: "已定方案", en: "Disposition set", synonyms: ["处理方案", "方案"] },
  { code: "APPROVED", zh: "已签核", en: "Approved", synonyms: ["签核", "已审批", "approved"] },
  { code: "EXECUTED", zh: "已执行", en: "Executed", synonyms: ["执行", "处理中", "已处理", "executed"] },
  { code: "REPLIED", zh: "已回复", en: "Replied", synonyms: ["回复", "已回复客户", "replied"] },
  { code: "CLOSED", zh: "已结案", en: "Closed", synonyms: ["结案", "关闭", "已关闭", "完成", "closed", "done"] },
  { code: "FOLLOWED_UP", zh: "已跟踪", en: "Followed up", synonyms: ["跟踪", "已回访", "followed up"] },
];

/** Where a field's allowed values come from. */
export type Vocabulary =
  | "kind"
  | "market"
  | "charge"
  | "eightD"
  | "satisfaction"
  | "bool"
  | "state"
  | "class"
  | "severity"
  | "responsibility"
  | "disposition"
  | "returnReason"
  | "complaintType"
  | "returnJudgement";

/**
 * A column's key: one of the case fields below, or the signature column of a role (`sign_VP`).
 * `CaseKey` is derived from CASE_FIELDS, so a misspelt key is a type error, not a blank column.
 */
export type FieldKey = CaseKey | SignatureKey;
export type SignatureKey = `sign_${string}`;

/** A column's description; FieldDef adds its key. */
interface FieldBase {
  zh: string;
  en: string;
  /** Headers seen in hand-kept ledgers. */
  synonyms: string[];
  type: FieldType;
  vocabulary?: Vocabulary;
  /** Required when the case is logged. */
  required?: boolean;
  /** For signature fields: the policy role that signs. */
  role?: string;
  /** Written only by the add-in (task pane), never typed. */
  protected?: boolean;
}

export interface FieldDef extends FieldBase {
  key: FieldKey;
}

type FieldExtra = Partial<Pick<FieldBase, "vocabulary" | "required" | "role" | "protected">>;

/** One field, keeping its key and type as literals so `Case` can be derived from the list. */
const f = <K extends string, T extends FieldType>(key: K, zh: string, en: string, type: T, synonyms: string[], extra: FieldExtra = {}) => ({
  key,
  zh,
  en,
  type,
  synonyms,
  ...extra,
});

/** The case fields of process.md §4 and §8, in the ledger's column order. */
export const CASE_FIELDS = [
  f(
    "caseNo",
    "客诉单号",
    "Case No.",
    "text",
    [
      "单号",
      "编号",
      "客诉编号",
      "处理单号",
      "投诉编号",
      "客诉单编号",
      "序号",
      "No",
      "NO.",
      "case number",
      "case id",
      "complaint no",
      "complaint number",
      "ticket no",
    ],
    { required: true },
  ),
  f("kind", "类别", "Kind", "enum", ["类型", "客诉类别", "投诉类别", "kind", "type"], { vocabulary: "kind", required: true }),
  f(
    "receivedAt",
    "接收时间",
    "Received at",
    "datetime",
    [
      "投诉日期",
      "客诉日期",
      "反馈日期",
      "接收日期",
      "日期",
      "收到日期",
      "投诉时间",
      "反馈时间",
      "客诉时间",
      "date",
      "received",
      "complaint date",
      "date received",
      "received date",
    ],
    { required: true },
  ),
  f("loggedAt", "登记时间", "Logged at", "datetime", ["登记日期", "开单日期", "logged"]),
  f("customer", "客户", "Customer", "text", ["客户名称", "客户名", "客户单位", "经销商", "顾客", "customer name"], { required: true }),
  f("customerClass", "客户等级", "Customer class", "enum", ["客户类别", "客户级别", "class"], { vocabulary: "class" }),
  f("market", "国内/国际", "Domestic / international", "enum", ["内外销", "区域", "市场", "market", "region"], { vocabulary: "market" }),
  f("product", "产品名称", "Product", "text", ["品名", "产品", "产品名", "产品型号", "机型", "产品规格", "product name", "product model", "item"], {
    required: true,
  }),
  f("partNo", "料号", "Part No.", "text", [
    "型号",
    "规格型号",
    "规格",
    "型号规格",
    "物料编码",
    "物料号",
    "料号/型号",
    "产品编号",
    "part number",
    "part",
    "model",
    "item no",
  ]),
  f("batch", "批号", "Batch", "text", ["生产批号", "批次", "生产日期/批号", "lot", "batch no."]),
  f("shipDate", "出货日期", "Ship date", "date", ["发货日期", "出货日", "shipped"]),
  f("quantity", "数量", "Quantity", "number", ["不良数量", "退货数量", "投诉数量", "数量(pcs)", "qty"]),
  // 顾客投诉处理程序: the complaint is registered with 「不良现象(必要时附图)-不良率」. Added in schema 2.
  f("defectRate", "不良率", "Defect rate", "number", ["不良比例", "不良率(%)", "defect rate", "defective rate"]),
  f(
    "defect",
    "不良现象",
    "Defect description",
    "longtext",
    [
      "问题描述",
      "不良描述",
      "不良内容",
      "客诉内容",
      "投诉内容",
      "异常描述",
      "异常现象",
      "故障现象",
      "质量问题",
      "客诉问题",
      "问题点",
      "defect",
      "description",
      "problem",
      "defect description",
      "complaint description",
    ],
    { required: true },
  ),
  f("complaintType", "投诉类型", "Complaint type", "enum", ["投诉类别类型", "complaint type"], { vocabulary: "complaintType" }),
  f("severity", "客诉等级", "Severity", "enum", ["严重程度", "等级", "严重等级", "severity"], { vocabulary: "severity" }),
  f("demand", "客户要求", "Customer demand", "longtext", ["客户诉求", "客户需求", "demand"]),
  f("urgent", "加急", "Urgent", "bool", ["是否加急", "紧急", "urgent"], { vocabulary: "bool" }),
  f("replacementFirst", "先补发", "Replacement first", "bool", ["是否先补发", "补发", "replacement first"], { vocabulary: "bool" }),
  f("partBackRequired", "部品是否退回", "Part must come back", "bool", ["是否退回", "异常品是否退回"], { vocabulary: "bool" }),
  f(
    "customerRequests8D",
    "客户要求报告",
    "Customer asks for report",
    "bool",
    ["要求8D", "客户要求8D", "需回复报告", "是否需8D", "是否需要8D", "需8D", "需要8D", "是否需8D报告", "是否需要8D报告", "是否8D", "needs 8D", "8D required"],
    { vocabulary: "bool" },
  ),
  f(
    "status",
    "状态",
    "Status",
    "enum",
    ["处理状态", "进度", "处理进度", "进展", "当前进度", "当前状态", "是否结案", "结案否", "是否完成", "结案情况", "status"],
    { vocabulary: "state" },
  ),
  f("owner", "负责人", "Owner", "text", ["跟进人", "处理人", "经办人", "owner", "handler", "handled by"]),
  f("formIssuedAt", "处理单开出日期", "Handling form issued at", "date", ["处理单日期", "开单日期(处理单)"]),
  f("firstResponseAt", "首次响应时间", "First response at", "datetime", ["响应日期", "首次回复日期"]),
  f("replacementPromisedAt", "承诺到货日期", "Replacement promised at", "date", ["承诺交期", "承诺到货时间"]),
  f("replacementShippedAt", "补发日期", "Replacement shipped at", "date", ["补发时间", "补货日期"]),
  f("returnReason", "退货原因初判", "Return reason (first reading)", "enum", ["退货原因初判", "退货初判"], { vocabulary: "returnReason" }),
  f("returnAuthorisedAt", "退货通知日期", "Return authorised at", "date", ["退货通知", "退货核准日期"]),
  f("goodsBackAt", "退货回厂日期", "Goods back at", "date", ["回厂日期", "退货日期", "收货日期", "到货日期"]),
  f("judgedAt", "判定日期", "Judged at", "date", ["品质判定日期", "确认日期"]),
  f("confirmed", "投诉属实", "Complaint confirmed", "bool", ["是否属实", "属实", "确认结果"], { vocabulary: "bool" }),
  f("analysedAt", "分析完成日期", "Analysis done at", "date", ["分析日期"]),
  f("rootCause", "原因分析", "Root cause", "longtext", ["原因", "不良原因", "root cause", "cause"]),
  f("returnJudgement", "销退/帮修判定", "Sales return / repair judgement", "enum", ["销退帮修", "销退/帮修"], { vocabulary: "returnJudgement" }),
  f(
    "responsibility",
    "责任判定",
    "Responsibility",
    "enum",
    [
      "责任单位",
      "责任部门",
      "责任人",
      "责任方",
      "责任归属",
      "责任",
      "责任区分",
      "责任判定结果",
      "responsibility",
      "responsible party",
      "responsible dept",
      "fault",
    ],
    { vocabulary: "responsibility" },
  ),
  f("responsibilityText", "责任原文", "Responsibility (as typed)", "text", ["责任说明"]),
  f(
    "disposition",
    "处理方式",
    "Disposition",
    "enum",
    ["处理方案", "处理结果", "处理意见", "处置方式", "处置结果", "处置", "处理措施", "disposition", "result", "action"],
    { vocabulary: "disposition" },
  ),
  f(
    "charge",
    "收费/免费",
    "Free / charged",
    "enum",
    ["免费/收费", "是否收费", "收费否", "是否免费", "免费否", "收费情况", "收费", "免费", "charge", "free/charged", "chargeable", "charged", "free of charge"],
    { vocabulary: "charge" },
  ),
  f("cost", "费用", "Cost", "money", ["金额", "费用(元)", "损失金额", "处理费用", "cost", "amount"]),
  f("supplierNotifiedAt", "通知供应商日期", "Supplier notified at", "date", ["通知供应商"]),
  f("supplier8DAt", "供应商8D回复日期", "Supplier 8D at", "date", ["供应商回复日期"]),
  f("eightDVpReview", "8D需副总裁审阅", "8D needs VP review", "bool", ["报副总裁审阅"], { vocabulary: "bool" }),
  f("sampleReturnedAt", "借样归还日期", "Loaned sample returned at", "date", ["样品归还日期", "归还日期"]),
  f("eightDStatus", "8D状态", "8D status", "enum", ["8D报告", "8D", "8d status"], { vocabulary: "eightD" }),
  f("executedAt", "执行完成日期", "Executed at", "date", ["处理完成日期", "执行日期"]),
  f("repliedAt", "回复日期", "Replied at", "date", ["回复客户日期", "答复日期", "replied"]),
  f("closedAt", "结案日期", "Closed at", "date", [
    "关闭日期",
    "结案时间",
    "结案",
    "完成日期",
    "完成时间",
    "closed",
    "close date",
    "closed date",
    "date closed",
  ]),
  f("followUpAt", "跟踪日期", "Follow-up at", "date", ["回访日期", "跟踪时间"]),
  f("satisfaction", "满意度", "Satisfaction", "enum", ["客户满意度", "satisfaction"], { vocabulary: "satisfaction" }),
  f("remarks", "备注", "Remarks", "longtext", ["说明", "remarks", "notes", "note"]),
  // The money trail (issue 23, schema 3): the dealer debit (先补发,再追究 … 在经销商帐户上扣除相应金额) and the supplier return (管理办法 7.1).
  f("dealerDebitAmount", "经销商扣款金额", "Dealer debit amount", "money", ["扣款金额", "dealer debit"]),
  f("dealerNotifiedAt", "通知经销商日期", "Dealer notified at", "date", ["扣款通知日期"]),
  f("dealerNotifiedBy", "经销商通知人", "Dealer notified by", "text", ["扣款通知人"]),
  f("dealerDebitBookedAt", "扣款入账日期", "Dealer debit booked at", "date", ["扣款入账"]),
  f("supplierName", "供应商名称", "Supplier name", "text", ["供应商名", "supplier name"]),
  f("supplierReturnedAt", "退供应商日期", "Returned to supplier at", "date", ["退回供应商日期"]),
  f("supplierBatch", "批量不良", "Batch defect (quality agreement)", "bool", ["供应商批量不良"], { vocabulary: "bool" }),
  f("supplierReturnedQty", "退供应商数量", "Quantity returned to supplier", "number", ["退回供应商数量"]),
  f("supplierReplacedQty", "供应商补货数量", "Quantity the supplier replaced", "number", ["供应商换货数量"]),
  f("supplierCreditAmount", "供应商赔偿金额", "Supplier credit amount", "money", ["供应商索赔金额"]),
  f("supplierCreditedAt", "供应商赔偿到账日期", "Supplier credited at", "date", ["索赔到账日期"]),
] as const satisfies readonly (FieldBase & { key: string })[];

/** One case field as listed, key and type as literals. */
export type CaseField = (typeof CASE_FIELDS)[number];
/** The key of a case field: "caseNo" | "kind" | … (42 of them). */
export type CaseKey = CaseField["key"];

/** A case field's definition by key. `caseField("market").zh` → "国内/国际". */
export function caseField<K extends CaseKey>(key: K): Extract<CaseField, { key: K }> {
  return CASE_FIELDS.find((x) => x.key === key) as Extract<CaseField, { key: K }>;
}

/** Whether a key names a case field (and not a signature column or a stranger's column). */
const CASE_KEYS: ReadonlySet<string> = new Set(CASE_FIELDS.map((x) => x.key));
export const isCaseKey = (key: string): key is CaseKey => CASE_KEYS.has(key);

/** Fields every case must have from the moment it is logged: the `required` flags above, nowhere else. */
export const REQUIRED_KEYS: readonly CaseKey[] = CASE_FIELDS.flatMap((x) => ("required" in x && x.required ? [x.key] : []));

/** The key of a date or date-time field: what a clock may start or stop at. */
export type DateKey = Extract<CaseField, { type: "date" | "datetime" }>["key"];
export const DATE_KEYS: readonly DateKey[] = CASE_FIELDS.flatMap((x) => (x.type === "date" || x.type === "datetime" ? [x.key] : []));

/** The signature column of a role: `signatureKey("VP")` → "sign_VP". The only place the prefix is spelled. */
export const signatureKey = (role: string): SignatureKey => `sign_${role}`;

/** Whether a column key is a role's signature column: `isSignatureKey("sign_VP")` → true. */
export const isSignatureKey = (key: string): key is SignatureKey => key.startsWith(signatureKey(""));

/** Roles that sign some approval form in this policy, in first-use order. */
export function signingRoles(policy: SchemaPolicy): string[] {
  const seen: string[] = [];
  for (const form of policy.forms) for (const slot of form.signers) for (const r of slot) if (!seen.includes(r)) seen.push(r);
  return seen;
}

/**
 * All columns for a policy: the case fields plus one protected signature column per signing role.
 * Built once per policy (readCase asks for it on every row); the same array comes back while the
 * policy's forms and roles stay as they were, and is rebuilt when they change, even in place.
 */
export function ledgerSchema(policy: SchemaPolicy): FieldDef[] {
  const hit = schemaCache.get(policy);
  if (hit && schemaFresh(hit, policy)) return hit.schema;
  const schema = buildSchema(policy);
  schemaCache.set(policy, { schema, ...schemaInputs(policy) });
  return schema;
}

/** What a cached schema was built from: every signer role in form order, and each role's names. */
interface SchemaInputs {
  forms: SchemaPolicy["forms"];
  roles: SchemaPolicy["roles"];
  signers: string[];
  roleNames: { role: Named; code: string; zh: string; en: string; synonyms: readonly string[]; n: number }[];
}
const schemaCache = new WeakMap<SchemaPolicy, SchemaInputs & { schema: FieldDef[] }>();

function schemaInputs(policy: SchemaPolicy): SchemaInputs {
  const signers: string[] = [];
  for (const form of policy.forms) for (const slot of form.signers) for (const r of slot) signers.push(r);
  const roleNames = policy.roles.map((role) => ({ role, code: role.code, zh: role.zh, en: role.en, synonyms: role.synonyms, n: role.synonyms.length }));
  return { forms: policy.forms, roles: policy.roles, signers, roleNames };
}

function schemaFresh(c: SchemaInputs, policy: SchemaPolicy): boolean {
  if (c.forms !== policy.forms || c.roles !== policy.roles || c.roleNames.length !== policy.roles.length) return false;
  let i = 0;
  for (const form of policy.forms) for (const slot of form.signers) for (const r of slot) if (c.signers[i++] !== r) return false;
  if (i !== c.signers.length) return false;
  for (let k = 0; k < c.roleNames.length; k++) {
    const was = c.roleNames[k];
    const role = policy.roles[k];
    if (
      role !== was.role ||
      role.code !== was.code ||
      role.zh !== was.zh ||
      role.en !== was.en ||
      role.synonyms !== was.synonyms ||
      role.synonyms.length !== was.n
    )
      return false;
  }
  return true;
}

function buildSchema(policy: SchemaPolicy): FieldDef[] {
  const signatures = signingRoles(policy).map((code) => {
    const role = findNamed(policy.roles, code);
    return f(
      signatureKey(code),
      `签核-${role?.zh ?? code}`,
      `Sign-off: ${role?.en ?? code}`,
      "signature",
      [`${role?.zh ?? code}签核`, `${role?.zh ?? code}签字`],
      { role: code, protected: true },
    );
  });
  return [...CASE_FIELDS, ...signatures];
}

/** A bilingual header as written to the sheet: "客诉单号 Case No.". */
export const headerOf = (field: FieldDef) => `${field.zh} ${field.en}`;

/** The allowed entries of a vocabulary under a policy. */
export function vocabularyOf(v: Vocabulary, policy: SchemaPolicy): readonly Named[] {
  switch (v) {
    case "kind":
      return KINDS;
    case "market":
      return MARKETS;
    case "charge":
      return CHARGES;
    case "eightD":
      return EIGHT_D_STATUSES;
    case "satisfaction":
      return SATISFACTION;
    case "bool":
      return BOOLS;
    case "returnReason":
      return RETURN_REASONS;
    case "complaintType":
      return COMPLAINT_TYPES;
    case "returnJudgement":
      return RETURN_JUDGEMENTS;
    case "state":
      return STATES;
    case "class":
      return policy.classes;
    case "severity":
      return policy.severities;
    case "responsibility":
      return policy.responsibilities;
    case "disposition":
      return policy.dispositions;
  }
}

/**
 * Which field a header names: the bilingual header we write, the 中文 or
 * English name, or a synonym from hand-kept ledgers. Returns undefined for
 * headers we do not know (those columns are kept as they are).
 *
 * `matchHeader("不良现象", fields)?.key` → "defect"
 */
export function matchHeader(header: unknown, fields: readonly FieldDef[]): FieldDef | undefined {
  const h = normalizeText(String(header ?? "").replace(/\*|\(必填\)|（必填）/g, ""));
  if (h === "") return undefined;
  const names = namesOf(fields);
  return names.exact.get(h) ?? names.synonyms.get(h);
}

/** A field list's names, normalised once: the first field naming a text wins, a name before any synonym (as matchHeader reads). */
interface HeaderNames {
  exact: Map<string, FieldDef>;
  synonyms: Map<string, FieldDef>;
  /** The list's length when indexed: a list grown since is indexed again. */
  length: number;
}
const headerNames = new WeakMap<readonly FieldDef[], HeaderNames>();

// Adoption asks of every cell of a 50,000-row sheet whether it is a header (another table's): normalising each field's
// names again per cell was most of the adoption's time (issue 26).
function namesOf(fields: readonly FieldDef[]): HeaderNames {
  const known = headerNames.get(fields);
  if (known && known.length === fields.length) return known;
  const names: HeaderNames = { exact: new Map(), synonyms: new Map(), length: fields.length };
  const put = (m: Map<string, FieldDef>, text: string, fd: FieldDef) => {
    const k = normalizeText(text);
    if (!m.has(k)) m.set(k, fd);
  };
  for (const fd of fields) for (const x of [headerOf(fd), fd.zh, fd.en, fd.key]) put(names.exact, x, fd);
  for (const fd of fields) for (const x of fd.synonyms) put(names.synonyms, x, fd);
  headerNames.set(fields, names);
  return names;
}
