/**
 * Generated hand-kept ledgers, the kinds adoption meets (issue 13), for the
 * adoption tests and the 50,000-row benchmark. Seeded: the same sheet every run.
 *
 * - "counter": merged title, a note row, headers 序号 / 客户名称 / 投诉日期 /
 *   产品型号 / 不良描述 / 责任部门 / 处理结果 / 是否收费 / 处理人 / 结案日期,
 *   dates as text, 序号 a row counter, 是否收费 answered 是/否/Y/N;
 * - "numbered": case numbers of its own (KS-2024-0001), 品名 and 型号 both,
 *   是否免费 (the other polarity), 责任单位 as free text, 处理意见;
 * - "erp": an English-headed export (Order No., Customer, Date, Model…).
 *
 * Every row's truth (the codes it should adopt as) comes with it, so a test
 * checks the adoption against what was meant, not against itself.
 */
import type { CellValue } from "../domain/case";
import { prng } from "../domain/random";

export type HandKeptStyle = "counter" | "numbered" | "erp";

export interface HandKeptRowTruth {
  responsibility: string;
  charge: "FREE" | "CHARGED";
  disposition?: string;
  /** ISO date, when the row was closed. */
  closedAt?: string;
  /** The row's data says the case is finished: a close date, or a result column whose text finishes it. */
  finished: boolean;
  receivedAt: string;
  product: string;
  owner: string;
}

export interface HandKeptSheet {
  name: string;
  values: CellValue[][];
  /** 0-based grid row of the header. */
  headerRow: number;
  truth: HandKeptRowTruth[];
}

const CUSTOMERS = ["华为", "中兴通讯", "小米科技", "美的集团", "格力电器", "海尔", "比亚迪", "宁德时代", "联想", "TCL"];
const MODELS = ["XH-200A", "XH-310B", "JT-80", "KM-5501", "RS-12V", "LD-900", "CT-45", "PX-7"];
const DEFECTS = ["外壳划伤", "尺寸超差", "功能不良", "包装破损", "漏装螺丝", "表面脏污", "焊点虚焊", "标签错误", "变形", "异响"];
const PEOPLE = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊"];
/** Responsibility as typed (two ways per code) and its code. */
const RESP: [string, string, string][] = [
  ["品质部", "检验员漏检", "QC"],
  ["生产部", "作业员装配不良", "PRODUCTION"],
  ["供应商", "供应商来料不良", "SUPPLIER"],
  ["客户", "客户使用不当", "DEALER"],
  ["物流", "快递运输途中压坏", "LOGISTICS"],
  ["工艺部", "图纸错误", "PROCESS"],
  ["设计部", "选型错误", "DESIGN"],
  ["无质量问题", "经检测无质量问题", "NO_FAULT"],
];
const CHARGE_OF: Record<string, "FREE" | "CHARGED"> = {
  QC: "FREE",
  PRODUCTION: "FREE",
  SUPPLIER: "FREE",
  PROCESS: "FREE",
  DESIGN: "FREE",
  DEALER: "CHARGED",
  LOGISTICS: "CHARGED",
  NO_FAULT: "CHARGED",
};
/** 处理结果 as typed, its disposition code, and whether it finishes the case. */
const RESULTS: [string, string | undefined, boolean][] = [
  ["返工", "REWORK", true],
  ["报废", "SCRAP", true],
  ["补发", "REMAKE", true],
  ["检验合格入库", "RESTOCK", true],
  ["已返修,已结案", "REWORK", true],
  ["处理中", undefined, false],
  ["待定", undefined, false],
];

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/**
 * A hand-kept sheet of `rows` cases in one of the styles above.
 * `handKeptSheet("counter", 400)` → the 400-row sheet of issue 13.
 */
