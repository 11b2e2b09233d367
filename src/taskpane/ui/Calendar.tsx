/**
 * 日历 Calendar: where each year's public holidays come from (published,
 * imported or estimated), and the State Council's notice imported in one
 * step — paste, check the days in a month view, confirm. The import writes
 * the Policy sheet (audited) and the functions recalculate with it.
 */
import { Badge, Button, Field, Input, Textarea } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import { serialToYmd, weekday, ymdToSerial } from "../../domain/dates";
import { festivalList, noticeCoverage, parseNotice, type ParsedNotice } from "../../domain/calendar/notice";
import { calendarYear, type YearSource } from "../../domain/sla";
import { errorOf, inLang, useLang, useT, type Bilingual } from "../i18n";
import { Notice, Refusal, Working } from "./common";
import { usePane } from "./pane";

const SOURCE: Record<YearSource, { label: Bilingual; color: "success" | "brand" | "warning" }> = {
  official: { label: { zh: "已公布(内置)", en: "Published (bundled)" }, color: "success" },
  policy: { label: { zh: "已导入设置表", en: "Imported (Policy sheet)" }, color: "brand" },
  provisional: { label: { zh: "估算", en: "Estimate" }, color: "warning" },
};

const WEEK_HEAD: Record<"zh" | "en", string[]> = {
  zh: ["一", "二", "三", "四", "五", "六", "日"],
  en: ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
};

