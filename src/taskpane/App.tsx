/**
 * The task pane: a header (language, who am I), tabs (My work, Intake,
 * Case, and the managers' Views, Dashboard, monthly Review and Finance review) over one
 * `Ledger`. Screens only some users open (intake, the case stepper, the 8D
 * editor, views, dashboard, finance) load on first use. Ribbon buttons reach
 * the pane through commands/bus.ts (a tab to show, a notice, a view applied).
 */
import { Badge, Button, FluentProvider, Select, Spinner, Tab, TabList, webLightTheme, type Theme } from "@fluentui/react-components";
import { Suspense, useCallback, useEffect, useMemo, useState, type ComponentType } from "react";
import { onPaneRequest, type PaneRequest } from "../commands/bus";
import { todayIn } from "../domain/zone";
import { calendarFor } from "../domain/sla";
import { provisionalYearsInUse } from "../reports/estimates";
import { estimatesOf } from "./ledger-snapshot";
import type { Actor, Ledger } from "../ledger/service";
import { Both, errorOf, htmlLang, LangContext, otherLang, translator, useLang, useT, type Bilingual, type Lang } from "./i18n";
import { onLedgerReloaded, setCurrentUser } from "./startup";
import { actorChosen, actorFromOffice, rememberedName, rememberName, type OfficeAccount } from "./identity";
import { Notice, Refusal, Working } from "./ui/common";
import { FindCase } from "./ui/Find";
import { MyWork } from "./ui/MyWork";
import { SchemaNotice } from "./ui/Upgrade";
import { asOf, PaneContext, usePane, type Pane } from "./ui/pane";
import { lazyScreen, usePrefetchScreens, useWarmScreens } from "./prefetch";

const Intake = lazyScreen(() => import(/* webpackChunkName: "intake" */ "./ui/Intake"));
const CaseView = lazyScreen(() => import(/* webpackChunkName: "case" */ "./ui/case/CaseView"));
const Views = lazyScreen(() => import(/* webpackChunkName: "views" */ "./ui/Views"));
const DashboardView = lazyScreen(() => import(/* webpackChunkName: "dashboard" */ "./ui/Dashboard"));
const Review = lazyScreen(() => import(/* webpackChunkName: "review" */ "./ui/Review"));
const Finance = lazyScreen(() => import(/* webpackChunkName: "finance" */ "./ui/Finance"));
const CalendarScreen = lazyScreen(() => import(/* webpackChunkName: "calendar" */ "./ui/Calendar"));
const People = lazyScreen(() => import(/* webpackChunkName: "people" */ "./ui/People"));
/**
 * Screens whose first render computes over every case: rendered once off-screen when idle (prefetch.tsx).
 * Not the dashboard: outside the workbench it works its figures out on the page, seconds at 50,000 cases.
 */
const WARM = [Views, Finance] as ComponentType<object>[];

/** Fluent's type ramp with Chinese UI fonts behind Segoe UI (Office's own fonts first). */
export const theme: Theme = {
  ...webLightTheme,
  fontFamilyBase: `"Segoe UI", "Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", system-ui, sans-serif`,
};

export type TabId = "work" | "intake" | "case" | "views" | "dashboard" | "review" | "finance" | "calendar" | "people";

export interface AppProps {
  ledger: Ledger;
  initialLang: Lang;
  /** The signed-in Office account, when Office gave one. */
  account?: OfficeAccount;
  /** Shown above everything (e.g. "showing sample data"). */
  notice?: Bilingual;
  now?: () => Date;
  initialTab?: TabId;
  /** A case to show first (opens the Case tab). */
  initialCase?: string;
  /** After the pane wrote the Policy sheet: the host hands the rules to the functions and recalculates. */
  onPolicyWritten?: () => Promise<void>;
  /** Told when the user switches language, so what the host draws around the pane follows. */
  onLangChange?(lang: Lang): void;
}

/** The default clock, one function for every render, so the pane and its memos stay put. */
const systemClock = () => new Date();

