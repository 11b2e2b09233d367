/**
 * 财务审核 Finance review (process.md §3, §5: free/charged to finance twice a
 * month). Pick a half-month; every case marked free or charged in it is
 * listed with responsibility, cost, sign-offs, who marked it and whether
 * finance reviewed it, inconsistencies first in red (finance-review.ts).
 * Finance selects lines and marks them reviewed — an audit entry each
 * (Ledger.markReviewed, which refuses, and logs the attempt, unless the
 * People sheet gives the user the Finance role). The period exports as CSV (download) and, where
 * the store can write sheets, as a worksheet "财务审核 YYYY-MM H1".
 */
import { Button, Checkbox, Field, Select, Switch } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import { serialToIso } from "../../domain/dates";
import { financeReview, hasMoney, reviewCsv, reviewTotals, type FinanceReview, type ReviewLine } from "../../reports/finance-review";
import { moneyTotal, type MoneyFigures } from "../../reports/money-figures";
import { markedCharge } from "../../domain/responsibility";
import { FINANCE_ROLE, type Ledger } from "../../ledger/service";
import { bookingDate, halfMonth } from "../../reports/finance-summary";
import { financeLayout } from "../../reports/report-sheets";
import { findNamed } from "../../domain/policy/policy";
import { CHARGES } from "../../domain/schema";
import { Both, errorOf, inLang, useLang, useT, type Bilingual } from "../i18n";
import { memo, snapshotOf } from "../ledger-snapshot";
import { downloadFile, Notice, Refusal, Working } from "./common";
import { usePane } from "./pane";
import { VirtualList } from "./VirtualList";

