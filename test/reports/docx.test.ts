/**
 * The Word files' parts without LibreOffice: the company's name and logo from
 * the Policy sheet's rows, the signatures' slots, and the refusal of a logo
 * that is not an image.
 */
import type { Case } from "../../src/domain/case";
import { defaultPolicy } from "../../src/domain/policy/policy";
import { policyFromRows, policyToRows } from "../../src/domain/policy/policy-table";
import { eightDDocument, replyDocument } from "../../src/reports/documents";
import { eightDDocx, replyDocx } from "../../src/reports/docx";
import { partText, zipParts } from "../../src/stores/xlsx/zip/zip-write";

// A 1×1 PNG.
const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const c: Case = {
  caseNo: "KS-2026-0042",
  customer: "华东机电",
  defect: "外壳开裂",
  rootCause: "保压不足",
  status: "REPLIED",
  signatures: { QUALITY_MANAGER: { name: "张伟", at: 46100.5 } },
};

function policyWith(settings: Record<string, string>) {
  const p = defaultPolicy();
  const rows = policyToRows({ ...p, settings: { ...p.settings, ...settings } });
  return policyFromRows(rows);
}

test("company name and logo from the Policy sheet's rows are on the letterhead; signature slots name who signed and who has not", async () => {
  const { policy, problems } = policyWith({ companyName: "苏州精密塑胶有限公司", companyNameEn: "Suzhou Precision Plastics Co., Ltd.", companyLogo: PNG });
  expect(problems).toEqual([]);
  const doc = eightDDocument(c, policy!, "zh", { today: 46101 });
  expect(doc.company).toEqual({ name: "苏州精密塑胶有限公司", logo: PNG });
  expect(doc.signatures).toEqual([
    { role: "品质部经理", name: "张伟", date: "2026-03-19" },
    { role: "部长", name: "", date: "" },
  ]);
  const parts = zipParts(Buffer.from(await eightDDocx(doc)));
  expect(parts.some((p) => /^word\/media\/.+\.png$/.test(p.name))).toBe(true);
  expect(partText(parts.find((p) => p.name === "word/document.xml")!)).toContain("苏州精密塑胶有限公司");
  const en = replyDocument(c, policy!, "en", { today: 46101 });
  expect(partText(zipParts(Buffer.from(await replyDocx(en))).find((p) => p.name === "word/document.xml")!)).toContain("Suzhou Precision Plastics Co., Ltd.");
});

test("a logo that is not an image is a Policy sheet problem, in both languages", () => {
  const { problems } = policyWith({ companyLogo: "C:\\logo.png" });
  expect(problems).toEqual([expect.objectContaining({ zh: expect.stringContaining("data:image/png"), en: expect.stringContaining("data:image/png") })]);
});