export function App({ ledger, initialLang, account, notice, now = systemClock, initialTab = "work", initialCase, onPolicyWritten, onLangChange }: AppProps) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [version, setVersion] = useState(0);
  const [tab, setTab] = useState<TabId>(initialCase ? "case" : initialTab);
  usePrefetchScreens();
  const [caseNo, setCaseNo] = useState<string | undefined>(initialCase);
  const [reloading, setReloading] = useState(false);
  const [error, setError] = useState<Bilingual>();
  const [actor, choose] = useActor(ledger, account);
  const [ribbon, setRibbon] = useState<{ seq: number; req: PaneRequest }>();

  // The ribbon's Views and Dashboard buttons: show a tab, a notice, the view just applied.
  useEffect(
    () =>
      onPaneRequest((req) => {
        setRibbon((r) => ({ seq: (r?.seq ?? 0) + 1, req }));
        if (req.tab) setTab(req.tab);
      }),
    [],
  );

  const policy = ledger.policy;
  const cal = useMemo(() => calendarFor(policy), [policy]);
  const today = todayIn(now(), policy.settings.timeZone);
  // Years whose holidays are estimated and matter now: named once, above every screen.
  const estimated = useMemo(
    () => provisionalYearsInUse(estimatesOf(asOf(ledger, version).rows, policy, cal, today), cal, today),
    [ledger, policy, cal, today, version],
  );
  const myRoles = useMemo(() => (actor ? asOf(ledger, version).rolesOf(actor) : []), [actor, ledger, version]);
  // The sheet's change handler names this person in the audit entries of edits it reverts.
  useEffect(() => setCurrentUser(actor?.name), [actor]);
  // The host re-read the ledger (e.g. the Policy sheet changed): redraw with it.
  useEffect(() => onLedgerReloaded(() => setVersion((v) => v + 1)), []);

  const openCase = useCallback(
    (no: string, opts: { select?: boolean } = {}) => {
      setCaseNo(no);
      setTab("case");
      const row = ledger.find(no);
      if (opts.select && row && ledger.store.select) {
        ledger.store.select(row.row).catch(() => undefined);
      }
    },
    [ledger],
  );
  useSheetCursor(ledger, openCase);

  const pane: Pane = {
    ledger,
    actor,
    myRoles,
    today,
    now,
    cal,
    version,
    refresh: () => setVersion((v) => v + 1),
    openCase,
    chooseActor: choose,
  };
  useWarmScreens(WARM, pane, lang, theme);

  async function reload() {
    setReloading(true);
    setError(undefined);
    try {
      await ledger.load();
      setVersion((v) => v + 1);
    } catch (err) {
      setError(errorOf(err, { zh: "读取台账失败", en: "Reading the ledger failed" }));
    } finally {
      setReloading(false);
    }
  }

  const switchLang = (next: Lang) => {
    setLang(next);
    onLangChange?.(next);
  };
  const t = translator(lang);
  return (
    <LangContext.Provider value={lang}>
      <FluentProvider theme={theme} className="cl-app" lang={htmlLang(lang)}>
        <PaneContext.Provider value={pane}>
          <PaneHeader reloading={reloading} onReload={reload} onLang={switchLang} />
          {notice ? <Notice intent="warning" msg={notice} /> : null}
          {ribbon?.req.notice ? <Notice intent={ribbon.req.notice.intent ?? "info"} msg={ribbon.req.notice} /> : null}
          {error ? <Refusal reasons={[error]} /> : null}
          <SchemaNotice onPolicyWritten={onPolicyWritten} />
          <PaneNotices tab={tab} setTab={setTab} reloading={reloading} estimated={estimated} />
          <PaneTabs tab={tab} caseNo={caseNo} onTab={setTab} t={t} />
          <main className="cl-main">
            <Suspense fallback={<Spinner size="small" label={t("加载中…", "Loading…")} />}>
              {tab === "work" ? <MyWork /> : null}
              {tab === "intake" ? <Intake key={actor?.name ?? ""} /> : null}
              {/* Keyed by who acts too: a "signed as" message never outlives a change of person. */}
              {tab === "case" ? <CaseView key={`${caseNo}|${actor?.name ?? ""}`} caseNo={caseNo} /> : null}
              {tab === "views" ? <Views key={ribbon?.seq ?? 0} fromRibbon={ribbon?.req.applied} /> : null}
              {tab === "dashboard" ? <DashboardView /> : null}
              {tab === "review" ? <Review /> : null}
              {tab === "finance" ? <Finance /> : null}
              {tab === "calendar" ? <CalendarScreen onPolicyWritten={onPolicyWritten} /> : null}
              {tab === "people" ? <People /> : null}
            </Suspense>
          </main>
          <PaneFooter kind={ledger.store.kind} actor={actor} t={t} />
        </PaneContext.Provider>
      </FluentProvider>
    </LangContext.Provider>
  );
}

