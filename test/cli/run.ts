/** The command line in-process, as the tests call it: argv in, exit code and both streams out, the clock fixed. */
import { main } from "../../src/cli/main";

export type CliResult = { code: number; out: string; err: string };

/** A `cli(...argv)` that runs `complaint-ledger` with no environment and `now` as its clock. */
export function cliAt(now: () => Date): (...argv: string[]) => Promise<CliResult> {
  return async (...argv) => {
    let out = "",
      err = "";
    const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env: {}, now });
    return { code, out, err };
  };
}
