/**
 * 视图 Views: one click for the cases managers look at — open, overdue, due
 * this week, serious, waiting for approval, by responsibility, customer or
 * product — and a clear "show all". Which cases belong to a view is
 * views.ts's answer (the same predicates as the ribbon's buttons); where the
 * store can filter the sheet (Excel) the view is applied there too, and the
 * screen says whether that filter is the user's own temporary view or the
 * sheet's shared filter.
 */
import { Button, CounterBadge, Field, Select } from "@fluentui/react-components";
import { useState } from "react";
import { findNamed } from "../../domain/policy/policy";
import type { ViewApplied } from "../../ledger/store";
import { isOpen, VIEWS, type ViewId } from "../../reports/views";
import { Both, errorOf, inLang, useLang, useT, type Bilingual } from "../i18n";
import { snapshotChoices, snapshotCounts, snapshotOf, snapshotView, useFactsReady } from "../ledger-snapshot";
import { Notice, Refusal, Working } from "./common";
import { usePane } from "./pane";
import { VirtualList } from "./VirtualList";

type Simple = "open" | "overdue" | "dueThisWeek" | "serious" | "awaitingApproval";
const SIMPLE: Simple[] = ["open", "overdue", "dueThisWeek", "serious", "awaitingApproval"];
const PARAMS = ["responsibility", "customer", "product"] as const;
type Param = (typeof PARAMS)[number];
const BY: Record<Param, ViewId> = { responsibility: "byResponsibility", customer: "byCustomer", product: "byProduct" };

export interface CurrentView extends Partial<ViewApplied> {
  view: ViewId;
  param?: string;
}

const MODE_TEXT: Record<"temporary" | "shared" | "pane", Bilingual> = {
  temporary: {
    zh: "筛选在您的临时工作表视图中:共同编辑者的屏幕不受影响",
    en: "Filtering in your own temporary sheet view: co-authors' screens are not affected",
  },
  shared: { zh: "筛选台账表本身:同时打开此工作表的人也会看到筛选", en: "Filtering the ledger table itself: others on this sheet see the filter too" },
  pane: { zh: "只在窗格中列出(此台账没有可筛选的工作表)", en: "Listed in the pane only (this ledger has no sheet to filter)" },
};

