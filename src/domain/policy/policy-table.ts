/**
 * The policy as one plain table of cells, so a workbook carries its own rules
 * on its Policy sheet (设置) and one range write or read moves all of it.
 *
 * Layout: each section starts with a marker row `[CLOCKS] 时限 Clocks`, then
 * a header row, then one row per entry; blank rows separate sections. Lists
 * inside a cell are separated by `;`, alternatives by `|` (signers "A; B|C":
 * A, then B or C). Reading reports every bad cell with its row number and
 * returns no policy at all unless every row is good: a half-read policy
 * would compute wrong due dates without anyone knowing.
 */
import { CellValue } from "../case";
import { DomainError } from "../errors";
import { serialToIso, toSerial } from "../dates";
import { CLOCK_CONDITIONS, CLOCK_UNITS, RELIED_ON, RESPONSIBILITY_GROUPS, defaultPolicy, type CalendarRow, type Policy, type Settings } from "./policy";
import { CASE_FIELDS, DATE_KEYS, readYesNo, yesNo, type DateKey } from "../schema";
import { DEFAULT_TIME_ZONE, readTimeZone } from "../zone";
import { CATEGORY_HEADER, categoryRow, LAYOUT_HEADER, layoutRow, MONEY_SETTINGS, readCategory, readLayout, readMoneySetting } from "../money/money-rows";

export type Cell = string | number | boolean | null;

export interface PolicyProblem {
  /** 1-based row in the table. */
  row: number;
  zh: string;
  en: string;
}

