/**
 * A small sample ledger for the workbench (the pane outside Excel) and the
 * tests: nine people holding every signing role and finance, a handful of cases at
 * different steps, dated relative to `now` so the work lists (overdue, due
 * soon, waiting for approval) always have something in them, and two
 * confidential terms so the 8D check has something to find.
 */
import { formatCaseNo, formatSignature, type CellValue } from "../domain/case";
import { serialToYmd } from "../domain/dates";
import { todayIn } from "../domain/zone";
import { ROLE, type Policy } from "../domain/policy/policy";
import { ledgerSchema, signatureKey } from "../domain/schema";
import { calendarFor } from "../domain/sla";
import { policyToRows } from "../domain/policy/policy-table";
import { emptyLedgerData } from "../stores/memory";
import { cellOf, keysOfHeader, recordToRow, type CaseRecord } from "../ledger/records";
import type { LedgerData } from "../ledger/store";

export const SAMPLE_PEOPLE: [name: string, roles: string, account: string][] = [
  ["王芳", "SALES、CS", "wangfang@example.cn"],
  ["李娜", "CQE", "lina@example.cn"],
  ["张伟", "QUALITY_MANAGER、DEPT_HEAD", "zhangwei@example.cn"],
  ["陈静", "CS_MANAGER", "chenjing@example.cn"],
  ["刘强", "WAREHOUSE", "liuqiang@example.cn"],
  ["赵总", "VP、GM、LEADER", "zhao@example.cn"],
  ["孙明", "PLANNING_MANAGER、RECEIVING_HEAD", "sunming@example.cn"],
  ["周婷", "OQC_INSPECTOR", "zhouting@example.cn"],
  ["刘会计", "FINANCE", "liukj@example.cn"],
];

export const SAMPLE_CONFIDENTIAL = ["宏达塑胶", "保压"];

/** The sample's four cases at different steps, dated back from `today` in working days. */
function sampleCases(today: number, back: (workdays: number) => number, no: (n: number) => string): Record<string, unknown>[] {
  return [
    {
      caseNo: no(1),
      kind: "COMPLAINT",
      receivedAt: back(8) + 0.4,
      loggedAt: back(8) + 0.42,
      customer: "华东机电",
      customerClass: "A",
      market: "DOMESTIC",
      product: "控制器外壳",
      partNo: "HK-220-01",
      batch: "B2405",
      quantity: 3,
      severity: "SERIOUS",
      defect: "外壳开裂,客户装配时发现 3 件 Housing cracked",
      demand: "更换并提供8D报告",
      owner: "李娜",
      status: "RESPONSIBILITY",
      firstResponseAt: back(8) + 0.6,
      judgedAt: back(6),
      confirmed: true,
      analysedAt: back(5),
      rootCause: "宏达塑胶来料 PA66 含水率偏高,注塑保压不足导致内应力开裂",
      responsibility: "SUPPLIER",
      charge: "FREE",
    },
    {
      caseNo: no(2),
      kind: "RETURN",
      receivedAt: back(4) + 0.5,
      loggedAt: back(4) + 0.52,
      customer: "深圳恒通",
      customerClass: "B",
      market: "DOMESTIC",
      product: "电源适配器",
      partNo: "PA-65W",
      batch: "C0312",
      quantity: 20,
      severity: "MINOR",
      defect: "外观划伤,包装破损",
      owner: "王芳",
      status: "GOODS_BACK",
      firstResponseAt: back(4) + 0.6,
      goodsBackAt: back(1),
    },
    {
      caseNo: no(3),
      kind: "COMPLAINT",
      receivedAt: today + 0.375,
      loggedAt: today + 0.38,
      customer: "Baltic Tools",
      customerClass: "B",
      market: "INTERNATIONAL",
      product: "电动螺丝刀",
      partNo: "SD-12",
      quantity: 5,
      severity: "MINOR",
      defect: "Motor does not start 电机不启动",
      demand: "先补发 5 台",
      replacementFirst: true,
      owner: "王芳",
      status: "RECEIVED",
    },
    {
      caseNo: no(4),
      kind: "RETURN",
      receivedAt: back(6) + 0.45,
      loggedAt: back(6) + 0.46,
      customer: "华东机电",
      customerClass: "A",
      market: "DOMESTIC",
      product: "线束总成",
      partNo: "WH-08",
      batch: "A1120",
      quantity: 50,
      severity: "MINOR",
      defect: "端子压接不良,漏检",
      owner: "李娜",
      status: "DISPOSITION",
      firstResponseAt: back(6) + 0.5,
      goodsBackAt: back(5),
      judgedAt: back(4),
      confirmed: true,
      analysedAt: back(3),
      rootCause: "压接高度超差,检验员漏检",
      responsibility: "QC",
      charge: "FREE",
      disposition: "SCRAP",
      cost: 1200,
    },
  ];
}

export function sampleLedgerData(base: Policy, now: Date): LedgerData {
  // The sample's own supplier and process words only: its 8D example shows two hits, not every generic word of the shipped list.
  const policy: Policy = { ...base, confidentialTerms: [...SAMPLE_CONFIDENTIAL] };
  const data = emptyLedgerData(policy);
  const cal = calendarFor(policy);
  const today = todayIn(now, policy.settings.timeZone);
  const year = serialToYmd(today).year;
  const back = (n: number) => {
    try {
      return cal.workday(today, -n);
    } catch {
      return today - Math.ceil(n * 1.5);
    }
  };
  const no = (n: number) => formatCaseNo(policy.settings.caseNoPrefix, year, n);
  const sig = (name: string, at: number, comment?: string) => formatSignature({ name, at, comment });

  const cases = sampleCases(today, back, no);
  const schema = ledgerSchema(policy);
  const keys = keysOfHeader(data.header, policy);
  data.rows = cases.map((values) => {
    const rec: CaseRecord = {};
    for (const [k, v] of Object.entries(values))
      rec[k] = cellOf(
        schema.find((f) => f.key === k)!,
        v,
        policy,
      );
    if (values.caseNo === no(4)) rec[signatureKey(ROLE.QUALITY_MANAGER)] = sig("张伟", back(2) + 0.6, "同意报废");
    return recordToRow(keys, rec).map((v): CellValue => (v === undefined ? null : v));
  });
  data.peopleRows = SAMPLE_PEOPLE.map(([name, roles, account]) => [name, roles, account, account]);
  data.policyRows = policyToRows(policy);
  return data;
}
