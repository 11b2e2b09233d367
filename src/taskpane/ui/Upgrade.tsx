/**
 * The ledger's schema version above every screen (ledger/schema-version.ts):
 * an older ledger shows what an upgrade would change and asks before doing it
 * (one Ledger.upgrade: read, one write, read again); a newer one says it is
 * read-only, naming both versions (every write is refused underneath anyway).
 */
import { Button } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import { newerLedgerError, olderLedgerNotice } from "../../ledger/schema-version";
import type { UpgradePlan } from "../../ledger/migrations/steps";
import { Both, errorOf, useT, type Bilingual } from "../i18n";
import { Notice, Refusal, Working } from "./common";
import { usePane } from "./pane";

/** Changes listed before the upgrade is asked for; the rest are counted. */
const SHOWN = 8;

export function SchemaNotice({ onPolicyWritten }: { onPolicyWritten?: () => Promise<void> }) {
  const { ledger, actor, refresh, version } = usePane();
  const t = useT();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Bilingual>();
  const [done, setDone] = useState<UpgradePlan>();
  const schema = ledger.schema;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` moves when the ledger was read again
  const plan = useMemo(() => (schema.state === "older" && ledger.keys.length ? ledger.upgradePlan() : undefined), [ledger, schema.state, version]);

  if (schema.state === "newer") {
    const e = newerLedgerError(schema);
    return <Notice intent="error" msg={{ zh: e.zh, en: e.en }} />;
  }
  if (done) {
    return (
      <Notice
        intent="success"
        msg={{
          zh: `台账已升级到结构版本 ${done.to}:${done.changes.length} 项变更,已记入审计表`,
          en: `The ledger is upgraded to schema version ${done.to}: ${done.changes.length} changes, recorded in the audit sheet`,
        }}
      />
    );
  }
  if (!plan) return null;

  async function upgrade() {
    if (!actor) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await ledger.upgrade(actor);
      if (r.changes.some((c) => c.kind === "policy")) await onPolicyWritten?.();
      setDone(r);
      setAsking(false);
      refresh();
    } catch (e) {
      setError(errorOf(e, { zh: "升级失败,台账未改动", en: "The upgrade failed; the ledger is unchanged" }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Notice intent="warning" msg={olderLedgerNotice(schema)}>
      {asking ? (
        <div data-testid="upgrade-plan">
          <ul className="cl-reasons">
            {plan.changes.slice(0, SHOWN).map((c, i) => (
              <li key={i}>
                <Both msg={{ zh: c.zh, en: c.en }} />
              </li>
            ))}
            {plan.changes.length > SHOWN ? <li>{t(`另有 ${plan.changes.length - SHOWN} 项`, `and ${plan.changes.length - SHOWN} more`)}</li> : null}
          </ul>
          <p className="cl-muted">
            {t(
              "原有单元格不会改动;新列加在表格末尾,新设置行加在设置表末尾。升级后,旧版本的加载项只能查看此台账。",
              "No existing cell changes; new columns go at the table's end, new Policy rows at the sheet's end. Once upgraded, older releases of the add-in can only view this ledger.",
            )}
          </p>
          {busy ? <Working what={{ zh: "正在升级台账…", en: "Upgrading the ledger…" }} /> : null}
          <Button size="small" appearance="primary" onClick={upgrade} disabled={busy || !actor} data-testid="upgrade-confirm">
            {t("确认升级", "Upgrade now")}
          </Button>{" "}
          <Button size="small" onClick={() => setAsking(false)} disabled={busy}>
            {t("暂不", "Not now")}
          </Button>
          {!actor ? <div className="cl-muted">{t("请先在上方选择身份(记入审计表)", "Choose who you are above first (the audit log names you)")}</div> : null}
          {error ? <Refusal title={{ zh: "未升级", en: "Not upgraded" }} reasons={[error]} /> : null}
        </div>
      ) : (
        <div>
          <Button size="small" appearance="transparent" onClick={() => setAsking(true)} data-testid="upgrade-ask">
            {t(`查看 ${plan.changes.length} 项变更并升级…`, `Review ${plan.changes.length} changes and upgrade…`)}
          </Button>
        </div>
      )}
    </Notice>
  );
}
