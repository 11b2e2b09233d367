/**
 * docs/traceability.md stays true: every test it names exists in the file it names, and the counts it
 * states match its rows (a rule encoded names a test; a rule left to people says why).
 */
import { readFileSync } from "fs";
import * as path from "path";

const root = path.join(__dirname, "..");
const doc = readFileSync(path.join(root, "docs/traceability.md"), "utf8");
const rows = doc.split("\n").filter((l) => /^\| [A-Z][A-Z0-9]*-\d+ \|/.test(l));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("docs/traceability.md", () => {
  test("every named test exists in the file named", () => {
    const named = rows.flatMap((r) =>
      [...r.matchAll(/`(test\/[^`]+\.tsx?)` › `([^`]+)`/g)].map((m) => ({ row: r.slice(2, r.indexOf(" |", 2)), file: m[1], name: m[2] })),
    );
    expect(named.length).toBeGreaterThanOrEqual(110);
    const missing = named.filter(({ file, name }) => {
      const text = readFileSync(path.join(root, file), "utf8");
      return !new RegExp(`\\b(?:test|it)\\(\\s*["'\`]${escape(name)}`).test(text);
    });
    expect(missing).toEqual([]);
  });

  test("each row is encoded with a test or left to people with a reason; the stated counts are the rows'", () => {
    const encoded = rows.filter((r) => r.includes("` › `"));
    const left = rows.filter((r) => /\| left to people: .+\| — \|$/.test(r));
    expect(encoded.length + left.length).toBe(rows.length);
    expect(encoded.length).toBeGreaterThanOrEqual(110);
    const ids = rows.map((r) => r.split("|")[1].trim());
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc).toContain(`**${encoded.length} rules encoded with a named test, ${left.length} left to people**`);
  });
});
