/**
 * The source procedures (../shared/seeds), rule by rule: each test is named by its rule id in
 * docs/traceability.md and quotes the procedure. Dates are fixed: 2026-03-02 is a Monday.
 */
import type { Case, Signature } from "../../src/domain/case";
import { readValue } from "../../src/domain/case";
import { fineTally, pastRetention, returnJudgementConflicts, suggestSeverity } from "../../src/domain/classify";
import { ymdToSerial } from "../../src/domain/dates";
import { approvalsForDisposition, dispositionConflict, matchDisposition, missingAmong, needs8D, replyForms, requiredForms } from "../../src/domain/disposition";
import { canMove, closeChecklist, missingFor } from "../../src/domain/lifecycle";
import { defaultPolicy, findNamed, type Policy } from "../../src/domain/policy/policy";
import { chargeConflict, chargeFor, matchResponsibility, responsibilityOf } from "../../src/domain/responsibility";
import { KINDS, ledgerSchema, REQUIRED_KEYS } from "../../src/domain/schema";
import { addMonths, calendarFor, caseClocks, clockApplies, clockOf, dueDate } from "../../src/domain/sla";
import { validateCase } from "../../src/domain/validate";
import { checkEdit } from "../../src/ledger/edit-check";
import { chooseDocument, stepRefusals } from "../../src/ledger/step-rules";
import { buildEightD, confidentialityCheck } from "../../src/reports/eightd";
import { caseAt, recordOf } from "../ledger/cases";

const p: Policy = defaultPolicy();
const cal = calendarFor(p);
const D = (m: number, d: number) => ymdToSerial(2026, m, d);
const MON = D(3, 2);
const FRI = D(3, 6);
const due = (code: string, start: number, sel: { customerClass?: string; severity?: string; urgent?: boolean } = {}) =>
  dueDate(start, clockOf(code, p)!, sel, p, cal);
const base = (o: Partial<Case> = {}): Case => ({
  caseNo: "KS-2026-0001",
  kind: "COMPLAINT",
  receivedAt: MON + 9 / 24,
  customer: "华为",
  product: "灯具",
  defect: "外观划伤",
  market: "DOMESTIC",
  customerClass: "B",
  severity: "MINOR",
  ...o,
  signatures: { ...(o.signatures ?? {}) },
});
const clock = (c: Case, code: string, today = MON) => caseClocks(c, p, cal, today).find((x) => x.clock.code === code);
const sig = (name: string, forms?: string[]): Signature => ({ name, at: MON + 0.5, ...(forms ? { forms } : {}) });
const forms = (c: Case) => requiredForms(c, p).map((f) => f.code);
const slots = (code: string) => approvalsForDisposition(code, p)!.slots;
const PEOPLE = [
  { name: "马超", roles: ["WAREHOUSE"] },
  { name: "黄磊", roles: ["CQE"] },
  { name: "何敏", roles: ["CS"] },
  { name: "徐静", roles: ["SALES"] },
];
const refusedFor = (fields: string[], roles: string[]) => stepRefusals(fields, "某人", roles, PEOPLE, p).map((r) => r.code);
const field = (key: string) => ledgerSchema(p).find((f) => f.key === key)!;
const read = (key: string, raw: string) => readValue(field(key), raw, p).value;
const eightD = (c: Case, policy: Policy = p) => confidentialityCheck(buildEightD(c, policy, "zh"), policy);