const list = (s: unknown): string[] =>
  String(s ?? "")
    .split(/[;；\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
const joinList = (xs: readonly string[]) => xs.join("; ");
const text = (s: unknown) => (s === null || s === undefined ? "" : String(s).trim());
const yesNoCell = (b: boolean | undefined) => (b === undefined ? "" : yesNo(b).zh);

function readBool(s: unknown, where: string): boolean | undefined {
  const t = text(s);
  if (t === "") return undefined;
  const b = readYesNo(s);
  if (b !== undefined) return b;
  throw new DomainError("POLICY_BAD_BOOL", `${where}应为 是/否:"${t}"`, `${where} should be yes/no: "${t}"`);
}

function readNumber(s: unknown, where: string): number {
  const x = typeof s === "number" ? s : Number(text(s));
  if (text(s) === "" || !Number.isFinite(x) || x < 0) {
    throw new DomainError("POLICY_BAD_NUMBER", `${where}应为非负数字:"${text(s)}"`, `${where} should be a non-negative number: "${text(s)}"`);
  }
  return x;
}

/** A case field's key, in any letter case. */
function caseKeyOf(s: string, where: string): string {
  const hit = CASE_FIELDS.find((f) => f.key.toLowerCase() === s.toLowerCase());
  if (!hit) throw new DomainError("POLICY_BAD_FIELD", `${where}"${s}"不是台账字段`, `${where} "${s}" is not a ledger field`);
  return hit.key;
}

/** A clock's start or end: the key of a date field ("receivedAt"), in any letter case. */
function dateKey(s: unknown, where: string): DateKey {
  const hit = DATE_KEYS.find((k) => k.toLowerCase() === text(s).toLowerCase());
  if (!hit) {
    throw new DomainError(
      "POLICY_BAD_FIELD",
      `${where}"${text(s)}"不是日期字段,可选:${DATE_KEYS.join("、")}`,
      `${where} "${text(s)}" is not a date field; one of: ${DATE_KEYS.join(", ")}`,
    );
  }
  return hit;
}

function oneOf<T extends string>(s: unknown, allowed: readonly T[], where: string): T {
  const t = text(s).toUpperCase() as T;
  if (!allowed.includes(t)) {
    throw new DomainError(
      "POLICY_BAD_CHOICE",
      `${where}"${text(s)}"无效,可选:${allowed.join("、")}`,
      `${where} "${text(s)}" is invalid; one of: ${allowed.join(", ")}`,
    );
  }
  return t;
}

interface Section {
  marker: string;
  zh: string;
  en: string;
  header: string[];
  write(p: Policy): Cell[][];
  /** Reads one data row into `p` (which starts empty for this section). */
  read(cells: Cell[], p: Policy): void;
}

const SETTINGS_KEYS: { key: keyof Settings; zh: string; en: string }[] = [
  { key: "language", zh: "函数输出语言 (zh/en)", en: "Language of function results (zh/en)" },
  { key: "dueSoonWorkdays", zh: "剩余几个工作日内算即将到期", en: "Working days left that count as due soon" },
  { key: "weekend", zh: "休息日 (0=周日 … 6=周六)", en: "Days off (0=Sunday … 6=Saturday)" },
  { key: "workHours", zh: "工作时间段", en: "Working periods" },
  { key: "extraCalendarYears", zh: "已在日历中补充法定节假日的年份", en: "Years whose public holidays the Calendar section completes" },
  { key: "eightDSeverities", zh: "需要8D报告的客诉等级", en: "Severities that need an 8D report" },
  { key: "caseNoPrefix", zh: "客诉单号前缀", en: "Case number prefix" },
  { key: "historyUntil", zh: "接管日期:此前已结案的案件为历史记录", en: "Adoption date: cases closed by then are history" },
  {
    key: "verifiedSignForms",
    zh: "须经 Microsoft 365 登录验证身份才能签核的单据(代码,逗号分隔)",
    en: "Forms whose signers must be verified by Microsoft 365 sign-in (codes, comma-separated)",
  },
  { key: "finableActions", zh: "计入乐捐的违规(审计动作)", en: "Refusals that count for the fine (audit actions)" },
  { key: "finePerViolation", zh: "乐捐金额(元/次)", en: "Fine per violation (yuan)" },
  { key: "retentionYears", zh: "记录保存年限(0=不限)", en: "Years records are kept (0 = no limit)" },
  { key: "companyName", zh: "公司名称(文件抬头)", en: "Company name on documents (Chinese)" },
  { key: "companyNameEn", zh: "公司英文名称", en: "Company name on documents (English)" },
  { key: "companyLogo", zh: "公司标志(data:image/png;base64,… 小图)", en: "Company logo (a small data:image/png;base64,… image)" },
  {
    key: "timeZone",
    zh: '台账时区:"今天"按此时区计 (默认 Asia/Shanghai 北京时间)',
    en: 'Ledger time zone: "today" is read in it (default Asia/Shanghai, China Standard Time)',
  },
];

function writeSetting(s: Settings, key: keyof Settings): Cell {
  switch (key) {
    case "weekend":
      return s.weekend.join(",");
    case "workHours":
      return s.workHours.map(([a, b]) => `${a}-${b}`).join(", ");
    case "extraCalendarYears":
      return s.extraCalendarYears.join(",");
    case "eightDSeverities":
      return joinList(s.eightDSeverities);
    case "finableActions":
      return joinList(s.finableActions);
    case "historyUntil":
      return s.historyUntil === undefined ? null : serialToIso(s.historyUntil);
    case "verifiedSignForms":
      return joinList(s.verifiedSignForms ?? []);
    default:
      return s[key] as Cell;
  }
}

function readSetting(s: Settings, key: string, value: Cell): void {
  const where = `设置 ${key}`;
  const ints = (v: Cell) =>
    text(v)
      .split(/[,，;；\s]+/)
      .filter(Boolean)
      .map((x) => {
        const n = Number(x);
        if (!Number.isInteger(n))
          throw new DomainError("POLICY_BAD_NUMBER", `${where}应为整数列表:"${text(v)}"`, `${where} should be a list of integers: "${text(v)}"`);
        return n;
      });
  switch (key) {
    case "language":
      s.language = oneOf(text(value).toUpperCase(), ["ZH", "EN"] as const, where).toLowerCase() as "zh" | "en";
      return;
    case "dueSoonWorkdays":
      s.dueSoonWorkdays = readNumber(value, where);
      return;
    case "weekend": {
      const days = ints(value);
      if (days.some((d) => d < 0 || d > 6)) throw new DomainError("POLICY_BAD_NUMBER", `${where}只能是 0–6`, `${where} must be 0–6`);
      s.weekend = days;
      return;
    }
    case "workHours": {
      const periods = text(value)
        .split(/[,，;；]/)
        .map((x) => x.trim())
        .filter(Boolean)
        .map((p) => {
          const m = /^(\d{1,2}:\d{2})\s*[-~–至]\s*(\d{1,2}:\d{2})$/.exec(p);
          if (!m)
            throw new DomainError(
              "POLICY_BAD_HOURS",
              `${where}应为"08:30-12:00, 13:30-17:30":"${p}"`,
              `${where} should look like "08:30-12:00, 13:30-17:30": "${p}"`,
            );
          return [m[1], m[2]] as [string, string];
        });
      s.workHours = periods;
      return;
    }
    case "extraCalendarYears":
      s.extraCalendarYears = ints(value);
      return;
    case "eightDSeverities":
      s.eightDSeverities = list(value);
      return;
    case "caseNoPrefix":
      s.caseNoPrefix = text(value);
      return;
    case "finableActions":
      s.finableActions = list(value);
      return;
    case "finePerViolation":
      s.finePerViolation = readNumber(value, where);
      return;
    case "retentionYears":
      s.retentionYears = readNumber(value, where);
      return;
    case "companyName":
    case "companyNameEn":
      s[key] = text(value);
      return;
    case "companyLogo": {
      const v = text(value);
      if (v && !/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=\s]+$/.test(v))
        throw new DomainError("POLICY_BAD_LOGO", `${where}应为 data:image/png;base64,… 形式的图片`, `${where} should be an image as data:image/png;base64,…`);
      s.companyLogo = v;
      return;
    }
    case "timeZone":
      s.timeZone = readTimeZone(text(value));
      return;
    case "historyUntil": {
      if (value === null || value === undefined || text(value) === "") {
        delete s.historyUntil;
        return;
      }
      const d = toSerial(value);
      if (!d.ok) throw new DomainError("POLICY_BAD_DATE", `${where}应为日期:"${text(value)}"`, `${where} should be a date: "${text(value)}"`);
      s.historyUntil = Math.floor(d.serial);
      return;
    }
    case "verifiedSignForms":
      s.verifiedSignForms = list(value);
      return;
    default:
      throw new DomainError("POLICY_UNKNOWN_SETTING", `未知的设置项"${key}"`, `Unknown setting "${key}"`);
  }
}

const named = (marker: string, zh: string, en: string, listOf: (p: Policy) => { code: string; zh: string; en: string; synonyms: string[] }[]): Section => ({
  marker,
  zh,
  en,
  header: ["代码 Code", "中文", "English", "同义词 Synonyms"],
  write: (p) => listOf(p).map((x) => [x.code, x.zh, x.en, joinList(x.synonyms)]),
  read: (c, p) => {
    listOf(p).push({ code: text(c[0]), zh: text(c[1]), en: text(c[2]), synonyms: list(c[3]) });
  },
});

const SECTIONS: Section[] = [
  {
    marker: "SETTINGS",
    zh: "设置",
    en: "Settings",
    header: ["键 Key", "值 Value", "说明 Note"],
    write: (p) => [
      ...SETTINGS_KEYS.map((k) => [k.key, writeSetting(p.settings, k.key), `${k.zh} / ${k.en}`]),
      ...MONEY_SETTINGS.map((k) => [k.key, k.get(p.money, p.review), `${k.zh} / ${k.en}`]),
    ],
    read: (c, p) => {
      const key = text(c[0]);
      if (MONEY_SETTINGS.some((k) => k.key === key)) readMoneySetting(key, c[1], p.money, p.review);
      else readSetting(p.settings, key, c[1]);
    },
  },
  named("CLASSES", "客户等级", "Customer classes", (p) => p.classes),
  named("SEVERITIES", "客诉等级", "Severities", (p) => p.severities),
  {
    marker: "CLOCKS",
    zh: "时限",
    en: "Clocks",
    header: [
      "代码 Code",
      "中文",
      "English",
      "单位 Unit",
      "含当日 Count start day",
      "起点字段 Starts at",
      "终点字段 Ends at",
      "适用 Applies when",
      "同义词 Synonyms",
      "依据 Source",
    ],
    write: (p) =>
      p.clocks.map((k) => [k.code, k.zh, k.en, k.unit, yesNoCell(k.countStartDay), k.startField, k.endField, k.appliesWhen, joinList(k.synonyms), k.source]),
    read: (c, p) => {
      p.clocks.push({
        code: text(c[0]),
        zh: text(c[1]),
        en: text(c[2]),
        unit: oneOf(c[3], CLOCK_UNITS, "时限单位 Unit"),
        countStartDay: readBool(c[4], "含当日 Count start day") ?? false,
        startField: dateKey(c[5], "起点字段 Starts at"),
        endField: dateKey(c[6], "终点字段 Ends at"),
        appliesWhen: oneOf(c[7], CLOCK_CONDITIONS, "适用条件 Applies when"),
        synonyms: list(c[8]),
        source: text(c[9]),
      });
    },
  },
  {
    marker: "LIMITS",
    zh: "时限值",
    en: "Limits",
    header: ["时限 Clock", "客户等级 Class", "客诉等级 Severity", "加急 Urgent", "时限 Limit", "目标 Target (范围下限 range start)"],
    write: (p) => p.limits.map((l) => [l.clock, l.customerClass ?? "", l.severity ?? "", yesNoCell(l.urgent), l.limit, l.target ?? ""]),
    read: (c, p) => {
      const limit = readNumber(c[4], "时限 Limit");
      const target = text(c[5]) === "" ? undefined : readNumber(c[5], "目标 Target");
      if (target !== undefined && target > limit) {
        throw new DomainError("POLICY_BAD_RANGE", `目标 ${target} 大于时限 ${limit}`, `Target ${target} is beyond the limit ${limit}`);
      }
      p.limits.push({
        clock: text(c[0]),
        customerClass: text(c[1]) || undefined,
        severity: text(c[2]) || undefined,
        urgent: readBool(c[3], "加急 Urgent"),
        limit,
        ...(target !== undefined ? { target } : {}),
      });
    },
  },
  {
    marker: "RESPONSIBILITY",
    zh: "责任",
    en: "Responsibility",
    header: ["代码 Code", "中文", "English", "收费 Charge", "类别 Group", "承担方 Payer", "关键词 Keywords", "提示词 Hints", "同义词 Synonyms"],
    write: (p) =>
      p.responsibilities.map((r) => [r.code, r.zh, r.en, r.charge, r.group, r.payer, joinList(r.keywords), joinList(r.hints), joinList(r.synonyms)]),
    read: (c, p) => {
      p.responsibilities.push({
        code: text(c[0]),
        zh: text(c[1]),
        en: text(c[2]),
        charge: oneOf(c[3], ["FREE", "CHARGED"] as const, "收费 Charge"),
        group: oneOf(c[4], RESPONSIBILITY_GROUPS, "类别 Group"),
        payer: text(c[5]),
        keywords: list(c[6]),
        hints: list(c[7]),
        synonyms: list(c[8]),
      });
    },
  },
  {
    marker: "DISPOSITIONS",
    zh: "处理方式",
    en: "Dispositions",
    header: ["代码 Code", "中文", "English", "签核单 Forms", "需退货 Needs goods", "适用责任类别 Groups", "同义词 Synonyms"],
    write: (p) => p.dispositions.map((d) => [d.code, d.zh, d.en, joinList(d.forms), yesNoCell(d.needsGoods), joinList(d.groups), joinList(d.synonyms)]),
    read: (c, p) => {
      p.dispositions.push({
        code: text(c[0]),
        zh: text(c[1]),
        en: text(c[2]),
        forms: list(c[3]),
        needsGoods: readBool(c[4], "需退货 Needs goods") ?? false,
        groups: list(c[5]).map((g) => oneOf(g, RESPONSIBILITY_GROUPS, "适用责任类别 Groups")),
        synonyms: list(c[6]),
      });
    },
  },
  {
    marker: "FORMS",
    zh: "签核单",
    en: "Approval forms",
    header: ["代码 Code", "中文", "English", "签核人 Signers", "签核前须填 Requires"],
    write: (p) => p.forms.map((f) => [f.code, f.zh, f.en, f.signers.map((s) => s.join("|")).join("; "), joinList(f.requires ?? [])]),
    read: (c, p) => {
      p.forms.push({
        code: text(c[0]),
        zh: text(c[1]),
        en: text(c[2]),
        synonyms: [],
        signers: list(c[3]).map((slot) =>
          slot
            .split("|")
            .map((r) => r.trim())
            .filter(Boolean),
        ),
        requires: list(c[4]).map((k) => caseKeyOf(k, "签核前须填 Requires")),
      });
    },
  },
  named("ROLES", "角色", "Roles", (p) => p.roles),
  {
    marker: "CALENDAR",
    zh: "日历",
    en: "Calendar",
    header: ["日期 Date", "类型 Kind (OFF/WORK)", "范围 Scope (OFFICIAL/COMPANY)", "名称 Name"],
    write: (p) => p.calendar.map((r) => [r.date, r.kind, r.scope, r.name]),
    read: (c, p) => {
      const date = text(c[0]);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        throw new DomainError("POLICY_BAD_DATE", `日历日期应为 YYYY-MM-DD:"${date}"`, `Calendar date should be YYYY-MM-DD: "${date}"`);
      }
      const row: CalendarRow = {
        date,
        kind: oneOf(c[1], ["OFF", "WORK"] as const, "类型 Kind"),
        scope: oneOf(c[2], ["OFFICIAL", "COMPANY"] as const, "范围 Scope"),
        name: text(c[3]),
      };
      p.calendar.push(row);
    },
  },
  {
    marker: "CONFIDENTIAL",
    zh: "保密词",
    en: "Confidential terms",
    header: ["词语 Term", "例外 Exception (是/否)"],
    write: (p) => [...p.confidentialTerms.map((t) => [t, ""]), ...p.confidentialExceptions.map((t) => [t, yesNoCell(true)])],
    read: (c, p) => {
      if (readBool(c[1], "例外 Exception")) p.confidentialExceptions.push(text(c[0]));
      else p.confidentialTerms.push(text(c[0]));
    },
  },
  {
    marker: "STEPS",
    zh: "步骤权限",
    en: "Steps",
    header: ["代码 Code", "中文", "English", "字段 Fields", "角色 Roles", "代理 Deputies", "依据 Source"],
    write: (p) => p.steps.map((x) => [x.code, x.zh, x.en, joinList(x.fields), joinList(x.roles), joinList(x.deputies), x.source]),
    read: (c, p) => {
      p.steps.push({
        code: text(c[0]),
        zh: text(c[1]),
        en: text(c[2]),
        synonyms: [],
        fields: list(c[3]).map((k) => caseKeyOf(k, "字段 Fields")),
        roles: list(c[4]),
        deputies: list(c[5]),
        source: text(c[6]),
      });
    },
  },
  {
    marker: "COST_CATEGORIES",
    zh: "费用类别",
    en: "Cost categories",
    header: CATEGORY_HEADER,
    write: (p) => p.money.categories.map(categoryRow),
    read: (c, p) => void p.money.categories.push(readCategory(c)),
  },
  {
    marker: "JOURNAL_LAYOUTS",
    zh: "凭证格式",
    en: "Journal layouts",
    header: LAYOUT_HEADER,
    write: (p) => p.money.layouts.map(layoutRow),
    read: (c, p) => void p.money.layouts.push(readLayout(c)),
  },
  {
    marker: "SEVERITY_CRITERIA",
    zh: "客诉等级判据",
    en: "Severity criteria",
    header: ["客诉等级 Severity", "词语 Words", "最少个数 Min count", "依据 Source"],
    write: (p) => p.severityCriteria.map((x) => [x.severity, joinList(x.words), x.minCount ?? "", x.source]),
    read: (c, p) => {
      p.severityCriteria.push({
        severity: text(c[0]),
        words: list(c[1]),
        ...(text(c[2]) === "" ? {} : { minCount: readNumber(c[2], "最少个数 Min count") }),
        source: text(c[3]),
      });
    },
  },
];

