import type { Case } from "../../src/domain/case";
import { defaultPolicy, findNamed, type Policy } from "../../src/domain/policy/policy";
import { caseField } from "../../src/domain/schema";
import { validateCase } from "../../src/domain/validate";
import { caseAt } from "../ledger/cases";
import {
  buildEightD,
  eightDBlockers,
  eightDFileName,
  eightDHtml,
  eightDRows,
  EIGHT_D_IDS,
  findConfidential,
  hitKey,
  redact,
  TODO,
  unfilledSections,
  unresolvedHits,
} from "../../src/reports/eightd";

const policy = defaultPolicy();
const c: Case = {
  caseNo: "KS-2026-0007",
  kind: "COMPLAINT",
  customer: "华东机电",
  product: "控制器外壳",
  partNo: "HK-220",
  batch: "B2405",
  quantity: 3,
  receivedAt: 46090.4,
  severity: "SERIOUS",
  status: "RESPONSIBILITY",
  owner: "李娜",
  defect: "外壳开裂",
  rootCause: "宏达塑胶来料含水率偏高,保压不足;宏达塑胶已通知",
  responsibility: "SUPPLIER",
  disposition: "REMAKE",
  signatures: { QUALITY_MANAGER: { name: "张伟", at: 46092.5, comment: "同意" } },
};

describe("buildEightD", () => {
  test("D1–D8 from the case, in Chinese", () => {
    const r = buildEightD(c, policy, "zh", { today: 46094 });
    expect(r.sections.map((s) => s.id)).toEqual([...EIGHT_D_IDS]);
    expect(r.title).toBe("8D报告 KS-2026-0007");
    expect(r.header).toContainEqual(["客户", "华东机电"]);
    expect(r.header).toContainEqual(["客诉等级", "严重"]);
    expect(r.header).toContainEqual(["报告日期", "2026-03-13"]);
    const text = Object.fromEntries(r.sections.map((s) => [s.id, s.text]));
    expect(text.D1).toContain("负责人:李娜");
    expect(text.D1).toContain("品质部经理: 张伟 2026-03-11 (同意)");
    expect(text.D2).toContain("不良现象:外壳开裂");
    expect(text.D2).toContain("数量:3");
    expect(text.D4).toContain("责任判定:原材料/供应商");
    expect(text.D5).toContain("处理方式:重做/补货");
    // Nothing is invented: what the case does not hold is marked to be completed.
    expect(text.D6).toContain(TODO.zh);
    // An open case has no closure to report, whatever date was typed into the close column.
    expect(text.D8).toContain("案件尚未结案");
    expect(buildEightD({ ...c, closedAt: 46100 }, policy, "zh").sections[7].text).not.toContain("结案日期");
    expect(buildEightD({ ...c, status: "CLOSED", closedAt: 46100 }, policy, "zh").sections[7].text).toContain("结案日期:2026-03-19");
    // D8 names the 8D's reviewers, not the VP who signed the remake order.
    const d8 = buildEightD({ ...c, signatures: { ...c.signatures, VP: { name: "赵总", at: 46093 } } }, policy, "zh").sections[7].text;
    expect(d8).toContain("审核:品质部经理 张伟");
    expect(d8).not.toContain("赵总");
  });

  test("the same case in English", () => {
    const r = buildEightD(c, policy, "en");
    expect(r.sections[1]).toMatchObject({ id: "D2", title: "D2 Problem description" });
    expect(r.sections[1].text).toContain("Defect: 外壳开裂");
    expect(r.sections[3].text).toContain("Responsibility: Supplier / raw material");
    expect(r.header[0]).toEqual(["Case No.", "KS-2026-0007"]);
  });

  test("an unconfirmed complaint says so in D4", () => {
    const r = buildEightD({ ...c, confirmed: false }, policy, "zh");
    expect(r.sections[3].text).toMatch(/^投诉不属实/);
  });
});