describe("客退品处理流程 (生管部, 红白联; P1)", () => {
  test("P1-01 所有的客退品都由生管部接收: the warehouse or planning records goods back, customer service cannot", () => {
    expect(refusedFor(["goodsBackAt"], ["PLANNING_MANAGER"])).toEqual([]);
    expect(refusedFor(["goodsBackAt"], ["WAREHOUSE"])).toEqual([]);
    expect(refusedFor(["goodsBackAt"], ["CS"])).toEqual(["NOT_YOUR_ROLE"]);
  });

  test("P1-02 《客诉产品处理单》注明产品名称,客诉不良原因: product and defect are required when a case is logged", () => {
    expect(REQUIRED_KEYS).toEqual(expect.arrayContaining(["caseNo", "product", "defect", "customer", "receivedAt"]));
    const fields = missingFor("RECEIVED", base({ product: undefined, defect: undefined }), p).map((r) => r.field);
    expect(fields).toEqual(expect.arrayContaining(["product", "defect"]));
  });

  test("P1-03 品质部确认客退不良原因,并进行原因分析: the reply review and the 8D cannot be signed without the root cause", () => {
    const c = base({ severity: "SERIOUS" });
    const r = chooseDocument(c, "QUALITY_MANAGER", "REPLY_REVIEW", p);
    expect(r.ok ? "" : r.reasons[0].code).toBe("CONTENT_MISSING");
    expect(chooseDocument({ ...c, rootCause: "焊点虚焊" }, "QUALITY_MANAGER", "REPLY_REVIEW", p).ok).toBe(true);
  });

  test("P1-04 客退品责任判定 by quality: the CQE records the responsibility, sales cannot", () => {
    expect(refusedFor(["responsibility", "charge"], ["CQE"])).toEqual([]);
    expect(refusedFor(["responsibility"], ["SALES"])).toEqual(["NOT_YOUR_ROLE"]);
  });

  test("P1-05 最终确认是销退品还是帮修品: the judgement reads 销退品 / 帮修品 / 只退不补品", () => {
    expect(read("returnJudgement", "帮修品")).toBe("REPAIR_FOR_CUSTOMER");
    expect(read("returnJudgement", "销退")).toBe("SALES_RETURN");
    expect(read("returnJudgement", "只退不补")).toBe("RETURN_NO_REPLACEMENT");
    expect(readValue(field("returnJudgement"), "报废品", p).problem).toBeDefined();
  });

  test("P1-06 达到客诉等级严重级别或客户要求回复改善报告时,需填写客诉8D报告", () => {
    expect(needs8D("SERIOUS", false, p)).toBe(true);
    expect(needs8D("MINOR", true, p)).toBe(true);
    expect(needs8D("MINOR", false, p)).toBe(false);
    expect(forms(base({ severity: "SERIOUS" }))).toContain("EXTERNAL_8D");
  });

  test("P1-07 如客退品无法进行返修时…由业务下单重做: a remake needs the production order and the material requisition", () => {
    expect(approvalsForDisposition("REMAKE", p)!.forms.map((f) => f.code)).toEqual(["REMAKE_ORDER", "MATERIAL_REQUISITION"]);
  });

  test("P1-08 只退不补品…入呆滞品仓并登记: 只退不补 reads as slow stock, restocked by request", () => {
    const m = matchDisposition("只退不补", p);
    expect(m.ok && m.code).toBe("SLOW_STOCK");
    expect(approvalsForDisposition("SLOW_STOCK", p)!.forms.map((f) => f.code)).toEqual(["RESTOCK_REQUEST"]);
  });

  test("P1-09 附件1 轻微: 外观不良 suggests a minor complaint, with the reason", () => {
    const s = suggestSeverity("外观划伤", undefined, p);
    expect(s?.severity).toBe("MINOR");
    expect(s?.reason.zh).toMatch(/外观/);
  });

  test("P1-10 附件1 严重: 三个及以上的模具刻字错误; two are not serious", () => {
    expect(suggestSeverity("3个模具刻字错误", undefined, p)?.severity).toBe("SERIOUS");
    expect(suggestSeverity("三处模具刻字错误", undefined, p)?.severity).toBe("SERIOUS");
    expect(suggestSeverity("2个模具刻字错误", undefined, p)?.severity).toBe("MINOR");
    // No count written: the case's quantity counts.
    expect(suggestSeverity("模具刻字错误", 5, p)?.severity).toBe("SERIOUS");
  });

  test("P1-11 附件1 严重: 混料, 开裂", () => {
    expect(suggestSeverity("混料", undefined, p)?.severity).toBe("SERIOUS");
    expect(suggestSeverity("外壳开裂", undefined, p)?.severity).toBe("SERIOUS");
  });

  test("P1-12 附件1: 两个及以下的模具尺寸超差 minor, 三个及以上 serious", () => {
    expect(suggestSeverity("2处模具尺寸超差", undefined, p)?.severity).toBe("MINOR");
    expect(suggestSeverity("三个模具尺寸超差", undefined, p)?.severity).toBe("SERIOUS");
  });

  test("P1-13 帮修品…由业务和客户进行沟通返修及付费事宜: goods repaired for the customer cannot be free", () => {
    expect(returnJudgementConflicts(base({ returnJudgement: "REPAIR_FOR_CUSTOMER", charge: "FREE" }))).toHaveLength(1);
    expect(returnJudgementConflicts(base({ returnJudgement: "REPAIR_FOR_CUSTOMER", charge: "CHARGED" }))).toEqual([]);
    const v = validateCase(base({ returnJudgement: "REPAIR_FOR_CUSTOMER", charge: "FREE", responsibility: "QC" }), p).map((x) => x.code);
    expect(v).toContain("RETURN_JUDGEMENT_CONFLICT");
  });

  test("P1-14 只退不补品: no replacement follows (no 先补发, no remake)", () => {
    expect(returnJudgementConflicts(base({ returnJudgement: "RETURN_NO_REPLACEMENT", replacementFirst: true }))).toHaveLength(1);
    expect(returnJudgementConflicts(base({ returnJudgement: "RETURN_NO_REPLACEMENT", disposition: "REMAKE" }))).toHaveLength(1);
    expect(returnJudgementConflicts(base({ returnJudgement: "RETURN_NO_REPLACEMENT", disposition: "SLOW_STOCK" }))).toEqual([]);
  });

  test("P1-15 正常能返修的客退品…交生产进行返修: a rework needs the goods back and the work order", () => {
    expect(approvalsForDisposition("REWORK", p)!.forms.map((f) => f.code)).toEqual(["REWORK_ORDER"]);
    expect(dispositionConflict(base({ kind: "COMPLAINT" }), "REWORK", p)?.en).toMatch(/needs the goods back/);
    expect(dispositionConflict(base({ kind: "RETURN" }), "REWORK", p)).toBeUndefined();
  });
});

