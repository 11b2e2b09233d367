/**
 * The Excel custom functions through their public JS signatures, as Excel
 * calls them: dates in as serial numbers or text, dates out as serials
 * (1900 date system), bad input as a FunctionError carrying an Excel error
 * kind and a message in 中文 and English.
 */
import {
  approvals,
  charge,
  currentPolicy,
  dueDate,
  estimate,
  FunctionError,
  needs8D,
  networkdays,
  respCode,
  setPolicy,
  slaStatus,
  workday,
  type ErrorKind,
} from "../../src/functions/functions";
import { CN_OFFICIAL_YEARS } from "../../src/domain/calendar/cn-holidays";
import { defaultPolicy, type Policy } from "../../src/domain/policy/policy";
import { PROVISIONAL_YEARS } from "../../src/domain/calendar/provisional";

/** Serial of an ISO date, computed here (not with src/domain/dates) so the tests check the arithmetic. */
const S = (iso: string): number => {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 86400000 + 25569;
};
/** Serial of an ISO date plus a wall-clock time. */
const ST = (iso: string, hm: string): number => {
  const [h, m] = hm.split(":").map(Number);
  return S(iso) + (h * 60 + m) / 1440;
};

const SEP30 = 46295; // 2026-09-30, a Wednesday before National Day

/** The first year the bundled official data lacks: its holidays are estimated. Derived, so new data moves it. */
const EST = Math.max(...CN_OFFICIAL_YEARS) + 1;
/** A year beyond every calendar, official or provisional. */
const NONE = PROVISIONAL_YEARS.last + 1;
const iso = (y: number, md: string) => `${y}-${md}`;

/** Runs fn, which must throw a FunctionError, and returns that error. */
function errorOf(fn: () => unknown): FunctionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FunctionError) return e;
    throw new Error(`expected a FunctionError, got ${String(e)}`);
  }
  throw new Error("expected a FunctionError, but the call returned");
}

const CJK = /[\u4e00-\u9fff]/;
const ASCII_WORD = /\b[A-Za-z]{3,}\b/;

/** fn must raise `kind` with a bilingual message mentioning every `mentions`. */
function expectError(fn: () => unknown, kind: ErrorKind, ...mentions: (string | RegExp)[]): FunctionError {
  const e = errorOf(fn);
  expect(e.kind).toBe(kind);
  expect(e.message).toMatch(CJK);
  expect(e.message).toMatch(ASCII_WORD);
  for (const m of mentions) {
    if (typeof m === "string") expect(e.message).toContain(m);
    else expect(e.message).toMatch(m);
  }
  return e;
}

function withPolicy(edit: (p: Policy) => void): Policy {
  const p = defaultPolicy();
  edit(p);
  setPolicy(p);
  return p;
}

afterEach(() => setPolicy(defaultPolicy()));

describe("date inputs and outputs", () => {
  test("2026-09-30 is serial 46295 (the test's own arithmetic agrees)", () => {
    expect(S("2026-09-30")).toBe(SEP30);
    expect(workday(SEP30, 0)).toBe(46295);
  });

  test.each([
    ["serial", SEP30],
    ["ISO text", "2026-09-30"],
    ["slashes, no padding", "2026/9/30"],
    ["Chinese", "2026年9月30日"],
    ["full-width digits and hyphens", "２０２６－０９－３０"],
    ["full-width digits, ASCII hyphens", "２０２６-０９-３０"],
    ["full-width Chinese", "２０２６年９月３０日"],
    ["dots", "2026.9.30"],
    ["compact", "20260930"],
    ["serial pasted as text", "46295"],
    ["padded with spaces", "  2026-09-30 "],
  ])("start accepted as %s", (_label, start) => {
    expect(workday(start, 0)).toBe(SEP30);
    expect(workday(start, 1)).toBe(S("2026-10-08"));
  });

  test("results are plain serial numbers", () => {
    const r = workday("2026-09-30", 3);
    expect(typeof r).toBe("number");
    expect(Number.isInteger(r)).toBe(true);
  });

  test("text with a time of day keeps the time (seen through LOG, a 1-working-hour clock)", () => {
    expect(dueDate("2026-09-30 16:30", "LOG")).toBeCloseTo(ST("2026-09-30", "17:30"), 6);
    expect(dueDate("2026年9月30日 16:30", "LOG")).toBeCloseTo(ST("2026-09-30", "17:30"), 6);
  });
});

