/**
 * 月度检讨 Review (issue 23, 「在月底进行客诉不良的检讨」): the figures of one month (reports/monthly-review.ts) with
 * their Pareto, twelve-month trend and on-time rate per clock drawn as charts, and a button that writes the
 * 月度检讨 Review sheet (with its native charts) into the workbook. The month defaults to the previous one on the
 * ledger's clock (domain/zone.ts: the Policy's time zone, not the machine's): the review is of a month that ended.
 */
import { Button, Field, Select } from "@fluentui/react-components";
import { useState } from "react";
import { monthOf, shiftMonth, type MonthlyReview, type ParetoLine } from "../../reports/monthly-review";
import { rebuildMonthlyReview, reviewOfLedger } from "../../reports/monthly-review-sheet";
import { errorOf, inLang, useLang, useT, type Bilingual } from "../i18n";
import { memo, snapshotOf } from "../ledger-snapshot";
import { OnTimeChart, ParetoChart, TrendChart } from "./charts/Charts";
import { paretoBars, percentText } from "./charts/chart-data";
import { Notice, Refusal, Working } from "./common";
import { FIGURES, money, NUM } from "./Dashboard";
import { usePane } from "./pane";

/** Months offered: this one and the 23 before it, newest first. */
const MONTHS_OFFERED = 24;

type ParetoOf = keyof MonthlyReview["pareto"];
const PARETOS: { key: ParetoOf; title: Bilingual }[] = [
  { key: "defects", title: { zh: "不良柏拉图", en: "Defects Pareto" } },
  { key: "products", title: { zh: "产品柏拉图", en: "Products Pareto" } },
  { key: "customers", title: { zh: "客户柏拉图", en: "Customers Pareto" } },
  { key: "responsibility", title: { zh: "责任柏拉图", en: "Responsibility Pareto" } },
];

/** The previous month on the ledger's clock: the month a month-end review is about. */
export const defaultReviewMonth = (today: number) => shiftMonth(monthOf(today), -1);