describe("客服部投诉(退换货)处理流程建议 (P2)", () => {
  test("P2-01 先补发…经客服经理确认后: a replacement first needs the customer-service manager's confirmation", () => {
    const f = requiredForms(base({ replacementFirst: true }), p).find((x) => x.code === "REPLACEMENT_FIRST");
    expect(f?.signers).toEqual([["CS_MANAGER"]]);
  });

  test("P2-02 先补发 ship date refused before the customer-service manager confirms", () => {
    const before = recordOf(caseAt("RECEIVED", p, { kind: "COMPLAINT", replacementFirst: true }), p);
    const r = checkEdit(before, { ...before, replacementShippedAt: MON + 1 }, p);
    expect(r.ok ? [] : r.reasons.map((x) => x.code)).toContain("REPLACEMENT_UNCONFIRMED");
    const signed = recordOf(caseAt("RECEIVED", p, { kind: "COMPLAINT", replacementFirst: true, signatures: { CS_MANAGER: sig("吴芳") } }), p);
    expect(checkEdit(signed, { ...signed, replacementShippedAt: MON + 1 }, p).ok).toBe(true);
  });

  test("P2-03 A类客户:1天,即当天承诺到货时间", () => {
    expect(due("REPLACEMENT_PROMISE", MON + 0.4, { customerClass: "A" })).toBe(MON);
  });

  test("P2-04 B类客户:2天,即2天内承诺到货时间", () => {
    expect(due("REPLACEMENT_PROMISE", MON + 0.4, { customerClass: "B" })).toBe(MON + 1);
  });

  test("P2-05 C类客户:3天,即3天内承诺到货时间 (calendar days: a Friday's promise is due on Sunday)", () => {
    expect(due("REPLACEMENT_PROMISE", FRI + 0.4, { customerClass: "C" })).toBe(FRI + 2);
  });

  test("P2-06 若损坏责任为经销商…在经销商帐户上扣除相应金额: the dealer is charged", () => {
    expect(chargeFor("DEALER", p)).toBe("CHARGED");
    expect(chargeConflict("FREE", "DEALER", p)).toBeDefined();
  });

  test("P2-07 再提回损坏产品: the part-back clock runs for a domestic replacement first", () => {
    const c = base({ replacementFirst: true, replacementShippedAt: MON + 1 });
    expect(clock(c, "PART_BACK")?.start).toBe(MON + 1);
  });

  test("P2-08 承诺处理时间及发货时间: a 先补发 case cannot close without first response, promise, shipment and part back", () => {
    const c = caseAt("REPLIED", p, { kind: "COMPLAINT", replacementFirst: true, goodsBackAt: undefined });
    const fields = closeChecklist(c, p).map((x) => x.field);
    expect(fields).toEqual(expect.arrayContaining(["firstResponseAt", "replacementPromisedAt", "replacementShippedAt", "goodsBackAt"]));
    const done = { ...c, firstResponseAt: MON + 0.5, replacementPromisedAt: MON + 1, replacementShippedAt: MON + 1, goodsBackAt: MON + 5 };
    expect(closeChecklist(done, p).map((x) => x.field)).not.toContain("replacementShippedAt");
  });

  test("P2-09 无故退货…知会经销商,并在其帐上扣除: no fault found is charged to the customer", () => {
    const m = matchResponsibility("客户误判,无质量问题", p);
    expect(m.ok && m.code).toBe("NO_FAULT");
    expect(chargeFor("NO_FAULT", p)).toBe("CHARGED");
  });
});

describe("客人退款处理流程 (P3)", () => {
  test("P3-01 退款: a refund is a disposition that needs no goods back", () => {
    expect(dispositionConflict(base({ kind: "COMPLAINT" }), "REFUND", p)).toBeUndefined();
    const m = matchDisposition("已退款", p);
    expect(m.ok && m.code).toBe("REFUND");
  });
});