describe("WORKDAY", () => {
  test("across National Day 2026: +1 is Oct 8, +3 is the make-up Saturday Oct 10", () => {
    expect(workday(SEP30, 1)).toBe(S("2026-10-08"));
    expect(workday(SEP30, 2)).toBe(S("2026-10-09"));
    expect(workday(SEP30, 3)).toBe(S("2026-10-10")); // Saturday worked (调休)
    expect(new Date((workday(SEP30, 3) - 25569) * 86400000).getUTCDay()).toBe(6);
    expect(workday(SEP30, 4)).toBe(S("2026-10-12"));
  });

  test("negative days go back; zero returns the start even on a holiday", () => {
    expect(workday("2026-10-08", -1)).toBe(SEP30);
    expect(workday("2026-10-12", -1)).toBe(S("2026-10-10"));
    expect(workday("2026-10-01", 0)).toBe(S("2026-10-01"));
  });

  test("from a day off, counting starts at the next working day", () => {
    expect(workday("2026-10-03", 1)).toBe(S("2026-10-08"));
    expect(workday("2026-10-03", -1)).toBe(SEP30);
  });

  test("Spring Festival 2026: Feb 14 worked, Feb 15–23 off", () => {
    expect(workday("2026-02-13", 1)).toBe(S("2026-02-14"));
    expect(workday("2026-02-14", 1)).toBe(S("2026-02-24"));
  });

  test("fractional days are truncated as in Excel; a time on the start is dropped", () => {
    expect(workday(SEP30, 1.9)).toBe(S("2026-10-08"));
    expect(workday(SEP30, -1.9)).toBe(S("2026-09-29"));
    expect(workday(SEP30 + 0.75, 1)).toBe(S("2026-10-08"));
  });

  test.each([
    ["bad month", "2026-13-01", "2026-13-01"],
    ["no such day", "2026-02-29", "2026-02-29"],
    ["not a date", "abc", "abc"],
    ["no year", "9月30日", /year/],
  ])("#VALUE! for a start that is %s", (_label, start, mention) => {
    expectError(() => workday(start, 1), "#VALUE!", mention);
  });

  test.each([
    ["TRUE", true],
    ["FALSE", false],
    ["blank text", ""],
    ["null", null],
    ["undefined", undefined],
    ["serial before 1900-03-01", 60],
    ["negative serial", -1],
    ["NaN", NaN],
  ])("#VALUE! for a start that is %s", (_label, start) => {
    expectError(() => workday(start, 1), "#VALUE!", /start/);
  });

  test("a boolean is named as not a date, not as missing", () => {
    expectError(() => workday(true, 1), "#VALUE!", /"true" is not a date/, /不是日期/);
  });

  test.each([
    ["text", "x"],
    ["TRUE", true],
    ["blank", ""],
    ["Infinity", Infinity],
  ])("#VALUE! for days that are %s", (_label, days) => {
    expectError(() => workday(SEP30, days as number), "#VALUE!", /days/);
  });

  test.each([1e6, -1e6, 100001, 1e12])("#NUM! for an absurd day count %p", (days) => {
    expectError(() => workday(SEP30, days), "#NUM!", /range/);
  });

  test("#N/A for a year beyond every calendar, naming the year", () => {
    expectError(() => workday(iso(NONE, "03-01"), 1), "#N/A", String(NONE));
    expectError(() => workday(iso(NONE - 1, "12-30"), 5), "#N/A", String(NONE)); // runs off the last year
    expectError(() => workday(S(iso(NONE, "06-01")), 0), "#N/A", String(NONE));
  });

  test("a year without official data gets provisional dates, never a holiday, marked by ESTIMATE", () => {
    const oct1 = S(iso(EST, "10-01"));
    for (let k = -1; k <= 7; k++) {
      const d = workday(oct1 - 1, k + 1);
      expect([0, 6]).not.toContain(new Date((d - 25569) * 86400000).getUTCDay());
      expect(d < oct1 || d > oct1 + 2).toBe(true); // 国庆 Oct 1–3 are statutory in any year
    }
    expect(estimate(workday(oct1 - 1, 1))).toBe(true);
    expect(estimate(SEP30)).toBe(false);
    expect(estimate(workday(S(iso(EST - 1, "12-20")), 15), S(iso(EST - 1, "12-20")))).toBe(true); // the span reaches it
    expect(estimate("")).toBe(false);
  });
});

describe("NETWORKDAYS", () => {
  test("inclusive of both ends, around National Day", () => {
    expect(networkdays("2026-09-30", "2026-10-10")).toBe(4); // 30, Oct 8, 9, 10
    expect(networkdays("2026-09-28", "2026-10-11")).toBe(6);
    expect(networkdays(SEP30, SEP30)).toBe(1);
    expect(networkdays("2026-10-01", "2026-10-01")).toBe(0);
  });

  test("negative when the end is before the start", () => {
    expect(networkdays("2026-10-10", "2026-09-30")).toBe(-4);
    expect(networkdays("2026-10-11", "2026-09-28")).toBe(-6);
  });

  test("accepts every date form", () => {
    expect(networkdays("2026/9/30", "２０２６年１０月１０日")).toBe(4);
  });

  test("agrees with WORKDAY", () => {
    for (const n of [1, 5, 17, 60]) expect(networkdays(SEP30, workday(SEP30, n))).toBe(n + 1);
  });

  test("errors", () => {
    expectError(() => networkdays(SEP30, "abc"), "#VALUE!", /end/);
    expectError(() => networkdays(true, SEP30), "#VALUE!", /start/);
    expectError(() => networkdays(iso(NONE - 1, "12-01"), iso(NONE, "01-05")), "#N/A", String(NONE));
  });
});

