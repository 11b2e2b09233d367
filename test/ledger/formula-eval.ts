/**
 * A small evaluator for the ledger's computed-column formulas (workbook-layout.ts computedColumns): IF, AND, OR,
 * `x=""` / `x="text"` comparisons, structured references `[@[header]]`, strings, and calls of named functions
 * (the CL.* custom functions, bound by the test). Enough to run the sheet's own formula text against the
 * JavaScript that computes the same column, so the two cannot drift apart unseen.
 */
export type Value = string | number | boolean | null;
type Node = { t: "str"; v: string } | { t: "ref"; header: string } | { t: "eq"; a: Node; b: Node } | { t: "call"; name: string; args: Node[] };

export function parseFormula(formula: string): Node {
  let i = formula.startsWith("=") ? 1 : 0;
  const peek = () => formula[i];
  const expect = (ch: string) => {
    if (formula[i] !== ch) throw new Error(`expected ${ch} at ${i} in ${formula}`);
    i++;
  };
  const atom = (): Node => {
    if (peek() === '"') {
      const end = formula.indexOf('"', i + 1);
      const v = formula.slice(i + 1, end);
      i = end + 1;
      return { t: "str", v };
    }
    if (formula.startsWith("[@[", i)) {
      const end = formula.indexOf("]]", i);
      const header = formula.slice(i + 3, end);
      i = end + 2;
      return { t: "ref", header };
    }
    const m = /^[A-Z][A-Z0-9.]*/.exec(formula.slice(i));
    if (!m) throw new Error(`unexpected ${formula.slice(i, i + 10)} in ${formula}`);
    i += m[0].length;
    expect("(");
    const args: Node[] = [];
    if (peek() !== ")") {
      args.push(expr());
      while (peek() === ",") {
        i++;
        args.push(expr());
      }
    }
    expect(")");
    return { t: "call", name: m[0], args };
  };
  const expr = (): Node => {
    const a = atom();
    if (peek() !== "=") return a;
    i++;
    return { t: "eq", a, b: atom() };
  };
  const node = expr();
  if (i !== formula.length) throw new Error(`trailing text at ${i} in ${formula}`);
  return node;
}

const blank = (v: Value) => v === null || v === "";

export function evaluate(node: Node, cell: (header: string) => Value, fns: Record<string, (...args: Value[]) => Value>): Value {
  const ev = (n: Node) => evaluate(n, cell, fns);
  switch (node.t) {
    case "str":
      return node.v;
    case "ref":
      return cell(node.header);
    case "eq": {
      const a = ev(node.a);
      const b = ev(node.b);
      return blank(a) && blank(b) ? true : a === b;
    }
    case "call":
      switch (node.name) {
        case "IF":
          return ev(node.args[0]) ? ev(node.args[1]) : node.args.length > 2 ? ev(node.args[2]) : false;
        case "AND":
          return node.args.every((x) => ev(x) === true);
        case "OR":
          return node.args.some((x) => ev(x) === true);
        default: {
          const fn = fns[node.name];
          if (!fn) throw new Error(`no function ${node.name}`);
          // An empty cell reaches a custom function as null (Excel on the web, office-js #4702).
          return fn(...node.args.map((x) => ev(x)));
        }
      }
  }
}