const money = (x: number | undefined) => (x === undefined ? "—" : x.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

export default function Finance() {
  const pane = usePane();
  const { ledger, actor, myRoles, today } = pane;
  const policy = ledger.policy;
  const t = useT();

  // Periods: the current half-month and every half-month a marked case is booked in, newest first.
  const snap = snapshotOf(pane);
  const periods = memo(snap, "financePeriods", () => periodsOf(ledger.rows, today));
  const [start, setStart] = useState<number>(() => periods[0].start);
  const [onlyIssues, setOnlyIssues] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<Bilingual>();
  const [done, setDone] = useState<Bilingual>();
  const [error, setError] = useState<Bilingual[]>([]);

  const review = memo(snap, `financeReview:${start}`, () =>
    financeReview(ledger.rows, ledger.auditEntries(), policy, start, { costLines: ledger.costLines, today }),
  );
  const lines = useMemo(() => (onlyIssues ? review.lines.filter((l) => l.issues.length) : review.lines), [review, onlyIssues]);
  const isFinance = myRoles.includes(FINANCE_ROLE);
  const canSheet = typeof ledger.store.writeSheet === "function";

  const choose = (s: number) => {
    setStart(s);
    setSelected(new Set());
    setDone(undefined);
    setError([]);
  };
  const toggle = (no: string) =>
    setSelected((x) => {
      const n = new Set(x);
      if (n.has(no)) n.delete(no);
      else n.add(no);
      return n;
    });

  async function markReviewed() {
    setError([]);
    setDone(undefined);
    if (!actor) {
      setError([{ zh: "请先在上方选择您是谁", en: "Choose who you are at the top first" }]);
      return;
    }
    const nos = review.lines.filter((l) => selected.has(l.caseNo)).map((l) => l.caseNo);
    setBusy({ zh: "正在记录审核…", en: "Recording the review…" });
    try {
      const r = await ledger.markReviewed(nos, actor);
      if (!r.ok) {
        setError(r.reasons);
        pane.refresh();
        return;
      }
      setSelected(new Set());
      setDone({
        zh: `已标记 ${nos.length} 条为已审核(已写入审计记录)`,
        en: `Marked ${nos.length} case${nos.length === 1 ? "" : "s"} reviewed (written to the audit log)`,
      });
      pane.refresh();
    } catch (err) {
      setError([errorOf(err, { zh: "记录失败", en: "Recording failed" })]);
    } finally {
      setBusy(undefined);
    }
  }

  async function exportSheet() {
    setError([]);
    setBusy({ zh: "正在生成工作表…", en: "Writing the sheet…" });
    try {
      const name = await ledger.store.writeSheet!(financeLayout(review));
      setDone({ zh: `已生成工作表“${name}”`, en: `Wrote the worksheet “${name}”` });
    } catch (err) {
      setError([errorOf(err, { zh: "生成失败", en: "Writing failed" })]);
    } finally {
      setBusy(undefined);
    }
  }

  function exportCsv() {
    const file = `财务审核-finance-review-${review.period.key.replace(" ", "-")}.csv`;
    downloadFile(file, new Blob([reviewCsv(review)], { type: "text/csv;charset=utf-8" }));
    setDone({ zh: `已下载 ${file}`, en: `Downloaded ${file}` });
  }

  return (
    <div className="cl-form" data-testid="finance">
      <PeriodPicker periods={periods} start={start} onChoose={choose} />
      <FinanceSummary review={review} />
      <Switch checked={onlyIssues} onChange={(_, d) => setOnlyIssues(d.checked)} label={t("只看有问题的", "Only lines with issues")} />
      <div className="cl-actions">
        <Button size="small" onClick={() => setSelected(new Set(lines.filter((l) => !l.reviewed && !l.issues.length).map((l) => l.caseNo)))}>
          {t("选中无问题且未审核的", "Select clean, unreviewed")}
        </Button>
        <Button size="small" appearance="primary" disabled={selected.size === 0 || !!busy} onClick={markReviewed} data-testid="mark-reviewed">
          {t(`标记为已审核 (${selected.size})`, `Mark reviewed (${selected.size})`)}
        </Button>
      </div>
      {!isFinance ? <FinanceRoleHint /> : null}
      {busy ? <Working what={busy} /> : null}
      {done ? <Notice intent="success" msg={done} /> : null}
      <Refusal title={{ zh: "未完成", en: "Not done" }} reasons={error} />
      {lines.length === 0 ? (
        <p className="cl-muted">{t("本期没有标记收费/免费的案件", "No case marked free or charged in this period")}</p>
      ) : (
        <VirtualList
          items={lines}
          itemKey={(l) => l.caseNo}
          label={t("审核清单", "Review lines")}
          estimateSize={96}
          testid="review-lines"
          renderItem={(l) => <Line l={l} checked={selected.has(l.caseNo)} onToggle={() => toggle(l.caseNo)} />}
        />
      )}
      <FinanceExports onCsv={exportCsv} onSheet={canSheet ? exportSheet : undefined} busy={!!busy} />
    </div>
  );
}

type Period = { key: string; start: number; end: number };

/** The half-month select; choosing one starts the period afresh (see Finance's choose). */
function PeriodPicker({ periods, start, onChoose }: { periods: Period[]; start: number; onChoose: (start: number) => void }) {
  const t = useT();
  return (
    <Field label={t("期间(半月)", "Period (half-month)")}>
      <Select size="small" name="period" value={String(start)} onChange={(_, d) => onChoose(Number(d.value))}>
        {periods.map((p) => (
          <option key={p.key} value={p.start}>
            {p.key}({serialToIso(p.start)} – {serialToIso(p.end)})
          </option>
        ))}
      </Select>
    </Field>
  );
}

function FinanceRoleHint() {
  return (
    <p className="cl-muted">
      <Both msg={{ zh: "标记审核需要人员表中的“财务”角色", en: "Marking reviews needs the Finance role in the People sheet" }} />
    </p>
  );
}

/** CSV download always; the worksheet button only where the store can write sheets (onSheet given). */
function FinanceExports({ onCsv, onSheet, busy }: { onCsv: () => void; onSheet?: () => void; busy: boolean }) {
  const t = useT();
  return (
    <div className="cl-actions">
      <Button onClick={onCsv} data-testid="finance-csv">
        {t("下载 CSV", "Download CSV")}
      </Button>
      {onSheet ? (
        <Button onClick={onSheet} disabled={busy} data-testid="finance-sheet">
          {t("生成工作表", "Write as worksheet")}
        </Button>
      ) : null}
    </div>
  );
}

/** The current half-month and every half-month a marked case is booked in, newest first. */
function periodsOf(rows: Ledger["rows"], today: number): Period[] {
  const m = new Map<string, Period>();
  const cur = halfMonth(today);
  m.set(cur.key, cur);
  for (const r of rows) {
    if (!markedCharge(r.case)) continue;
    const d = bookingDate(r.case);
    if (d !== undefined) {
      const h = halfMonth(Math.floor(d));
      m.set(h.key, h);
    }
  }
  return [...m.values()].sort((a, b) => b.start - a.start);
}

/** Free and charged totals of the period, and how many lines have issues or are reviewed. */
function FinanceSummary({ review }: { review: FinanceReview }) {
  const { free, charged } = reviewTotals(review);
  return (
    <section className="cl-box" data-testid="finance-summary">
      <p>
        <Both
          msg={{
            zh: `免费 ${free.n} 件 ${money(free.cost)} · 收费 ${charged.n} 件 ${money(charged.cost)}`,
            en: `Free ${free.n}, ${money(free.cost)} · charged ${charged.n}, ${money(charged.cost)}`,
          }}
        />
      </p>
      <p className="cl-muted">
        <Both
          msg={{
            zh: `共 ${review.lines.length} 条,有问题 ${review.issues} 条,已审核 ${review.reviewed} 条`,
            en: `${review.lines.length} lines, ${review.issues} with issues, ${review.reviewed} reviewed`,
          }}
        />
      </p>
      {hasMoney(review.money) ? <MoneySummary m={review.money} /> : null}
    </section>
  );
}

/** The half month's money (issue 23): cost by category, debits to book, supplier credits due and overdue. */
function MoneySummary({ m }: { m: MoneyFigures }) {
  const lang = useLang();
  const cats = m.costByCategory.map((c) => `${inLang(c, lang)} ${money(c.amount)}`).join(" · ");
  const msg = {
    zh: `待入账扣款 ${m.debitsToBook.length} 笔 ${money(moneyTotal(m.debitsToBook))} · 供应商赔偿未到期 ${m.creditsDue.length} 笔,逾期 ${m.creditsOverdue.length} 笔 ${money(moneyTotal(m.creditsOverdue))}`,
    en: `Debits to book ${m.debitsToBook.length}, ${money(moneyTotal(m.debitsToBook))} · supplier credits due ${m.creditsDue.length}, overdue ${m.creditsOverdue.length}, ${money(moneyTotal(m.creditsOverdue))}`,
  };
  return (
    <div data-testid="finance-money">
      {cats ? <p>{cats}</p> : null}
      <p className={m.creditsOverdue.length ? "cl-error" : "cl-muted"}>
        <Both msg={msg} />
      </p>
    </div>
  );
}

function Line({ l, checked, onToggle }: { l: ReviewLine; checked: boolean; onToggle: () => void }) {
  const pane = usePane();
  const t = useT();
  const lang = useLang();
  // The review line carries the sheet's Chinese labels; on screen, say them in the pane's language.
  const policy = pane.ledger.policy;
  const c = pane.ledger.rows[l.row]?.case;
  const resp = findNamed(policy.responsibilities, c?.responsibility);
  const charge = findNamed(CHARGES, c?.charge);
  const approvals = c
    ? Object.entries(c.signatures).map(([role, s]) => {
        const def = findNamed(policy.roles, role);
        return `${def ? inLang(def, lang) : role}: ${s.name} ${serialToIso(s.at)}`;
      })
    : l.approvals;
  return (
    <div
      className="cl-box"
      data-testid="review-line"
      data-case={l.caseNo}
      style={l.issues.length ? { borderLeft: "3px solid #b3261e" } : l.reviewed ? { borderLeft: "3px solid #0e700e" } : undefined}
    >
      <div className="cl-itemtop">
        <Checkbox checked={checked} onChange={onToggle} label={l.caseNo} aria-label={t(`选择 ${l.caseNo}`, `Select ${l.caseNo}`)} />
        <Button size="small" appearance="transparent" onClick={() => pane.openCase(l.caseNo, { select: true })}>
          {t("打开", "Open")}
        </Button>
      </div>
      <div className="cl-itemline">
        {l.customer} · {resp ? inLang(resp, lang) : l.responsibility || t("(未判定)", "(not set)")} ·{" "}
        <strong>{charge ? inLang(charge, lang) : l.charge}</strong> {money(l.cost)}
      </div>
      <div className="cl-itemline cl-muted">
        {t("入账", "Booked")} {l.bookedOn}
        {l.markedBy ? ` · ${t("标记", "marked by")} ${l.markedBy} ${l.markedAt}` : ""}
      </div>
      {approvals.length ? <div className="cl-itemline cl-muted">{approvals.join("; ")}</div> : null}
      {l.reviewed ? (
        <div className="cl-itemline" style={{ color: "#0e700e" }}>
          {t("已审核:", "Reviewed: ")}
          {l.reviewed.by} {l.reviewed.at}
        </div>
      ) : null}
      {l.issues.length ? (
        <ul className="cl-reasons" style={{ color: "#b3261e" }}>
          {l.issues.map((i) => (
            <li key={i.code}>
              <Both msg={i} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