describe("DUEDATE", () => {
  test("JUDGEMENT: (2天内完成) is 2 calendar days, holidays included, by code or Chinese name", () => {
    expect(dueDate(SEP30, "JUDGEMENT")).toBe(S("2026-10-02"));
    expect(dueDate(SEP30, "品质判定")).toBe(S("2026-10-02"));
    expect(dueDate("2026年9月30日", "判定")).toBe(S("2026-10-02"));
    // A working-day clock of the same length waits out the National Day holiday.
    expect(dueDate(SEP30, "CORRECTIVE_ACTION")).toBe(S("2026-10-09"));
  });

  test("REPLY_DOMESTIC: 7 working days, 2 when urgent", () => {
    expect(dueDate(SEP30, "REPLY_DOMESTIC")).toBe(S("2026-10-15"));
    expect(dueDate(SEP30, "回复(国内)")).toBe(S("2026-10-15"));
    expect(dueDate(SEP30, "回复（国内）")).toBe(S("2026-10-15"));
    expect(dueDate(SEP30, "REPLY_DOMESTIC", "", "", false)).toBe(S("2026-10-15"));
    expect(dueDate(SEP30, "REPLY_DOMESTIC", "", "", "否")).toBe(S("2026-10-15"));
    expect(dueDate(SEP30, "REPLY_DOMESTIC", "", "", true)).toBe(S("2026-10-09"));
    expect(dueDate(SEP30, "REPLY_DOMESTIC", "", "", "是")).toBe(S("2026-10-09"));
  });

  test("REPLY_INTERNATIONAL: 15–30 working days, overdue past 30; 3 when urgent (the make-up Saturday counts)", () => {
    expect(dueDate(SEP30, "REPLY_INTERNATIONAL")).toBe(S("2026-11-17"));
    expect(networkdays(SEP30, S("2026-11-17"))).toBe(31);
    expect(dueDate(SEP30, "REPLY_INTERNATIONAL", "", "", true)).toBe(S("2026-10-10"));
  });

  test("REPLACEMENT_PROMISE by class: calendar days counting the start day", () => {
    expect(dueDate(SEP30, "REPLACEMENT_PROMISE", "A")).toBe(SEP30); // same day
    expect(dueDate(SEP30, "REPLACEMENT_PROMISE", "B")).toBe(SEP30 + 1); // next day, a holiday: calendar days
    expect(dueDate(SEP30, "REPLACEMENT_PROMISE", "C")).toBe(SEP30 + 2);
    expect(dueDate(SEP30, "承诺到货", "A类")).toBe(SEP30);
    expect(dueDate(SEP30, "REPLACEMENT_PROMISE", "B类客户")).toBe(SEP30 + 1);
    expect(dueDate(SEP30, "REPLACEMENT_PROMISE", "Class C")).toBe(SEP30 + 2);
  });

  test("REPLACEMENT_PROMISE without a class: #N/A naming the class", () => {
    expectError(() => dueDate(SEP30, "REPLACEMENT_PROMISE"), "#N/A", "客户等级", /class/);
    expectError(() => dueDate(SEP30, "REPLACEMENT_PROMISE", ""), "#N/A", /class/);
  });

  test("CLOSE: 1 week when minor, 4 weeks when serious", () => {
    expect(dueDate(SEP30, "CLOSE", "", "MINOR")).toBe(SEP30 + 7);
    expect(dueDate(SEP30, "CLOSE", "", "一般")).toBe(SEP30 + 7);
    expect(dueDate(SEP30, "结案", "", "严重")).toBe(SEP30 + 28);
    expect(dueDate(SEP30, "CLOSE", "B", "SERIOUS")).toBe(S("2026-10-28"));
    expectError(() => dueDate(SEP30, "CLOSE"), "#N/A", "客诉等级", /severity/);
  });

  test("FOLLOW_UP: 1 calendar month, clamped to the month's end as EDATE does", () => {
    expect(dueDate(SEP30, "FOLLOW_UP")).toBe(S("2026-10-30"));
    expect(dueDate("2026-01-31", "FOLLOW_UP")).toBe(S("2026-02-28"));
    expect(dueDate("2024-01-31", "满意度跟踪")).toBe(S("2024-02-29"));
    expect(dueDate("2026-12-15", "FOLLOW_UP")).toBe(S("2027-01-15")); // calendar months need no holiday data
  });

  test("LOG: 1 working hour, returned as a serial with a fraction", () => {
    const due = dueDate(ST("2026-09-30", "17:00"), "LOG");
    expect(Number.isInteger(due)).toBe(false);
    expect(due).toBeCloseTo(ST("2026-10-08", "09:00"), 6); // 30 min on Sep 30, 30 min after the holiday
    expect(dueDate("2026-09-30 17:00", "登记")).toBeCloseTo(ST("2026-10-08", "09:00"), 6);
    expect(dueDate(SEP30, "LOG")).toBeCloseTo(ST("2026-09-30", "09:30"), 6); // midnight: from 08:30
    expect(dueDate("2026-09-30 12:30", "LOG")).toBeCloseTo(ST("2026-09-30", "14:30"), 6); // lunch does not count
    expect(dueDate("2026-10-10 10:00", "LOG")).toBeCloseTo(ST("2026-10-10", "11:00"), 6); // make-up Saturday
    expect(dueDate("2026-10-01 10:00", "LOG")).toBeCloseTo(ST("2026-10-08", "09:30"), 6); // logged on a holiday
  });

  test("errors", () => {
    expectError(() => dueDate(SEP30, "NO_SUCH_CLOCK"), "#N/A", "NO_SUCH_CLOCK", "品质判定", "JUDGEMENT");
    expectError(() => dueDate(SEP30, "REPLACEMENT_PROMISE", "D"), "#VALUE!", '"D"', /class/);
    expectError(() => dueDate(SEP30, "CLOSE", "", "catastrophic"), "#VALUE!", /severity/);
    expectError(() => dueDate(SEP30, "REPLY_DOMESTIC", "", "", "maybe"), "#VALUE!", /urgent/);
    expectError(() => dueDate("abc", "JUDGEMENT"), "#VALUE!", /start/);
    expectError(() => dueDate(true, "JUDGEMENT"), "#VALUE!");
    expectError(() => dueDate(iso(NONE, "01-05"), "CORRECTIVE_ACTION"), "#N/A", String(NONE));
    expectError(() => dueDate(iso(NONE - 1, "12-30"), "REPLY_INTERNATIONAL"), "#N/A", String(NONE));
  });

  test("across a provisional year's holidays: a date, not an error, and not a holiday", () => {
    const start = S(iso(EST - 1, "12-15"));
    const due = dueDate(start, "REPLY_INTERNATIONAL");
    expect(networkdays(start, due)).toBe(31); // 30 working days after the start, both ends counted
    expect(due).toBeGreaterThan(S(iso(EST, "01-01")));
    expect(estimate(due, start)).toBe(true);
  });
});