/** The policy as rows of cells, ready for one range write. */
export function policyToRows(policy: Policy): Cell[][] {
  const rows: Cell[][] = [];
  for (const s of SECTIONS) {
    if (rows.length) rows.push([]);
    rows.push([`[${s.marker}]`, `${s.zh} ${s.en}`]);
    rows.push([...s.header]);
    rows.push(...s.write(policy));
  }
  const width = Math.max(...rows.map((r) => r.length));
  return rows.map((r) => [...r, ...Array<Cell>(width - r.length).fill("")]);
}

/** Clears the sections present in the table so their rows replace the defaults. */
function emptySection(p: Policy, marker: string): void {
  switch (marker) {
    case "CLASSES":
      p.classes = [];
      break;
    case "SEVERITIES":
      p.severities = [];
      break;
    case "CLOCKS":
      p.clocks = [];
      break;
    case "LIMITS":
      p.limits = [];
      break;
    case "RESPONSIBILITY":
      p.responsibilities = [];
      break;
    case "DISPOSITIONS":
      p.dispositions = [];
      break;
    case "FORMS":
      p.forms = [];
      break;
    case "ROLES":
      p.roles = [];
      break;
    case "CALENDAR":
      p.calendar = [];
      break;
    case "CONFIDENTIAL":
      p.confidentialTerms = [];
      p.confidentialExceptions = [];
      break;
    case "STEPS":
      p.steps = [];
      break;
    case "SEVERITY_CRITERIA":
      p.severityCriteria = [];
      break;
    case "COST_CATEGORIES":
      p.money.categories = [];
      break;
    case "JOURNAL_LAYOUTS":
      p.money.layouts = [];
      break;
  }
}

