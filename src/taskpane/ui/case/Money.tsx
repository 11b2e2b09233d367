/**
 * 费用 Money of a case (issue 23), for finance and the people the Policy's
 * steps name: the cost lines (Ledger.addCostLine: the CostLines sheet and the
 * audit log), the dealer debit (CS records it, the CS manager approves it on
 * the DEALER_DEBIT form, finance books it) and the supplier return (CQE: what
 * went back, was replaced and credited, the 8D clock). The case's fields save
 * through Ledger.updateCase, so the step roles and the money rules refuse
 * here exactly as in the sheet and on the command line.
 */
import { Button, Field, Input, Select } from "@fluentui/react-components";
import { useState } from "react";
import { parseAmount, type Case } from "../../../domain/case";
import { serialToIso, toSerial } from "../../../domain/dates";
import type { Bilingual } from "../../../domain/errors";
import { supplierBatch } from "../../../domain/money/money-rules";
import { SUPPLIER_RETURN_CLOCK } from "../../../domain/money/money-policy";
import { calendarFor, caseClocks } from "../../../domain/sla";
import { readYesNo } from "../../../domain/schema";
import { useLang, useT } from "../../i18n";
import { Notice, Refusal } from "../common";
import { usePane } from "../pane";

const DEBIT = [
  ["dealerDebitAmount", "扣款金额", "Debit amount", "money"],
  ["dealerNotifiedAt", "通知经销商日期", "Dealer notified on", "date"],
  ["dealerNotifiedBy", "通知人", "Notified by", "text"],
  ["dealerDebitBookedAt", "入账日期", "Booked on", "date"],
] as const;
const SUPPLIER = [
  ["supplierName", "供应商", "Supplier", "text"],
  ["supplierReturnedAt", "退回日期", "Returned on", "date"],
  ["supplierBatch", "批量不良(是/否,空=按门槛)", "Batch defect (yes/no; blank: by the threshold)", "bool"],
  ["supplierReturnedQty", "退回数量", "Quantity returned", "money"],
  ["supplierReplacedQty", "补货数量", "Quantity replaced", "money"],
  ["supplierCreditAmount", "赔偿金额", "Credit amount", "money"],
  ["supplierCreditedAt", "赔偿到账日期", "Credited on", "date"],
  ["supplier8DAt", "8D回复日期", "8D received on", "date"],
] as const;
type Key = (typeof DEBIT)[number][0] | (typeof SUPPLIER)[number][0];
type Kind = "money" | "date" | "text" | "bool";

const shown = (c: Case, k: Key, kind: Kind): string => {
  const v = c[k];
  if (v === undefined) return "";
  if (kind === "date" && typeof v === "number") return serialToIso(Math.floor(v));
  if (kind === "bool") return v ? "是" : "否";
  return String(v);
};
/** A typed value for updateCase, or a refusal reason for text that does not read. */
function typed(raw: string, kind: Kind, label: Bilingual): { value: unknown } | { bad: Bilingual } {
  const s = raw.trim();
  if (s === "") return { value: null };
  if (kind === "text") return { value: s };
  if (kind === "bool") {
    const b = readYesNo(s);
    return b === undefined ? { bad: { zh: `${label.zh}:请填 是 或 否`, en: `${label.en}: yes or no` } } : { value: b };
  }
  if (kind === "date") {
    const d = toSerial(s);
    return d.ok ? { value: Math.floor(d.serial) } : { bad: { zh: `${label.zh}:${d.zh}`, en: `${label.en}: ${d.en}` } };
  }
  const n = parseAmount(s);
  return n === undefined ? { bad: { zh: `${label.zh}:数字无法识别 ${s}`, en: `${label.en}: not a number ${s}` } } : { value: n };
}

function FieldsForm({ c, fields, name }: { c: Case; fields: readonly (readonly [Key, string, string, Kind])[]; name: string }) {
  const { ledger, actor, refresh } = usePane();
  const t = useT();
  const [form, setForm] = useState<Record<string, string>>(() => Object.fromEntries(fields.map(([k, , , kind]) => [k, shown(c, k, kind)])));
  const [failed, setFailed] = useState<Bilingual[]>([]);
  const [done, setDone] = useState<Bilingual>();
  async function save() {
    const changes: Record<string, unknown> = {};
    const bad: Bilingual[] = [];
    for (const [k, zh, en, kind] of fields) {
      if (form[k] === shown(c, k, kind)) continue;
      const r = typed(form[k], kind, { zh, en });
      if ("bad" in r) bad.push(r.bad);
      else changes[k] = r.value;
    }
    if (bad.length) return setFailed(bad);
    if (!Object.keys(changes).length) return;
    const r = await ledger.updateCase(c.caseNo ?? "", changes, actor ?? { name: "", source: "chosen" });
    if (!r.ok) return setFailed(r.reasons);
    setFailed([]);
    setDone({ zh: "已保存", en: "Saved" });
    refresh();
  }
  return (
    <div data-testid={`money-${name}`}>
      {fields.map(([k, zh, en]) => (
        <Field key={k} label={t(zh, en)}>
          <Input name={k} value={form[k]} onChange={(_, d) => setForm((f) => ({ ...f, [k]: d.value }))} />
        </Field>
      ))}
      <div className="cl-actions">
        <Button appearance="primary" name={`save-${name}`} onClick={() => void save()}>
          {t("保存", "Save")}
        </Button>
      </div>
      {done ? <Notice intent="success" msg={done} /> : null}
      <Refusal reasons={failed} />
    </div>
  );
}

