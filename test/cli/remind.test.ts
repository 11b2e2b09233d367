/**
 * complaint-ledger remind against a real SMTP server started here
 * (smpt-server), the mail parsed back with mailparser: one digest per person
 * with the right cases, Chinese subjects (RFC 2047) and bodies decoded, each
 * sent message in the audit log; with the server down, the failure reported,
 * exit 1, the audit log intact, and the messages sent on the next run.
 */
import { shanghai } from "../fakes/clock";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import type { AddressInfo } from "net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { cliAt } from "./run";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { sampleLedgerData, SAMPLE_PEOPLE } from "../../src/sample/pane-sample";
import { Ledger } from "../../src/ledger/service";
import { createLedgerWorkbook } from "../../src/stores/xlsx/workbook";
import { openLedgerFile, saveWorkbook } from "../../src/stores/xlsx/file";

jest.setTimeout(60000);
const NOW = shanghai(2026, 2, 10, 10, 0, 0);
const now = () => NOW;
const cli = cliAt(now);
let dir: string;
let file: string;

interface Got {
  to: string[];
  mail: ParsedMail;
}

async function startServer(): Promise<{ port: number; got: Got[]; close(): Promise<void> }> {
  const got: Got[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, done) {
      simpleParser(stream).then(
        (mail) => {
          got.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          done();
        },
        (e) => done(e),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const entries = async () => {
  const { store } = await openLedgerFile(file, { now });
  const l = new Ledger(store, { now });
  await l.load();
  return { list: l.auditEntries(), verdict: await l.verifyAudit() };
};

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "cl-remind-"));
  file = path.join(dir, "ledger.xlsx");
  const d = sampleLedgerData(defaultPolicy(), NOW);
  // The People sheet's e-mail column: each person's address.
  const peopleRows = SAMPLE_PEOPLE.map(([name, roles, account]) => [name, roles, account, account]);
  await saveWorkbook(createLedgerWorkbook({ policy: defaultPolicy(), ...d, peopleRows, now: NOW }), file);
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe("remind", () => {
  test("without --send: what would go to whom, as JSON; nothing written", async () => {
    const before = await fs.readFile(file);
    const r = await cli("remind", file, "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { messages: { recipient: string; subject: string; caseNos: string[]; kind: string }[] };
    const digests = j.messages.filter((m) => m.kind === "DIGEST");
    expect(digests.length).toBeGreaterThan(0);
    // The VP/GM signs the scrap application of case 4: it waits in 赵总's digest.
    expect(digests.find((m) => m.recipient === "赵总")!.caseNos).toContain("KS-2026-0004");
    expect(Buffer.compare(before, await fs.readFile(file))).toBe(0);
  });

  test("with the server down: each failure reported, exit 1, the audit log intact and the failures recorded; the next run sends them", async () => {
    const probe = await startServer();
    const port = probe.port;
    await probe.close(); // nothing listens there now
    const before = await entries();
    const r = await cli("remind", file, "--send", "--smtp", `smtp://127.0.0.1:${port}`, "--from", "ledger@example.cn");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Sending to 赵总 failed|发送给 赵总 失败/);
    const after = await entries();
    expect(after.verdict).toMatchObject({ ok: true });
    expect(after.list.slice(0, before.list.length)).toEqual(before.list);
    const failed = after.list.slice(before.list.length);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((e) => e.action === "MAIL_FAILED")).toBe(true);
  });

  test("--send delivers one digest per person with their cases in UTF-8 Chinese, records each in the audit log, and does not send twice", async () => {
    const server = await startServer();
    try {
      const r = await cli("remind", file, "--send", "--smtp", `smtp://127.0.0.1:${server.port}`, "--from", "ledger@example.cn", "--json");
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as { messages: { recipient: string; email: string; kind: string; caseNos: string[]; sent: boolean }[] };
      expect(j.messages.length).toBeGreaterThan(0);
      expect(j.messages.every((m) => m.sent)).toBe(true);
      expect(server.got).toHaveLength(j.messages.length);
      const digests = server.got.filter((g) => (g.mail.subject ?? "").includes("待办"));
      const recipients = digests.map((g) => g.to[0]);
      expect(new Set(recipients).size).toBe(recipients.length); // one digest per person
      const zhao = digests.find((g) => g.to[0] === "zhao@example.cn")!;
      expect(zhao.mail.subject).toMatch(/^【客诉台账】2026-03-10 待办:待签核 \d+/);
      expect(zhao.mail.text).toContain("赵总,您好");
      expect(zhao.mail.text).toMatch(/待您签核[^\n]*\n(- [^\n]*\n)*- KS-2026-0004/);
      // Only the cases of that person: 刘强 (warehouse) signs nothing here and owns no case, so gets no digest.
      expect(recipients).not.toContain("liuqiang@example.cn");
      const log = (await entries()).list;
      const sent = log.filter((e) => e.action === "MAIL_SENT");
      expect(sent).toHaveLength(j.messages.length);
      // What failed while the server was down went out now: every failed key and person has its MAIL_SENT.
      const failed = log.filter((e) => e.action === "MAIL_FAILED");
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) expect(sent.some((e) => e.field === f.field && e.newValue === f.newValue)).toBe(true);
      expect(sent.find((e) => e.newValue === "赵总" && e.field.startsWith("DIGEST:"))!.caseNo).toContain("KS-2026-0004");
      // The same day again: nothing left to send.
      const again = await cli("remind", file, "--send", "--smtp", `smtp://127.0.0.1:${server.port}`, "--from", "ledger@example.cn", "--json");
      expect(again.code).toBe(0);
      expect(JSON.parse(again.out).messages).toEqual([]);
      expect(server.got).toHaveLength(j.messages.length);
    } finally {
      await server.close();
    }
  });

  test("bad input exits 2: --send without a server or sender", async () => {
    expect((await cli("remind", file, "--send")).code).toBe(2);
    expect((await cli("remind", file, "--send", "--smtp", "smtp://127.0.0.1:25")).code).toBe(2);
    expect((await cli("remind", path.join(dir, "missing.xlsx"))).code).toBe(2);
  });
});
