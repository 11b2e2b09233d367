/** Small pieces shared by the screens: refusals, due-date badges, progress. */
import { Badge, MessageBar, MessageBarBody, MessageBarTitle, ProgressBar } from "@fluentui/react-components";
import { serialToIso } from "../../domain/dates";
import type { WorkCalendar } from "../../domain/calendar/calendar";
import type { ClockState, SlaStatus } from "../../domain/sla";
import { SLA_STATUSES } from "../../domain/sla";
import type { EditReason } from "../../ledger/edit-check";
import { Both, inLang, useLang, useT, type Bilingual } from "../i18n";

/** Reasons split into those shown next to a field on screen and the rest (shown in a banner). */
export function splitReasons(reasons: readonly EditReason[], shown: readonly string[]): { byField: Record<string, Bilingual>; other: EditReason[] } {
  const byField: Record<string, Bilingual> = {};
  const other: EditReason[] = [];
  for (const r of reasons) {
    if (shown.includes(r.field) && !byField[r.field]) byField[r.field] = { zh: r.zh, en: r.en };
    else other.push(r);
  }
  return { byField, other };
}

/** A refused save: every reason in both languages. */
export function Refusal({ title, reasons }: { title?: Bilingual; reasons: readonly Bilingual[] }) {
  const t = useT();
  if (reasons.length === 0) return null;
  return (
    <MessageBar intent="error" layout="multiline" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title ? <Both msg={title} /> : t("未保存", "Not saved")}</MessageBarTitle>
        <ul className="cl-reasons">
          {reasons.map((r, i) => (
            <li key={i}>
              <Both msg={r} />
            </li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}

export function Notice({ intent, msg, children }: { intent: "success" | "info" | "warning" | "error"; msg: Bilingual; children?: React.ReactNode }) {
  return (
    <MessageBar intent={intent} layout="multiline" role={intent === "error" ? "alert" : "status"}>
      <MessageBarBody>
        <Both msg={msg} />
        {children}
      </MessageBarBody>
    </MessageBar>
  );
}

const COLORS: Record<SlaStatus, "success" | "warning" | "danger" | "informative" | "subtle"> = {
  ON_TIME: "informative",
  DUE_SOON: "warning",
  OVERDUE: "danger",
  MET: "success",
  MISSED: "danger",
};

export function SlaBadge({ status }: { status: SlaStatus }) {
  const lang = useLang();
  const def = SLA_STATUSES.find((s) => s.code === status)!;
  return (
    <Badge appearance="tint" color={COLORS[status]} size="small" className="cl-nowrap">
      {inLang(def, lang)}
    </Badge>
  );
}

export const isoDay = (serial: number) => serialToIso(Math.floor(serial));
export const isoTime = (serial: number) => serialToIso(serial);

/** Marks a date computed on an estimated holiday calendar (a year whose notice is not in yet). */
export function EstimateMark() {
  const t = useT();
  return (
    <Badge
      appearance="outline"
      color="warning"
      size="small"
      className="cl-nowrap"
      data-testid="estimate-mark"
      title={t(
        "该年放假安排尚未公布,按规则估算;导入通知后自动更正",
        "This year's holidays are not published yet: estimated from the rules, corrected once the notice is imported",
      )}
    >
      {t("估算", "estimate")}
    </Badge>
  );
}

/** Clocks counted in calendar days (not working days or hours): their due date may fall on a day off. */
const CALENDAR_UNITS = new Set(["DAY", "WEEK", "MONTH"]);

/**
 * Whether a calendar-day due date lands on a weekend or public holiday, where
 * nobody ships or receives (承诺到货 on 10月1日). Undefined when the calendar
 * has no data for that year (it says so elsewhere).
 */
export function offDay(k: ClockState, cal: WorkCalendar): boolean | undefined {
  if (k.due === undefined || !CALENDAR_UNITS.has(k.clock.unit)) return false;
  try {
    return !cal.isWorkday(Math.floor(k.due));
  } catch {
    return undefined;
  }
}

/** One clock as a line: name, due date, status (or why it has no due date); a warning when a calendar-day due date is a day off. */
export function ClockLine({ k, cal }: { k: ClockState; cal?: WorkCalendar }) {
  const lang = useLang();
  const t = useT();
  const off = cal ? offDay(k, cal) : false;
  return (
    <li className="cl-clock">
      <span>{inLang(k.clock, lang)}</span>{" "}
      {k.due !== undefined ? (
        <>
          <span className="cl-nowrap">
            {t("到期", "due")} {k.clock.unit === "WORKHOUR" || k.clock.unit === "HOUR" ? isoTime(k.due) : isoDay(k.due)}
          </span>{" "}
          {k.target !== undefined ? (
            // A range (15–30 个工作日): the target shown beside the limit; only the limit makes it overdue.
            <span className="cl-nowrap cl-muted" data-testid="clock-target">
              ({t("目标", "target")} {isoDay(k.target)})
            </span>
          ) : null}{" "}
          {k.estimate ? <EstimateMark /> : null}
          {k.status ? <SlaBadge status={k.status} /> : null}
          {off ? (
            <Both
              className="cl-warn"
              msg={{
                zh: "到期日是节假日或周末,请确认当天能否发货/到货",
                en: "The due date is a weekend or public holiday: check that shipping or delivery is possible that day",
              }}
            />
          ) : null}
        </>
      ) : k.problem ? (
        <Both msg={k.problem} className="cl-muted" />
      ) : (
        <span className="cl-muted">{t("未开始", "not started")}</span>
      )}
    </li>
  );
}

/** A long write: an indeterminate bar and what is happening. */
export function Working({ what }: { what: Bilingual }) {
  const lang = useLang();
  return (
    <div className="cl-working" role="status" aria-live="polite">
      <ProgressBar thickness="large" aria-label={inLang(what, lang)} />
      <span className="cl-muted">{inLang(what, lang)}</span>
    </div>
  );
}

/** Saves a file through the browser (blob URL + a[download]); Office's web views allow it on Excel on the web and desktop. */
export function downloadFile(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