describe("SLASTATUS", () => {
  const due = S("2026-10-15"); // a Thursday

  test("running clocks, with an explicit today (Chinese by default)", () => {
    expect(slaStatus(due, "", S("2026-10-12"))).toBe("按时");
    expect(slaStatus(due, "", S("2026-10-13"))).toBe("按时"); // 2 working days left
    expect(slaStatus(due, "", S("2026-10-14"))).toBe("即将到期"); // 1 working day left
    expect(slaStatus(due, "", S("2026-10-15"))).toBe("即将到期"); // due today
    expect(slaStatus(due, "", S("2026-10-16"))).toBe("逾期");
    expect(slaStatus(due, null, "2026-10-16")).toBe("逾期");
  });

  test("due soon counts working days: over National Day one working day is left", () => {
    expect(slaStatus(S("2026-10-08"), "", SEP30)).toBe("即将到期");
    expect(slaStatus(S("2026-10-09"), "", SEP30)).toBe("按时");
    expect(slaStatus(S("2026-10-19"), "", S("2026-10-17"))).toBe("即将到期"); // Saturday → Monday
  });

  test("finished clocks: met or missed, whatever today is", () => {
    expect(slaStatus(due, S("2026-10-10"), S("2026-12-01"))).toBe("按时完成");
    expect(slaStatus(due, due + 0.9, S("2026-12-01"))).toBe("按时完成"); // any time on the due day
    expect(slaStatus(due, "2026-10-16", S("2026-10-01"))).toBe("超时完成");
  });

  test("a date-time due (working-hour clock) is exact", () => {
    const logDue = ST("2026-10-08", "09:00");
    expect(slaStatus(logDue, ST("2026-10-08", "08:59"))).toBe("按时完成");
    expect(slaStatus(logDue, ST("2026-10-08", "09:30"))).toBe("超时完成");
    expect(slaStatus(logDue, "", ST("2026-10-08", "10:00"))).toBe("逾期");
  });

  test("English after setPolicy with language en", () => {
    withPolicy((p) => (p.settings.language = "en"));
    expect(slaStatus(due, "", S("2026-10-12"))).toBe("On time");
    expect(slaStatus(due, "", S("2026-10-14"))).toBe("Due soon");
    expect(slaStatus(due, "", S("2026-10-16"))).toBe("Overdue");
    expect(slaStatus(due, due, S("2026-10-16"))).toBe("Met");
    expect(slaStatus(due, due + 1, S("2026-10-16"))).toBe("Missed");
    setPolicy(defaultPolicy());
    expect(slaStatus(due, "", S("2026-10-12"))).toBe("按时");
  });

  test("without today it judges on the ledger's clock (Policy timeZone), not the machine's", () => {
    const due = S("2026-10-14");
    jest.useFakeTimers({ now: new Date("2026-10-14T17:00:00Z") }); // 01:00 on the 15th in Shanghai, 10:00 on the 14th in California
    try {
      expect(slaStatus(due)).toBe("逾期");
      expect(slaStatus(due)).toBe(slaStatus(due, "", S("2026-10-15") + 1 / 24));
      setPolicy({ ...defaultPolicy(), settings: { ...defaultPolicy().settings, timeZone: "America/Los_Angeles" } });
      expect(slaStatus(due)).toBe("即将到期");
      setPolicy({ ...defaultPolicy(), settings: { ...defaultPolicy().settings, timeZone: "UTC-10" } });
      expect(slaStatus(due)).toBe("即将到期"); // 07:00 on the 14th
    } finally {
      jest.useRealTimers();
    }
  });

  test("without today it judges on the current date (a string either way)", () => {
    expect(["按时", "即将到期", "逾期"]).toContain(slaStatus(SEP30));
  });

  test("errors", () => {
    expectError(() => slaStatus("abc"), "#VALUE!", /due/);
    expectError(() => slaStatus(due, true), "#VALUE!", /done/);
    expectError(() => slaStatus(due, "", "2026-13-01"), "#VALUE!", /today/);
    expectError(() => slaStatus(iso(NONE, "01-10"), "", iso(NONE - 1, "12-30")), "#N/A", String(NONE));
  });
});

