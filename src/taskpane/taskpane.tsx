/**
 * Task pane entry. Finds the host (Excel or a plain browser), opens the
 * ledger there (host.ts decides which store), and shows the pane — or, when
 * the workbook has no ledger yet, the adoption screen. In a browser the
 * workbench bar lets the user open another .xlsx and download the result.
 * Notices from outside the pane's own flow (an edit reverted in the sheet,
 * a Policy sheet with errors) are shown above it.
 */
import { Button, FluentProvider, MessageBar, MessageBarBody, ProgressBar, Spinner } from "@fluentui/react-components";
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { Ledger } from "../ledger/service";
import { App, theme } from "./App";
import type { AdoptResult } from "../adoption/adopter";
import { detectHost, fromWorkbook, onHostNotice, openStore, setCurrentUser, type HostInfo, type HostNotice, type OpenedStore } from "./startup";
import { detectLanguage, errorOf, htmlLang, inLang, LangContext, translator, type Bilingual, type Lang } from "./i18n";
import { officeAccount, rememberedName, type OfficeAccount } from "./identity";
import { downloadFile } from "./ui/common";
import { STEP_ORDER, STEP_TEXT, type ProgressStep } from "../stores/workbench/client";

const Adopt = lazy(() => import(/* webpackChunkName: "adopt" */ "./ui/Adopt"));

const tr = translator;

/** Edits refused in the sheet and other host messages, newest first, each dismissable. */
function HostNotices({ lang }: { lang: Lang }) {
  const [items, setItems] = useState<HostNotice[]>([]);
  useEffect(() => onHostNotice((n) => setItems((xs) => [n, ...xs].slice(0, 4))), []);
  if (!items.length) return null;
  const t = tr(lang);
  return (
    <div className="cl-notices" role="log" aria-live="assertive">
      {items.map((n, i) => (
        <MessageBar key={`${n.at.getTime()}-${i}`} intent={n.intent} layout="multiline">
          <MessageBarBody>
            {n.cell ? <strong>{n.cell} </strong> : null}
            {n.zh}
            <br />
            <span className="cl-muted">{n.en}</span>
          </MessageBarBody>
          <Button size="small" appearance="transparent" aria-label={t("关闭", "Dismiss")} onClick={() => setItems((xs) => xs.filter((x) => x !== n))}>
            ×
          </Button>
        </MessageBar>
      ))}
    </div>
  );
}

/** The browser workbench's bar: the file shown, open another .xlsx, download the result. */
function WorkbenchBar({
  lang,
  name,
  busy,
  canDownload,
  onOpen,
  onDownload,
}: {
  lang: Lang;
  name: string | undefined;
  busy: boolean;
  canDownload: boolean;
  onOpen(file: File): Promise<void>;
  onDownload(): void;
}) {
  const t = tr(lang);
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <div className="cl-workbench" role="toolbar" aria-label={t("工作台", "Workbench")}>
      <span className="cl-file" title={name}>
        {t("工作台:", "Workbench: ")}
        {name ?? "…"}
      </span>
      <input
        ref={fileInput}
        type="file"
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        hidden
        data-testid="open-xlsx"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void onOpen(f);
          e.target.value = "";
        }}
      />
      <Button size="small" onClick={() => fileInput.current?.click()} disabled={busy}>
        {t("打开 .xlsx", "Open .xlsx")}
      </Button>
      <Button size="small" onClick={onDownload} disabled={busy || !canDownload}>
        {t("下载 .xlsx", "Download .xlsx")}
      </Button>
    </div>
  );
}