/**
 * Reads a policy table. Sections missing from the table keep their defaults
 * (an older workbook gains new sections without losing its edits); a section
 * present replaces the default entirely. Returns the problems found, and a
 * policy only when there are none.
 */
export function policyFromRows(rows: readonly (readonly CellValue[])[]): { policy?: Policy; problems: PolicyProblem[]; supplied: SuppliedCode[] } {
  const p = defaultPolicy();
  const problems: PolicyProblem[] = [];
  let section: Section | undefined;
  let expectHeader = false;
  const seen = new Set<string>();
  rows.forEach((raw, i) => {
    const cells = raw.map((x) => (x instanceof Date ? x.toISOString().slice(0, 10) : (x ?? null))) as Cell[];
    const first = text(cells[0]);
    const marker = /^\[([A-Z_]+)\]$/.exec(first);
    if (marker) {
      section = SECTIONS.find((s) => s.marker === marker[1]);
      if (!section) {
        problems.push({ row: i + 1, zh: `未知的分区"${first}"`, en: `Unknown section "${first}"` });
      } else if (seen.has(section.marker)) {
        // A section repeated further down continues it: an upgrade appends the rows a release adds
        // below the sheet's last row, so no cell the user wrote moves (ledger/migrations).
      } else {
        seen.add(section.marker);
        emptySection(p, section.marker);
      }
      expectHeader = true;
      return;
    }
    if (cells.every((x) => text(x) === "")) return;
    if (expectHeader) {
      expectHeader = false;
      return;
    }
    if (!section) {
      if (seen.size > 0 || first !== "") problems.push({ row: i + 1, zh: "此行不属于任何分区", en: "This row belongs to no section" });
      return;
    }
    try {
      section.read(cells, p);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      problems.push({ row: i + 1, zh: e.zh, en: e.en });
    }
  });
  const supplied = seen.size ? supplyReliedOn(p) : [];
  problems.push(...crossCheck(p));
  return problems.length ? { problems, supplied } : { policy: p, problems, supplied };
}