/** The tabs; the case tab shows the open case's number. */
function PaneTabs({ tab, caseNo, onTab, t }: { tab: TabId; caseNo?: string; onTab: (tab: TabId) => void; t: ReturnType<typeof translator> }) {
  return (
    <TabList size="small" selectedValue={tab} onTabSelect={(_, d) => onTab(d.value as TabId)} className="cl-tabs" style={{ flexWrap: "wrap" }}>
      <Tab value="work">{t("我的工作", "My work")}</Tab>
      <Tab value="intake">{t("登记", "Intake")}</Tab>
      <Tab value="case">{caseNo && tab === "case" ? caseNo.replace(/^.*-(\d+)$/, "#$1") : t("案件", "Case")}</Tab>
      <Tab value="views">{t("视图", "Views")}</Tab>
      <Tab value="dashboard">{t("看板", "Dashboard")}</Tab>
      <Tab value="review" data-testid="tab-review">
        {t("检讨", "Review")}
      </Tab>
      <Tab value="finance">{t("财务", "Finance")}</Tab>
      <Tab value="calendar">{t("日历", "Calendar")}</Tab>
      <Tab value="people">{t("人员", "People")}</Tab>
    </TabList>
  );
}

/** Help, where the ledger lives, and whether anyone is chosen to act. */
function PaneFooter({ kind, actor, t }: { kind: string; actor?: Actor; t: ReturnType<typeof translator> }) {
  return (
    <footer className="cl-footer">
      <a href="help.html" target="_blank" rel="noopener">
        {t("帮助", "Help")}
      </a>
      <span className="cl-muted"> · {kind}</span>
      {!actor ? (
        <span className="cl-muted">
          {" "}
          · <Both msg={{ zh: "未选择身份", en: "no identity chosen" }} />
        </span>
      ) : null}
    </footer>
  );
}

/** Who acts: the Office account when it is on the People sheet, else the name chosen last time on this machine. */
function useActor(ledger: Ledger, account: OfficeAccount | undefined): [Actor | undefined, (name: string) => void] {
  const [actor, setActor] = useState<Actor | undefined>(() => {
    const fromOffice = actorFromOffice(ledger.people, account);
    if (fromOffice) return fromOffice;
    const name = rememberedName();
    const p = name ? ledger.people.find((x) => x.name === name) : undefined;
    return p ? actorChosen(p) : undefined;
  });
  const choose = (name: string) => {
    const p = ledger.people.find((x) => x.name === name && !x.inactive);
    setActor(p ? actorChosen(p) : undefined);
    rememberName(p?.name);
  };
  return [actor, choose];
}

/** Selecting a row in the sheet opens its case (Excel only; other stores have no cursor). */
function useSheetCursor(ledger: Ledger, openCase: (no: string) => void): void {
  useEffect(() => {
    const sub = ledger.store.onSelectRow;
    if (!sub) return;
    let off: (() => void) | undefined;
    let gone = false;
    sub
      .call(ledger.store, (row) => {
        const hit = ledger.rows.find((r) => r.row === row);
        if (hit?.case.caseNo) openCase(hit.case.caseNo);
      })
      .then((unsubscribe) => {
        if (gone) unsubscribe();
        else off = unsubscribe;
      })
      .catch(() => undefined);
    return () => {
      gone = true;
      off?.();
    };
  }, [ledger, openCase]);
}

