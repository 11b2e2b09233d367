/**
 * Taking over a hand-kept ledger (接管台账): pick the sheet, see how its
 * columns map to the ledger and correct them, see what will be normalised,
 * skipped or listed as a problem, then confirm. The plan is recomputed on
 * every correction (planAdoption is pure and fast); nothing is written
 * until the user confirms, and then the original sheet is kept as a backup.
 */
import { Badge, Button, Checkbox, Field, Input, Select, Spinner } from "@fluentui/react-components";
import { useEffect, useMemo, useState } from "react";
import { instantToSerial } from "../../domain/zone";
import type { Policy } from "../../domain/policy";
import { headerOf, ledgerSchema, STATES, type FieldDef } from "../../domain/schema";
import { planAdoption, type AdoptPlan, type SheetGrid } from "../../adoption/planner";
import type { Adopter, AdoptResult } from "../../adoption/adopter";
import { Both, errorOf, useT, type Bilingual } from "../i18n";
import { Notice, Refusal, Working } from "./common";

export interface AdoptProps {
  adopter: Adopter;
  policy: Policy;
  user: string;
  now?: () => Date;
  /** Called after the plan is written. */
  onDone(result: AdoptResult): void;
}

/** The default clock, one function for every render, so memos keyed on it stay put. */
const systemClock = () => new Date();

