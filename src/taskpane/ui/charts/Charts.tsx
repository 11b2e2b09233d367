/**
 * The pane's charts (issue 23): a Pareto (bars by count, the running share as a line on a 0–100 % axis), a trend of
 * twelve months, and the on-time rate per clock. Drawn with Fluent UI's own charts (@fluentui/react-charts, SVG,
 * decision 112): the pane's theme and fonts, bars reachable with the keyboard (Tab to the chart, arrows between
 * bars), a tooltip per bar. They fit their box: the width is measured (ResizeObserver) and handed to the chart,
 * so a 320 px pane gets a 300 px chart, never a scroll bar.
 *
 * Accessible alternative: every chart has its figures as a table next to it — read by screen readers always,
 * shown on the screen with the "table" switch — and an aria-label in the pane's language on the SVG (the library's
 * own is English only). Loaded only with the screens that draw them (the dashboard and review chunks).
 */
import { LineChart, VerticalBarChart, type LineChartPoints, type VerticalBarChartDataPoint } from "@fluentui/react-charts";
import { Button } from "@fluentui/react-components";
import { useEffect, useId, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from "react";
import { inLang, useLang, useT, type Bilingual } from "../../i18n";
import { monthTick, monthTicks, percentText, type ClockRate, type ParetoBar, type TrendMonth } from "./chart-data";

const HEIGHT = 220;
/** Fluent's data-visualisation colours (DataVizPalette color1, color2, color3, color5). */
const COLORS = ["#637cef", "#e3008c", "#2aa0a4", "#9373c0"];
/** Visually hidden, still read aloud: the table is the chart's text alternative. */
const SR_ONLY: CSSProperties = { position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" };
const TABLE: CSSProperties = { width: "100%", borderCollapse: "collapse", fontSize: 13 };
const NUM: CSSProperties = { textAlign: "right", paddingLeft: 8, whiteSpace: "nowrap" };

/** The width of the element, followed as the pane is resized. */
function useWidth(): [React.RefObject<HTMLDivElement>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.floor(el.getBoundingClientRect().width));
    measure();
    if (typeof ResizeObserver !== "function") return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/**
 * Fluent's cartesian charts give every chart the same fixed ids ("chart_", "xAxisGElementchart_"…: CartesianChart's
 * `idForGraph`, never looked up by the library), so two charts on a screen would share ids. Each box suffixes them
 * with its own; the observer catches a chart that redraws its nodes.
 */
function useUniqueChartIds(ref: React.RefObject<HTMLDivElement>, suffix: string): void {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fix = () => {
      for (const node of Array.from(el.querySelectorAll("[id]"))) if (node.id.endsWith("chart_")) node.id = `${node.id}${suffix}`;
    };
    fix();
    if (typeof MutationObserver !== "function") return;
    const mo = new MutationObserver(fix);
    mo.observe(el, { childList: true, subtree: true });
    return () => mo.disconnect();
  });
}

/**
 * A chart's box: its title, the chart at the box's width, and its figures as a table (hidden on screen unless
 * asked for, always there for screen readers). `empty` replaces chart and table when there is nothing to draw.
 */
export function ChartBox({
  testid,
  title,
  table,
  empty,
  children,
}: {
  testid: string;
  title: Bilingual;
  table: ReactNode;
  empty?: boolean;
  children: (width: number) => ReactNode;
}) {
  const lang = useLang();
  const t = useT();
  const [ref, width] = useWidth();
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  useUniqueChartIds(ref, tableId.replace(/[^\w-]/g, ""));
  return (
    <section className="cl-box" data-testid={testid} style={{ position: "relative", minWidth: 0 }}>
      <div style={{ display: "flex", alignItems: "baseline", gap: 4 }}>
        <h3 style={{ flex: 1 }}>{inLang(title, lang)}</h3>
        {empty ? null : (
          <Button
            size="small"
            appearance="subtle"
            aria-expanded={showTable}
            aria-controls={tableId}
            onClick={() => setShowTable((s) => !s)}
            data-testid={`${testid}-table-switch`}
          >
            {showTable ? t("隐藏表格", "Hide table") : t("表格", "Table")}
          </Button>
        )}
      </div>
      {empty ? (
        <p className="cl-muted">{t("本期无数据", "No figures for this period")}</p>
      ) : (
        <>
          <div ref={ref} data-testid={`${testid}-chart`} style={{ width: "100%", height: HEIGHT + 40, overflow: "hidden" }}>
            {width > 0 ? children(width) : null}
          </div>
          <div id={tableId} style={showTable ? undefined : SR_ONLY} data-testid={`${testid}-table`}>
            {table}
          </div>
        </>
      )}
    </section>
  );
}

