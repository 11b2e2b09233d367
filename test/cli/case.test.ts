/**
 * complaint-ledger case: a case driven from outside, each scenario in the procedures' own words.
 * The clock is fixed; every ledger starts empty with the People sheet below.
 */
import { shanghai } from "../fakes/clock";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { createHash } from "crypto";
import { cliAt } from "./run";
import { defaultPolicy, findNamed } from "../../src/domain/policy/policy";
import { ledgerColumns } from "../../src/ledger/workbook-layout";
import { createLedgerWorkbook } from "../../src/stores/xlsx/workbook";
import { saveWorkbook, openLedgerFile } from "../../src/stores/xlsx/file";
import { Ledger } from "../../src/ledger/service";
import { ymdToSerial as ymd } from "../../src/domain/dates";

jest.setTimeout(60000);
let clock = shanghai(2026, 2, 2, 9, 0, 0);
const cli = cliAt(() => clock);
let dir: string;
let n = 0;
const sha = async (f: string) =>
  createHash("sha256")
    .update(await fs.readFile(f))
    .digest("hex");

export const PEOPLE: [string, string[]][] = [
  ["王建国", ["QUALITY_MANAGER"]],
  ["孙丽", ["DEPT_HEAD"]],
  ["陈志强", ["VP", "LEADER"]],
  ["刘洋", ["GM"]],
  ["吴芳", ["CS_MANAGER"]],
  ["黄磊", ["CQE"]],
  ["徐静", ["SALES"]],
  ["何敏", ["CS"]],
  ["马超", ["WAREHOUSE"]],
];

/** An empty ledger with the People above, as a new file. */
export async function emptyLedger(where: string): Promise<string> {
  const policy = defaultPolicy();
  const file = path.join(where, `l${++n}.xlsx`);
  const peopleRows = PEOPLE.map(([name, roles]) => [name, roles.map((r) => findNamed(policy.roles, r)!.zh).join("、"), null, null]);
  const header = ledgerColumns(policy).map((c) => c.header);
  await saveWorkbook(createLedgerWorkbook({ policy, header, rows: [], peopleRows, now: clock }), file);
  return file;
}

const INTAKE = ["--set", "接收时间=2026-03-02 09:00", "--set", "客户=华为", "--set", "产品名称=支架", "--set", "不良现象=表面划伤"];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-case-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));
beforeEach(() => {
  clock = shanghai(2026, 2, 2, 9, 0, 0);
});

async function newCase(file: string, ...more: string[]): Promise<string> {
  const kind = more.some((m) => m.startsWith("类别=")) ? [] : ["--set", "类别=客退"];
  const r = await cli("case", "new", file, ...INTAKE, ...kind, ...more, "--as", "徐静");
  expect(r).toMatchObject({ code: 0 });
  return r.out.trim();
}

const show = async (file: string, no: string) => JSON.parse((await cli("case", "show", file, no, "--json")).out);

