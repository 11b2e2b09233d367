/** complaint-ledger verify-audit: the audit log's hash chain and head; exit 0 intact, 1 broken, 2 unreadable. */
import { readHeadFile } from "../../stores/xlsx/file";
import { headOption, needFile, scan, type Command } from "../command";
import { VerifyPass } from "../passes";

export const verifyAuditCommand: Command = {
  summary: ["校验审计记录的哈希链", "Verify the audit log's hash chain"],
  usage: "complaint-ledger verify-audit FILE [--head HEADFILE]",
  help: [
    "校验审计表:任何记录被修改、插入或删除都会被发现并指出位置;本工具写的台账缺少审计表、_cl_meta 表或其中的头部也算被改动。--head HEADFILE 再与保存时写在别处的头部文件(sample/adopt 的 --head)核对。退出码:0 完好,1 已被改动,2 文件无法读取。",
    "Checks the audit sheet: an entry altered, inserted or deleted is found and located; for a ledger this tool wrote, a missing audit sheet, _cl_meta sheet or head counts as tampering. --head HEADFILE also compares with a head file written elsewhere on save (--head of sample/adopt). Exit 0: intact, 1: broken, 2: unreadable input.",
  ],
  options: { head: { value: true } },
  async run({ positional, options }, ctx) {
    const file = needFile(positional);
    const headFile = headOption(options);
    const external = headFile ? await readHeadFile(headFile) : undefined;
    const v = (await scan(file, () => new VerifyPass(ctx.now()), ctx)).verdict(external);
    if (v.ok) {
      ctx.out(ctx.t(`审计记录完好:${v.entries} 条`, `Audit log intact: ${v.entries} entries`));
      if (external) ctx.out(ctx.t(`与头部文件 ${headFile} 一致(第 ${external.seq} 条)`, `Matches the head file ${headFile} (entry ${external.seq})`));
      else ctx.out(ctx.t(RESIDUAL[0], RESIDUAL[1]));
      return 0;
    }
    for (const p of v.problems) {
      const where = p.book
        ? ctx.t("工作簿", "workbook")
        : p.row !== undefined
          ? ctx.t(`审计表第 ${p.row + 1} 行`, `audit sheet row ${p.row + 1}`)
          : ctx.t("审计表末尾", "end of the audit sheet");
      ctx.out(`${where}: ${ctx.t(p.zh, p.en)}`);
    }
    ctx.out(
      ctx.t(`审计记录已被改动:${v.problems.length} 处问题(共 ${v.entries} 条)`, `Audit log BROKEN: ${v.problems.length} problems (${v.entries} entries)`),
    );
    return 1;
  },
};

/** The limit of a chain without a key, said on every verification without a head file. */
const RESIDUAL: [string, string] = [
  "说明:审计链没有密钥。若有人删掉末尾的记录、同时把 _cl_meta 中的头部改成剩下的最后一条,仅凭工作簿无法发现;用 --head HEADFILE 与保存在工作簿使用者无法修改之处的头部文件核对即可发现。",
  "Note: the chain has no key. Deleting entries at the end and rewriting the head in _cl_meta to match the last one left cannot be seen from the workbook alone; compare with a head file kept where the workbook's users cannot write: --head HEADFILE.",
];