/** A code the program relies on that the sheet lacked, taken from the defaults (and written by the next upgrade). */
export interface SuppliedCode {
  list: (typeof RELIED_ON)[number]["list"];
  code: string;
  zh: string;
  en: string;
}

/**
 * Codes in RELIED_ON the sheet lacks are taken from the defaults (a clock with
 * its default limits when the sheet has none for it), never a reason to drop
 * the user's whole policy: a release that starts relying on a new code would
 * otherwise throw away every existing ledger's rules.
 */
function supplyReliedOn(p: Policy): SuppliedCode[] {
  const d = defaultPolicy();
  const out: SuppliedCode[] = [];
  for (const need of RELIED_ON) {
    const list = p[need.list] as { code: string }[];
    for (const code of need.codes) {
      if (list.some((x) => x.code === code)) continue;
      const row = (d[need.list] as { code: string }[]).find((x) => x.code === code);
      if (!row) continue;
      list.push(row);
      if (need.list === "clocks" && !p.limits.some((l) => l.clock === code)) p.limits.push(...d.limits.filter((l) => l.clock === code));
      out.push({
        list: need.list,
        code,
        zh: `设置表缺少程序依赖的${need.zh}代码"${code}",已按默认值补上(升级台账时写入设置表)`,
        en: `The Policy sheet lacks ${need.en} code "${code}", which the add-in relies on; the default is used (an upgrade writes it to the sheet)`,
      });
    }
  }
  return out;
}