export function Adopt({ adopter, policy, user, now = systemClock, onDone }: AdoptProps) {
  const t = useT();
  const [sheets, setSheets] = useState<string[]>();
  const [sheet, setSheet] = useState<string>();
  const [grid, setGrid] = useState<SheetGrid>();
  const [mapping, setMapping] = useState<Record<number, string | null>>({});
  const [headerRow, setHeaderRow] = useState<number>();
  const [renumber, setRenumber] = useState(false);
  /** The user's role for each name found (name → role code, "" for none); unset names keep the suggestion. */
  const [roles, setRoles] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<Bilingual>();
  const [error, setError] = useState<Bilingual>();

  useEffect(() => {
    adopter
      .sheets()
      .then((s) => {
        setSheets(s);
        setSheet(s[0]);
      })
      .catch((e) => setError(errorOf(e)));
  }, [adopter]);

  useEffect(() => {
    if (sheet === undefined) return;
    setGrid(undefined);
    setMapping({});
    setHeaderRow(undefined);
    setError(undefined);
    adopter
      .grid(sheet)
      .then(setGrid)
      .catch((e) => setError(errorOf(e)));
  }, [adopter, sheet]);

  const planned = useMemo((): { plan?: AdoptPlan; error?: Bilingual } => {
    if (!grid) return {};
    try {
      return { plan: planAdoption(grid, { policy, today: instantToSerial(now(), policy.settings.timeZone), mapping, headerRow, renumber, user }) };
    } catch (e) {
      return { error: errorOf(e) };
    }
  }, [grid, policy, mapping, headerRow, renumber, user, now]);
  const plan = planned.plan;
  const fields = useMemo(() => ledgerSchema(policy).filter((f) => !f.protected), [policy]);

  async function confirm() {
    if (!plan) return;
    setBusy({ zh: "正在接管:备份原表、写入台账…", en: "Adopting: backing up the sheet, writing the ledger…" });
    setError(undefined);
    try {
      const people = plan.people.map((p) => {
        const chosen = roles[p.name] ?? p.roles[0] ?? "";
        return { name: p.name, roles: chosen ? [chosen] : [] };
      });
      onDone(await adopter.apply(plan, { user, people }));
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(undefined);
    }
  }

  if (!sheets) return error ? <Refusal reasons={[error]} /> : <Spinner size="small" label={t("读取工作表…", "Reading the sheets…")} />;

  const c = plan?.counts;
  const origin = grid?.origin?.row ?? 0;
  return (
    <section className="cl-form" aria-labelledby="cl-adopt-title">
      <h2 id="cl-adopt-title">{t("接管现有台账", "Adopt an existing ledger")}</h2>
      <Notice
        intent="info"
        msg={{
          zh: "此工作簿还没有客诉台账表。选择手工台账所在的工作表,核对列的对应关系后确认;原表会完整备份,无法识别的单元格原样保留并列入问题表。",
          en: "This workbook has no complaint ledger yet. Choose the sheet with the hand-kept ledger, check how its columns map, then confirm; the original sheet is backed up whole and cells that cannot be read are kept as typed and listed.",
        }}
      />
      <Field label={t("工作表", "Sheet")}>
        <Select value={sheet ?? ""} onChange={(_, d) => setSheet(d.value)} name="adoptSheet">
          {sheets.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      </Field>
      {error ? <Refusal reasons={[error]} /> : null}
      {planned.error ? <Refusal title={{ zh: "无法接管此表", en: "This sheet cannot be adopted" }} reasons={[planned.error]} /> : null}
      {!grid && !error ? <Spinner size="small" label={t("读取单元格…", "Reading the cells…")} /> : null}
      {plan && c ? (
        <>
          <HeaderRowField
            headerRow={plan.headerRow}
            origin={origin}
            rows={grid?.values.length ?? 0}
            onHeaderRow={(n) => {
              setHeaderRow(n);
              setMapping({});
            }}
          />
          <PlanCounts c={c} />
          <ColumnMap columns={plan.columns} fields={fields} onMap={(index, key) => setMapping({ ...mapping, [index]: key })} />
          <PeopleRoles people={plan.people} roles={roles} policy={policy} onRole={(name, role) => setRoles({ ...roles, [name]: role })} />
          {c.duplicates + c.missingCaseNo ? <RenumberCheck c={c} renumber={renumber} onRenumber={setRenumber} /> : null}
          <ProblemList problems={plan.problems} />
          {busy ? <Working what={busy} /> : null}
          <div className="cl-actions">
            <Button appearance="primary" onClick={confirm} disabled={Boolean(busy) || c.cases === 0}>
              {t(`确认接管 ${c.cases} 条案件`, `Adopt ${c.cases} cases`)}
            </Button>
          </div>
        </>
      ) : null}
    </section>
  );
}

/** The header row as the user counts it (1-based, from the sheet's top); a row outside the grid is ignored. */
function HeaderRowField({ headerRow, origin, rows, onHeaderRow }: { headerRow: number; origin: number; rows: number; onHeaderRow(n: number): void }) {
  const t = useT();
  return (
    <Field label={t("表头所在行", "Header row")} hint={t("自动识别;不对时可改", "Found automatically; change it if wrong")}>
      <Input
        type="number"
        name="headerRow"
        min={1}
        value={String(headerRow + origin + 1)}
        onChange={(_, d) => {
          const n = Number(d.value) - origin - 1;
          if (Number.isInteger(n) && n >= 0 && n < rows) onHeaderRow(n);
        }}
      />
    </Field>
  );
}

/** Offered only when case numbers repeat or are missing. */
function RenumberCheck({ c, renumber, onRenumber }: { c: AdoptPlan["counts"]; renumber: boolean; onRenumber(on: boolean): void }) {
  const t = useT();
  return (
    <Checkbox
      checked={renumber}
      onChange={(_, d) => onRenumber(Boolean(d.checked))}
      name="renumber"
      label={t(
        `为 ${c.duplicates} 个重复和 ${c.missingCaseNo} 个缺失的单号分配新单号(原单号记入审计)`,
        `Give new numbers to ${c.duplicates} repeated and ${c.missingCaseNo} missing case numbers (old ones go to the audit log)`,
      )}
    />
  );
}

/** How many cases, cells normalised, problems and skipped rows; the states the cases will have. */
function PlanCounts({ c }: { c: AdoptPlan["counts"] }) {
  const t = useT();
  return (
    <>
      <div className="cl-tags" aria-label={t("统计", "Counts")}>
        <Badge appearance="tint" color="brand">
          {t(`案件 ${c.cases}`, `${c.cases} cases`)}
        </Badge>
        <Badge appearance="tint" color="informative">
          {t(`规范化 ${c.normalised} 格`, `${c.normalised} cells normalised`)}
        </Badge>
        <Badge appearance="tint" color={c.problems ? "warning" : "success"}>
          {t(`问题 ${c.problems}`, `${c.problems} problems`)}
        </Badge>
        {c.total + c.note + c.header ? (
          <Badge appearance="tint" color="subtle">
            {t(`跳过 ${c.total + c.note + c.header} 行(合计/备注/表头)`, `${c.total + c.note + c.header} rows skipped (totals/notes/headers)`)}
          </Badge>
        ) : null}
        {c.blank ? (
          <Badge appearance="tint" color="subtle">
            {t(`空行 ${c.blank}`, `${c.blank} blank rows`)}
          </Badge>
        ) : null}
      </div>
      <div className="cl-tags" aria-label={t("接管后的状态", "States after adoption")}>
        {STATES.filter((st) => c.states[st.code]).map((st) => (
          <Badge key={st.code} appearance="outline" color={st.code === "CLOSED" || st.code === "FOLLOWED_UP" ? "success" : "informative"}>
            {t(`${st.zh} ${c.states[st.code]}`, `${st.en} ${c.states[st.code]}`)}
          </Badge>
        ))}
        {c.history ? (
          <Badge appearance="outline" color="subtle">
            {t(`其中历史已结案 ${c.history}(按结案日判定时效,不计逾期)`, `${c.history} closed history (clocks judged at the close, never overdue)`)}
          </Badge>
        ) : null}
        {c.generated ? (
          <Badge appearance="outline" color="subtle">
            {t(`生成单号 ${c.generated}`, `${c.generated} case numbers generated`)}
          </Badge>
        ) : null}
      </div>
    </>
  );
}

/** The sheet's columns and the ledger field each maps to; the user corrects a mapping here. */
function ColumnMap({ columns, fields, onMap }: { columns: AdoptPlan["columns"]; fields: readonly FieldDef[]; onMap(index: number, key: string | null): void }) {
  const t = useT();
  return (
    <table className="cl-map">
      <caption className="cl-muted">{t("列对应关系(可修改)", "Column mapping (editable)")}</caption>
      <thead>
        <tr>
          <th>{t("原列", "Column")}</th>
          <th>{t("对应字段", "Ledger field")}</th>
        </tr>
      </thead>
      <tbody>
        {columns
          .filter((col) => col.header !== "" || col.key)
          .map((col) => (
            <tr key={col.index}>
              <td>
                <span className="cl-letter">{col.letter}</span>
                {col.header || <span className="cl-muted">{t("(无表头)", "(no header)")}</span>}
                {col.how === "synonym" ? (
                  <span className="cl-muted" title={t("按同义词识别", "matched by synonym")}>
                    {" "}
                    ≈
                  </span>
                ) : null}
                {col.how === "user" ? (
                  <span className="cl-muted" title={t("已手工修改", "changed by you")}>
                    {" "}
                    ✎
                  </span>
                ) : null}
                <Both msg={col.why} className="cl-second" />
              </td>
              <td>
                <Select
                  size="small"
                  aria-label={`${col.letter} ${col.header}`}
                  name={`map-${col.index}`}
                  value={col.key ?? ""}
                  onChange={(_, d) => onMap(col.index, d.value === "" ? null : d.value)}
                >
                  <option value="">{t("(保留为附加列)", "(keep as extra column)")}</option>
                  {fields.map((f) => (
                    <option key={f.key} value={f.key}>
                      {headerOf(f)}
                    </option>
                  ))}
                </Select>
              </td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

/** Names found in the sheet, each with a role to give before they go to the People sheet. */
function PeopleRoles({
  people,
  roles,
  policy,
  onRole,
}: {
  people: AdoptPlan["people"];
  roles: Record<string, string>;
  policy: Policy;
  onRole(name: string, role: string): void;
}) {
  const t = useT();
  if (!people.length) return null;
  return (
    <table className="cl-map">
      <caption className="cl-muted">
        {t(
          `表中出现的人员(${people.length}):请指定角色,确认后写入人员表`,
          `People found in the sheet (${people.length}): give their roles; they go to the People sheet`,
        )}
      </caption>
      <thead>
        <tr>
          <th>{t("姓名", "Name")}</th>
          <th>{t("角色", "Role")}</th>
        </tr>
      </thead>
      <tbody>
        {people.slice(0, 50).map((p) => (
          <tr key={p.name}>
            <td>
              {p.name} <span className="cl-muted">{`${p.columns.join("、")} · ${t(`${p.cases} 条`, `${p.cases} cases`)}`}</span>
            </td>
            <td>
              <Select
                size="small"
                aria-label={t(`${p.name} 的角色`, `Role of ${p.name}`)}
                name={`role-${p.name}`}
                value={roles[p.name] ?? p.roles[0] ?? ""}
                onChange={(_, d) => onRole(p.name, d.value)}
              >
                <option value="">{t("(暂不指定)", "(none yet)")}</option>
                {policy.roles.map((r) => (
                  <option key={r.code} value={r.code}>
                    {t(r.zh, r.en)}
                  </option>
                ))}
              </Select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The first 50 problems (the rest go to the Problems sheet), open when there are few. */
function ProblemList({ problems }: { problems: AdoptPlan["problems"] }) {
  const t = useT();
  if (!problems.length) return null;
  return (
    <details className="cl-details" open={problems.length <= 5}>
      <summary>{t(`问题清单(${problems.length})`, `Problems (${problems.length})`)}</summary>
      <ul className="cl-list">
        {problems.slice(0, 50).map((p, i) => (
          <li key={i}>
            <span className="cl-nowrap">{p.column ? `${p.column}${p.row}` : t(`第 ${p.row} 行`, `Row ${p.row}`)}</span>{" "}
            {p.value !== null && p.value !== undefined && p.value !== "" ? <code>{String(p.value).slice(0, 40)}</code> : null}
            <Both msg={{ zh: p.zh, en: p.en }} className="cl-second" />
          </li>
        ))}
      </ul>
      {problems.length > 50 ? <p className="cl-muted">{t("其余问题写入“导入问题”表", "The rest go to the Problems sheet")}</p> : null}
    </details>
  );
}

export default Adopt;