export function handKeptSheet(style: HandKeptStyle, rows: number, seed = 20261129): HandKeptSheet {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const truth: HandKeptRowTruth[] = [];
  const body: CellValue[][] = [];
  for (let i = 0; i < rows; i++) {
    const year = 2023 + Math.floor((i / rows) * 3);
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 27);
    const [short, long, code] = pick(RESP);
    const charge = CHARGE_OF[code];
    // Recent rows are more often open; two in three of the older ones are closed.
    const closed = rand() < (year < 2025 ? 0.8 : 0.4);
    const result = closed ? pick(RESULTS.filter((r) => r[2])) : pick(RESULTS);
    const closeDay = Math.min(28, day + 1 + Math.floor(rand() * 10));
    const closedAt = closed ? iso(year, month, closeDay) : undefined;
    const product = pick(MODELS);
    const owner = pick(PEOPLE);
    const received = iso(year, month, day);
    // 处理结果 (a result) finishes a case when it names what was done; 处理意见 (an opinion) only with 已结案; an ERP code never.
    const finished = closed || (style === "counter" ? result[2] : style === "numbered" ? result[0].includes("结案") : false);
    const productName = style === "numbered" ? "电源适配器" : product;
    truth.push({ responsibility: code, charge, disposition: result[1], closedAt, finished, receivedAt: received, product: productName, owner });
    const dateText = [`${year}/${month}/${day}`, received, `${year}.${month}.${day}`, `${year}年${month}月${day}日`][i % 4];
    const customer = pick(CUSTOMERS);
    const defect = pick(DEFECTS);
    if (style === "counter") {
      const yesNo = charge === "CHARGED" ? pick(["是", "Y", "是"]) : pick(["否", "N", "否"]);
      body.push([
        i + 1,
        customer,
        dateText,
        product,
        defect,
        i % 3 === 0 ? long : short,
        result[0],
        yesNo,
        owner,
        closedAt ? closedAt.replace(/-/g, "/") : null,
      ]);
    } else if (style === "numbered") {
      const free = charge === "FREE" ? pick(["是", "√"]) : pick(["否", "×"]);
      body.push([
        `KS-${year}-${String(i + 1).padStart(4, "0")}`,
        dateText,
        customer,
        "电源适配器",
        product,
        defect,
        long,
        result[0],
        free,
        owner,
        closedAt ?? null,
      ]);
    } else {
      body.push([
        `SO${100000 + i}`,
        customer,
        received,
        product,
        defect,
        code === "DEALER" ? "Customer misuse" : long,
        result[1] ?? "In progress",
        charge === "CHARGED" ? "Yes" : "No",
        owner,
        closedAt ?? null,
      ]);
    }
  }
  if (style === "counter") {
    return {
      name: "客诉台账",
      headerRow: 2,
      truth,
      values: [
        ["客户投诉处理记录表", null, null, null, null, null, null, null, null, null],
        ["说明:本表由品质部维护,日期按投诉日期填写", null, null, null, null, null, null, null, null, null],
        ["序号", "客户名称", "投诉日期", "产品型号", "不良描述", "责任部门", "处理结果", "是否收费", "处理人", "结案日期"],
        ...body,
      ],
    };
  }
  if (style === "numbered") {
    return {
      name: "客退客诉记录表",
      headerRow: 1,
      truth,
      values: [
        ["客退客诉记录表(2023–2025)", null, null, null, null, null, null, null, null, null, null],
        ["编号", "反馈日期", "客户", "品名", "规格", "问题描述", "责任单位", "处理意见", "是否免费", "跟进人", "完成日期"],
        ...body,
      ],
    };
  }
  return {
    name: "Export",
    headerRow: 0,
    truth,
    values: [
      [
        "Complaint No.",
        "Customer",
        "Complaint Date",
        "Product Model",
        "Defect Description",
        "Responsible Party",
        "Disposition",
        "Chargeable",
        "Handler",
        "Close Date",
      ],
      ...body,
    ],
  };
}

/** What one row of the 2025 ledger (issue 28) should adopt as. */
export interface LedgerRowTruth {
  /** The sheet's own number, as typed; undefined: the row has none. */
  caseNo?: string;
  /** The row's number repeats an earlier one (up to separators and case). */
  duplicateOf?: string;
  kind: "COMPLAINT" | "RETURN";
  /** ISO date; undefined when the date fits no year of its row (kept as typed, listed). */
  receivedAt?: string;
  shipDate: string;
  closedAt?: string;
  /** 处理进度 as typed. */
  progress: string;
  needs8D: boolean;
  responsibility: string;
  charge: "FREE" | "CHARGED";
  disposition: string;
}

export interface LedgerSheet2025 {
  name: string;
  values: CellValue[][];
  headerRow: number;
  truth: LedgerRowTruth[];
}

/** 处理方式 as typed, its code, and whether it needs the goods back (so the row is a return). */
const WAYS_2025: [string, string, boolean][] = [
  ["返工", "REWORK", true],
  ["报废处理", "SCRAP", true],
  ["补发", "REMAKE", false],
  ["退款", "REFUND", false],
  ["让步接受", "CONCESSION", false],
];

/**
 * A 2025 ledger kept by hand the common way (issue 28): merged title, a note row, 序号 (a row counter) and
 * 客诉单号 (KS2025-0001, its own format) side by side, no 类别 column, a progress column (处理中 / 待品质确认 /
 * 待回复 / 已结案), 是否需8D, dates typed six ways, dates without a year near the year's edge (January
 * receipts of December shipments, late-December receipts closed in January), one number repeated with
 * other separators, rows without a number, and one row whose yearless date fits no year.
 * `ledgerSheet2025(320)` → the sheet of the issue.
 */