/** One month as a grid of weeks (Monday first), each day marked off, worked (调休) or plain. */
function Month({ year, month, off, on }: { year: number; month: number; off: Set<string>; on: Set<string> }) {
  const lang = useLang();
  const t = useT();
  const first = ymdToSerial(year, month, 1);
  const days = ymdToSerial(year, month + 1, 1) - first;
  const lead = (weekday(first) + 6) % 7;
  const cells: (number | undefined)[] = [...Array(lead).fill(undefined), ...Array.from({ length: days }, (_, i) => first + i)];
  const weeks: (number | undefined)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  const iso = (s: number) => `${year}-${String(month).padStart(2, "0")}-${String(serialToYmd(s).day).padStart(2, "0")}`;
  return (
    <table className="cl-month" data-testid={`month-${year}-${month}`}>
      <caption>{t(`${year} 年 ${month} 月`, `${year}-${String(month).padStart(2, "0")}`)}</caption>
      <thead>
        <tr>
          {WEEK_HEAD[lang].map((d) => (
            <th key={d} scope="col">
              {d}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((w, i) => (
          <tr key={i}>
            {w.map((s, j) => {
              if (s === undefined) return <td key={j} />;
              const d = iso(s);
              const kind = off.has(d) ? "off" : on.has(d) ? "on" : "";
              const title = kind === "off" ? t("放假", "Off") : kind === "on" ? t("调休上班", "Worked (make-up)") : undefined;
              return (
                <td key={j} className={kind ? `cl-day-${kind}` : undefined} title={title} data-day={kind || undefined}>
                  {serialToYmd(s).day}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The months a set of days falls in, in order. */
function monthsOf(dates: readonly string[]): [number, number][] {
  const keys = [...new Set(dates.map((d) => d.slice(0, 7)))].sort();
  return keys.map((k) => [Number(k.slice(0, 4)), Number(k.slice(5, 7))]);
}

export default function CalendarScreen({ onPolicyWritten }: { onPolicyWritten?: () => Promise<void> }) {
  const pane = usePane();
  const t = useT();
  const { ledger, actor, today } = pane;
  const thisYear = serialToYmd(today).year;
  const years = useMemo(
    () => [thisYear - 1, thisYear, thisYear + 1].map((y) => calendarYear(ledger.policy, y)),
    // ledger.policy changes identity when the Policy sheet is re-read
    [ledger.policy, thisYear],
  );
  const [text, setText] = useState("");
  const [year, setYear] = useState("");
  const [parsed, setParsed] = useState<ParsedNotice>();
  const [error, setError] = useState<Bilingual[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Bilingual>();

  function read() {
    setDone(undefined);
    setError([]);
    setParsed(undefined);
    const y = year.trim() ? Number(year) : undefined;
    if (y !== undefined && !Number.isInteger(y)) {
      setError([{ zh: "年份应为数字,如 2027", en: "The year must be a number, e.g. 2027" }]);
      return;
    }
    try {
      setParsed(parseNotice(text, y));
    } catch (e) {
      setError([errorOf(e)]);
    }
  }

  async function confirm() {
    if (!parsed) return;
    if (!actor) {
      setError([
        { zh: '请先在上方"我是"中选择身份:导入会记入审计记录', en: 'Choose who you are ("I am", above) first: the import is recorded in the audit log' },
      ]);
      return;
    }
    setBusy(true);
    try {
      // The merge of a partial notice is asked for explicitly (NoticeResult's second confirm): never by default.
      const missing = noticeCoverage(parsed).missing;
      const r = await ledger.importCalendar(parsed, actor, { partial: missing.length > 0 });
      if (!r.ok) {
        setError(r.reasons);
        return;
      }
      await onPolicyWritten?.();
      const names = festivalList(missing);
      setDone(
        missing.length
          ? {
              zh: `${parsed.year} 年通知中的放假安排已写入设置表;${names.zh}仍按估算,到期日仍标为估算`,
              en: `The notice's ${parsed.year} holidays are on the Policy sheet; ${names.en} stay estimated, and their due dates stay marked as estimates`,
            }
          : {
              zh: `${parsed.year} 年放假安排已写入设置表,函数已重新计算;该年的到期日不再是估算`,
              en: `The ${parsed.year} holidays are on the Policy sheet and the functions recalculated: that year's due dates are no longer estimates`,
            },
      );
      setParsed(undefined);
      setText("");
      pane.refresh();
    } catch (e) {
      setError([errorOf(e, { zh: "写入设置表失败", en: "Writing the Policy sheet failed" })]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="cl-calendar" aria-label={t("节假日日历", "Holiday calendar")}>
      <h2>{t("节假日日历", "Holiday calendar")}</h2>
      <YearSources years={years} />
      <Field label={t("国务院办公厅放假通知全文", "The State Council's holiday notice (full text)")}>
        <Textarea
          value={text}
          onChange={(_, d) => setText(d.value)}
          rows={8}
          resize="vertical"
          data-testid="notice-text"
          placeholder={t("国务院办公厅关于 YYYY 年部分节假日安排的通知 …", "国务院办公厅关于 YYYY 年部分节假日安排的通知 … (paste as published)")}
        />
      </Field>
      <Field label={t("年份(通知标题中没有时填写)", "Year (when the title does not give it)")}>
        <Input value={year} onChange={(_, d) => setYear(d.value)} inputMode="numeric" size="small" />
      </Field>
      <div className="cl-actions">
        <Button appearance="primary" onClick={read} disabled={!text.trim() || busy} data-testid="notice-read">
          {t("读取", "Read")}
        </Button>
      </div>
      <Refusal title={{ zh: "无法导入", en: "Cannot import" }} reasons={error} />
      {done ? <Notice intent="success" msg={done} /> : null}
      {parsed ? <NoticeResult parsed={parsed} busy={busy} onConfirm={() => void confirm()} onCancel={() => setParsed(undefined)} /> : null}
    </section>
  );
}

/** Each year around today and where its holidays come from (published, imported or estimated). */
function YearSources({ years }: { years: ReturnType<typeof calendarYear>[] }) {
  const t = useT();
  const lang = useLang();
  return (
    <>
      <ul className="cl-list" data-testid="calendar-years">
        {years.map((y) => (
          <li key={y.year}>
            <strong>{y.year}</strong>{" "}
            <Badge appearance="tint" color={SOURCE[y.source].color} size="small" data-testid={`year-source-${y.year}`}>
              {inLang(SOURCE[y.source].label, lang)}
            </Badge>{" "}
            <span className="cl-muted">{t(`放假 ${y.off.length} 天,调休上班 ${y.on.length} 天`, `${y.off.length} days off, ${y.on.length} make-up days`)}</span>
          </li>
        ))}
      </ul>
      <p className="cl-muted">
        {t(
          "估算年份:按《全国年节及纪念日放假办法》推算法定假日(逢周末顺延补假),调休上班日未知。国务院通知公布后,粘贴全文导入。",
          "Estimated years follow the national holiday rules (a holiday on a weekend moves to the next weekday); make-up working days are unknown. Once the State Council publishes its notice, paste it here.",
        )}
      </p>
    </>
  );
}

/** The notice as read: its days in month views, warnings to check, and confirm / cancel. */
function NoticeResult({ parsed, busy, onConfirm, onCancel }: { parsed: ParsedNotice; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const t = useT();
  const off = useMemo(() => new Set(parsed.off), [parsed]);
  const on = useMemo(() => new Set(parsed.on), [parsed]);
  // A notice that leaves festivals out would make them working days: it is merged only when the user says so.
  const missing = useMemo(() => noticeCoverage(parsed).missing, [parsed]);
  const names = festivalList(missing);
  return (
    <div data-testid="notice-result">
      <p>
        <strong>{parsed.year}</strong>{" "}
        {t(`放假 ${parsed.off.length} 天,调休上班 ${parsed.on.length} 天`, `${parsed.off.length} days off, ${parsed.on.length} make-up working days`)}
      </p>
      {parsed.warnings.length ? <Refusal title={{ zh: "请核对", en: "Please check" }} reasons={parsed.warnings} /> : null}
      {missing.length ? (
        <div data-testid="notice-partial">
          <Notice
            intent="warning"
            msg={{
              zh: `这份通知没有${names.zh}:整份导入会把这些节日当作工作日。请粘贴通知全文;或合并导入,未提到的节日保留估算。`,
              en: `This notice has no ${names.en}: imported whole it would make those festivals working days. Paste the whole notice, or merge it: the festivals it does not mention keep their estimate.`,
            }}
          />
        </div>
      ) : null}
      <div className="cl-months">
        {monthsOf([...parsed.off, ...parsed.on]).map(([y, m]) => (
          <Month key={`${y}-${m}`} year={y} month={m} off={off} on={on} />
        ))}
      </div>
      <p className="cl-legend">
        <span className="cl-day-off">■</span> {t("放假", "off")} <span className="cl-day-on">■</span> {t("调休上班", "worked (make-up)")}
      </p>
      <div className="cl-actions">
        <Button appearance="primary" onClick={onConfirm} disabled={busy} data-testid={missing.length ? "notice-merge" : "notice-confirm"}>
          {missing.length
            ? t("合并:写入通知中的节日,其余保留估算", "Merge: write the notice's festivals, keep the estimate for the rest")
            : t(`确认,写入设置表`, "Confirm: write to the Policy sheet")}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          {t("取消", "Cancel")}
        </Button>
      </div>
      {busy ? <Working what={{ zh: "正在写入设置表…", en: "Writing the Policy sheet…" }} /> : null}
    </div>
  );
}