/** A Pareto: bars by count in the given order, the running share as a line on the secondary 0–100 % axis. */
export function ParetoChart({ testid, title, bars }: { testid: string; title: Bilingual; bars: readonly ParetoBar[] }) {
  const t = useT();
  const lang = useLang();
  const data: VerticalBarChartDataPoint[] = bars.map((b) => ({
    x: b.label,
    y: b.cases,
    legend: t("件数", "Cases"),
    color: COLORS[0],
    xAxisCalloutData: b.label,
    lineData: { y: Math.round(b.cumulative * 1000) / 10, useSecondaryYScale: true, yAxisCalloutData: percentText(b.cumulative) },
  }));
  const label = inLang(
    {
      zh: `${title.zh}:柱形图,${bars.length} 项,按件数排列,折线为累计占比。`,
      en: `${title.en}: bar chart of ${bars.length} items by cases, the line the cumulative share.`,
    },
    lang,
  );
  return (
    <ChartBox
      testid={testid}
      title={title}
      empty={bars.length === 0}
      table={
        <table style={TABLE}>
          <thead>
            <tr>
              <th />
              <th style={NUM}>{t("件数", "Cases")}</th>
              <th style={NUM}>{t("累计占比", "Cumulative")}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key}>
                <td>{b.label}</td>
                <td style={NUM}>{b.cases}</td>
                <td style={NUM}>{percentText(b.cumulative)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {(width) => (
        <VerticalBarChart
          data={data}
          width={width}
          height={HEIGHT}
          useSingleColor
          colors={[COLORS[0]]}
          lineLegendText={t("累计占比 %", "Cumulative %")}
          lineLegendColor={COLORS[1]}
          secondaryYScaleOptions={{ yMinValue: 0, yMaxValue: 100 }}
          hideLabels={bars.length > 6}
          maxBarWidth={24}
          showXAxisLablesTooltip
          noOfCharsToTruncate={lang === "zh" ? 4 : 7}
          culture={lang === "zh" ? "zh-CN" : "en-US"}
          svgProps={{ "aria-label": label }}
        />
      )}
    </ChartBox>
  );
}

/** Twelve months: received, closed (and open at month end when given) as lines. */
export function TrendChart({ testid, title, months }: { testid: string; title: Bilingual; months: readonly TrendMonth[] }) {
  const t = useT();
  const lang = useLang();
  const series: { key: keyof TrendMonth; name: Bilingual }[] = [
    { key: "received", name: { zh: "受理", en: "Received" } },
    { key: "closed", name: { zh: "结案", en: "Closed" } },
  ];
  if (months.some((m) => m.openAtEnd !== undefined)) series.push({ key: "openAtEnd", name: { zh: "月末未结", en: "Open" } });
  const lines: LineChartPoints[] = series.map((s, i) => ({
    legend: inLang(s.name, lang),
    color: COLORS[i],
    data: months.map((m, x) => ({ x, y: Number(m[s.key] ?? 0), xAxisCalloutData: m.month })),
  }));
  const label = inLang(
    {
      zh: `${title.zh}:折线图,${months.length} 个月(${months[0]?.month ?? ""} 至 ${months[months.length - 1]?.month ?? ""})。`,
      en: `${title.en}: line chart of ${months.length} months (${months[0]?.month ?? ""} to ${months[months.length - 1]?.month ?? ""}).`,
    },
    lang,
  );
  return (
    <ChartBox
      testid={testid}
      title={title}
      empty={months.length === 0}
      table={
        <table style={TABLE}>
          <thead>
            <tr>
              <th>{t("月份", "Month")}</th>
              {series.map((s) => (
                <th key={s.key} style={NUM}>
                  {inLang(s.name, lang)}
                </th>
              ))}
              {months.some((m) => m.onTimeRate !== undefined) ? <th style={NUM}>{t("准时率", "On time")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.month}>
                <td>{m.month}</td>
                {series.map((s) => (
                  <td key={s.key} style={NUM}>
                    {Number(m[s.key] ?? 0)}
                  </td>
                ))}
                {m.onTimeRate !== undefined ? <td style={NUM}>{percentText(m.onTimeRate)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {(width) => (
        <LineChart
          data={{ chartTitle: inLang(title, lang), lineChartData: lines }}
          width={width}
          height={HEIGHT}
          tickValues={monthTicks(months.length, width)}
          tickFormat={(v: number | Date) => monthTick(months[Number(v)]?.month ?? "", lang)}
          hideTickOverlap
          culture={lang === "zh" ? "zh-CN" : "en-US"}
          svgProps={{ "aria-label": label }}
        />
      )}
    </ChartBox>
  );
}

/** The on-time rate of each clock (0–100 %), a bar per clock; clocks without a step done have no bar. */
export function OnTimeChart({ testid, title, clocks }: { testid: string; title: Bilingual; clocks: readonly ClockRate[] }) {
  const t = useT();
  const lang = useLang();
  const drawn = clocks.filter((c) => c.rate !== null);
  const data: VerticalBarChartDataPoint[] = drawn.map((c) => ({
    x: inLang(c, lang) || c.clock,
    y: Math.round((c.rate ?? 0) * 1000) / 10,
    legend: inLang(c, lang) || c.clock,
    color: COLORS[2],
    yAxisCalloutData: `${percentText(c.rate)} (${c.met}/${c.met + c.missed})`,
  }));
  const label = inLang(
    { zh: `${title.zh}:柱形图,${drawn.length} 个时钟的准时率(%)。`, en: `${title.en}: bar chart of the on-time rate (%) of ${drawn.length} clocks.` },
    lang,
  );
  return (
    <ChartBox
      testid={testid}
      title={title}
      empty={drawn.length === 0}
      table={
        <table style={TABLE}>
          <thead>
            <tr>
              <th />
              <th style={NUM}>{t("准时率", "On time")}</th>
              <th style={NUM}>{t("准时/完成", "Met/done")}</th>
            </tr>
          </thead>
          <tbody>
            {clocks.map((c) => (
              <tr key={c.clock}>
                <td>{inLang(c, lang) || c.clock}</td>
                <td style={NUM}>{percentText(c.rate)}</td>
                <td style={NUM}>
                  {c.met}/{c.met + c.missed}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {(width) => (
        <VerticalBarChart
          data={data}
          width={width}
          height={HEIGHT}
          yMaxValue={100}
          yMinValue={0}
          barWidth="auto"
          maxBarWidth={32}
          useSingleColor
          colors={[COLORS[2]]}
          hideLegend
          showXAxisLablesTooltip
          noOfCharsToTruncate={lang === "zh" ? 5 : 9}
          culture={lang === "zh" ? "zh-CN" : "en-US"}
          svgProps={{ "aria-label": label }}
        />
      )}
    </ChartBox>
  );
}

/** The dashboard's on-time history: one line per clock over the months, 0–100 %. */
export function OnTimeTrendChart({
  testid,
  title,
  months,
  clocks,
}: {
  testid: string;
  title: Bilingual;
  months: readonly string[];
  clocks: readonly { clock: string; label: string; rates: (number | null)[] }[];
}) {
  const t = useT();
  const lang = useLang();
  const lines: LineChartPoints[] = clocks.map((c, i) => ({
    legend: c.label,
    color: COLORS[i % COLORS.length],
    data: c.rates.flatMap((r, x) => (r === null ? [] : [{ x, y: Math.round(r * 1000) / 10, xAxisCalloutData: months[x], yAxisCalloutData: percentText(r) }])),
  }));
  const label = inLang(
    {
      zh: `${title.zh}:折线图,${clocks.length} 个时钟,${months.length} 个月的准时率(%)。`,
      en: `${title.en}: line chart of ${clocks.length} clocks' on-time rate (%) over ${months.length} months.`,
    },
    lang,
  );
  return (
    <ChartBox
      testid={testid}
      title={title}
      empty={months.length === 0}
      table={
        <table style={TABLE}>
          <thead>
            <tr>
              <th>{t("月份", "Month")}</th>
              {clocks.map((c) => (
                <th key={c.clock} style={NUM}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {months.map((m, i) => (
              <tr key={m}>
                <td>{m}</td>
                {clocks.map((c) => (
                  <td key={c.clock} style={NUM}>
                    {percentText(c.rates[i])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {(width) => (
        <LineChart
          data={{ chartTitle: inLang(title, lang), lineChartData: lines }}
          width={width}
          height={HEIGHT}
          yMinValue={0}
          yMaxValue={100}
          tickValues={monthTicks(months.length, width)}
          tickFormat={(v: number | Date) => monthTick(months[Number(v)] ?? "", lang)}
          hideTickOverlap
          culture={lang === "zh" ? "zh-CN" : "en-US"}
          svgProps={{ "aria-label": label }}
        />
      )}
    </ChartBox>
  );
}
