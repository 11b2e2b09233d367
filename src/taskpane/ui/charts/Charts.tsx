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
import { FiguresTable, type FigureColumn } from "../FiguresTable";
import { monthTick, monthTicks, percentText, type ClockRate, type ParetoBar, type TrendMonth } from "./chart-data";

const HEIGHT = 220;
/** Fluent's data-visualisation colours (DataVizPalette color1, color2, color3, color5). */
const COLORS = ["#637cef", "#e3008c", "#2aa0a4", "#9373c0"];
/** Visually hidden, still read aloud: the table is the chart's text alternative. */
const SR_ONLY: CSSProperties = { position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" };

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

/** What every chart takes from its box: the pane's culture and an aria-label in the pane's language. */
export interface ChartA11y {
  culture: string;
  svgProps: { "aria-label": string };
}

/**
 * A chart's box: its title, the chart at the box's width, and its figures as a table (hidden on screen unless
 * asked for, always there for screen readers). `empty` replaces chart and table when there is nothing to draw.
 * `label` is the chart's description for screen readers, handed to the chart with the culture as `a11y`.
 */
export function ChartBox({
  testid,
  title,
  label,
  table,
  empty,
  children,
}: {
  testid: string;
  title: Bilingual;
  label: Bilingual;
  table: ReactNode;
  empty?: boolean;
  children: (width: number, a11y: ChartA11y) => ReactNode;
}) {
  const lang = useLang();
  const t = useT();
  const [ref, width] = useWidth();
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  useUniqueChartIds(ref, tableId.replace(/[^\w-]/g, ""));
  const a11y: ChartA11y = { culture: lang === "zh" ? "zh-CN" : "en-US", svgProps: { "aria-label": inLang(label, lang) } };
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
            {width > 0 ? children(width, a11y) : null}
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
  return (
    <ChartBox
      testid={testid}
      title={title}
      label={{
        zh: `${title.zh}:柱形图,${bars.length} 项,按件数排列,折线为累计占比。`,
        en: `${title.en}: bar chart of ${bars.length} items by cases, the line the cumulative share.`,
      }}
      empty={bars.length === 0}
      table={
        <FiguresTable
          rows={bars}
          rowKey={(b) => b.key}
          label={(b) => b.label}
          columns={[
            { key: "cases", head: t("件数", "Cases"), cell: (b) => b.cases },
            { key: "cumulative", head: t("累计占比", "Cumulative"), cell: (b) => percentText(b.cumulative) },
          ]}
        />
      }
    >
      {(width, a11y) => (
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
          {...a11y}
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
  const columns: FigureColumn<TrendMonth>[] = series.map((s) => ({ key: s.key, head: inLang(s.name, lang), cell: (m) => Number(m[s.key] ?? 0) }));
  if (months.some((m) => m.onTimeRate !== undefined)) columns.push({ key: "onTimeRate", head: t("准时率", "On time"), cell: (m) => percentText(m.onTimeRate) });
  return (
    <ChartBox
      testid={testid}
      title={title}
      label={{
        zh: `${title.zh}:折线图,${months.length} 个月(${months[0]?.month ?? ""} 至 ${months[months.length - 1]?.month ?? ""})。`,
        en: `${title.en}: line chart of ${months.length} months (${months[0]?.month ?? ""} to ${months[months.length - 1]?.month ?? ""}).`,
      }}
      empty={months.length === 0}
      table={<FiguresTable rows={months} rowKey={(m) => m.month} label={(m) => m.month} labelHead={t("月份", "Month")} columns={columns} />}
    >
      {(width, a11y) => (
        <LineChart
          data={{ chartTitle: inLang(title, lang), lineChartData: lines }}
          width={width}
          height={HEIGHT}
          tickValues={monthTicks(months.length, width)}
          tickFormat={(v: number | Date) => monthTick(months[Number(v)]?.month ?? "", lang)}
          hideTickOverlap
          {...a11y}
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
  return (
    <ChartBox
      testid={testid}
      title={title}
      label={{ zh: `${title.zh}:柱形图,${drawn.length} 个时钟的准时率(%)。`, en: `${title.en}: bar chart of the on-time rate (%) of ${drawn.length} clocks.` }}
      empty={drawn.length === 0}
      table={
        <FiguresTable
          rows={clocks}
          rowKey={(c) => c.clock}
          label={(c) => inLang(c, lang) || c.clock}
          columns={[
            { key: "rate", head: t("准时率", "On time"), cell: (c) => percentText(c.rate) },
            { key: "done", head: t("准时/完成", "Met/done"), cell: (c) => `${c.met}/${c.met + c.missed}` },
          ]}
        />
      }
    >
      {(width, a11y) => (
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
          {...a11y}
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
  return (
    <ChartBox
      testid={testid}
      title={title}
      label={{
        zh: `${title.zh}:折线图,${clocks.length} 个时钟,${months.length} 个月的准时率(%)。`,
        en: `${title.en}: line chart of ${clocks.length} clocks' on-time rate (%) over ${months.length} months.`,
      }}
      empty={months.length === 0}
      table={
        <FiguresTable
          rows={months}
          rowKey={(m) => m}
          label={(m) => m}
          labelHead={t("月份", "Month")}
          columns={clocks.map((c) => ({ key: c.clock, head: c.label, cell: (_m, i) => percentText(c.rates[i]) }))}
        />
      }
    >
      {(width, a11y) => (
        <LineChart
          data={{ chartTitle: inLang(title, lang), lineChartData: lines }}
          width={width}
          height={HEIGHT}
          yMinValue={0}
          yMaxValue={100}
          tickValues={monthTicks(months.length, width)}
          tickFormat={(v: number | Date) => monthTick(months[Number(v)] ?? "", lang)}
          hideTickOverlap
          {...a11y}
        />
      )}
    </ChartBox>
  );
}
