/**
 * `remind`'s listing as one pass over the file (cli/remind-pass.ts) gives the messages the Ledger gives
 * (all rows and the whole audit log in memory, the --send path), on both readers: the pass keeps of the audit
 * log only the entries the reminders read, and that must change nothing they say.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { Ledger } from "../../src/ledger/service";
import { digests, notices } from "../../src/reports/reminders";
import { sampleLedgerData, SAMPLE_PEOPLE } from "../../src/sample/pane-sample";
import { createLedgerWorkbook } from "../../src/stores/xlsx/workbook";
import { openLedgerFile, saveWorkbook, scanLedgerFile } from "../../src/stores/xlsx/file";
import { RemindPass } from "../../src/cli/remind-pass";
import { shanghai } from "../fakes/clock";

jest.setTimeout(60000);
const NOW = shanghai(2026, 2, 10, 10, 0, 0);
const now = () => NOW;
let dir: string;
let file: string;

async function ledgerMessages() {
  const l = new Ledger((await openLedgerFile(file, { now })).store, { now });
  await l.load();
  const audit = l.auditEntries();
  return [...notices(l.rows, l.people, l.policy, audit), ...digests(l.rows, l.people, l.policy, l.nowSerial(), audit)];
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-remind-pass-"));
  file = path.join(dir, "ledger.xlsx");
  const d = sampleLedgerData(defaultPolicy(), NOW);
  const peopleRows = SAMPLE_PEOPLE.map(([name, roles, account]) => [name, roles, account, account]);
  await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, peopleRows, now: NOW }), file);
  // Two cases the add-in logged (new-complaint notices due), and some messages already sent (not due again).
  const { workbook, store, stamp } = await openLedgerFile(file, { now });
  const l = new Ledger(store, { now });
  await l.load();
  const [a, b] = l.rows.map((r) => r.case.caseNo!);
  await l.record([a, b].map((caseNo) => ({ user: "张三", action: "CASE_ADDED" as const, caseNo })));
  const audit = l.auditEntries();
  const before = [...notices(l.rows, l.people, l.policy, audit), ...digests(l.rows, l.people, l.policy, l.nowSerial(), audit)];
  const sent = [before.find((m) => m.kind === "NOTICE_NEW")!, before.find((m) => m.kind === "DIGEST")!];
  await l.record(sent.map((m) => ({ user: "complaint-ledger", action: "MAIL_SENT" as const, caseNo: m.caseNos.join(" "), field: m.key, newValue: m.to.name })));
  await saveWorkbook(workbook, file, { expect: stamp });
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

test.each([["fast"], ["exceljs"]] as const)("the pass's messages are the Ledger's (%s reader)", async (reader) => {
  const want = await ledgerMessages();
  // The file says something of each kind, and what was sent is not due again.
  expect(new Set(want.map((m) => m.kind))).toEqual(new Set(["NOTICE_NEW", "NOTICE_JUDGED", "DIGEST"]));
  const pass = await scanLedgerFile(file, () => new RemindPass(NOW), { reader });
  expect(pass.messages()).toEqual(want);
});

test("a MAIL_SENT entry in the file is read: the message it records is not listed", async () => {
  const pass = await scanLedgerFile(file, () => new RemindPass(NOW));
  const l = new Ledger((await openLedgerFile(file, { now })).store, { now });
  await l.load();
  const sent = l.auditEntries().filter((e) => e.action === "MAIL_SENT");
  expect(sent.length).toBe(2);
  const listed = new Set(pass.messages().map((m) => `${m.key}|${m.to.name}`));
  for (const e of sent) expect(listed.has(`${e.field}|${e.newValue}`)).toBe(false);
  // Without the MAIL_SENT entries the same recipients would be told again.
  const rest = l.auditEntries().filter((e) => e.action !== "MAIL_SENT");
  const unsent = [...notices(l.rows, l.people, l.policy, rest), ...digests(l.rows, l.people, l.policy, l.nowSerial(), rest)];
  for (const e of sent) expect(unsent.some((m) => `${m.key}|${m.to.name}` === `${e.field}|${e.newValue}`)).toBe(true);
});