describe("RESPCODE", () => {
  test.each([
    // The brief's phrases
    ["供应商来料不良", "SUPPLIER"],
    ["经销商搬运损坏", "DEALER"],
    ["品质漏检", "QC"],
    ["customer misuse", "DEALER"],
    ["物流运输途中压坏", "LOGISTICS"],
    ["客户误判,无质量问题", "NO_FAULT"],
    ["作业员装配不良", "PRODUCTION"],
    ["图纸错误", "PROCESS"],
    ["与客户需求不符", "DESIGN"],
    // More as found in hand-kept ledgers
    ["原材料不良", "SUPPLIER"],
    ["外协件尺寸超差", "SUPPLIER"],
    ["供方来料不良", "SUPPLIER"],
    ["包材供应商印刷错误", "SUPPLIER"],
    ["Supplier material problem", "SUPPLIER"],
    ["客户安装不当", "DEALER"],
    ["消费者使用不当造成损坏", "DEALER"],
    ["代理商装卸损坏", "DEALER"],
    ["经销商仓库存放不当受潮", "DEALER"],
    ["客户责任", "DEALER"],
    ["Wrong installation by dealer", "DEALER"],
    ["检验员漏检", "QC"],
    ["OQC漏检外观划伤", "QC"],
    ["出货少装配件", "QC"],
    ["IQC未检出", "QC"],
    ["品质误判", "QC"],
    ["来料检验漏检", "QC"],
    ["Inspection missed defect", "QC"],
    ["快递暴力运输", "LOGISTICS"],
    ["承运商运输损坏", "LOGISTICS"],
    ["运输公司野蛮装卸", "LOGISTICS"],
    ["外包装在运输途中受损", "LOGISTICS"],
    ["Courier damaged in transit", "LOGISTICS"],
    ["投诉不属实", "NO_FAULT"],
    ["未发现不良", "NO_FAULT"],
    ["经检测产品正常", "NO_FAULT"],
    ["检验合格,无质量问题", "NO_FAULT"],
    ["非质量问题", "NO_FAULT"],
    ["No fault found", "NO_FAULT"],
    ["生产操作失误", "PRODUCTION"],
    ["车间员工焊接不良", "PRODUCTION"],
    ["做工粗糙", "PRODUCTION"],
    ["厂内搬运磕碰", "PRODUCTION"],
    ["仓库发错货", "PRODUCTION"],
    ["Poor workmanship", "PRODUCTION"],
    ["工艺不成熟", "PROCESS"],
    ["工程变更未及时通知", "PROCESS"],
    ["设计缺陷", "DESIGN"],
    ["选型错误", "DESIGN"],
    ["沟通不畅理解错误", "DESIGN"],
    ["Design defect", "DESIGN"],
    // Codes and names are taken as they are, in any case or width
    ["SUPPLIER", "SUPPLIER"],
    ["qc", "QC"],
    ["质量原因", "QC"],
    ["ＤＥＡＬＥＲ", "DEALER"],
  ])("%s → %s", (text, code) => {
    expect(respCode(text)).toBe(code);
  });

  test("unknown text is #N/A with the reason", () => {
    expectError(() => respCode("天气原因"), "#N/A", "天气原因", /Cannot tell/);
    expectError(() => respCode(""), "#N/A", /empty/);
  });

  test("an ambiguous phrase is #N/A naming the candidates, never decided by list order", () => {
    expectError(() => respCode("设计图纸错误"), "#N/A", "PROCESS", "DESIGN");
  });

  describe("negation and conflicting causes are #N/A with the reason, never a plausible wrong code", () => {
    test.each([
      ["不是客户原因", "DEALER"],
      ["非供应商来料不良", "SUPPLIER"],
      ["并非物流运输损坏", "LOGISTICS"],
      ["排除生产原因", "PRODUCTION"],
      ["不属于工艺问题", "PROCESS"],
      ["与供应商无关", "SUPPLIER"],
      ["Not caused by the supplier", "SUPPLIER"],
      ["not customer misuse", "DEALER"],
    ])("%s is not %s", (text, wrong) => {
      expect(errorOrCode(() => respCode(text))).not.toBe(wrong);
      expectError(() => respCode(text), "#N/A", text, /negated/);
    });
    test("two causes named in one text are ambiguous, naming both", () => {
      expectError(() => respCode("客户使用不当,供应商来料不良"), "#N/A", "DEALER", "SUPPLIER", /conflicting/);
      expectError(() => respCode("物流压坏;生产漏装"), "#N/A", "LOGISTICS", "PRODUCTION");
    });
    test("a negation governs its own clause only, and words that merely contain 无/非 negate nothing", () => {
      expect(respCode("非我司责任,客户使用不当")).toBe("DEALER");
      expect(respCode("无质量问题")).toBe("NO_FAULT");
      expect(respCode("客户无法安装,安装不当")).toBe("DEALER");
      expect(respCode("No fault found")).toBe("NO_FAULT");
    });
    test("incoming inspection (来料检验) missing a defect is QC, not the supplier", () => {
      expect(respCode("来料检验漏检")).toBe("QC");
    });
  });

  describe("phrases that once misled the matcher", () => {
    test("a word inside a longer matched word does not count again: 包装设计 is PROCESS, not also DESIGN", () => {
      expect(respCode("包装设计不合理")).toBe("PROCESS");
    });
    test("the customer's own storage is the customer's fault", () => {
      expect(respCode("客户仓库存放不当受潮")).toBe("DEALER");
    });
    test.each(["No quality problem", "no quality issue", "not quality related"])("%s means no fault", (t) => {
      expect(respCode(t)).toBe("NO_FAULT");
    });
    test.each(["housing broken", "broken", "Broken glass", "look damaged", "book", "needle bent"])("English hints match whole words only: %s", (t) => {
      expect(["NO_FAULT", "DESIGN"]).not.toContain(errorOrCode(() => respCode(t)));
    });
    test("assembly and welding faults are production", () => {
      expect(respCode("装配工漏装螺丝")).toBe("PRODUCTION");
      expect(respCode("焊接不良")).toBe("PRODUCTION");
    });
  });
});