describe("客诉退货处理程序 (P4)", () => {
  test("P4-01 由客服填写《退货表》…提货回厂: customer service or sales record the return authorisation, the warehouse cannot", () => {
    expect(refusedFor(["returnAuthorisedAt"], ["CS"])).toEqual([]);
    expect(refusedFor(["returnAuthorisedAt", "returnReason"], ["SALES"])).toEqual([]);
    expect(refusedFor(["returnAuthorisedAt"], ["WAREHOUSE"])).toEqual(["NOT_YOUR_ROLE"]);
  });

  test("P4-02 退货产品回厂后由储运部填退货回厂日期: the CQE cannot record goods back", () => {
    expect(refusedFor(["goodsBackAt"], ["CQE"])).toEqual(["NOT_YOUR_ROLE"]);
  });

  test("P4-03 交品质部进行质量判定 (2天内完成): two calendar days, a weekend counts", () => {
    expect(due("JUDGEMENT", FRI)).toBe(FRI + 2);
    expect(clockOf("JUDGEMENT", p)!.unit).toBe("DAY");
  });

  test("P4-04 退货产品回厂后…质量判定: the judgement clock starts when the goods are back", () => {
    const c = base({ kind: "RETURN", goodsBackAt: D(3, 4) });
    expect(clock(c, "JUDGEMENT")).toMatchObject({ start: D(3, 4), due: D(3, 6) });
  });

  test("P4-05 交品质部进行质量判定: the warehouse cannot record the judgement", () => {
    expect(refusedFor(["judgedAt", "confirmed"], ["WAREHOUSE"])).toEqual(["NOT_YOUR_ROLE"]);
    expect(refusedFor(["judgedAt"], ["QUALITY_MANAGER"])).toEqual([]);
  });

  test("P4-06 经销商原因: 储存、搬运、装卸与安装不当 read as the dealer's", () => {
    for (const t of ["安装不当造成破裂", "客户使用不当", "存放不当受潮"]) {
      const m = matchResponsibility(t, p);
      expect(m.ok && m.code).toBe("DEALER");
    }
  });

  test("P4-07 此费用由经销商或消费者承担: the dealer's payer", () => {
    expect(responsibilityOf("DEALER", p)!.payer).toMatch(/经销商或消费者/);
  });

  test("P4-08 质量原因: 质检员错检、漏检 read as quality control, free", () => {
    const m = matchResponsibility("质检员漏检", p);
    expect(m.ok && m.code).toBe("QC");
    expect(chargeFor("QC", p)).toBe("FREE");
  });

  test("P4-09 工艺原因: 图纸工艺分解或变更错误 read as process, free", () => {
    const m = matchResponsibility("图纸变更错误", p);
    expect(m.ok && m.code).toBe("PROCESS");
    expect(chargeFor("PROCESS", p)).toBe("FREE");
  });

  test("P4-10 原材料质量问题…采购合约中增加…费用承担: the supplier pays per the purchase contract", () => {
    const m = matchResponsibility("原材料不良", p);
    expect(m.ok && m.code).toBe("SUPPLIER");
    expect(responsibilityOf("SUPPLIER", p)!.payer).toMatch(/采购合同/);
  });

  test("P4-11 属于我司内部责任的…注明免费: internal causes are free, charging them is a conflict", () => {
    for (const code of ["QC", "PROCESS", "PRODUCTION", "DESIGN"]) expect(chargeFor(code, p)).toBe("FREE");
    expect(chargeConflict("CHARGED", "PRODUCTION", p)).toBeDefined();
  });

  test("P4-12 不属我司责任的…注明收费: the customer's causes may not be free", () => {
    const v = validateCase(base({ responsibility: "DEALER", charge: "FREE" }), p).map((x) => x.code);
    expect(v).toContain("CHARGE_CONFLICT");
  });

  test("P4-13 不能维修的退货产品…总经办批准…变卖或报废: scrap and sell-off need the QM and the VP or GM", () => {
    expect(slots("SCRAP")).toEqual([["QUALITY_MANAGER"], ["VP", "GM"]]);
    expect(slots("SELL_OFF")).toEqual([["QUALITY_MANAGER"], ["VP", "GM"]]);
  });

  test("P4-14 批准后报废: execution is refused before the approvals are signed", () => {
    const before = recordOf(caseAt("DISPOSITION", p, { disposition: "SCRAP" }), p);
    const r = checkEdit(before, { ...before, executedAt: D(3, 9) }, p);
    expect(r.ok ? [] : r.reasons.map((x) => x.code)).toContain("EXECUTION_UNAPPROVED");
  });

  test("P4-15 由品质部备份存档: closed cases past the retention period on the Policy sheet are listed", () => {
    expect(p.settings.retentionYears).toBeGreaterThan(0);
    const closed = base({ closedAt: D(3, 2) });
    expect(pastRetention(closed, p, D(3, 2) + 365 * 4)).toBe(true);
    expect(pastRetention(closed, p, D(3, 2) + 365)).toBe(false);
    expect(pastRetention(base(), p, D(3, 2) + 365 * 4)).toBe(false);
  });

  test("P4-16 未按此流程操作者,责任人乐捐20元每次: refused edits tallied per person per month", () => {
    const lines = fineTally(
      [
        { user: "李四", action: "EDIT_REVERTED", time: "2026-03-05 10:00:00" },
        { user: "李四", action: "STEP_REFUSED", time: "2026-03-20 10:00:00" },
        { user: "李四", action: "EDIT_REVERTED", time: "2026-04-01 10:00:00" },
        { user: "张三", action: "SIGNED", time: "2026-03-05 10:00:00" },
      ],
      p,
    );
    expect(lines).toEqual([
      { user: "李四", month: "2026-03", count: 2, amount: 40 },
      { user: "李四", month: "2026-04", count: 1, amount: 20 },
    ]);
  });

  test("P4-17 相关单据…将一联交财务部进行统计: a free or charged case needs its cost before closing", () => {
    const c = caseAt("REPLIED", p);
    expect(closeChecklist({ ...c, cost: undefined }, p).map((x) => x.field)).toContain("cost");
  });
});

describe("客退品处理流程 (表格; P5)", () => {
  test("P5-01 外观类处理周期为1周", () => {
    expect(due("CLOSE", MON, { severity: "MINOR" })).toBe(MON + 7);
  });

  test("P5-02 功能类处理周期为2~4周: a range, target 2 weeks shown, overdue past 4", () => {
    const c = base({ kind: "RETURN", severity: "SERIOUS", goodsBackAt: MON });
    const s = clock(c, "CLOSE", MON + 20)!;
    expect([s.target, s.due]).toEqual([MON + 14, MON + 28]);
    expect(s.status).not.toBe("OVERDUE");
    expect(clock(c, "CLOSE", MON + 29)!.status).toBe("OVERDUE");
  });

  test("P5-03 汇总…检讨并结案: a case closes only when every step is complete", () => {
    expect(closeChecklist(caseAt("EXECUTED", p), p).map((x) => x.field)).toContain("repliedAt");
    expect(closeChecklist(caseAt("REPLIED", p, { cost: 100 }), p)).toEqual([]);
  });
});

describe("客诉和客退品处理控制程序 (P7)", () => {
  test("P7-01 若投诉内容不属实,品管部将核实结果通知业务员: the not-our-fault notice clock runs", () => {
    const c = base({ confirmed: false, judgedAt: MON });
    expect(clockApplies(clockOf("NOT_OUR_FAULT_NOTICE", p)!, c, p)).toBe(true);
    expect(clockApplies(clockOf("NOT_OUR_FAULT_NOTICE", p)!, base({ confirmed: true, responsibility: "QC" }), p)).toBe(false);
  });

  test("P7-02 若投诉内容不属实: responsibility may not then be put on us", () => {
    expect(validateCase(base({ confirmed: false, responsibility: "PRODUCTION" }), p).map((x) => x.code)).toContain("UNCONFIRMED_INTERNAL");
  });
});

