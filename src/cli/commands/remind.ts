/**
 * complaint-ledger remind LEDGER.xlsx [--send] [--smtp URL] [--from ADDR] [--json]
 *
 * Without --send: what would go to whom (nothing sent, nothing written).
 * With --send: each message over SMTP (nodemailer); each sent one is a
 * MAIL_SENT audit entry, each failure a MAIL_FAILED entry and a line on
 * stderr, and is due again next run (only MAIL_SENT counts as sent). The
 * ledger is saved atomically once, after the sends. SMTP settings come from
 * the options or the environment (SMTP_URL, MAIL_FROM), never the workbook.
 * Exit 0 all sent (or nothing to send), 1 some not sent, 2 bad input.
 */
import { Ledger } from "../../ledger/service";
import { digests, notices, type Message } from "../../reports/reminders";
import { needFile, usageError, type Command, type Ctx } from "../command";

export const remindCommand: Command = {
  summary: ["发送客诉通知与每日待办邮件", "Send complaint notices and daily to-do digests by e-mail"],
  usage: "complaint-ledger remind LEDGER.xlsx [--send] [--smtp URL] [--from ADDR] [--json]",
  help: [
    "列出应发的邮件:新客诉通知(生管、承接部门)、判定通知(业务)、每人每日待办(待签核、已逾期、两个工作日内到期)。收件人来自人员表的角色和邮箱。加 --send 才通过 SMTP 发送(--smtp smtp://用户:密码@主机:端口 或环境变量 SMTP_URL;--from 或 MAIL_FROM),每封已发邮件记入审计日志;发送失败的逐个列出、记入审计,下次运行重发。--json 输出收件人、主题、案件号。退出码:0 全部发出,1 有未发出的,2 输入有误。",
    "Lists the mail due: new-complaint notices (planning, receiving department), judgement notices (sales), and each person's daily digest (waiting for their signature, overdue, due in the next two working days). Recipients come from the People sheet's roles and e-mail. --send sends over SMTP (--smtp smtp://user:pass@host:port or SMTP_URL; --from or MAIL_FROM); each sent message is recorded in the audit log; each failure is listed, recorded and retried next run. --json lists recipient, subject and case numbers. Exit 0: all sent, 1: some not sent, 2: bad input.",
  ],
  options: { send: {}, smtp: { value: true }, from: { value: true }, json: {} },
  async run({ positional, options }, ctx) {
    const file = needFile(positional);
    const env = ctx.io.env ?? {};
    const smtp = typeof options.smtp === "string" ? options.smtp : env.SMTP_URL;
    const from = typeof options.from === "string" ? options.from : env.MAIL_FROM;
    if (options.send) {
      if (!smtp) throw usageError("发送需要 SMTP 服务器:--smtp URL 或环境变量 SMTP_URL", "Sending needs an SMTP server: --smtp URL or the SMTP_URL variable");
      if (!/^smtps?:\/\/[^\s]+$/i.test(smtp)) throw usageError("--smtp 应为 smtp://主机:端口 形式", "--smtp should look like smtp://host:port");
      if (!from || !/^[^\s@<>]+@[^\s@<>]+$/.test(from))
        throw usageError("发送需要发件地址:--from ADDR 或 MAIL_FROM", "Sending needs a sender: --from ADDR or MAIL_FROM");
    }
    const { openLedgerFile, scanLedgerFile, saveWorkbook } = await import("../../stores/xlsx/file");
    if (!options.send) {
      // A listing writes nothing: one pass of the fast reader keeping each case's Case and only the mail entries of the
      // audit log (remind-pass.ts), not every row of every sheet and a Ledger over them (issue 26).
      const { RemindPass } = await import("../remind-pass");
      const pass = await scanLedgerFile(file, () => new RemindPass(ctx.now()));
      report(pass.messages(), undefined, ctx, !!options.json);
      return 0;
    }
    const { workbook, store, stamp } = await openLedgerFile(file, { now: ctx.now });
    const ledger = new Ledger(store, { now: ctx.now });
    await ledger.load();
    const messages = dueMessages(ledger);
    const results = await sendAll(messages, smtp!, from!);
    await ledger.record(
      messages.map((m, i) => {
        const r = results[i];
        return {
          user: "complaint-ledger",
          action: r.ok ? ("MAIL_SENT" as const) : ("MAIL_FAILED" as const),
          caseNo: m.caseNos.join(" "),
          field: m.key,
          newValue: m.to.name,
          reason: r.ok ? `${m.to.email}: ${m.subject}` : `未发出 / not sent to ${m.to.email ?? m.to.name}: ${r.error}`,
        };
      }),
    );
    await saveWorkbook(workbook, file, { expect: stamp });
    report(messages, results, ctx, !!options.json);
    return results.every((r) => r.ok) ? 0 : 1;
  },
};

/** The notices and digests due today, from the audit log's record of what was sent. */
function dueMessages(ledger: Ledger): Message[] {
  const audit = ledger.auditEntries();
  return [...notices(ledger.rows, ledger.people, ledger.policy, audit), ...digests(ledger.rows, ledger.people, ledger.policy, ledger.nowSerial(), audit)];
}

type Result = { ok: true } | { ok: false; error: string };

async function sendAll(messages: Message[], smtp: string, from: string): Promise<Result[]> {
  if (!messages.length) return [];
  const nodemailer = await import("nodemailer");
  // Short timeouts: a server that is down is reported now, not after minutes.
  const url = new URL(smtp);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === "smtps:" ? 465 : 25),
    secure: url.protocol === "smtps:",
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A plain local server (the factory's relay, a test) may offer no TLS; nodemailer upgrades when it is offered.
    ignoreTLS: url.searchParams.get("tls") === "off",
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  const out: Result[] = [];
  try {
    for (const m of messages) {
      if (!m.to.email) {
        out.push({ ok: false, error: "人员表中没有邮箱 / no e-mail address in the People sheet" });
        continue;
      }
      try {
        await transport.sendMail({ from, to: { name: m.to.name, address: m.to.email }, subject: m.subject, text: m.text });
        out.push({ ok: true });
      } catch (e) {
        out.push({ ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    }
  } finally {
    transport.close();
  }
  return out;
}

function report(messages: Message[], results: Result[] | undefined, ctx: Ctx, json: boolean): void {
  if (json) {
    ctx.out(
      JSON.stringify({
        messages: messages.map((m, i) => ({
          recipient: m.to.name,
          email: m.to.email ?? null,
          kind: m.kind,
          subject: m.subject,
          caseNos: m.caseNos,
          ...(results ? { sent: results[i].ok, ...(results[i].ok ? {} : { error: (results[i] as { error: string }).error }) } : {}),
        })),
      }),
    );
  } else {
    if (!messages.length) ctx.out(ctx.t("没有需要发送的邮件", "Nothing to send"));
    messages.forEach((m, i) => {
      const r = results?.[i];
      const mark = !r ? "" : r.ok ? ctx.t("已发送 ", "sent ") : ctx.t("未发出 ", "NOT SENT ");
      ctx.out(`${mark}${m.to.name} <${m.to.email ?? "-"}>: ${m.subject} [${m.caseNos.join(", ")}]`);
    });
  }
  results?.forEach((r, i) => {
    if (!r.ok)
      ctx.err(ctx.t(`发送给 ${messages[i].to.name} 失败(下次运行重发):${r.error}`, `Sending to ${messages[i].to.name} failed (retried next run): ${r.error}`));
  });
}