/** The code returned, or the error kind thrown. */
function errorOrCode(fn: () => string): string {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FunctionError) return e.kind;
    throw e;
  }
}

describe("CHARGE", () => {
  test.each([
    ["QC", "免费"],
    ["PROCESS", "免费"],
    ["PRODUCTION", "免费"],
    ["DESIGN", "免费"],
    ["SUPPLIER", "免费"],
    ["DEALER", "收费"],
    ["LOGISTICS", "收费"],
    ["NO_FAULT", "收费"],
  ])("%s → %s", (code, expected) => {
    expect(charge(code)).toBe(expected);
  });

  test("accepts Chinese names, English names and any case", () => {
    expect(charge("质量原因")).toBe("免费");
    expect(charge("原材料/供应商")).toBe("免费");
    expect(charge("经销商/客户原因")).toBe("收费");
    expect(charge("物流")).toBe("收费");
    expect(charge("无质量问题/客户误判")).toBe("收费");
    expect(charge("dealer")).toBe("收费");
    expect(charge("Quality control")).toBe("免费");
  });

  test("English labels when the policy says en", () => {
    withPolicy((p) => (p.settings.language = "en"));
    expect(charge("QC")).toBe("FREE");
    expect(charge("DEALER")).toBe("CHARGED");
  });

  test("unknown or blank code is #N/A listing the codes", () => {
    expectError(() => charge("FREE"), "#N/A", "FREE", "DEALER", /Unknown/);
    expectError(() => charge(""), "#N/A", /Unknown/);
  });
});

describe("NEEDS8D", () => {
  test("serious → true, whatever the customer asked", () => {
    expect(needs8D("严重")).toBe(true);
    expect(needs8D("SERIOUS", false)).toBe(true);
    expect(needs8D("serious", "否")).toBe(true);
    expect(needs8D("重大")).toBe(true);
  });

  test("minor → true only when the customer asked", () => {
    expect(needs8D("一般", true)).toBe(true);
    expect(needs8D("一般", "是")).toBe(true);
    expect(needs8D("MINOR", "Yes")).toBe(true);
    expect(needs8D("一般")).toBe(false);
    expect(needs8D("一般", "")).toBe(false);
    expect(needs8D("一般", false)).toBe(false);
    expect(needs8D("MINOR", "否")).toBe(false);
  });

  test("blank severity: the customer's request alone says yes; otherwise the severity is reported missing, not FALSE", () => {
    expect(needs8D("", true)).toBe(true);
    expect(needs8D(null, "是")).toBe(true);
    expectError(() => needs8D(""), "#N/A", "客诉等级", /Severity is missing/);
    expectError(() => needs8D("  ", false), "#N/A", /Severity is missing/);
    // Excel desktop hands an empty cell to an `any` parameter as 0.
    expectError(() => needs8D(0, 0), "#N/A", /Severity is missing/);
  });

  test("errors", () => {
    expectError(() => needs8D("catastrophic"), "#VALUE!", "catastrophic", /severity/);
    expectError(() => needs8D("一般", "maybe"), "#VALUE!", "maybe", /yes\/no/);
  });
});