describe("客诉及客退品处理流程 (P8)", () => {
  test("P8-01 不良现象(必要时附图)-不良率: the defect and quantity are fields, the defect required", () => {
    expect(REQUIRED_KEYS).toContain("defect");
    expect(read("quantity", "12")).toBe(12);
  });

  test("P8-02 1H / 24H / 2H: a clock unit of clock hours exists on the Policy sheet", () => {
    const hourClock = { ...clockOf("LOG", p)!, unit: "HOUR" as const };
    const policy = { ...p, clocks: [hourClock], limits: [{ clock: "LOG", limit: 24 }] };
    expect(dueDate(FRI + 10 / 24, hourClock, {}, policy, cal)).toBeCloseTo(FRI + 1 + 10 / 24, 9);
  });
});

describe("顾客投诉(退货)处理程序 (P10)", () => {
  test("P10-01 确定投诉类型: 交期、数量、质量缺陷、工程技术", () => {
    expect(["交期", "数量", "质量缺陷", "工程技术"].map((x) => read("complaintType", x))).toEqual(["DELIVERY", "QUANTITY", "QUALITY", "ENGINEERING"]);
  });

  test("P10-02 在一个工作时间内记录在案: logging is due one working hour after receipt", () => {
    expect(due("LOG", MON + 9 / 24)).toBeCloseTo(MON + 10 / 24, 9);
  });

  test("P10-03 若非本公司造成的…于一个工作日内反馈客户", () => {
    expect(due("NOT_OUR_FAULT_NOTICE", FRI)).toBe(D(3, 9));
  });

  test("P10-04 本公司之责任,不需退货的…两个工作日回复客户: only for our fault without a return", () => {
    expect(due("CORRECTIVE_ACTION", FRI)).toBe(D(3, 10));
    const def = clockOf("CORRECTIVE_ACTION", p)!;
    expect(clockApplies(def, base({ responsibility: "PRODUCTION" }), p)).toBe(true);
    expect(clockApplies(def, base({ responsibility: "PRODUCTION", kind: "RETURN" }), p)).toBe(false);
  });

  test("P10-05 须退货的…退货原因: the return's first reading is recorded", () => {
    expect(read("returnReason", "客户原因不可返修")).toBe("CUSTOMER_NOT_REPAIRABLE");
    expect(read("returnReason", "无质量问题")).toBe("NO_FAULT");
  });

  test("P10-06 返修后作特殊放行: a concession is a disposition", () => {
    const m = matchDisposition("特殊放行", p);
    expect(m.ok && m.code).toBe("CONCESSION");
  });
});

describe("客退品处理流程 (退仓单; P12)", () => {
  test("P12-01 客户原因不可返修…不可以退货,总经理同意除外: the GM's return authorisation gates goods back", () => {
    const c = base({ kind: "RETURN", returnReason: "CUSTOMER_NOT_REPAIRABLE", returnAuthorisedAt: MON });
    expect(forms(c)).toContain("ACCEPT_CUSTOMER_FAULT");
    const before = recordOf(c, p);
    const r = checkEdit(before, { ...before, goodsBackAt: D(3, 3) }, p);
    expect(r.ok ? [] : r.reasons.map((x) => x.code)).toContain("RETURN_NOT_AUTHORISED");
    const signed = recordOf({ ...c, signatures: { GM: sig("刘洋", ["ACCEPT_CUSTOMER_FAULT"]) } }, p);
    expect(checkEdit(signed, { ...signed, goodsBackAt: D(3, 3) }, p).ok).toBe(true);
  });

  test("P12-02 产品无质量问题不可以退货,总经理同意除外", () => {
    expect(forms(base({ kind: "RETURN", returnReason: "NO_FAULT" }))).toContain("ACCEPT_CUSTOMER_FAULT");
  });

  test("P12-03 客户原因…可返修的可以帮忙返修: no GM; nor after the fact for a customer-fault judgement", () => {
    expect(forms(base({ kind: "RETURN", returnReason: "CUSTOMER_REPAIRABLE" }))).not.toContain("ACCEPT_CUSTOMER_FAULT");
    expect(forms(base({ kind: "RETURN", responsibility: "DEALER", goodsBackAt: MON }))).not.toContain("ACCEPT_CUSTOMER_FAULT");
  });

  test("P12-04 在没有接到退货通知的情况下不可以拿退货", () => {
    const before = recordOf(base({ kind: "RETURN", returnReason: "OUR_DEFECT" }), p);
    const r = checkEdit(before, { ...before, goodsBackAt: D(3, 3) }, p);
    expect(r.ok ? [] : r.reasons.map((x) => x.code)).toEqual(["RETURN_NOT_AUTHORISED"]);
    expect(checkEdit(before, { ...before, returnAuthorisedAt: MON, goodsBackAt: D(3, 3) }, p).ok).toBe(true);
  });

  test("P12-05 不良的根本原因分析: the 8D cannot be signed without its root cause", () => {
    const r = chooseDocument(base({ severity: "SERIOUS" }), "DEPT_HEAD", "EXTERNAL_8D", p);
    expect(r.ok ? "" : r.reasons[0].zh).toMatch(/原因分析/);
  });

  test("P12-06 物料请购单: a remake requisitions its material (QM, planning)", () => {
    expect(requiredForms(base({ disposition: "REMAKE" }), p).find((f) => f.code === "MATERIAL_REQUISITION")?.signers).toEqual([
      ["QUALITY_MANAGER"],
      ["PLANNING_MANAGER"],
    ]);
  });
});