/** What the shell is doing (busy, opening step) or why it failed, in both languages. */
function ShellStatus({ busy, step, error, lang }: { busy?: Bilingual; step?: ProgressStep; error?: Bilingual; lang: Lang }) {
  return (
    <>
      {busy ? <Spinner size="tiny" label={`${busy.zh} ${busy.en}`} /> : null}
      {step ? <OpenProgress step={step} lang={lang} /> : null}
      {error ? (
        <MessageBar intent="error" layout="multiline" role="alert">
          <MessageBarBody>
            {error.zh}
            <br />
            {error.en}
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </>
  );
}

/** Opening a file in the workbench, step by step (parsing runs in a worker). */
function OpenProgress({ step, lang }: { step: ProgressStep; lang: Lang }) {
  return (
    <div className="cl-working" role="status" aria-live="polite" data-testid="open-progress" data-step={step}>
      <ProgressBar
        thickness="large"
        value={(STEP_ORDER.indexOf(step) + 1) / (STEP_ORDER.length + 1)}
        aria-label={`${STEP_TEXT[step].zh} ${STEP_TEXT[step].en}`}
      />
      <span className="cl-muted">
        {STEP_ORDER.indexOf(step) + 1}/{STEP_ORDER.length} {inLang(STEP_TEXT[step], lang)}…
      </span>
    </div>
  );
}

interface Opened {
  opened: OpenedStore;
  ledger: Ledger;
  /** Bumped on every (re)open so App starts fresh on a new workbook. */
  generation: number;
}

function Shell({ host }: { host: HostInfo }) {
  // The pane's language switch turns the workbench bar and the notices above it too.
  const [lang, setLang] = useState<Lang>(() => detectLanguage(host.displayLanguage));
  const [state, setState] = useState<Opened>();
  const [account, setAccount] = useState<OfficeAccount>();
  const [error, setError] = useState<Bilingual>();
  const [busy, setBusy] = useState<Bilingual>();
  const [step, setStep] = useState<ProgressStep>();

  const show = useCallback(async (opened: OpenedStore, generation: number) => {
    const ledger = new Ledger(opened.store);
    await ledger.load();
    await opened.start?.(ledger);
    setState({ opened, ledger, generation });
  }, []);

  useEffect(() => {
    (async () => {
      const opened = await openStore(host);
      if (host.kind === "excel") {
        const acct = await officeAccount();
        setAccount(acct);
        setCurrentUser(acct?.name ?? rememberedName());
      } else setCurrentUser(rememberedName());
      await show(opened, 1);
    })().catch((e) => setError(errorOf(e)));
  }, [host, show]);

  async function openFile(file: File) {
    setBusy({ zh: `正在打开 ${file.name}…`, en: `Opening ${file.name}…` });
    setError(undefined);
    try {
      // Parsed in the workbench's worker: the page keeps answering and shows each step.
      const { workbenchClient } = await import(/* webpackChunkName: "workbench" */ "../stores/workbench/client");
      const client = await workbenchClient();
      client.onProgress = setStep;
      setStep("load");
      const w = await client.open(file.name, await file.arrayBuffer());
      await show(fromWorkbook(w), (state?.generation ?? 0) + 1);
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(undefined);
      setStep(undefined);
    }
  }

  async function download() {
    const w = state?.opened.workbench;
    if (!w) return;
    setBusy({ zh: "正在生成 .xlsx…", en: "Writing the .xlsx…" });
    try {
      const { downloadName } = await import(/* webpackChunkName: "workbench" */ "../stores/workbench/client");
      downloadFile(downloadName(w.name, new Date()), await w.bytes());
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(undefined);
    }
  }

  async function adopted(result: AdoptResult) {
    if (!state) return;
    // The workbench's workbook now holds a ledger: open it as one; Excel re-reads the sheet.
    const w = state.opened.workbench;
    const opened = w ? fromWorkbook(await w.asLedger()) : state.opened;
    // What the adoption could not do (e.g. record its day on a Policy sheet that has errors) stays in view.
    await show(result.note ? { ...opened, notice: result.note } : opened, state.generation + 1);
  }

  const bench = state?.opened.workbench;
  const needsAdoption = state && state.ledger.keys.length === 0 && state.opened.adopter;
  return (
    <LangContext.Provider value={lang}>
      <FluentProvider theme={theme} lang={htmlLang(lang)}>
        {host.kind === "browser" ? (
          <WorkbenchBar
            lang={lang}
            name={bench?.name ?? state?.opened.label}
            busy={Boolean(busy)}
            canDownload={Boolean(bench?.store)}
            onOpen={openFile}
            onDownload={download}
          />
        ) : null}
        <HostNotices lang={lang} />
        <ShellStatus busy={busy} step={step} error={error} lang={lang} />
      </FluentProvider>
      {!state && !error ? (
        <FluentProvider theme={theme} className="cl-app">
          <Spinner size="small" label="正在读取台账… Reading the ledger…" className="cl-boot" />
        </FluentProvider>
      ) : null}
      {state && needsAdoption ? (
        <FluentProvider theme={theme} className="cl-app" lang={htmlLang(lang)}>
          <Suspense fallback={<Spinner size="small" />}>
            <Adopt
              key={state.generation}
              adopter={state.opened.adopter!}
              policy={state.ledger.policy}
              user={account?.name ?? rememberedName() ?? ""}
              onDone={(r) => void adopted(r)}
            />
          </Suspense>
        </FluentProvider>
      ) : null}
      {state && !needsAdoption ? (
        <App
          key={state.generation}
          ledger={state.ledger}
          initialLang={lang}
          onLangChange={setLang}
          account={account}
          notice={state.opened.notice}
          onPolicyWritten={state.opened.policyWritten ? () => state.opened.policyWritten!(state.ledger) : undefined}
        />
      ) : null}
    </LangContext.Provider>
  );
}

async function main(root: HTMLElement): Promise<void> {
  const host = await detectHost();
  createRoot(root).render(<Shell host={host} />);
}

const root = document.getElementById("root");
if (root) void main(root);
