/** A small argument parser: the CLI's contract is fixed, so no library is needed. */
import { DomainError } from "../domain/errors";

export interface OptionSpec {
  /** Takes a value (`-o FILE`), or is a flag. */
  value?: boolean;
  alias?: string;
  /** May be given more than once (`--set A=1 --set B=2`): every value is kept, in order, in `lists`. */
  repeat?: boolean;
}

export interface Parsed {
  positional: string[];
  options: Record<string, string | boolean>;
  /** Values of repeatable options, in the order given. */
  lists: Record<string, string[]>;
}

/** Parses `argv` against the options a command knows; anything else is a usage error (exit 2). */
export function parseArgs(argv: readonly string[], spec: Record<string, OptionSpec>): Parsed {
  const positional: string[] = [];
  const options: Record<string, string | boolean> = {};
  const lists: Record<string, string[]> = {};
  const byAlias = new Map(
    Object.entries(spec)
      .filter(([, s]) => s.alias)
      .map(([k, s]) => [s.alias!, k]),
  );
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("-") && a !== "-") {
      const eq = a.indexOf("=");
      const raw = eq > 0 ? a.slice(0, eq) : a;
      const name = raw.startsWith("--") ? raw.slice(2) : (byAlias.get(raw.slice(1)) ?? raw);
      const s = spec[name];
      if (!s) throw new DomainError("USAGE", `未知选项 ${raw}`, `Unknown option ${raw}`);
      if (s.value) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined || (eq < 0 && v.startsWith("-") && v.length > 1)) {
          throw new DomainError("USAGE", `选项 ${raw} 需要一个值`, `Option ${raw} needs a value`);
        }
        if (s.repeat) (lists[name] ??= []).push(v);
        options[name] = v;
      } else {
        if (eq > 0) throw new DomainError("USAGE", `选项 ${raw} 不带值`, `Option ${raw} takes no value`);
        options[name] = true;
      }
    } else positional.push(a);
  }
  return { positional, options, lists };
}