export default function Views({ fromRibbon }: { fromRibbon?: CurrentView }) {
  const pane = usePane();
  const { ledger } = pane;
  const policy = ledger.policy;
  const t = useT();
  const lang = useLang();
  const store = ledger.store;
  const canFilter = typeof store.applyView === "function";
  const mode = canFilter ? (store.viewMode?.() ?? "shared") : "pane";
  const [current, setCurrent] = useState<CurrentView | undefined>(fromRibbon);
  const [params, setParams] = useState<Record<Param, string>>({ responsibility: "", customer: "", product: "" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Bilingual>();

  // Counts, choices and views once per ledger snapshot (snapshot.ts): switching tabs recomputes nothing.
  const snap = snapshotOf(pane);
  // At 50,000 cases just opened the counts may take a moment: the screen shows first, they follow.
  const counts = useFactsReady(snap) ? snapshotCounts(snap) : undefined;
  const choices = snapshotChoices(snap);
  const shown = current && current.view !== "all" ? snapshotView(snap, current.view, current.param) : [];

  const choiceLabel = (p: Param | "owner", value: string) => {
    if (p !== "responsibility") return value;
    const r = findNamed(policy.responsibilities, value);
    return r ? inLang(r, lang) : value;
  };

  async function show(view: ViewId, param?: string) {
    setError(undefined);
    const rows = view === "all" ? ledger.rows : snapshotView(snap, view, param);
    if (!canFilter) {
      setCurrent({ view, param, shown: rows.length });
      return;
    }
    setBusy(true);
    try {
      const applied = await store.applyView!(view === "all" ? null : { caseNos: rows.map((r) => r.case.caseNo ?? "").filter(Boolean) });
      setCurrent({ view, param, ...applied });
    } catch (err) {
      setError(errorOf(err, { zh: "筛选失败", en: "Filtering failed" }));
    } finally {
      setBusy(false);
    }
  }

  const def = (id: ViewId) => VIEWS.find((v) => v.id === id)!;
  const currentName = current
    ? `${inLang(def(current.view), lang)}${current.param ? `:${choiceLabel(VIEWS.find((v) => v.id === current.view)!.param!, current.param)}` : ""}`
    : undefined;

  return (
    <div className="cl-form" data-testid="views">
      <p className="cl-muted" data-testid="view-mode">
        <Both msg={MODE_TEXT[mode]} />
      </p>
      <ViewButtons current={current} counts={counts} busy={busy} onShow={(id) => void show(id)} />
      {pane.actor?.name ? (
        <Button
          size="small"
          appearance={current?.view === "mine" ? "primary" : "secondary"}
          disabled={busy}
          onClick={() => void show("mine", pane.actor!.name)}
          data-testid="view-mine"
          aria-pressed={current?.view === "mine"}
        >
          {inLang(def("mine"), lang)} ({ledger.rows.filter((r) => r.case.owner === pane.actor!.name && isOpen(r.case)).length})
        </Button>
      ) : null}
      {PARAMS.map((p) => (
        <Field key={p} label={inLang(def(BY[p]), lang)}>
          <Select
            size="small"
            name={`view-${p}`}
            value={params[p]}
            disabled={busy}
            onChange={(_, d) => {
              setParams((x) => ({ ...x, [p]: d.value }));
              if (d.value) void show(BY[p], d.value);
            }}
          >
            <option value="">{t("— 选择 —", "— choose —")}</option>
            {choices[p].map((c) => (
              <option key={c.value} value={c.value}>
                {choiceLabel(p, c.value)} ({c.count})
              </option>
            ))}
          </Select>
        </Field>
      ))}
      {busy ? <Working what={{ zh: "正在筛选…", en: "Filtering…" }} /> : null}
      {error ? <Refusal reasons={[error]} /> : null}
      {current ? <CurrentViewBox current={current} name={currentName} shown={shown} /> : null}
    </div>
  );
}

type Counts = ReturnType<typeof snapshotCounts>;

/** The one-click views, each with its count (or "…" while the counts are still being worked out), and "show all". */
function ViewButtons({ current, counts, busy, onShow }: { current?: CurrentView; counts?: Counts; busy: boolean; onShow(id: ViewId): void }) {
  const t = useT();
  const lang = useLang();
  const def = (id: ViewId) => VIEWS.find((v) => v.id === id)!;
  return (
    <div className="cl-actions" role="group" aria-label={t("视图", "Views")}>
      {SIMPLE.map((id) => (
        <Button
          key={id}
          size="small"
          appearance={current?.view === id ? "primary" : "secondary"}
          disabled={busy}
          onClick={() => onShow(id)}
          data-testid={`view-${id}`}
          aria-pressed={current?.view === id}
        >
          {inLang(def(id), lang)}&nbsp;
          {counts ? (
            <CounterBadge
              count={counts[id]}
              showZero
              size="small"
              appearance="filled"
              color={id === "overdue" && counts[id] ? "danger" : "informative"}
              data-testid={`view-count-${id}`}
            />
          ) : (
            <span className="cl-muted" data-testid="view-count-pending" aria-label={t("计数中", "counting")}>
              …
            </span>
          )}
        </Button>
      ))}
      <Button size="small" appearance="outline" disabled={busy} onClick={() => onShow("all")} data-testid="view-all">
        {t("显示全部", "Show all")} ({counts ? counts.all : "…"})
      </Button>
    </div>
  );
}

/** The view now applied: its cases (one click opens one) and where the filter went. */
function CurrentViewBox({ current, name, shown }: { current: CurrentView; name?: string; shown: ReturnType<typeof snapshotView> }) {
  const pane = usePane();
  const { ledger } = pane;
  const t = useT();
  return (
    <section className="cl-box" aria-label={t("当前视图", "Current view")} data-testid="current-view">
      <h3>
        {t("当前视图", "Current view")}:{name}
      </h3>
      {current.view === "all" ? (
        <p>
          <Both msg={{ zh: `显示全部 ${ledger.rows.length} 条案件`, en: `Showing all ${ledger.rows.length} cases` }} />
        </p>
      ) : (
        <>
          <p data-testid="current-count">
            <Both msg={{ zh: `${shown.length} 条案件`, en: `${shown.length} case${shown.length === 1 ? "" : "s"}` }} />
          </p>
          <VirtualList
            items={shown}
            itemKey={(r) => r.row}
            label={name ?? ""}
            estimateSize={52}
            testid="view-items"
            renderItem={(r) => (
              <Button appearance="subtle" className="cl-item" onClick={() => pane.openCase(r.case.caseNo!, { select: true })}>
                <span className="cl-itemtop">
                  <strong>{r.case.caseNo}</strong>
                </span>
                <span className="cl-itemline">
                  {r.case.customer} · {r.case.product}
                </span>
              </Button>
            )}
          />
        </>
      )}
      {current.mode ? (
        <Notice
          intent="success"
          msg={
            current.mode === "temporary"
              ? { zh: "已在您的临时视图中筛选", en: "Filtered in your temporary view" }
              : { zh: "已筛选台账表", en: "The ledger table is filtered" }
          }
        />
      ) : null}
    </section>
  );
}
