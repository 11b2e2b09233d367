/**
 * The generated metadata (what Excel reads) and its Chinese twin: every
 * function is declared, every name is valid for Excel, and no function or
 * parameter lacks its Chinese text.
 */
import * as path from "path";
import * as functions from "../../src/functions/functions";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generateCustomFunctionsMetadata } = require("custom-functions-metadata");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { localize } = require("../../scripts/localize-functions");
import zh from "../../src/functions/zh-CN.json";

interface Meta {
  functions: {
    id: string;
    name: string;
    description: string;
    parameters: { name: string; optional?: boolean; description: string }[];
    options?: { volatile?: boolean };
  }[];
}

let meta: Meta;
let associate: { id: string; functionName: string }[];

beforeAll(async () => {
  const r = await generateCustomFunctionsMetadata([path.resolve(__dirname, "../../src/functions/functions.ts")], false);
  expect(r.errors).toEqual([]);
  meta = JSON.parse(r.metadataJson);
  associate = r.associate;
}, 60000);

test("the nine functions are declared and bound to the exported JS functions", () => {
  expect(meta.functions.map((f) => f.id)).toEqual(["WORKDAY", "NETWORKDAYS", "ESTIMATE", "DUEDATE", "SLASTATUS", "RESPCODE", "CHARGE", "NEEDS8D", "APPROVALS"]);
  for (const a of associate) expect(typeof (functions as Record<string, unknown>)[a.functionName]).toBe("function");
  expect(associate.map((a) => a.functionName)).toEqual([
    "workday",
    "networkdays",
    "estimate",
    "dueDate",
    "slaStatus",
    "respCode",
    "charge",
    "needs8D",
    "approvals",
  ]);
});

test("optional parameters and volatility are declared as documented", () => {
  const due = meta.functions.find((f) => f.id === "DUEDATE")!;
  expect(due.parameters.map((p) => `${p.name}${p.optional ? "?" : ""}`)).toEqual(["start", "clock", "customerClass?", "severity?", "urgent?", "market?"]);
  // Not volatile (recalculating 10,000 rows on every edit); the add-in recalculates the column once a day instead.
  expect(meta.functions.some((f) => f.options?.volatile)).toBe(false);
});

test("Chinese metadata covers every function and parameter; names stay as written by Range.formulas (office-js #891)", () => {
  const out: Meta = localize(meta, zh);
  for (const [i, f] of out.functions.entries()) {
    // A localized name would turn every formula the add-in writes into #NAME? in a Chinese Excel.
    expect(f.name).toBe(meta.functions[i].name);
    expect(f.name).toBe(f.id);
    expect(f.description).toMatch(/[\u4e00-\u9fff]/);
    for (const p of f.parameters) expect(p.description).toMatch(/[\u4e00-\u9fff]/);
  }
  expect(new Set(out.functions.map((f) => f.name)).size).toBe(out.functions.length);
});

test("a function without its Chinese text fails loudly", () => {
  const partial = { ...zh } as Record<string, unknown>;
  delete partial.CHARGE;
  expect(() => localize(meta, partial)).toThrow(/missing CHARGE/);
});
