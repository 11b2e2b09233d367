/**
 * 我的工作 My work: the cases that need this user, in five lists with counts.
 * A click opens the case and puts the sheet's cursor on its row.
 */
import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Button, CounterBadge } from "@fluentui/react-components";
import { findNamed } from "../../domain/policy/policy";
import { STATES } from "../../domain/schema";
import { inLang, useLang, useT } from "../i18n";
import { LIST_NAMES, workLists, type ListId, type WorkItem } from "../model";
import { useEffect, useState } from "react";
import { memo, snapshotOf, warmFacts } from "../ledger-snapshot";
import { EstimateMark, isoDay, SlaBadge } from "./common";
import { usePane } from "./pane";
import { VirtualList } from "./VirtualList";

const ORDER: ListId[] = ["toSign", "overdue", "dueSoon", "mine", "open"];

export function MyWork() {
  const pane = usePane();
  const { ledger, actor, myRoles } = pane;
  const t = useT();
  const lang = useLang();
  const [open, setOpen] = useState<string[]>(["toSign", "overdue", "mine"]);
  // Once per ledger snapshot and person: coming back to this tab costs nothing.
  const lists = memo(snapshotOf(pane), `work:${actor?.name ?? ""}:${myRoles.join(",")}`, () =>
    workLists(ledger.rows, ledger.policy, pane.cal, pane.today, actor, myRoles),
  );
  // The other screens' facts, in slices while the user reads this one (snapshot.ts).
  const { version, cal, today } = pane;
  // ledger.rows and .policy: the Ledger is the same object after a write; its rows and policy are not.
  useEffect(() => warmFacts(snapshotOf({ ledger, version, cal, today })), [ledger, ledger.rows, ledger.policy, version, cal, today]);
  return (
    <div className="cl-work">
      {!actor ? (
        <p className="cl-muted">{t("选择您是谁后,显示“我负责的”和“待我签核”。", "Choose who you are to see “Mine” and “Waiting for my approval”.")}</p>
      ) : null}
      <Accordion multiple collapsible openItems={open} onToggle={(_, d) => setOpen(d.openItems.map(String))}>
        {ORDER.map((id) => (
          <AccordionItem key={id} value={id}>
            <AccordionHeader size="small" data-testid={`list-${id}`}>
              <span className="cl-listname">{inLang(LIST_NAMES[id], lang)}</span>
              <CounterBadge
                count={lists[id].length}
                showZero
                size="small"
                appearance="filled"
                color={id === "overdue" && lists[id].length ? "danger" : id === "toSign" && lists[id].length ? "brand" : "informative"}
                aria-label={`${lists[id].length}`}
                data-testid={`count-${id}`}
              />
            </AccordionHeader>
            {/* A closed panel is not rendered: Fluent marks a closing one inert={true}, which React 18 refuses. */}
            {open.includes(id) ? (
              <AccordionPanel>
                {lists[id].length === 0 ? (
                  <p className="cl-muted">{t("无", "None")}</p>
                ) : (
                  <VirtualList
                    items={lists[id]}
                    itemKey={(item) => item.row.row}
                    label={inLang(LIST_NAMES[id], lang)}
                    renderItem={(item) => <Item item={item} />}
                    estimateSize={72}
                    testid={`items-${id}`}
                  />
                )}
              </AccordionPanel>
            ) : null}
          </AccordionItem>
        ))}
      </Accordion>
    </div>
  );
}

function Item({ item }: { item: WorkItem }) {
  const pane = usePane();
  const lang = useLang();
  const t = useT();
  const c = item.row.case;
  const status = findNamed(STATES, c.status);
  const worst = item.overdue[0] ?? item.dueSoon[0];
  return (
    <>
      <Button appearance="subtle" className="cl-item" onClick={() => pane.openCase(c.caseNo!, { select: true })}>
        <span className="cl-itemtop">
          <strong>{c.caseNo}</strong>
          {status ? <span className="cl-muted">{inLang(status, lang)}</span> : null}
        </span>
        <span className="cl-itemline">
          {c.customer} · {c.product}
        </span>
        <span className="cl-itemline">
          {worst ? (
            <>
              {inLang(worst.clock, lang)} <SlaBadge status={worst.status!} />{" "}
            </>
          ) : null}
          {item.nextDue !== undefined ? (
            <span className="cl-muted">
              {t("最近到期", "next due")} {isoDay(item.nextDue)}
            </span>
          ) : null}
          {item.nextDue !== undefined && pane.cal.spansProvisional(item.nextDue, item.nextDue) ? (
            <>
              {" "}
              <EstimateMark />
            </>
          ) : null}
        </span>
      </Button>
    </>
  );
}
