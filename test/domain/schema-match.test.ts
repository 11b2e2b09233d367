/**
 * matchHeader reads a field list's names from an index made once per list (issue 26: adoption asks it of every
 * cell of a 50,000-row sheet). It must answer as the plain reading does: the first field naming a text, any
 * field's name before any field's synonym.
 */
import { defaultPolicy } from "../../src/domain/policy/policy";
import { headerOf, ledgerSchema, matchHeader, type FieldDef } from "../../src/domain/schema";
import { normalizeText } from "../../src/domain/text";

/** The plain reading: each field's names, then each field's synonyms, normalised per question. */
function plainMatch(header: unknown, fields: readonly FieldDef[]): FieldDef | undefined {
  const h = normalizeText(String(header ?? "").replace(/\*|\(必填\)|（必填）/g, ""));
  if (h === "") return undefined;
  return (
    fields.find((fd) => [headerOf(fd), fd.zh, fd.en, fd.key].some((x) => normalizeText(x) === h)) ??
    fields.find((fd) => fd.synonyms.some((s) => normalizeText(s) === h))
  );
}

test("every name and synonym of the schema, spelled as sheets spell it, finds the field the plain reading finds", () => {
  const fields = ledgerSchema(defaultPolicy());
  const texts = fields.flatMap((f) => [headerOf(f), f.zh, f.en, f.key, ...f.synonyms]);
  const spelled = texts.flatMap((t) => [t, `${t}*`, `${t}(必填)`, ` ${t.toUpperCase()} `, `${t}?`, `x${t}`]);
  let found = 0;
  for (const t of [...spelled, "", "无关", 42, null]) {
    const want = plainMatch(t, fields);
    if (want) found++;
    expect(matchHeader(t, fields)?.key).toBe(want?.key);
  }
  expect(found).toBeGreaterThan(texts.length * 3);
});

test("a text two fields claim goes to the first; a name beats an earlier field's synonym; a grown list is read again", () => {
  const base = ledgerSchema(defaultPolicy());
  const a: FieldDef = { ...base[0], zh: "甲", en: "Alpha", synonyms: ["共同", "乙"] };
  const b: FieldDef = { ...base[1], zh: "乙", en: "Beta", synonyms: ["共同"] };
  const c: FieldDef = { ...base[2], zh: "丙", en: "Gamma", synonyms: [] };
  const fields: FieldDef[] = [a, b];
  expect(matchHeader("共同", fields)).toBe(a);
  expect(matchHeader("乙", fields)).toBe(b);
  expect(matchHeader("Gamma", fields)).toBeUndefined();
  fields.push(c);
  expect(matchHeader("Gamma", fields)).toBe(c);
  expect(matchHeader("共同", [b, a])).toBe(b);
});