describe("complaint-ledger case: the interface", () => {
  test("new prints the case number; set, show by 中文/English header or key; exit codes 0/1/2", async () => {
    const file = await emptyLedger(dir);
    const no = await newCase(file);
    expect(no).toBe("KS-2026-0001");
    const j = await show(file, no);
    expect(j.fields).toMatchObject({ kind: "RETURN", customer: "华为", receivedAt: "2026-03-02 09:00" });
    expect(j.state.code).toBe("RECEIVED");
    expect(Array.isArray(j.clocks)).toBe(true);
    expect(j.clocks.length).toBeGreaterThan(0);
    expect(j.clocks.every((c: { unit: string }) => typeof c.unit === "string")).toBe(true);
    expect(j.clocks.find((c: { clock: string }) => c.clock === "REPLY_DOMESTIC")).toMatchObject({ unit: "WORKDAY", due: "2026-03-11", estimate: false });
    // English header and key both name fields.
    expect((await cli("case", "set", file, no, "--set", "Customer class=B", "--as", "徐静")).code).toBe(0);
    expect((await cli("case", "set", file, no, "--set", "severity=一般", "--as", "黄磊")).code).toBe(0);
    expect((await show(file, no)).fields).toMatchObject({ customerClass: "B", severity: "MINOR" });
    // Bad input: exit 2, nothing written.
    const before = await sha(file);
    expect((await cli("case", "set", file, no, "--set", "nosuch=1", "--as", "徐静")).code).toBe(2);
    expect((await cli("case", "set", file, no, "--set", "接收时间=下周二", "--as", "徐静")).code).toBe(2);
    expect((await cli("case", "set", file, no, "--set", "客户=X", "--as", "不在表中")).code).toBe(2);
    expect((await cli("case", "set", file, "KS-2026-0099", "--set", "客户=X", "--as", "徐静")).code).toBe(2);
    expect((await cli("case", "frobnicate", file)).code).toBe(2);
    expect(await sha(file)).toBe(before);
  });

  test("a refusal exits 1 with reasons in both languages and writes nothing; --json gives {ok:false, reasons}", async () => {
    const file = await emptyLedger(dir);
    const no = await newCase(file);
    const before = await sha(file);
    const r = await cli("case", "close", file, no, "--as", "黄磊", "--json");
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(false);
    expect(j.reasons[0]).toEqual(expect.objectContaining({ code: "CLOSE_BLOCKED", message_zh: expect.any(String), message_en: expect.any(String) }));
    expect(r.err).toMatch(/ \/ /);
    expect(await sha(file)).toBe(before);
  });

  test("every write is one atomic save with its audit entry, refused when the file changed since it was read", async () => {
    const file = await emptyLedger(dir);
    const no = await newCase(file);
    const { store, workbook } = await openLedgerFile(file);
    const l = new Ledger(store, { now: () => clock });
    await l.load();
    expect(l.auditEntries().map((e) => e.action)).toEqual(["CASE_ADDED"]);
    // Someone saves in between: a stale stamp is refused by saveWorkbook (the same check the command uses).
    await cli("case", "set", file, no, "--set", "客户等级=A", "--as", "徐静");
    const { saveWorkbook: save, stampOf } = await import("../../src/stores/xlsx/file");
    const stale = await stampOf(file);
    await cli("case", "set", file, no, "--set", "客户等级=B", "--as", "徐静");
    await expect(save(workbook, file, { expect: stale })).rejects.toMatchObject({ code: "FILE_CHANGED" });
  });
});

describe("complaint-ledger report --fines", () => {
  test("未按此流程操作者,责任人乐捐20元每次: refused steps logged by the pane are tallied per person and month", async () => {
    const file = await emptyLedger(dir);
    const no = await newCase(file);
    const { store, workbook, stamp } = await openLedgerFile(file);
    const l = new Ledger(store, { now: () => clock });
    await l.load();
    const clerk = { name: "何敏", source: "chosen" as const };
    expect((await l.updateCase(no, { goodsBackAt: ymd(2026, 3, 3) }, clerk)).ok).toBe(false);
    expect((await l.updateCase(no, { judgedAt: ymd(2026, 3, 3) }, clerk)).ok).toBe(false);
    const { saveWorkbook: save } = await import("../../src/stores/xlsx/file");
    await save(workbook, file, { expect: stamp });
    const r = await cli("report", file, "--fines", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).fines).toEqual([{ user: "何敏", month: "2026-03", count: 2, amount: 40 }]);
  });
});

