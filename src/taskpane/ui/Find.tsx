/**
 * 查找案件: one search box in the header, on every tab. Typing a case
 * number, customer, product or part number lists at most eight matches
 * (model.ts findCases), so a ledger of thousands of rows never renders
 * thousands of options. Keyboard first: ↓/↑ move, Enter opens, Esc clears.
 */
import { Input } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import { useT } from "../i18n";
import { findCases } from "../model";
import { asOf, usePane } from "./pane";

export function FindCase() {
  const pane = usePane();
  const t = useT();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const hits = useMemo(() => findCases(asOf(pane.ledger, pane.version).rows, query), [query, pane.ledger, pane.version]);
  const open = query.trim() !== "";

  const choose = (caseNo: string | undefined) => {
    if (!caseNo) return;
    pane.openCase(caseNo, { select: true });
    setQuery("");
    setActive(0);
  };

  function onKey(e: React.KeyboardEvent) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((i) => Math.min(i + 1, hits.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      choose(hits[active]?.case.caseNo);
    } else if (e.key === "Escape") {
      setQuery("");
      setActive(0);
    }
  }

  return (
    <div className="cl-find" role="search">
      <Input
        size="small"
        type="search"
        value={query}
        placeholder={t("查找:单号、客户、产品、料号", "Find: case no., customer, product, part no.")}
        aria-label={t("查找案件", "Find a case")}
        role="combobox"
        aria-expanded={open}
        aria-controls="cl-find-list"
        aria-autocomplete="list"
        aria-activedescendant={open && hits[active] ? `cl-find-${hits[active].row}` : undefined}
        onChange={(_, d) => {
          setQuery(d.value);
          setActive(0);
        }}
        onKeyDown={onKey}
        data-testid="find"
      />
      {open ? (
        <ul id="cl-find-list" role="listbox" className="cl-findlist" aria-label={t("查找结果", "Matches")}>
          {hits.length === 0 ? (
            <li className="cl-muted" role="presentation">
              {t("没有匹配的案件", "No matching case")}
            </li>
          ) : null}
          {hits.map((r, i) => (
            <li
              key={r.row}
              id={`cl-find-${r.row}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "cl-findhit cl-findactive" : "cl-findhit"}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(r.case.caseNo);
              }}
            >
              <strong>{r.case.caseNo}</strong> {r.case.customer ?? ""}
              <span className="cl-second">{[r.case.product, r.case.partNo].filter(Boolean).join(" · ")}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