describe("APPROVALS", () => {
  test("SCRAP: quality manager, then VP or GM", () => {
    const r = approvals("SCRAP");
    expect(r).toContain("品质部经理");
    expect(r).toContain("副总裁或总经理");
    expect(r).toBe("品质部经理、副总裁或总经理");
    expect(approvals("报废")).toBe(r);
  });

  test("RESTOCK: OQC inspector, quality manager, planning manager, in order", () => {
    expect(approvals("RESTOCK")).toBe("OQC检验员、品质部经理、计划部经理");
    expect(approvals("检验合格入库")).toBe("OQC检验员、品质部经理、计划部经理");
  });

  test("a signer shared by two forms appears once", () => {
    expect(approvals("DISASSEMBLE")).toBe("OQC检验员、品质部经理、计划部经理、副总裁或总经理");
  });

  test("RETURN_TO_CUSTOMER needs no signature: blank", () => {
    expect(approvals("RETURN_TO_CUSTOMER")).toBe("");
  });

  test("English when the policy says en", () => {
    withPolicy((p) => (p.settings.language = "en"));
    expect(approvals("SCRAP")).toBe("Quality manager, Vice president or General manager");
  });

  test("unknown disposition is #N/A", () => {
    expectError(() => approvals("BURN_IT"), "#N/A", "BURN_IT", /Unknown disposition/);
    expectError(() => approvals(""), "#N/A");
  });
});

describe("setPolicy drives the functions", () => {
  test("currentPolicy returns what setPolicy installed", () => {
    const p = withPolicy(() => undefined);
    expect(currentPolicy()).toBe(p);
  });

  test("REPLY_DOMESTIC limit 7 → 5 moves the due date", () => {
    expect(dueDate(SEP30, "REPLY_DOMESTIC")).toBe(S("2026-10-15"));
    withPolicy((p) => {
      const row = p.limits.find((r) => r.clock === "REPLY_DOMESTIC" && r.urgent === undefined)!;
      row.limit = 5;
    });
    expect(dueDate(SEP30, "REPLY_DOMESTIC")).toBe(S("2026-10-13"));
    expect(dueDate(SEP30, "REPLY_DOMESTIC", "", "", true)).toBe(S("2026-10-09")); // urgent row untouched
  });

  test("a COMPANY shutdown day is skipped; a COMPANY workday is worked", () => {
    withPolicy((p) => p.calendar.push({ date: "2026-10-08", kind: "OFF", scope: "COMPANY", name: "停产盘点" }));
    expect(workday(SEP30, 1)).toBe(S("2026-10-09"));
    expect(networkdays("2026-09-30", "2026-10-10")).toBe(3);
    expect(dueDate(SEP30, "CORRECTIVE_ACTION")).toBe(S("2026-10-10"));

    withPolicy((p) => p.calendar.push({ date: "2026-10-03", kind: "WORK", scope: "COMPANY", name: "加班" }));
    expect(workday(SEP30, 1)).toBe(S("2026-10-03"));

    setPolicy(defaultPolicy());
    expect(workday(SEP30, 1)).toBe(S("2026-10-08")); // the calendar is rebuilt for the new policy
  });

  test("a year completed on the Policy sheet replaces its provisional estimate", () => {
    const dec31 = S(iso(EST - 1, "12-31"));
    expect(estimate(workday(dec31, 1))).toBe(true);
    withPolicy((p) => {
      p.settings.extraCalendarYears = [EST];
      p.calendar.push({ date: iso(EST, "01-01"), kind: "OFF", scope: "OFFICIAL", name: "元旦" });
      p.calendar.push({ date: iso(EST, "01-02"), kind: "OFF", scope: "OFFICIAL", name: "元旦" });
    });
    const next = workday(dec31, 1);
    expect(next).toBeGreaterThan(S(iso(EST, "01-02"))); // the policy's days are off
    expect(estimate(next)).toBe(false); // and no longer an estimate
    withPolicy((p) => p.calendar.push({ date: iso(NONE, "01-01"), kind: "OFF", scope: "OFFICIAL", name: "元旦" }));
    expectError(() => workday(iso(NONE, "01-04"), 1), "#N/A", String(NONE)); // a row alone does not cover a year
  });

  test("dueSoonWorkdays, working hours, responsibilities, charges and signers come from the policy", () => {
    const due = S("2026-10-15");
    withPolicy((p) => {
      p.settings.dueSoonWorkdays = 3;
      p.settings.workHours = [["09:00", "18:00"]];
      p.responsibilities.find((r) => r.code === "LOGISTICS")!.keywords.push("天气");
      p.responsibilities.find((r) => r.code === "DEALER")!.charge = "FREE";
      p.forms.find((f) => f.code === "SCRAP_APPLICATION")!.signers.push(["FINANCE"]);
    });
    expect(slaStatus(due, "", S("2026-10-12"))).toBe("即将到期");
    expect(dueDate(ST("2026-09-30", "17:00"), "LOG")).toBeCloseTo(ST("2026-09-30", "18:00"), 6);
    expect(respCode("天气原因")).toBe("LOGISTICS");
    expect(charge("DEALER")).toBe("免费");
    expect(approvals("SCRAP")).toBe("品质部经理、副总裁或总经理、财务");
  });

  test("eightDSeverities from the policy", () => {
    withPolicy((p) => (p.settings.eightDSeverities = ["MINOR", "SERIOUS"]));
    expect(needs8D("一般")).toBe(true);
  });
});