describe("客诉、客退产品处理管理办法 (P14)", () => {
  test("P14-01 客诉、客退、客换、客借: the four kinds", () => {
    expect(KINDS.map((k) => k.zh)).toEqual(["客诉", "客退", "客换", "客借"]);
  });

  test("P14-02 客借…确认完后需归还: the loaned-sample return clock runs for loans only", () => {
    const def = clockOf("SAMPLE_RETURN", p)!;
    expect(clockApplies(def, base({ kind: "LOAN" }), p)).toBe(true);
    expect(clockApplies(def, base({ kind: "RETURN" }), p)).toBe(false);
    expect(clock(base({ kind: "LOAN" }), "SAMPLE_RETURN")?.due).toBe(addMonths(MON, 1));
  });

  test("P14-03 保密原则: an 8D whose root cause names a supplier is flagged with the shipped policy", () => {
    const r = eightD(base({ severity: "SERIOUS", rootCause: "供应商宏达来料不良" }));
    expect(r.status).toBe("HITS");
    expect(r.hits.map((h) => `${h.where}:${h.term}`)).toEqual(expect.arrayContaining(["D4:供应商", "D4:来料"]));
  });

  test("P14-04 保密原则 不包含电源供应商信息: the power-supply supplier is no secret", () => {
    const r = eightD(base({ severity: "SERIOUS", rootCause: "电源供应商批次不良" }));
    expect(r.hits.filter((h) => h.where === "D4")).toEqual([]);
  });

  test("P14-05 保密原则 导线供应商信息(除防水接头): the wire supplier is no secret, the waterproof connector is", () => {
    expect(eightD(base({ rootCause: "导线供应商线径偏小" })).hits.filter((h) => h.where === "D4")).toEqual([]);
    expect(eightD(base({ rootCause: "防水接头密封不良" })).hits.map((h) => h.term)).toContain("防水接头");
  });

  test("P14-06 保密原则 飞利浦常规颗粒信息(Luxeon T和Rebel ES): those are no secret, other LEDs are", () => {
    expect(eightD(base({ rootCause: "Luxeon T 光衰" })).hits.filter((h) => h.where === "D4")).toEqual([]);
    expect(eightD(base({ rootCause: "Luxeon Z 光衰" })).hits.map((h) => h.term)).toContain("Luxeon");
  });

  test("P14-07 保密原则: an empty term list is a warning, not a pass", () => {
    const r = eightD(base({ rootCause: "供应商来料不良" }), { ...p, confidentialTerms: [] });
    expect(r.status).toBe("NO_TERMS");
    expect(r.en).toMatch(/Warning/);
  });

  test("P14-08 客诉严重程度划分: 非产品功能问题为一般客诉,产品功能出现异常为严重客诉", () => {
    expect(findNamed(p.severities, "功能")?.code).toBe("SERIOUS");
    expect(findNamed(p.severities, "外观")?.code).toBe("MINOR");
    expect(suggestSeverity("通电后不亮", undefined, p)?.severity).toBe("SERIOUS");
  });

  test("P14-09 追回替换后的不良品(1个月内退回)", () => {
    const c = base({ replacementFirst: true, replacementShippedAt: D(3, 31) });
    expect(clock(c, "PART_BACK")?.due).toBe(D(4, 30));
  });

  test("P14-10 国际…异常品是否退回根据具体客诉情况确定: the part-back clock runs abroad only when the case says so", () => {
    const abroad = base({ market: "INTERNATIONAL", replacementFirst: true, replacementShippedAt: MON });
    expect(clock(abroad, "PART_BACK")).toBeUndefined();
    expect(clock({ ...abroad, partBackRequired: true }, "PART_BACK")?.start).toBe(MON);
    // Only the part's return waits on the case: the promised replacement date is owed abroad as at home.
    expect(clockApplies(clockOf("REPLACEMENT_PROMISE", p)!, abroad, p)).toBe(true);
    expect(clockApplies(clockOf("REPLACEMENT_PROMISE", p)!, { ...abroad, replacementFirst: false }, p)).toBe(false);
  });

  test("P14-11 《客诉退料申请单》经OQC检验员及品质经理确认签字,计划科经理确认签字", () => {
    expect(slots("RESTOCK")).toEqual([["OQC_INSPECTOR"], ["QUALITY_MANAGER"], ["PLANNING_MANAGER"]]);
  });

  test("P14-12 不合格物料为电源需退供应商分析: return to supplier only for a supplier's fault", () => {
    expect(dispositionConflict(base({ kind: "RETURN", responsibility: "SUPPLIER" }), "RETURN_TO_SUPPLIER", p)).toBeUndefined();
    expect(dispositionConflict(base({ kind: "RETURN", responsibility: "QC" }), "RETURN_TO_SUPPLIER", p)).toBeDefined();
  });

  test("P14-13 《报废申请单》经相关部门确认签字后作报废处理: the scrap application holds its quantity before it is signed", () => {
    const c = base({ kind: "RETURN", disposition: "SCRAP", quantity: undefined });
    const r = chooseDocument(c, "QUALITY_MANAGER", "SCRAP_APPLICATION", p);
    expect(r.ok ? "" : r.reasons[0].code).toBe("CONTENT_MISSING");
    expect(chooseDocument({ ...c, quantity: 3 }, "QUALITY_MANAGER", "SCRAP_APPLICATION", p).ok).toBe(true);
  });

  test("P14-14 《客诉领料申请单》经品质经理确认签字,计划科经理确认", () => {
    expect(p.forms.find((f) => f.code === "MATERIAL_REQUISITION")?.signers).toEqual([["QUALITY_MANAGER"], ["PLANNING_MANAGER"]]);
  });

  test("P14-15 《客诉排产通知单》经品质经理校对确认签字,副总裁批准确认签字", () => {
    expect(p.forms.find((f) => f.code === "REMAKE_ORDER")?.signers).toEqual([["QUALITY_MANAGER"], ["VP"]]);
  });

  test("P14-16 《工作联系单》经品质经理批准,相关部门领导签字", () => {
    expect(p.forms.find((f) => f.code === "REWORK_ORDER")?.signers).toEqual([["QUALITY_MANAGER"], ["RECEIVING_HEAD"]]);
  });

  test("P14-17 8D…递交品质部经理和部长审阅", () => {
    expect(p.forms.find((f) => f.code === "EXTERNAL_8D")?.signers).toEqual([["QUALITY_MANAGER"], ["DEPT_HEAD"]]);
  });

  test("P14-18 必要时报副总裁审阅: the VP's 8D review when the case asks for it", () => {
    const c = base({ severity: "SERIOUS" });
    expect(replyForms(c, p).map((f) => f.code)).toEqual(["REPLY_REVIEW"]);
    expect(replyForms({ ...c, eightDVpReview: true }, p).map((f) => f.code)).toEqual(["REPLY_REVIEW", "EIGHT_D_VP"]);
    const unsigned = caseAt("EXECUTED", p, { severity: "SERIOUS", eightDVpReview: true, rootCause: "x" });
    const m = canMove({ ...unsigned, repliedAt: D(3, 9), eightDStatus: "SENT" }, "EXECUTED", "REPLIED", p);
    expect(m.ok ? [] : m.reasons.map((r) => r.field)).toContain("sign_VP");
  });

  test("P14-19 审阅批准后CQE方可以邮件方式发给: an 8D marked sent without its review is a violation", () => {
    const c = base({ severity: "SERIOUS", eightDStatus: "SENT" });
    expect(validateCase(c, p).map((v) => v.code)).toContain("EIGHT_D_SENT_UNSIGNED");
  });

  test("P14-20 处理措施经品质部经理及部长审核批准后…回复客户: every reply, a minor one without an 8D too", () => {
    // No form before execution (returned as it came): no earlier sign-off stands in for the review.
    const c = caseAt("EXECUTED", p, { severity: "MINOR", rootCause: "x", disposition: "RETURN_TO_CUSTOMER" });
    const m = canMove({ ...c, repliedAt: D(3, 9) }, "EXECUTED", "REPLIED", p);
    expect(m.ok ? [] : m.reasons.map((r) => r.field)).toEqual(expect.arrayContaining(["sign_QUALITY_MANAGER", "sign_DEPT_HEAD"]));
    const signed = { ...c, repliedAt: D(3, 9), signatures: { QUALITY_MANAGER: sig("王", ["REPLY_REVIEW"]), DEPT_HEAD: sig("孙", ["REPLY_REVIEW"]) } };
    expect(missingAmong(replyForms(signed, p), signed.signatures)).toEqual([]);
  });

  test("P14-21 同一客户…客户误判…其处理费用计入销售费用", () => {
    expect(responsibilityOf("NO_FAULT", p)!.payer).toMatch(/销售费用/);
  });

  test("P14-22 供应商在2个工作日内回复8D报告: only for the supplier's fault", () => {
    expect(due("SUPPLIER_8D", FRI)).toBe(D(3, 10));
    const def = clockOf("SUPPLIER_8D", p)!;
    expect(clockApplies(def, base({ responsibility: "SUPPLIER" }), p)).toBe(true);
    expect(clockApplies(def, base({ responsibility: "QC" }), p)).toBe(false);
  });

  test("P14-23 在一个工作日内积极响应", () => {
    expect(due("FIRST_RESPONSE", FRI + 0.4)).toBe(D(3, 9));
  });

  test("P14-24 自国内应用设计中心开出《客诉、客退产品处理单》起…3个工作日内完成分析: from the form, domestic only", () => {
    const c = base({ formIssuedAt: D(3, 4) });
    expect(clock(c, "ANALYSIS")).toMatchObject({ start: D(3, 4), due: D(3, 9) });
    expect(clock({ ...c, market: "INTERNATIONAL" }, "ANALYSIS")).toBeUndefined();
  });

  test("P14-25 7个工作日内解决问题并回复", () => {
    expect(due("REPLY_DOMESTIC", MON)).toBe(D(3, 11));
  });

  test("P14-26 紧急情况下经公司领导特批后可加急处理,2个工作日: the normal limit until the approval is signed", () => {
    const urgent = base({ urgent: true });
    expect(clock(urgent, "REPLY_DOMESTIC")).toMatchObject({ limit: 7, due: D(3, 11) });
    const approved = { ...urgent, signatures: { LEADER: sig("陈总", ["URGENT"]) } };
    expect(clock(approved, "REPLY_DOMESTIC")).toMatchObject({ limit: 2, due: D(3, 4) });
  });

  test("P14-27 处理完成后的1月内再次跟踪", () => {
    const c = base({ closedAt: D(3, 31), status: "CLOSED" });
    expect(clock(c, "FOLLOW_UP", D(4, 1))?.due).toBe(D(4, 30));
  });

  test("P14-28 国际…15-30个工作日内给出解决方案: target 15, overdue only past 30", () => {
    const c = base({ market: "INTERNATIONAL" });
    const s = clock(c, "REPLY_INTERNATIONAL", D(3, 30))!;
    expect(s.limit).toBe(30);
    expect(s.target).toBe(cal.workday(MON, 15));
    expect(s.due).toBe(cal.workday(MON, 30));
    expect(s.status).not.toBe("OVERDUE");
  });

  test("P14-29 国际…紧急情况下经公司领导特批后…3个工作日给出处理方案", () => {
    const c = base({ market: "INTERNATIONAL", urgent: true, signatures: { GM: sig("刘总", ["URGENT"]) } });
    expect(clock(c, "REPLY_INTERNATIONAL")).toMatchObject({ limit: 3, due: D(3, 5) });
  });

  test("P14-30 定期跟踪客户对客诉处理的满意度,并填写: a follow-up needs the satisfaction", () => {
    const c = caseAt("CLOSED", p);
    const m = canMove({ ...c, followUpAt: D(3, 20) }, "CLOSED", "FOLLOWED_UP", p);
    expect(m.ok ? [] : m.reasons.map((r) => r.field)).toEqual(["satisfaction"]);
  });

  test("P14-31 报应用设计中心副总裁批准 (报废): the scrap application's second signer is the VP (or GM)", () => {
    expect(p.forms.find((f) => f.code === "SCRAP_APPLICATION")?.signers[1]).toContain("VP");
  });

  test("P14-32 拆卸退回品并将零部件分类入库…报废: disassembly restocks and scraps", () => {
    expect(approvalsForDisposition("DISASSEMBLE", p)!.forms.map((f) => f.code)).toEqual(["RESTOCK_REQUEST", "SCRAP_APPLICATION"]);
  });

  test("P14-33 需要退回客户的…直接退回客户: returning to the customer needs no form", () => {
    expect(approvalsForDisposition("RETURN_TO_CUSTOMER", p)!.forms).toEqual([]);
  });

  test("P14-44 客换…与客户需求不符: a misunderstood need reads as design/communication, free", () => {
    const m = matchResponsibility("与客户需求不符,沟通理解错误", p);
    expect(m.ok && m.code).toBe("DESIGN");
    expect(chargeFor("DESIGN", p)).toBe("FREE");
  });

  test("P14-45 将《客诉退料申请单》与退回品一同入库: restocking needs the goods in the factory", () => {
    expect(dispositionConflict(base({ kind: "COMPLAINT" }), "RESTOCK", p)).toBeDefined();
    expect(dispositionConflict(base({ kind: "COMPLAINT", goodsBackAt: MON }), "RESTOCK", p)).toBeUndefined();
  });

  test("P14-47 CQE将原因分析及检测结果填写至《客诉、客退产品处理单》上: the CQE records the root cause, sales cannot", () => {
    expect(refusedFor(["rootCause", "analysedAt"], ["CQE"])).toEqual([]);
    expect(refusedFor(["rootCause"], ["SALES"])).toEqual(["NOT_YOUR_ROLE"]);
  });
});