/** References between sections must resolve: a limit's clock, a form's roles… */
function crossCheck(p: Policy): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const bad = (zh: string, en: string) => out.push({ row: 0, zh, en });
  const codes = (xs: { code: string }[]) => new Set(xs.map((x) => x.code));
  const clocks = codes(p.clocks),
    forms = codes(p.forms),
    roles = codes(p.roles);
  const classes = codes(p.classes),
    sevs = codes(p.severities);
  for (const l of p.limits) {
    if (!clocks.has(l.clock)) bad(`时限值引用了不存在的时限"${l.clock}"`, `A limit names unknown clock "${l.clock}"`);
    if (l.customerClass && !classes.has(l.customerClass))
      bad(`时限值引用了不存在的客户等级"${l.customerClass}"`, `A limit names unknown class "${l.customerClass}"`);
    if (l.severity && !sevs.has(l.severity)) bad(`时限值引用了不存在的客诉等级"${l.severity}"`, `A limit names unknown severity "${l.severity}"`);
  }
  for (const d of p.dispositions)
    for (const f of d.forms) {
      if (!forms.has(f)) bad(`处理方式"${d.code}"引用了不存在的签核单"${f}"`, `Disposition ${d.code} names unknown form "${f}"`);
    }
  for (const st of p.steps)
    for (const r of [...st.roles, ...st.deputies]) {
      if (!roles.has(r)) bad(`步骤"${st.code}"引用了不存在的角色"${r}"`, `Step ${st.code} names unknown role "${r}"`);
    }
  const categories = codes(p.money.categories);
  for (const l of p.money.layouts)
    for (const k of Object.keys(l.accounts)) {
      if (!categories.has(k)) bad(`凭证格式"${l.code}"的科目对照引用了不存在的费用类别"${k}"`, `Journal layout ${l.code} maps unknown cost category "${k}"`);
    }
  for (const f of p.forms)
    for (const slot of f.signers)
      for (const r of slot) {
        if (!roles.has(r)) bad(`签核单"${f.code}"引用了不存在的角色"${r}"`, `Form ${f.code} names unknown role "${r}"`);
      }
  // Codes the program names (policy.ts RELIED_ON): renaming one on the sheet would silently switch its rule off.
  for (const need of RELIED_ON) {
    const have = codes(p[need.list]);
    for (const code of need.codes) {
      if (!have.has(code)) {
        bad(
          `设置表缺少程序依赖的${need.zh}代码"${code}"(可改名称、同义词,不能改代码或删除)`,
          `The Policy sheet lacks ${need.en} code "${code}", which the add-in relies on (rename its labels, keep the code)`,
        );
      }
    }
  }
  const prefix = p.settings.caseNoPrefix;
  if (!/^[^\s]+$/.test(prefix)) {
    bad(`客诉单号前缀"${prefix}"不能为空或含空格`, `The case number prefix "${prefix}" must not be blank or contain spaces`);
  }
  const formCodes = new Set(p.forms.map((f) => f.code));
  for (const f of p.settings.verifiedSignForms ?? []) {
    if (!formCodes.has(f)) bad(`设置中须验证签核的单据"${f}"不存在`, `Form "${f}" in the verified-signature setting is unknown`);
  }
  for (const x of p.severityCriteria) {
    if (!sevs.has(x.severity)) bad(`客诉等级判据引用了不存在的等级"${x.severity}"`, `A severity criterion names unknown severity "${x.severity}"`);
  }
  for (const s of p.settings.eightDSeverities) {
    if (!sevs.has(s)) bad(`设置中的8D等级"${s}"不存在`, `8D severity "${s}" in the settings is unknown`);
  }
  for (const list of [p.clocks, p.responsibilities, p.dispositions, p.forms, p.roles, p.classes, p.severities] as { code: string }[][]) {
    const seen = new Set<string>();
    for (const x of list) {
      if (!x.code) bad("有一行缺少代码", "A row has no code");
      else if (seen.has(x.code)) bad(`代码"${x.code}"重复`, `Code "${x.code}" appears twice`);
      seen.add(x.code);
    }
  }
  return out;
}

/**
 * The ledger's time zone from its Policy rows without reading the whole policy
 * (a prefetch needs "today" before the policy is parsed); the default when the
 * setting is absent or does not read, as policyFromRows would fall back.
 */
export function timeZoneOfRows(rows: readonly (readonly CellValue[])[]): string {
  let inSettings = false;
  for (const r of rows) {
    const first = text(r[0]);
    if (/^\[[A-Z_]+\]$/.test(first)) inSettings = first === "[SETTINGS]";
    else if (inSettings && first === "timeZone") {
      try {
        return readTimeZone(text(r[1]));
      } catch {
        return DEFAULT_TIME_ZONE;
      }
    }
  }
  return DEFAULT_TIME_ZONE;
}