describe("errors inside Excel", () => {
  test("with the CustomFunctions runtime present, a CustomFunctions.Error with an ErrorCode value and the bilingual message is thrown", () => {
    const g = globalThis as unknown as { CustomFunctions: { Error?: unknown } };
    class FakeError extends Error {
      constructor(
        readonly code: string,
        message: string,
      ) {
        super(message);
      }
    }
    const saved = g.CustomFunctions.Error;
    g.CustomFunctions.Error = FakeError;
    try {
      const codes: string[] = [];
      for (const fn of [() => workday("abc", 1), () => workday(iso(NONE, "03-01"), 1), () => workday(SEP30, 1e6)]) {
        try {
          fn();
        } catch (e) {
          expect(e).toBeInstanceOf(FakeError);
          expect((e as FakeError).message).toMatch(CJK);
          expect((e as FakeError).message).toMatch(ASCII_WORD);
          codes.push((e as FakeError).code);
        }
      }
      // CustomFunctions.ErrorCode values: anything else becomes a bare #VALUE! without the message.
      expect(codes).toEqual(["#VALUE!", "#N/A", "#NUM!"]);
    } finally {
      g.CustomFunctions.Error = saved;
    }
  });

  test("outside Excel the error is a FunctionError, an Error subclass", () => {
    const e = errorOf(() => workday("abc", 1));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("FunctionError");
  });
});

describe("empty cells: 0 on desktop, null on the web (office-js #4702)", () => {
  test.each([
    ["REPLY_DOMESTIC", SEP30],
    ["JUDGEMENT", "2026-09-30"],
    ["FOLLOW_UP", SEP30],
  ])("DUEDATE(start, %s, 0, 0, 0) equals DUEDATE(start, clock, null, null, null)", (clock, start) => {
    const web = dueDate(start, clock, null, null, null);
    expect(dueDate(start, clock, 0, 0, 0)).toBe(web);
    expect(dueDate(start, clock, 0, 0, 0, 0)).toBe(web);
    expect(dueDate(start, clock, "", "", "")).toBe(web);
  });

  test("a blank class is still refused where the clock needs one, on both platforms", () => {
    expectError(() => dueDate(SEP30, "REPLACEMENT_PROMISE", 0), "#N/A", /class/);
    expectError(() => dueDate(SEP30, "REPLACEMENT_PROMISE", null), "#N/A", /class/);
  });

  test("SLASTATUS(due, 0, today) equals SLASTATUS(due, null, today); a blank today is now", () => {
    const due = S("2026-10-15");
    for (const today of [S("2026-10-09"), S("2026-10-14"), S("2026-10-20")]) {
      expect(slaStatus(due, 0, today)).toBe(slaStatus(due, null, today));
    }
    expect(slaStatus(due, 0, S("2026-10-20"))).toBe("逾期");
    jest.useFakeTimers({ now: new Date("2026-10-09T02:00:00Z") }); // 10:00 in Shanghai
    try {
      expect(slaStatus(due, 0, 0)).toBe(slaStatus(due, null, S("2026-10-09")));
    } finally {
      jest.useRealTimers();
    }
  });

  test("NEEDS8D(0, 0) equals NEEDS8D(null, null)", () => {
    // Both say the severity is missing (issue 14), with the same words.
    const outcome = (f: () => unknown) => {
      try {
        return f();
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(outcome(() => needs8D(0, 0))).toBe(outcome(() => needs8D(null, null)));
    expect(outcome(() => needs8D(0, 0))).toMatch(/Severity is missing/);
    expect(needs8D(0, true)).toBe(needs8D(null, true));
  });
});

describe("DUEDATE's market: the domain resolves the synonyms", () => {
  test.each(["国际", "INTERNATIONAL", "International", "出口", "外销", "export"])("%s gives the international reply clock", (market) => {
    expect(dueDate(SEP30, "REPLY_DOMESTIC", "", "", "", market)).toBe(dueDate(SEP30, "REPLY_INTERNATIONAL"));
    expect(dueDate(SEP30, "REPLY_DOMESTIC", "", "", true, market)).toBe(dueDate(SEP30, "REPLY_INTERNATIONAL", "", "", true));
  });

  test.each(["国内", "内销", "DOMESTIC"])("%p gives the domestic one", (market) => {
    expect(dueDate(SEP30, "REPLY_INTERNATIONAL", "", "", "", market)).toBe(dueDate(SEP30, "REPLY_DOMESTIC"));
  });

  test.each([null, 0, ""])("a blank market (%p) keeps the clock named, as the sheet's formula names the domestic one", (market) => {
    expect(dueDate(SEP30, "REPLY_DOMESTIC", "", "", "", market)).toBe(dueDate(SEP30, "REPLY_DOMESTIC"));
    expect(dueDate(SEP30, "REPLY_INTERNATIONAL", "", "", "", market)).toBe(dueDate(SEP30, "REPLY_INTERNATIONAL"));
  });

  test("a clock that does not depend on the market ignores it; an unknown market is #VALUE!", () => {
    expect(dueDate(SEP30, "JUDGEMENT", "", "", "", "出口")).toBe(dueDate(SEP30, "JUDGEMENT"));
    expectError(() => dueDate(SEP30, "REPLY_DOMESTIC", "", "", "", "火星"), "#VALUE!", "火星", /market/);
  });
});
