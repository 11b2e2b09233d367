/**
 * Task pane entry. Finds the host (Excel or a plain browser), opens the
 * ledger there (host.ts decides which store), reads it once and renders the
 * pane. Runs without Office: outside Excel it works on the sample ledger.
 */
import { FluentProvider, MessageBar, MessageBarBody, Spinner } from "@fluentui/react-components";
import { createRoot } from "react-dom/client";
import { Ledger } from "../ledger/service";
import { App, theme } from "./App";
import { detectHost, openStore } from "./host";
import { detectLanguage } from "./i18n";
import { officeAccount } from "./identity";

async function main(root: HTMLElement): Promise<void> {
  const r = createRoot(root);
  r.render(
    <FluentProvider theme={theme} className="cl-app">
      <Spinner size="small" label="正在读取台账… Reading the ledger…" className="cl-boot" />
    </FluentProvider>,
  );
  try {
    const host = await detectHost();
    const { store, notice } = await openStore(host);
    const ledger = new Ledger(store);
    await ledger.load();
    const account = host.kind === "excel" ? await officeAccount() : undefined;
    r.render(<App ledger={ledger} initialLang={detectLanguage(host.displayLanguage)} account={account} notice={notice} />);
  } catch (err) {
    const m = String((err as Error)?.message ?? err);
    r.render(
      <FluentProvider theme={theme} className="cl-app">
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>无法打开台账:{m}<br />The ledger could not be opened: {m}</MessageBarBody>
        </MessageBar>
      </FluentProvider>,
    );
  }
}

const root = document.getElementById("root");
if (root) void main(root);
