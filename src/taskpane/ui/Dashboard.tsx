/**
 * 看板 Dashboard: the key figures of dashboard.ts in the pane (open cases by
 * age, overdue, on-time rates of the latest month, cases and cost by
 * responsibility and customer, top defects, 8D, the finance summary), and a
 * button that rebuilds the "看板 Dashboard" sheet with charts where the
 * store can write one. The pane and the sheet show the same object.
 */
import { Button } from "@fluentui/react-components";
import { useState } from "react";
import { serialToIso } from "../../domain/dates";
import { buildDashboard, type Counted, type Dashboard } from "../../reports/dashboard";
import { dashboardLayout } from "../../reports/report-sheets";
import { Both, errorOf, inLang, useLang, useT, type Bilingual } from "../i18n";
import { memo, snapshotCounts, snapshotOf, useSnapshotAsync } from "../ledger-snapshot";
import { dashboardOffThread } from "../../stores/workbench/client";
import { Notice, Refusal, Working } from "./common";
import { usePane } from "./pane";
import { OnTimeChart, OnTimeTrendChart, ParetoChart } from "./charts/Charts";
import { onTimeOverall, paretoBars } from "./charts/chart-data";

export const money = (x: number) => x.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
/** Inline, so the screen needs nothing from taskpane.css. */
export const FIGURES = { width: "100%", borderCollapse: "collapse", fontSize: 13 } as const;
export const NUM = { textAlign: "right", paddingLeft: 8, whiteSpace: "nowrap" } as const;

