/**
 * RESPCODE on free text: ours (a keyword index, domain/wordmatch.ts) against
 * the matcher it replaced (every keyword searched with indexOf on every call,
 * kept below as the named peer "indexOf scan (before issue 14)"), same inputs,
 * same process.
 *
 * Called from bench/run.js after it compiled src/ to build/bench; also runs
 * alone: `node bench/respcode.js` (compiles first when build/bench is missing).
 *
 * Timing is CPU time of this process (process.cpuUsage), so other jobs on a
 * shared machine do not count; the load average is printed beside.
 *
 * Inputs: 50,000 distinct texts from a seeded PRNG, each a cause phrase as
 * typed in hand-kept ledgers, with a prefix and suffix (batch, quantity,
 * remarks) so no two are equal and no cache answers them. Timing: ROUNDS
 * alternating rounds (ours, peer, ours, peer…) over all inputs; the median
 * ns/call of each and the median of the per-round ratios are printed.
 * Target: ≤ 2,000 ns per call (issue 14).
 */
"use strict";

const path = require("path");
const fs = require("fs");
const { execFileSync } = require("child_process");

const ROOT = path.resolve(__dirname, "..");
const N = 50000;
const ROUNDS = 7;
const SEED = 20261129;
const TARGET_NS = 2000;

const PHRASES = [
  "供应商来料不良",
  "经销商搬运损坏",
  "品质漏检",
  "物流运输途中压坏",
  "客户误判,无质量问题",
  "作业员装配不良",
  "图纸错误",
  "与客户需求不符",
  "外协件尺寸超差",
  "客户安装不当",
  "消费者使用不当造成损坏",
  "OQC漏检外观划伤",
  "快递暴力运输",
  "承运商运输损坏",
  "未发现不良",
  "车间员工焊接不良",
  "工艺不成熟",
  "选型错误",
  "不是客户原因",
  "非供应商来料不良",
  "客户使用不当,供应商来料不良",
  "包装设计不合理",
  "客户仓库存放不当受潮",
  "Courier damaged in transit",
  "Poor workmanship",
  "Wrong installation by dealer",
  "天气原因",
  "来料检验漏检",
];
const PREFIX = ["", "经确认:", "品质部判定", "CQE分析:", "复查后 ", "初步判断"];
const SUFFIX = ["", ",批次", "(数量", "。已通知相关部门", " 需跟进", ",待8D回复"];

/** The matcher before issue 14, verbatim in behaviour: indexOf over every keyword on every call. */
function makePeer(policy, findNamed, foldText) {
  const STRONG = 3;
  const WEAK = 1;
  function claimHits(text) {
    const found = [];
    for (const def of policy.responsibilities) {
      for (const [words, weight] of [
        [def.keywords, STRONG],
        [def.hints, WEAK],
      ]) {
        for (const w of words) {
          const k = foldText(w);
          if (!k) continue;
          const ascii = [...k].every((ch) => ch.charCodeAt(0) < 128);
          for (let at = text.indexOf(k); at >= 0; at = text.indexOf(k, at + 1)) {
            if (ascii && (/[a-z0-9]/.test(text[at - 1] ?? "") || /[a-z0-9]/.test(text[at + k.length] ?? ""))) continue;
            found.push({ def, word: w, weight, at, len: k.length });
          }
        }
      }
    }
    found.sort((a, b) => b.len - a.len || b.weight - a.weight);
    const taken = new Uint8Array(text.length);
    const kept = [];
    for (const h of found) {
      let free = true;
      for (let i = h.at; i < h.at + h.len && free; i++) free = taken[i] === 0;
      if (!free) continue;
      taken.fill(1, h.at, h.at + h.len);
      kept.push(h);
    }
    return kept;
  }
  return (raw) => {
    if (raw.trim() === "") return undefined;
    const exact = findNamed(policy.responsibilities, raw);
    if (exact) return exact.code;
    const scores = new Map();
    for (const hit of claimHits(foldText(raw))) scores.set(hit.def, (scores.get(hit.def) ?? 0) + hit.weight);
    const scored = [...scores.entries()].sort((a, b) => b[1] - a[1]);
    if (scored.length === 0 || (scored[1] && scored[1][1] === scored[0][1])) return undefined;
    return scored[0][0].code;
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function run(log = (l = "") => process.stdout.write(l + "\n")) {
  const build = path.join(ROOT, "build/bench/src");
  const resp = require(path.join(build, "domain/responsibility.js"));
  const pol = require(path.join(build, "domain/policy/policy.js"));
  const text = require(path.join(build, "domain/text.js"));
  const policy = pol.defaultPolicy();
  const peer = makePeer(policy, pol.findNamed, text.foldText);

  const { prng } = require(path.join(build, "domain/random.js"));
  const rand = prng(SEED);
  const inputs = new Array(N);
  for (let i = 0; i < N; i++) {
    const pick = (xs) => xs[Math.floor(rand() * xs.length)];
    inputs[i] = `${pick(PREFIX)}${pick(PHRASES)}${pick(SUFFIX)}${i}`;
  }
  const ours = new Array(N);
  const theirs = new Array(N);
  const oursFn = () => {
    for (let i = 0; i < N; i++) {
      const m = resp.matchResponsibility(inputs[i], policy);
      ours[i] = m.ok ? m.code : undefined;
    }
  };
  const peerFn = () => {
    for (let i = 0; i < N; i++) theirs[i] = peer(inputs[i]);
  };
  oursFn();
  peerFn(); // warm-up: JIT and the keyword index
  // CPU time (user + sys) of this process, not wall time: on a machine shared by other jobs the
  // wall clock counts the time this process waits for a core.
  const timed = (fn) => {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    return ((c.user + c.system) * 1000) / N;
  };
  const a = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(timed(oursFn));
    b.push(timed(peerFn));
  }
  const ratios = a.map((x, i) => b[i] / x);
  const ns = median(a);
  let same = 0;
  for (let i = 0; i < N; i++) if (ours[i] === theirs[i]) same++;
  log(
    "RESPCODE on free text (matchResponsibility), " +
      `${N.toLocaleString("en")} distinct texts, seed ${SEED}, ${ROUNDS} alternating rounds,` +
      ` CPU time; load average ${require("os")
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")}`,
  );
  log(`  ours (keyword index)                     ${ns.toFixed(0).padStart(7)} ns CPU/call  (rounds: ${a.map((x) => x.toFixed(0)).join(", ")})`);
  log(`  indexOf scan (before issue 14)           ${median(b).toFixed(0).padStart(7)} ns CPU/call  (rounds: ${b.map((x) => x.toFixed(0)).join(", ")})`);
  log(
    `  median ratio peer/ours: ${median(ratios).toFixed(1)}x; same answer on ${same.toLocaleString("en")} / ${N.toLocaleString("en")}` +
      " (the rest: negated or two-cause texts ours calls ambiguous)",
  );
  log(`  target <= ${TARGET_NS} ns/call: ${ns <= TARGET_NS ? "PASS" : "FAIL"}`);
  return { ns, ratio: median(ratios) };
}

module.exports = { run };

if (require.main === module) {
  if (!fs.existsSync(path.join(ROOT, "build/bench/src/domain/responsibility.js")) || process.argv.includes("--build")) {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [ROOT] }), "-p", "tsconfig.bench.json"], { cwd: ROOT, stdio: "inherit" });
  }
  run();
}