describe("confidentiality check", () => {
  const report = buildEightD(c, policy, "zh");

  test("every term found, where, how often, with context; case-insensitive", () => {
    const hits = findConfidential(report, ["宏达塑胶", "保压", "PA66", "  ", "注塑机"]);
    expect(hits).toEqual([
      { where: "D4", term: "宏达塑胶", count: 2, excerpt: expect.stringContaining("宏达塑胶来料") },
      { where: "D4", term: "保压", count: 1, excerpt: expect.stringContaining("保压不足") },
    ]);
    const en = findConfidential({ ...report, sections: [{ id: "D5", title: "D5", text: "Uses pa66 resin" }] }, ["PA66"]);
    expect(en).toEqual([{ where: "D5", term: "PA66", count: 1, excerpt: expect.stringContaining("pa66") }]);
    expect(findConfidential(report, [])).toEqual([]);
  });

  test("spaces and punctuation inside a term do not hide it; redact removes the whole spaced span", () => {
    const spaced = { ...report, sections: [{ id: "D4" as const, title: "D4", text: "来料为宏达 塑胶,保-压不足;P.A 66 树脂" }] };
    const hits = findConfidential(spaced, ["宏达塑胶", "保压", "pa66", " 宏 达 "]);
    expect(hits.map((h) => [h.term, h.count])).toEqual([
      ["宏达塑胶", 1],
      ["保压", 1],
      ["pa66", 1],
      ["宏 达", 1],
    ]);
    expect(hits[0].excerpt).toContain("宏达 塑胶");
    const red = redact(redact(spaced, "宏达塑胶"), "pa66");
    expect(red.sections[0].text).toBe("来料为***,保-压不足;*** 树脂");
    // Fillers alone are no term.
    expect(findConfidential(spaced, [" ,;"])).toEqual([]);
  });

  test("a term in the header (e.g. a supplier as customer) is found too", () => {
    const hits = findConfidential(buildEightD({ ...c, customer: "宏达塑胶" }, policy, "zh"), ["宏达塑胶"]);
    expect(hits.map((h) => h.where)).toEqual(["header", "D4"]);
  });

  test("redact removes every occurrence; kept hits stop blocking one by one", () => {
    const red = redact(report, "宏达塑胶");
    expect(JSON.stringify(red)).not.toContain("宏达塑胶");
    expect(red.sections[3].text).toContain("***来料");
    const hits = findConfidential(red, ["宏达塑胶", "保压"]);
    expect(hits).toHaveLength(1);
    expect(unresolvedHits(hits, new Set())).toHaveLength(1);
    expect(unresolvedHits(hits, new Set([hitKey(hits[0])]))).toEqual([]);
    expect(unresolvedHits(hits, new Set(["D3|保压"]))).toHaveLength(1);
  });
});

describe("the 8D gate", () => {
  test("the external report waits for the signatures of the policy's 8D form, each slot named", () => {
    // c has the quality manager's signature; the department head's is missing.
    expect(eightDBlockers(c, policy)).toEqual([{ zh: expect.stringContaining("部长"), en: expect.stringContaining("Department head") }]);
    expect(eightDBlockers({ ...c, signatures: {} }, policy)).toHaveLength(2);
    const both = { ...c, signatures: { ...c.signatures, DEPT_HEAD: { name: "张伟", at: 46093 } } };
    expect(eightDBlockers(both, policy)).toEqual([]);
    // Rules are data: a policy whose 8D form needs only the VP asks for the VP.
    const vpOnly = { ...policy, forms: policy.forms.map((f) => (f.code === "EXTERNAL_8D" ? { ...f, signers: [["VP"]] } : f)) };
    expect(eightDBlockers(both, vpOnly).map((b) => b.en)).toEqual([expect.stringContaining("Vice president")]);
  });

  test("sections still marked to be completed are listed; filled ones are not", () => {
    const r = buildEightD(c, policy, "zh");
    expect(unfilledSections(r)).toEqual(["D3", "D5", "D6", "D7"]);
    const filled = { ...r, sections: r.sections.map((s) => ({ ...s, text: s.text.split(TODO.zh).join("已完成") })) };
    expect(unfilledSections(filled)).toEqual([]);
    expect(unfilledSections({ ...filled, sections: filled.sections.map((s) => (s.id === "D7" ? { ...s, text: " " } : s)) })).toEqual(["D7"]);
  });
});

describe("exports", () => {
  const report = buildEightD({ ...c, remarks: '=HYPERLINK("x") <script>alert(1)</script>' }, policy, "zh");

  test("worksheet rows: title, header pairs, a blank row, then one row per section", () => {
    const rows = eightDRows(report);
    expect(rows[0]).toEqual(["8D报告 KS-2026-0007", ""]);
    expect(rows).toHaveLength(1 + report.header.length + 1 + 8);
    expect(rows.at(-1)![0]).toBe("D8 结案与确认");
    expect(rows.every((r) => r.length === 2)).toBe(true);
  });

  test("HTML escapes what people typed and keeps line breaks", () => {
    const html = eightDHtml(report);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("<h2>D4 根本原因分析</h2>");
    expect(html).toMatch(/不良现象:外壳开裂<br>数量:3/);
  });

  test("file names are safe", () => {
    expect(eightDFileName(report, "html")).toBe("8D-KS-2026-0007-zh.html");
    expect(eightDFileName({ ...report, caseNo: "a/b:c" }, "html")).toBe("8D-a_b_c-zh.html");
  });
});