describe("complaint-ledger case: the procedures", () => {
  test("客退客诉: 客户原因不可返修…不可以退货,总经理同意除外 — goods back refused until the GM signs the return authorisation", async () => {
    const file = await emptyLedger(dir);
    const no = await newCase(file);
    expect((await cli("case", "set", file, no, "--set", "退货原因初判=客户原因不可返修", "--set", "退货通知日期=2026-03-02", "--as", "徐静")).code).toBe(0);
    const refused = await cli("case", "set", file, no, "--set", "退货回厂日期=2026-03-03", "--as", "马超");
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/RETURN_NOT_AUTHORISED.*总经理/);
    expect((await cli("case", "sign", file, no, "--role", "GM", "--form", "ACCEPT_CUSTOMER_FAULT", "--as", "刘洋")).code).toBe(0);
    expect((await cli("case", "set", file, no, "--set", "退货回厂日期=2026-03-03", "--as", "马超")).code).toBe(0);
  });

  test("客退客诉: a customer-caused return that can be repaired needs no GM", async () => {
    const file = await emptyLedger(dir);
    const no = await newCase(file);
    await cli("case", "set", file, no, "--set", "退货原因初判=客户原因可返修", "--set", "退货通知日期=2026-03-02", "--as", "徐静");
    expect((await cli("case", "set", file, no, "--set", "退货回厂日期=2026-03-03", "--as", "马超")).code).toBe(0);
    expect((await show(file, no)).signatures.required.map((f: { form: string }) => f.form)).not.toContain("ACCEPT_CUSTOMER_FAULT");
  });

  test("退仓单: 在没有接到退货通知的情况下不可以拿退货 — goods back refused while the return reason has no notice date", async () => {
    const file = await emptyLedger(dir);
    const no = await newCase(file, "--set", "退货原因初判=我司产品不良");
    const r = await cli("case", "set", file, no, "--set", "退货回厂日期=2026-03-03", "--as", "马超");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/退货通知/);
  });

  test("客服部: 先补发 经客服经理确认后 — the ship date is refused before the customer-service manager confirms", async () => {
    const file = await emptyLedger(dir);
    const no = await newCase(file, "--set", "先补发=是", "--set", "客户等级=A");
    const r = await cli("case", "set", file, no, "--set", "补发日期=2026-03-02", "--as", "何敏");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/REPLACEMENT_UNCONFIRMED.*客服经理/);
    expect((await cli("case", "sign", file, no, "--role", "客服经理", "--as", "吴芳")).code).toBe(0);
    expect((await cli("case", "set", file, no, "--set", "补发日期=2026-03-02", "--as", "何敏")).code).toBe(0);
  });

  test("管理办法 §8: 紧急情况下经公司领导特批后可加急处理 — the normal limit runs until the leader signs, then the urgent one", async () => {
    const file = await emptyLedger(dir);
    const no = await newCase(file, "--set", "加急=是", "--set", "国内/国际=国内");
    const reply = async () => (await show(file, no)).clocks.find((c: { clock: string }) => c.clock === "REPLY_DOMESTIC");
    expect(await reply()).toMatchObject({ limit: 7, due: "2026-03-11" });
    expect((await cli("case", "sign", file, no, "--role", "LEADER", "--as", "陈志强")).code).toBe(0);
    expect(await reply()).toMatchObject({ limit: 2, due: "2026-03-04" });
  });

  test("a person without the step's role cannot record it (exit 1): a customer-service clerk recording goods back", async () => {
    const file = await emptyLedger(dir);
    const no = await newCase(file);
    const r = await cli("case", "set", file, no, "--set", "退货回厂日期=2026-03-03", "--as", "何敏");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/NOT_YOUR_ROLE.*仓管员/);
    // The warehouse clerk may; a signature for a role one does not hold is refused too.
    expect((await cli("case", "set", file, no, "--set", "退货回厂日期=2026-03-03", "--as", "马超")).code).toBe(0);
    expect((await cli("case", "sign", file, no, "--role", "GM", "--as", "何敏")).code).toBe(1);
  });

  test("a 先补发 case cannot close without its shipment recorded (first response, promised date, shipment, part back)", async () => {
    const file = await emptyLedger(dir);
    const no = await newCase(file, "--set", "先补发=是", "--set", "客户等级=A", "--set", "类别=客诉");
    const r = await cli("case", "close", file, no, "--as", "黄磊", "--json");
    expect(r.code).toBe(1);
    const fields = JSON.parse(r.out).reasons.map((x: { field: string }) => x.field);
    expect(fields).toEqual(expect.arrayContaining(["firstResponseAt", "replacementPromisedAt", "replacementShippedAt", "goodsBackAt"]));
  });

  test("signatures by document: the QM chooses which document; a document without its content cannot be signed", async () => {
    const file = await emptyLedger(dir);
    const no = await newCase(file, "--set", "处理方式=报废");
    expect((await cli("case", "set", file, no, "--set", "客诉等级=严重", "--as", "黄磊")).code).toBe(0);
    // 8D report and reply review both await the QM, plus the scrap application: one click may not sign them all.
    const several = await cli("case", "sign", file, no, "--role", "QUALITY_MANAGER", "--as", "王建国");
    expect(several.code).toBe(1);
    expect(several.err).toMatch(/CHOOSE_DOCUMENT/);
    const empty8D = await cli("case", "sign", file, no, "--role", "QUALITY_MANAGER", "--form", "EXTERNAL_8D", "--as", "王建国");
    expect(empty8D.code).toBe(1);
    expect(empty8D.err).toMatch(/CONTENT_MISSING.*原因分析/);
    await cli("case", "set", file, no, "--set", "数量=5", "--as", "徐静");
    expect((await cli("case", "sign", file, no, "--role", "QUALITY_MANAGER", "--form", "报废申请单", "--as", "王建国")).code).toBe(0);
    const j = await show(file, no);
    const scrap = j.signatures.required.find((f: { form: string }) => f.form === "SCRAP_APPLICATION");
    const eightD = j.signatures.required.find((f: { form: string }) => f.form === "EXTERNAL_8D");
    expect(scrap.slots[0].signedBy).toBe("王建国");
    expect(eightD.slots[0].signedBy).toBeUndefined();
  });
});