export function ledgerSheet2025(rows = 320, seed = 20250101): LedgerSheet2025 {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const truth: LedgerRowTruth[] = [];
  const body: CellValue[][] = [];
  const missingEvery = Math.max(2, Math.floor(rows / 24));
  let seq = 0;
  for (let i = 0; i < rows; i++) {
    // Spread over the year, the edges on purpose: the first rows in January, the last in late December.
    const month = i < rows * 0.08 ? 1 : i >= rows * 0.94 ? 12 : 2 + Math.floor(((i - rows * 0.08) / (rows * 0.86)) * 10);
    const day = month === 12 && i >= rows * 0.94 ? 24 + Math.floor(rand() * 6) : 1 + Math.floor(rand() * 20);
    const received = iso(2025, month, day);
    // Shipped one to four weeks before: a January receipt's goods left in December of the year before.
    const shipSerialDays = 7 + Math.floor(rand() * 21);
    const shipDate = new Date(Date.UTC(2025, month - 1, day - shipSerialDays));
    const ship = iso(shipDate.getUTCFullYear(), shipDate.getUTCMonth() + 1, shipDate.getUTCDate());
    const [, long, code] = pick(RESP.filter((r) => r[2] !== "NO_FAULT"));
    const charge = CHARGE_OF[code];
    const [wayText, way, needsGoods] = pick(WAYS_2025);
    const impossible = i === Math.floor(rows / 2);
    const closed = impossible || (month < 12 ? rand() < 0.7 : i % 2 === 0);
    const closeDate = closed ? new Date(Date.UTC(2025, month - 1, day + 3 + Math.floor(rand() * 10))) : undefined;
    const closedAt = closeDate && iso(closeDate.getUTCFullYear(), closeDate.getUTCMonth() + 1, closeDate.getUTCDate());
    const progress = closed ? "已结案" : pick(["处理中", "待品质确认", "待回复"]);
    const needs8D = rand() < 0.2;
    const missing = i % missingEvery === missingEvery - 1 && truth.filter((t) => !t.caseNo).length < 24;
    const caseNo = missing ? undefined : `KS2025-${String(++seq).padStart(4, "0")}`;
    const t: LedgerRowTruth = {
      caseNo,
      kind: needsGoods ? "RETURN" : "COMPLAINT",
      receivedAt: received,
      shipDate: ship,
      closedAt,
      progress,
      needs8D,
      responsibility: code,
      charge,
      disposition: way,
    };
    // Six ways to type a date; near the year's edge, without the year.
    const [y, m, d] = [2025, month, day];
    const edge = month === 1 || month === 12;
    const receivedText: CellValue = edge ? `${m}月${d}日` : [`${y}/${m}/${d}`, received, `${y}.${m}.${d}`, `${y}年${m}月${d}日`, `${m}月${d}日`][i % 5];
    let closeText: CellValue = closeDate ?? null;
    if (closeDate && closeDate.getUTCFullYear() > 2025) closeText = `${closeDate.getUTCMonth() + 1}月${closeDate.getUTCDate()}日`;
    let shipCell: CellValue = ship;
    if (impossible) {
      // Shipped after it was closed and received in its year, before it in the next: no year keeps this row in order.
      shipCell = iso(2025, 12, 30);
      t.shipDate = shipCell;
      t.receivedAt = undefined;
    }
    truth.push(t);
    body.push([
      i + 1,
      caseNo ?? null,
      typeof receivedText === "string" && t.receivedAt === undefined ? `${m}月${d}日` : receivedText,
      pick(CUSTOMERS),
      pick(["A", "B", "C"]),
      pick(MODELS),
      shipCell,
      pick(DEFECTS),
      1 + Math.floor(rand() * 50),
      long,
      wayText,
      charge === "FREE" ? "免费" : "收费",
      needs8D ? "是" : "否",
      progress,
      closeText,
      rand() < 0.2 ? "客户催促" : null,
    ]);
  }
  // One number typed twice, the second time with other separators and case.
  const dupAt = Math.floor(rows / 3);
  const firstNo = truth.find((t, k) => k < dupAt && t.caseNo)?.caseNo;
  if (firstNo && truth[dupAt].caseNo) {
    const typed = firstNo.replace("KS2025-", "ks-2025-");
    body[dupAt][1] = typed;
    truth[dupAt].caseNo = typed;
    truth[dupAt].duplicateOf = firstNo;
  }
  return {
    name: "2025客诉台账",
    headerRow: 2,
    truth,
    values: [
      ["2025年客诉台账", ...Array<CellValue>(15).fill(null)],
      ["注:本表由品质部每周更新,结案后填结案日期", ...Array<CellValue>(15).fill(null)],
      [
        "序号",
        "客诉单号",
        "客诉日期",
        "客户名称",
        "客户等级",
        "产品型号",
        "出货日期",
        "不良描述",
        "不良数量",
        "责任部门",
        "处理方式",
        "收费/免费",
        "是否需8D",
        "处理进度",
        "结案日期",
        "备注",
      ],
      ...body,
    ],
  };
}
