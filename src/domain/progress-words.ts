/**
 * A progress column of a hand-kept ledger (处理进度 / 状态 / 进度) read as a
 * lifecycle state with the weighted-word matcher: "待回复" (waiting to reply)
 * is the step before the reply, "已结案" the close, "待品质确认" a case not
 * yet judged. The state a text names is where the sheet says the case is;
 * adoption decides what its data supports.
 */
import type { Bilingual } from "./errors";
import type { State } from "./lifecycle";
import { STATES } from "./schema";
import { buildWordIndex, foldClauses, scanWords, type WordEntry } from "./wordmatch";

/** A progress text that says only "not finished" (未结案): open, at whatever step the row's data supports. */
export const OPEN = "OPEN";
export type ProgressState = State | typeof OPEN;

/** Words of progress as ledgers write them, heavier than the bare state names: "待X" is the state before X. */
const PROGRESS_WORDS: [ProgressState, number, string[]][] = [
  [OPEN, 4, ["未结案", "未完成", "未关闭", "未完结", "未处理完", "进行中", "跟进中", "open", "ongoing"]],
  [
    "RECEIVED",
    2,
    ["待处理", "未处理", "待品质确认", "待确认", "待判定", "待检验", "待分析", "品质确认中", "确认中", "新建", "新开", "待回厂", "退货中", "pending", "new"],
  ],
  ["GOODS_BACK", 2, ["已回厂", "已退回", "已收货", "货已回"]],
  ["JUDGED", 2, ["已判定", "已确认", "分析中", "待定责", "原因分析中"]],
  ["RESPONSIBILITY", 2, ["已定责", "待定方案", "方案制定中"]],
  ["DISPOSITION", 2, ["已定方案", "待签核", "审批中", "签核中", "待审批"]],
  ["APPROVED", 2, ["已签核", "已审批", "待执行"]],
  ["EXECUTED", 2, ["处理中", "执行中", "返工中", "维修中", "已处理", "已执行", "待回复", "待答复", "in progress", "processing"]],
  ["REPLIED", 2, ["已回复", "已答复", "已回复客户", "待结案", "待关闭"]],
  ["CLOSED", 3, ["已结案", "结案", "已关闭", "关闭", "已完成", "完成", "已完结", "完结", "待跟踪", "待回访", "closed", "done", "finished"]],
  ["FOLLOWED_UP", 3, ["已跟踪", "已回访", "followed up"]],
];

let index: ReturnType<typeof buildWordIndex<ProgressState>> | undefined;
function progressIndex() {
  if (index) return index;
  const words: WordEntry<ProgressState>[] = [];
  for (const s of STATES) for (const w of [s.zh, s.en, ...(s.synonyms ?? [])]) words.push({ target: s.code as State, word: w, weight: 1 });
  for (const [target, weight, ws] of PROGRESS_WORDS) for (const word of ws) words.push({ target, word, weight });
  return (index = buildWordIndex(words));
}

export type ProgressMatch = { ok: true; state: ProgressState; word: string } | ({ ok: false } & Bilingual);

/**
 * The state a progress text names: the heaviest word not negated; two states of the same weight, or only
 * negated words, are no answer. `matchProgress("待回复").state` → "EXECUTED"; `matchProgress("已结案").state` → "CLOSED";
 * `matchProgress("未结案").state` → "OPEN" (not finished, no step named).
 */
export function matchProgress(text: unknown): ProgressMatch {
  const raw = String(text ?? "").trim();
  const hits = scanWords(foldClauses(raw), progressIndex()).filter((h) => !h.negated);
  if (hits.length === 0) return { ok: false, zh: `进度"${raw}"无法对应到状态`, en: `Progress "${raw}" names no state` };
  const top = Math.max(...hits.map((h) => h.weight));
  const best = hits.filter((h) => h.weight === top);
  const states = [...new Set(best.map((h) => h.target))];
  if (states.length > 1) {
    const names = states.map((s) => STATES.find((x) => x.code === s) ?? { zh: "未结", en: "open" });
    return {
      ok: false,
      zh: `进度"${raw}"同时写了${names.map((n) => n.zh).join("与")}`,
      en: `Progress "${raw}" names several states: ${names.map((n) => n.en).join(" and ")}`,
    };
  }
  return { ok: true, state: states[0], word: best[0].word };
}