/** The title bar (reload, language), who I am, and the case search. */
function PaneHeader({ reloading, onReload, onLang }: { reloading: boolean; onReload(): void; onLang(next: Lang): void }) {
  const { ledger, actor, chooseActor } = usePane();
  const lang = useLang();
  const t = useT();
  const other = otherLang(lang);
  return (
    <header className="cl-header">
      <div className="cl-titlebar">
        <h1>{t("客诉台账", "Complaint ledger")}</h1>
        <Button size="small" appearance="subtle" onClick={onReload} disabled={reloading} title={t("重新读取台账", "Read the ledger again")}>
          {t("刷新", "Reload")}
        </Button>
        {/* The switch speaks the language it switches to. */}
        <Button
          size="small"
          appearance="outline"
          onClick={() => onLang(other)}
          aria-label={t("Switch to English", "切换到中文")}
          data-testid="lang-switch"
          lang={htmlLang(other)}
        >
          {t("EN", "中文")}
        </Button>
      </div>
      <div className="cl-who">
        <label htmlFor="cl-actor">{t("我是", "I am")}</label>
        <Select id="cl-actor" size="small" value={actor?.name ?? ""} onChange={(_, d) => chooseActor(d.value)} disabled={actor?.source === "office"}>
          <option value="">{t("— 选择 —", "— choose —")}</option>
          {ledger.people
            .filter((p) => !p.inactive || p.name === actor?.name)
            .map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
        </Select>
        {actor ? (
          <Badge appearance="tint" color={actor.source === "office" ? "success" : "warning"} size="small">
            {actor.source === "office"
              ? t("已由 Microsoft 365 登录验证", "Verified by Microsoft 365 sign-in")
              : t("身份未验证:手动选择", "Identity not verified: chosen by hand")}
          </Badge>
        ) : null}
      </div>
      <FindCase />
    </header>
  );
}

/** What the ledger itself says above every screen: nobody on People, reading, estimated holidays, a Policy sheet with errors. */
function PaneNotices({ tab, setTab, reloading, estimated }: { tab: TabId; setTab(tab: TabId): void; reloading: boolean; estimated: readonly number[] }) {
  const { ledger } = usePane();
  const t = useT();
  return (
    <>
      {ledger.people.length === 0 && tab !== "people" ? (
        <Notice intent="info" msg={{ zh: "人员表中还没有人,无法登记或签核", en: "The People sheet has nobody yet, so nobody can log or sign" }}>
          <Button size="small" onClick={() => setTab("people")} data-testid="add-people">
            {t("添加人员(包括自己)", "Add people (yourself too)")}
          </Button>
        </Notice>
      ) : null}
      {reloading ? <Working what={{ zh: "正在读取台账…", en: "Reading the ledger…" }} /> : null}
      {estimated.length ? (
        <Notice
          intent="warning"
          msg={{
            zh: `${estimated.join("、")} 年的放假安排尚未公布或未导入:相关到期日为估算(标有"估算")。国务院通知公布后,在"日历"中粘贴导入。`,
            en: `The ${estimated.join(", ")} holidays are not published or not imported yet: due dates there are estimates (marked "estimate"). Once the State Council's notice is out, paste it under Calendar.`,
          }}
        >
          {tab !== "calendar" ? (
            <div>
              <Button size="small" appearance="transparent" onClick={() => setTab("calendar")} data-testid="estimate-import">
                {t("导入放假通知", "Import the notice")}
              </Button>
            </div>
          ) : null}
        </Notice>
      ) : null}
      {ledger.policySupplied.length ? (
        <Notice intent="info" msg={{ zh: ledger.policySupplied.map((x) => x.zh).join(";"), en: ledger.policySupplied.map((x) => x.en).join("; ") }} />
      ) : null}
      {ledger.policyProblems.length ? (
        <Refusal
          title={{ zh: "设置表有误,已按默认规则运行", en: "The Policy sheet has errors; running on the defaults" }}
          reasons={ledger.policyProblems.slice(0, 5).map((p) => ({ zh: p.zh, en: p.en }))}
        />
      ) : null}
    </>
  );
}
