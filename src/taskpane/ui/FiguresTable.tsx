/**
 * The pane's tables of figures (dashboard, monthly review, and the tables beside the charts): a label per row, then
 * right-aligned figures. One component so every screen's tables look, and read aloud, the same.
 */
import type { CSSProperties, ReactNode } from "react";

/** Inline, so the screens need nothing from taskpane.css. */
export const FIGURES: CSSProperties = { width: "100%", borderCollapse: "collapse", fontSize: 13 };
export const NUM: CSSProperties = { textAlign: "right", paddingLeft: 8, whiteSpace: "nowrap" };

/** A column of figures: its heading and each row's figure. */
export interface FigureColumn<R> {
  key: string;
  head?: ReactNode;
  cell: (row: R, index: number) => ReactNode;
  /** The cell's data-testid, for the tests that read one figure. */
  testid?: (row: R) => string;
  className?: string;
}

/**
 * A table: `label` fills the first column, `columns` the figures. The heading row is drawn only when the label
 * column or a figure column has a heading (a summary of label–value pairs has none).
 */
export function FiguresTable<R>({
  rows,
  rowKey,
  label,
  labelHead,
  columns,
}: {
  rows: readonly R[];
  rowKey: (row: R) => string;
  label: (row: R) => ReactNode;
  labelHead?: ReactNode;
  columns: readonly FigureColumn<R>[];
}) {
  const headed = labelHead !== undefined || columns.some((c) => c.head !== undefined);
  return (
    <table style={FIGURES}>
      {headed ? (
        <thead>
          <tr>
            <th>{labelHead}</th>
            {columns.map((c) => (
              <th key={c.key} style={NUM}>
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
      ) : null}
      <tbody>
        {rows.map((r, i) => (
          <tr key={rowKey(r)}>
            <td>{label(r)}</td>
            {columns.map((c) => (
              <td key={c.key} className={c.className} style={NUM} data-testid={c.testid?.(r)}>
                {c.cell(r, i)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Label–value rows, each value with its data-testid: a screen's summary block. */
export function LabelledFigures({ rows }: { rows: readonly (readonly [label: string, value: ReactNode, testid: string])[] }) {
  return <FiguresTable rows={rows} rowKey={(r) => r[2]} label={(r) => r[0]} columns={[{ key: "value", cell: (r) => r[1], testid: (r) => r[2] }]} />;
}