describe("the ledger's own rules the procedures imply", () => {
  test("G-01 a closed case runs no clock it should have stopped by (the follow-up runs on)", () => {
    const c = base({ replacementFirst: true, status: "CLOSED", closedAt: D(3, 3) });
    expect(clock(c, "FIRST_RESPONSE", D(3, 30))?.status).toBeUndefined();
    expect(clock(c, "REPLACEMENT_PROMISE", D(3, 30))?.status).toBeUndefined();
    expect(clock(c, "FOLLOW_UP", D(3, 30))?.status).toBeDefined();
  });

  test("G-02 a signature approves the document it names, not every document of its role", () => {
    const c = base({ kind: "RETURN", disposition: "SCRAP", severity: "SERIOUS", signatures: { QUALITY_MANAGER: sig("王", ["SCRAP_APPLICATION"]) } });
    const missing = missingAmong(requiredForms(c, p), c.signatures).map((m) => `${m.form.code}:${m.roles.join("|")}`);
    expect(missing).toContain("EXTERNAL_8D:QUALITY_MANAGER");
    expect(missing).not.toContain("SCRAP_APPLICATION:QUALITY_MANAGER");
    // An undivided sign-off of older ledgers still approves them all.
    const old = { ...c, signatures: { QUALITY_MANAGER: sig("王") } };
    expect(missingAmong(requiredForms(old, p), old.signatures).some((m) => m.roles.includes("QUALITY_MANAGER"))).toBe(false);
  });

  test("G-03 several documents awaiting a role: one must be chosen", () => {
    const r = chooseDocument(base({ kind: "RETURN", disposition: "SCRAP", quantity: 2 }), "QUALITY_MANAGER", undefined, p);
    expect(r.ok ? "" : r.reasons[0].code).toBe("CHOOSE_DOCUMENT");
  });

  test("G-04 a step nobody on the People sheet can do is open to anyone; a deputy may stand in", () => {
    expect(stepRefusals(["goodsBackAt"], "x", ["CS"], [], p)).toEqual([]);
    expect(stepRefusals(["judgedAt"], "x", ["QUALITY_MANAGER"], PEOPLE, p)).toEqual([]);
  });

  test("G-05 steps in order: judgement before execution, reply before close, close before follow-up", () => {
    const v = validateCase(base({ judgedAt: D(3, 9), executedAt: D(3, 5), repliedAt: D(3, 20), closedAt: D(3, 10), followUpAt: D(3, 9) }), p);
    expect(v.filter((x) => x.code === "DATE_ORDER").map((x) => x.field)).toEqual(expect.arrayContaining(["executedAt", "closedAt", "followUpAt"]));
  });

  test("G-06 a returned case may not skip goods back on the way to the judgement", () => {
    const m = canMove(base({ kind: "RETURN", judgedAt: MON, confirmed: true }), "RECEIVED", "JUDGED", p);
    expect(m.ok ? [] : m.reasons.filter((r) => r.skipped).map((r) => r.field)).toContain("goodsBackAt");
  });
});