describe("only recorded facts (issue 22)", () => {
  const dated: Case = { ...c, goodsBackAt: 46093, executedAt: 46100 };
  test("a goods-back date is not an isolation, an execution date is not an outgoing inspection", () => {
    for (const lang of ["zh", "en"] as const) {
      const r = buildEightD(dated, policy, lang, { today: 46101 });
      const text = r.sections.map((s) => s.text).join("\n");
      expect(text).not.toMatch(/隔离|isolated|出货检验|outgoing inspection/);
      expect(r.sections.find((s) => s.id === "D3")!.text).toContain("2026-03-12");
      expect(r.sections.find((s) => s.id === "D6")!.text).toContain(TODO[lang]);
      expect(unfilledSections(r)).toEqual(expect.arrayContaining(["D3", "D5", "D6", "D7"]));
    }
  });

  test("isolation, containment and re-inspection records fill D3 and D6; a written section replaces its draft", () => {
    const evidence = [
      { caseNo: c.caseNo!, kind: "ISOLATION" as const, at: 46093, by: "王五", location: "隔离区 A", label: "待判定" },
      { caseNo: c.caseNo!, kind: "CONTAINMENT" as const, at: 46093, by: "王五", scope: "WIP" as const, checked: 500, defective: 2, result: "挑出 2 件" },
      {
        caseNo: c.caseNo!,
        kind: "RESHIP_INSPECTION" as const,
        at: 46100,
        by: "赵六",
        scope: "SPECIAL_RELEASE" as const,
        checked: 50,
        defective: 0,
        result: "放行",
      },
      { caseNo: "KS-2026-0099", kind: "CONTAINMENT" as const, at: 46093, by: "X", scope: "STOCK" as const, checked: 1, result: "别的案件" },
      { caseNo: c.caseNo!, kind: "STATEMENT" as const, at: 46095, by: "李娜", section: "D5", caption: "增加来料烘干工序" },
    ];
    const r = buildEightD(dated, policy, "zh", { today: 46101, evidence });
    const d3 = r.sections.find((s) => s.id === "D3")!.text;
    expect(d3).toContain("隔离区 A");
    expect(d3).toContain("在制品");
    expect(d3).toContain("不良率 0.4%");
    expect(d3).not.toContain("别的案件");
    expect(d3).not.toContain(TODO.zh);
    expect(r.sections.find((s) => s.id === "D6")!.text).toContain("特殊放行");
    expect(r.sections.find((s) => s.id === "D5")!.text).toBe("增加来料烘干工序");
    expect(unfilledSections(r)).toEqual(["D7"]);
  });
});

describe("one rule for the external report's review (issue 27, items 4 and 9)", () => {
  const sentUnsigned = (c: Case, p: Policy) => validateCase(c, p).filter((v) => v.code === "EIGHT_D_SENT_UNSIGNED");

  test("the 已发送 status and the export wait for the same sign-offs, whichever roles the policy's 8D form names", () => {
    for (const signers of [undefined, [["VP"]], [["QUALITY_MANAGER", "GM"], ["DEPT_HEAD"]]]) {
      const p = defaultPolicy();
      if (signers) findNamed(p.forms, "EXTERNAL_8D")!.signers = signers;
      const c: Case = { ...caseAt("DISPOSITION", p, { severity: "SERIOUS" }), eightDStatus: "SENT", signatures: {} };
      const blockers = eightDBlockers(c, p);
      const violations = sentUnsigned(c, p);
      expect(blockers.length).toBeGreaterThan(0);
      const roles = findNamed(p.forms, "EXTERNAL_8D")!.signers.map((slot) => slot.map((r) => findNamed(p.roles, r)!.zh));
      expect(blockers).toHaveLength(roles.length);
      for (const [i, slot] of roles.entries()) {
        for (const r of slot) {
          expect(blockers[i].zh).toContain(r);
          expect(violations.map((v) => v.zh).join()).toContain(r);
        }
      }
    }
  });

  test("the 8D's header says each field with the schema's own label", () => {
    const p = defaultPolicy();
    const c = caseAt("REPLIED", p, { severity: "SERIOUS" });
    for (const lang of ["zh", "en"] as const) {
      const labels = buildEightD(c, p, lang, { today: 46100 }).header.map(([label]) => label);
      for (const k of ["caseNo", "kind", "customer", "product", "partNo", "batch", "receivedAt", "severity", "status"] as const) {
        expect(labels).toContain(caseField(k)[lang]);
      }
    }
  });
});
