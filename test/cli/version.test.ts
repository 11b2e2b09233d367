import { readFileSync } from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { main } from "../../src/cli/main";
import { SCHEMA_VERSION } from "../../src/ledger/workbook-layout";

// The version printed is package.json's, read at run time, not a copy kept in the source.
const root = path.join(__dirname, "..", "..");
const declared = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version as string;

test("--version prints package.json's version and the schema version it writes, in process and from the compiled command", async () => {
  let out = "";
  const code = await main(["--version"], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {} });
  expect(code).toBe(0);
  expect(out.trim()).toBe(`${declared} (schema ${SCHEMA_VERSION})`);
  // The compiled launcher (npm run build:cli) must find the version beside its build too.
  const bin = execFileSync(process.execPath, [path.join(root, "bin", "complaint-ledger.js"), "-v"], { encoding: "utf8" });
  expect(bin.trim()).toBe(`${declared} (schema ${SCHEMA_VERSION})`);
  // The changelog names this release and the schema it writes.
  const changelog = readFileSync(path.join(root, "CHANGELOG.md"), "utf8");
  const section = changelog.split(/^## /m).find((x) => x.startsWith(`${declared} `) || x.startsWith(`${declared}\n`));
  expect(section).toContain(`schema ${SCHEMA_VERSION}`);
});
