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
import { findNamed, type Policy } from "../../domain/policy/policy";
import { headerOf, KINDS, ledgerSchema, STATES, type FieldDef } from "../../domain/schema";
import { fieldName, type AdoptCheck, type AdoptFix } from "../../adoption/preview";
import { OPEN } from "../../domain/progress-words";
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

/** What the user chose on this screen: column corrections, the header row, renumbering, the kind for the sheet. */
interface Choices {
  mapping: Record<number, string | null>;
  headerRow?: number;
  renumber: boolean;
  /** The kind of the rows whose data names none (asked once for the sheet); undefined: the default. */
  kind?: string;
}
const NO_CHOICES: Choices = { mapping: {}, renumber: false };

/** The default clock, one function for every render, so memos keyed on it stay put. */
const systemClock = () => new Date();

export function Adopt({ adopter, policy, user, now = systemClock, onDone }: AdoptProps) {
  const t = useT();
  const [sheets, setSheets] = useState<string[]>();
  const [sheet, setSheet] = useState<string>();
  const [grid, setGrid] = useState<SheetGrid>();
  const [choices, setChoices] = useState<Choices>(NO_CHOICES);
  const choose = (c: Partial<Choices>) => setChoices((x) => ({ ...x, ...c }));
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
    setChoices(NO_CHOICES);
    setError(undefined);
    adopter
      .grid(sheet)
      .then(setGrid)
      .catch((e) => setError(errorOf(e)));
  }, [adopter, sheet]);

  const planned = useMemo((): { plan?: AdoptPlan; error?: Bilingual } => {
    if (!grid) return {};
    try {
      return { plan: planAdoption(grid, { policy, today: instantToSerial(now(), policy.settings.timeZone), ...choices, user }) };
    } catch (e) {
      return { error: errorOf(e) };
    }
  }, [grid, policy, choices, user, now]);
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
            onHeaderRow={(n) => choose({ headerRow: n, mapping: {} })}
          />
          <PlanCounts c={c} />
          <ColumnMap columns={plan.columns} fields={fields} onMap={(index, key) => choose({ mapping: { ...choices.mapping, [index]: key } })} />
          <PeopleRoles people={plan.people} roles={roles} policy={policy} onRole={(name, role) => setRoles({ ...roles, [name]: role })} />
          {c.duplicates + c.missingCaseNo ? <RenumberCheck c={c} renumber={choices.renumber} onRenumber={(renumber) => choose({ renumber })} /> : null}
          <KindQuestion kinds={plan.kinds} onKind={(kind) => choose({ kind })} />
          <ProgressMap progress={plan.progress} />
          <CheckPreview
            check={plan.check}
            policy={policy}
            onFix={(fix) =>
              choose({ kind: fix.kind ?? choices.kind, mapping: { ...choices.mapping, ...fix.mapping }, renumber: fix.renumber ?? choices.renumber })
            }
          />
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

/** Asked once for the whole sheet when rows name no kind: the default shown, never silently empty. */
function KindQuestion({ kinds, onKind }: { kinds: AdoptPlan["kinds"]; onKind(code: string): void }) {
  const t = useT();
  const asked = kinds.asked;
  if (!asked || asked.rows === 0) return null;
  const value = asked.chosen ?? asked.default;
  return (
    <Field
      label={t(`表中 ${asked.rows} 行没有注明类别,记为`, `${asked.rows} rows name no kind; write them as`)}
      hint={asked.chosen ? t("您的选择", "Your choice") : t(`默认:${findNamed(KINDS, asked.default)?.zh}`, `Default: ${findNamed(KINDS, asked.default)?.en}`)}
    >
      <Select value={value} onChange={(_, d) => onKind(d.value)} name="adoptKind">
        {KINDS.map((k) => (
          <option key={k.code} value={k.code}>
            {t(k.zh, k.en)}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/** Each text of the progress column, the state it names and the states its rows are written with. */
function ProgressMap({ progress }: { progress: AdoptPlan["progress"] }) {
  const t = useT();
  if (!progress.length) return null;
  const name = (code: string) => {
    const s = findNamed(STATES, code);
    return s ? t(s.zh, s.en) : code === OPEN ? t("未结(按本行数据)", "open (as its data says)") : t("(无法对应)", "(no state)");
  };
  return (
    <table className="cl-map">
      <caption className="cl-muted">
        {t("进度列的对应(按本行已有的数据,不超过进度所说)", "Progress read as states (held to what each row's data supports)")}
      </caption>
      <thead>
        <tr>
          <th>{t("原文", "As typed")}</th>
          <th>{t("状态", "State")}</th>
          <th>{t("写入", "Written as")}</th>
        </tr>
      </thead>
      <tbody>
        {progress.slice(0, 30).map((p) => (
          <tr key={p.text}>
            <td>{p.text}</td>
            <td>{p.state ? name(p.state) : t("(无法对应)", "(no state)")}</td>
            <td>
              {Object.entries(p.written)
                .map(([code, n]) => `${name(code)} ${n}`)
                .join(t("、", ", "))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What check will say on the adopted ledger, grouped by cause, each cause that is a choice with its one-click fix. */
function CheckPreview({ check, policy, onFix }: { check: AdoptCheck; policy: Policy; onFix(fix: AdoptFix): void }) {
  const t = useT();
  return (
    <section aria-labelledby="cl-adopt-check">
      <h3 id="cl-adopt-check">
        {check.violations
          ? t(
              `接管后检查:${check.casesWithViolations} 条案件有 ${check.violations} 项违规`,
              `Check after adoption: ${check.violations} violations in ${check.casesWithViolations} cases`,
            )
          : t(`接管后检查:${check.cases} 条案件全部符合规则`, `Check after adoption: all ${check.cases} cases pass`)}
      </h3>
      {check.groups.length ? (
        <ul className="cl-list" aria-label={t("按原因分组", "By cause")}>
          {check.groups.slice(0, 30).map((g) => {
            const field = fieldName(g.field, policy);
            return (
              <li key={`${g.code}-${g.field}`}>
                <Badge appearance="tint" color="warning">
                  {g.count}
                </Badge>{" "}
                {t(field.zh, field.en)}
                <Both msg={{ zh: g.zh, en: g.en }} className="cl-second" />
                {g.fix ? (
                  <Button size="small" appearance="secondary" onClick={() => onFix(g.fix!)}>
                    {t(g.fix.label.zh, g.fix.label.en)}
                  </Button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
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