function CountedTable({ title, rows, label, testid }: { title: Bilingual; rows: readonly Counted[]; label?: (c: Counted) => string; testid: string }) {
  const lang = useLang();
  const t = useT();
  return (
    <section className="cl-box" data-testid={testid}>
      <h3>{inLang(title, lang)}</h3>
      {rows.length === 0 ? (
        <p className="cl-muted">{t("无", "None")}</p>
      ) : (
        <table style={FIGURES}>
          <thead>
            <tr>
              <th />
              <th style={NUM}>{t("件数", "Cases")}</th>
              <th style={NUM}>{t("费用", "Cost")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <td>{label ? label(r) : inLang(r, lang)}</td>
                <td style={NUM}>{r.cases}</td>
                <td style={NUM}>{money(r.cost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export default function DashboardView() {
  const pane = usePane();
  const { ledger, cal, today } = pane;
  const policy = ledger.policy;
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Bilingual>();
  const [error, setError] = useState<Bilingual>();
  // Once per ledger snapshot (snapshot.ts); the overdue count is the Views screen's own. In the
  // workbench the figures are worked out in its worker: seconds of CPU at 50,000 cases, off the page's thread.
  const snap = snapshotOf(pane);
  const remote = dashboardOffThread<Dashboard>(ledger.store);
  const far = useSnapshotAsync(snap, "dashboard:worker", remote ? () => remote.offThreadDashboard(today) : undefined);
  const d = remote
    ? far.value
    : memo(snap, "dashboard", () =>
        buildDashboard(
          ledger.rows.map((r) => r.case),
          policy,
          cal,
          today,
        ),
      );
  const overdue = snapshotCounts(snap).overdue;
  if (!d) {
    return far.error ? (
      <Refusal reasons={[errorOf(far.error, { zh: "看板计算失败", en: "The dashboard could not be worked out" })]} />
    ) : (
      <Working what={{ zh: "正在计算看板…", en: "Working out the dashboard…" }} />
    );
  }
  const canWrite = typeof ledger.store.writeSheet === "function";
  const figures = d;

  async function rebuild() {
    setBusy(true);
    setDone(undefined);
    setError(undefined);
    try {
      const name = await ledger.store.writeSheet!(dashboardLayout(figures));
      setDone({ zh: `已重建工作表“${name}”`, en: `Rebuilt the worksheet “${name}”` });
    } catch (err) {
      setError(errorOf(err, { zh: "看板生成失败", en: "The dashboard could not be built" }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="cl-form" data-testid="dashboard">
      <DashSummary d={d} overdue={overdue} />
      <div className="cl-actions">
        {canWrite ? (
          <Button appearance="primary" disabled={busy} onClick={rebuild} data-testid="dash-rebuild">
            {t("重建看板工作表", "Rebuild dashboard sheet")}
          </Button>
        ) : (
          <span className="cl-muted">
            <Both msg={{ zh: "此台账不能写工作表,只在窗格中显示", en: "This ledger cannot write sheets; figures shown here only" }} />
          </span>
        )}
      </div>
      {busy ? <Working what={{ zh: "正在生成看板…", en: "Building the dashboard…" }} /> : null}
      {done ? <Notice intent="success" msg={done} /> : null}
      {error ? <Refusal reasons={[error]} /> : null}
      <CountedTable testid="dash-age" title={{ zh: "未结案件账龄", en: "Open cases by age" }} rows={d.age} />
      <DashCharts d={d} />
      <OnTimeBox d={d} />
      <CountedTable testid="dash-resp" title={{ zh: "按责任", en: "By responsibility" }} rows={d.byResponsibility} />
      <CountedTable testid="dash-customer" title={{ zh: "按客户(前列)", en: "By customer (top)" }} rows={d.byCustomer} label={(c) => c.zh} />
      <CountedTable testid="dash-defects" title={{ zh: "主要不良", en: "Top defects" }} rows={d.topDefects} label={(c) => c.zh} />
      <CountedTable testid="dash-8d" title={{ zh: "8D 状态(需 8D 的案件)", en: "8D status (cases that need one)" }} rows={d.eightD} />
    </div>
  );
}

type Figures = ReturnType<typeof buildDashboard>;

/** The summary: cases, open, overdue (the Views screen's count) and the finance totals. */
function DashSummary({ d, overdue }: { d: Figures; overdue: number }) {
  const t = useT();
  const f = d.finance;
  return (
    <section className="cl-box" data-testid="dash-summary">
      <h3>
        {t("概况", "Summary")}{" "}
        <span className="cl-muted">
          {t("截至", "as of")} {serialToIso(Math.floor(d.asOf))}
        </span>
      </h3>
      <table style={FIGURES}>
        <tbody>
          <tr>
            <td>{t("案件总数", "Cases")}</td>
            <td style={NUM} data-testid="dash-cases">
              {d.cases}
            </td>
          </tr>
          <tr>
            <td>{t("未结案", "Open")}</td>
            <td style={NUM} data-testid="dash-open">
              {d.open}
            </td>
          </tr>
          <tr>
            <td>{t("已逾期", "Overdue")}</td>
            <td style={NUM} data-testid="dash-overdue">
              {overdue}
            </td>
          </tr>
          <tr>
            <td>{t("免费", "Free")}</td>
            <td style={NUM}>
              {f.total.free} · {money(f.total.freeCost)}
            </td>
          </tr>
          <tr>
            <td>{t("收费", "Charged")}</td>
            <td style={NUM}>
              {f.total.charged} · {money(f.total.chargedCost)}
            </td>
          </tr>
          {f.missingCost ? (
            <tr>
              <td>{t("缺少费用", "Without a cost")}</td>
              <td style={NUM}>{f.missingCost}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}

/** The figures drawn (issue 23): on-time per clock (latest month and history), top defects and customers as Paretos. */
function DashCharts({ d }: { d: Figures }) {
  const lang = useLang();
  const lastMonth = d.onTime.length ? d.onTime[d.onTime.length - 1].month : undefined;
  const history = onTimeOverall(d.onTime);
  return (
    <>
      <OnTimeChart
        testid="dash-chart-ontime"
        title={{ zh: `准时率 ${lastMonth ?? ""}`.trim(), en: `On-time rate ${lastMonth ?? ""}`.trim() }}
        clocks={d.onTime.filter((o) => o.month === lastMonth)}
      />
      <OnTimeTrendChart
        testid="dash-chart-trend"
        title={{ zh: "准时率趋势(全部时钟)", en: "On-time trend (all clocks)" }}
        months={history.months}
        clocks={[{ clock: "ALL", label: inLang({ zh: "全部时钟", en: "All clocks" }, lang), rates: history.rates }]}
      />
      {/* The dashboard lists the top lines only: the running share is of what is listed (the Review tab has the whole). */}
      <ParetoChart
        testid="dash-chart-defects"
        title={{ zh: "主要不良(前列内累计)", en: "Top defects (share within the top)" }}
        bars={paretoBars(d.topDefects, lang)}
      />
      <ParetoChart
        testid="dash-chart-customers"
        title={{ zh: "按客户(前列内累计)", en: "By customer (share within the top)" }}
        bars={paretoBars(d.byCustomer, lang)}
      />
    </>
  );
}

/** The on-time rate of each clock in the latest month. */
function OnTimeBox({ d }: { d: Figures }) {
  const t = useT();
  const lang = useLang();
  const lastMonth = d.onTime.length ? d.onTime[d.onTime.length - 1].month : undefined;
  return (
    <section className="cl-box" data-testid="dash-ontime">
      <h3>
        {t("准时率", "On-time rate")}
        {lastMonth ? ` ${lastMonth}` : ""}
      </h3>
      {lastMonth ? (
        <table style={FIGURES}>
          <tbody>
            {d.onTime
              .filter((o) => o.month === lastMonth)
              .map((o) => (
                <tr key={o.clock}>
                  <td>{inLang(o, lang)}</td>
                  <td style={NUM}>{percent(o.rate)}</td>
                  <td className="cl-muted" style={NUM}>
                    {o.met}/{o.met + o.missed}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      ) : (
        <p className="cl-muted">{t("无", "None")}</p>
      )}
    </section>
  );
}