export default function ReviewView() {
  const pane = usePane();
  const { ledger, today, now } = pane;
  const t = useT();
  const thisMonth = monthOf(today);
  const [month, setMonth] = useState(() => defaultReviewMonth(today));
  const [which, setWhich] = useState<ParetoOf>("defects");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Bilingual>();
  const [error, setError] = useState<Bilingual>();

  const snap = snapshotOf(pane);
  let review: MonthlyReview | undefined;
  let failed: Bilingual | undefined;
  try {
    review = memo(snap, `review:${month}`, () => reviewOfLedger(ledger, month));
  } catch (e) {
    failed = errorOf(e, { zh: "检讨计算失败", en: "The review could not be worked out" });
  }
  const canWrite = typeof ledger.store.writeSheet === "function";

  async function write() {
    setBusy(true);
    setDone(undefined);
    setError(undefined);
    try {
      const { sheet } = await rebuildMonthlyReview(ledger, month, now());
      setDone({ zh: `已写入工作表“${sheet}”(${month})`, en: `Wrote the worksheet “${sheet}” (${month})` });
      pane.refresh();
    } catch (err) {
      setError(errorOf(err, { zh: "检讨表生成失败", en: "The review sheet could not be written" }));
    } finally {
      setBusy(false);
    }
  }

  const months = Array.from({ length: MONTHS_OFFERED }, (_, i) => shiftMonth(thisMonth, -i));
  const pareto = PARETOS.find((p) => p.key === which)!;
  return (
    <div className="cl-form" data-testid="review">
      <div style={{ display: "flex", gap: 8, alignItems: "flex-end", flexWrap: "wrap" }}>
        <Field label={t("月份", "Month")} style={{ flex: "1 1 120px", minWidth: 0 }}>
          <Select value={month} onChange={(_, d) => setMonth(d.value)} data-testid="review-month">
            {months.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        </Field>
        {canWrite ? (
          <Button appearance="primary" disabled={busy || !review} onClick={write} data-testid="review-write">
            {t("写入检讨工作表", "Write review sheet")}
          </Button>
        ) : (
          <span className="cl-muted">{t("此台账不能写工作表,只在窗格中显示", "This ledger cannot write sheets; figures shown here only")}</span>
        )}
      </div>
      {busy ? <Working what={{ zh: "正在写入检讨工作表…", en: "Writing the review sheet…" }} /> : null}
      {done ? <Notice intent="success" msg={done} /> : null}
      {error ? <Refusal reasons={[error]} /> : null}
      {failed ? <Refusal reasons={[failed]} /> : null}
      {review ? (
        <>
          <ReviewSummary r={review} />
          <Field label={t("柏拉图", "Pareto of")}>
            <Select value={which} onChange={(_, d) => setWhich(d.value as ParetoOf)} data-testid="review-pareto-of">
              {PARETOS.map((p) => (
                <option key={p.key} value={p.key}>
                  {t(p.title.zh, p.title.en)}
                </option>
              ))}
            </Select>
          </Field>
          <ReviewPareto lines={review.pareto[which]} title={pareto.title} />
          <TrendChart
            testid="review-trend"
            title={{ zh: "12 个月趋势", en: "12-month trend" }}
            months={review.trend.some((m) => m.received || m.closed || m.openAtEnd) ? review.trend : []}
          />
          <OnTimeChart
            testid="review-ontime"
            title={{ zh: `各时钟准时率 ${review.month}`, en: `On-time rate per clock, ${review.month}` }}
            clocks={review.onTime}
          />
          <ClockTimes r={review} />
          <MoneyBox r={review} />
        </>
      ) : null}
    </div>
  );
}

/** Keyed by the figure shown: a Pareto of another dimension is a new chart, not an update of the last. */
function ReviewPareto({ lines, title }: { lines: readonly ParetoLine[]; title: Bilingual }) {
  const lang = useLang();
  return <ParetoChart key={title.en} testid="review-pareto" title={title} bars={paretoBars(lines, lang)} />;
}

/** The month's headline figures (the sheet's summary block, shortened). */
function ReviewSummary({ r }: { r: MonthlyReview }) {
  const t = useT();
  const rows: [string, string | number, string][] = [
    [t("本月接收", "Received"), r.received, "review-received"],
    [t("本月结案", "Closed"), r.closed, "review-closed"],
    [t("月末未结", "Open at month end"), r.openAtEnd, "review-open"],
    [t("结案周期 中位/90分位(天)", "Lead time median / p90 (days)"), `${r.leadTime.medianDays ?? "—"} / ${r.leadTime.p90Days ?? "—"}`, "review-lead"],
    [t(`重复客诉(${r.repeats.windowDays} 天内)`, `Repeats (within ${r.repeats.windowDays} days)`), r.repeats.cases, "review-repeats"],
    [t("满意率", "Satisfaction"), percentText(r.satisfaction.rate), "review-satisfaction"],
    [t("免费", "Free"), `${r.freeCharged.free.n} · ${money(r.freeCharged.free.cost)}`, "review-free"],
    [t("收费", "Charged"), `${r.freeCharged.charged.n} · ${money(r.freeCharged.charged.cost)}`, "review-charged"],
    [t("乐捐", "Fines"), `${r.fines.count} · ${money(r.fines.amount)}`, "review-fines"],
  ];
  return (
    <section className="cl-box" data-testid="review-summary">
      <h3>
        {t("概况", "Summary")} <span className="cl-muted">{r.month}</span>
      </h3>
      <table style={FIGURES}>
        <tbody>
          {rows.map(([label, value, id]) => (
            <tr key={id}>
              <td>{label}</td>
              <td style={NUM} data-testid={id}>
                {value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Median and 90th-percentile days per clock (the chart above shows the rates). */
function ClockTimes({ r }: { r: MonthlyReview }) {
  const t = useT();
  const lang = useLang();
  const shown = r.onTime.filter((c) => c.medianDays !== null);
  if (!shown.length) return null;
  return (
    <section className="cl-box" data-testid="review-times">
      <h3>{t("各时钟用时(天)", "Days per clock")}</h3>
      <table style={FIGURES}>
        <thead>
          <tr>
            <th />
            <th style={NUM}>{t("中位", "Median")}</th>
            <th style={NUM}>{t("90分位", "p90")}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => (
            <tr key={c.clock}>
              <td>{inLang(c, lang) || c.clock}</td>
              <td style={NUM}>{c.medianDays}</td>
              <td style={NUM}>{c.p90Days}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The month's money trail (reports/money-figures.ts): cost by category, dealer debits to book, supplier credits. */
function MoneyBox({ r }: { r: MonthlyReview }) {
  const t = useT();
  const lang = useLang();
  const m = r.money;
  const sum = (items: readonly { amount: number }[]) => money(items.reduce((a, x) => a + x.amount, 0));
  const rows: [string, string, string][] = [
    ...m.costByCategory.map((c) => [inLang(c, lang) || c.code, `${c.n} · ${money(c.amount)}`, `review-cat-${c.code}`] as [string, string, string]),
    [t("待入账的经销商扣款", "Dealer debits to book"), `${m.debitsToBook.length} · ${sum(m.debitsToBook)}`, "review-debits"],
    [t("应收供应商款", "Supplier credits due"), `${m.creditsDue.length} · ${sum(m.creditsDue)}`, "review-credits-due"],
    [t("逾期供应商款", "Supplier credits overdue"), `${m.creditsOverdue.length} · ${sum(m.creditsOverdue)}`, "review-credits-overdue"],
  ];
  return (
    <section className="cl-box" data-testid="review-money">
      <h3>{t("费用与扣款", "Money")}</h3>
      <table style={FIGURES}>
        <tbody>
          {rows.map(([label, value, id]) => (
            <tr key={id}>
              <td>{label}</td>
              <td style={NUM} data-testid={id}>
                {value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