function CostLines({ c }: { c: Case }) {
  const pane = usePane();
  const { ledger, actor } = pane;
  const t = useT();
  const lang = useLang();
  const caseNo = c.caseNo ?? "";
  const cats = ledger.policy.money.categories;
  const blank = () => ({ item: "", amount: "", category: cats[0]?.code ?? "", counterparty: "", date: serialToIso(Math.floor(pane.today)) });
  const [form, setForm] = useState(blank);
  const [failed, setFailed] = useState<Bilingual[]>([]);
  const lines = ledger.costLinesOf(caseNo);
  async function add() {
    const d = toSerial(form.date);
    const r = await ledger.addCostLine(
      {
        caseNo,
        item: form.item,
        amount: form.amount,
        currency: "CNY",
        category: form.category,
        date: d.ok ? Math.floor(d.serial) : NaN,
        ...(form.counterparty.trim() ? { counterparty: form.counterparty.trim() } : {}),
      },
      actor ?? { name: "", source: "chosen" },
    );
    if (!r.ok) return setFailed(r.reasons);
    setFailed([]);
    setForm(blank());
    pane.refresh();
  }
  return (
    <div data-testid="money-costs">
      {lines.length ? (
        <ul className="cl-list" data-testid="cost-lines">
          {lines.map((l) => {
            const cat = cats.find((x) => x.code === l.category);
            return (
              <li key={l.lineNo}>{`${l.lineNo} ${serialToIso(l.date)} ${cat ? cat[lang] : l.category} ${l.amount.toFixed(2)} ${l.currency} ${l.item}`}</li>
            );
          })}
        </ul>
      ) : (
        <p className="cl-muted">{t("尚无费用明细", "No cost lines yet")}</p>
      )}
      <Field label={t("费用类别", "Category")}>
        <Select name="cost-category" value={form.category} onChange={(_, d) => setForm((f) => ({ ...f, category: d.value }))}>
          {cats.map((x) => (
            <option key={x.code} value={x.code}>
              {x[lang]}
            </option>
          ))}
        </Select>
      </Field>
      {(
        [
          ["item", "费用项目", "What"],
          ["amount", "金额(元)", "Amount (CNY)"],
          ["counterparty", "往来单位", "Counterparty"],
          ["date", "日期", "Date"],
        ] as const
      ).map(([k, zh, en]) => (
        <Field key={k} label={t(zh, en)}>
          <Input name={`cost-${k}`} value={form[k]} onChange={(_, d) => setForm((f) => ({ ...f, [k]: d.value }))} />
        </Field>
      ))}
      <div className="cl-actions">
        <Button appearance="primary" name="add-cost" onClick={() => void add()}>
          {t("记录费用", "Record the cost")}
        </Button>
      </div>
      <Refusal reasons={failed} />
    </div>
  );
}

export default function MoneyPanel({ c }: { c: Case }) {
  const { ledger, today } = usePane();
  const t = useT();
  const policy = ledger.policy;
  const clock = caseClocks(c, policy, calendarFor(policy), today).find((s) => s.clock.code === SUPPLIER_RETURN_CLOCK);
  const batch = c.supplierReturnedAt !== undefined ? supplierBatch(c, policy) : undefined;
  return (
    <section className="cl-box cl-form" aria-label={t("费用", "Money")} data-testid="money">
      <h3>{t("费用明细", "Cost lines")}</h3>
      <CostLines c={c} />
      <h3>{t("经销商扣款", "Dealer debit")}</h3>
      <FieldsForm c={c} fields={DEBIT} name="debit" />
      <h3>{t("退供应商", "Return to supplier")}</h3>
      {batch !== undefined ? (
        <p className="cl-muted" data-testid="supplier-clock">
          {batch
            ? t("批量不良:品质部召集供应商制定方案,追踪换货、补货", "Batch defect: the quality department meets the supplier and tracks replacement")
            : clock?.due !== undefined
              ? t(
                  `供应商8D应于 ${serialToIso(Math.floor(clock.due))} 前回复${clock.status === "OVERDUE" ? "(已逾期)" : ""}`,
                  `Supplier 8D due by ${serialToIso(Math.floor(clock.due))}${clock.status === "OVERDUE" ? " (overdue)" : ""}`,
                )
              : null}
        </p>
      ) : null}
      <FieldsForm c={c} fields={SUPPLIER} name="supplier" />
    </section>
  );
}
