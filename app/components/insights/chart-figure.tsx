import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

export type FigureData = {
  id: string;
  title: string;
  meaning: string;
  columns: string[];
  rows: (string | number)[][];
  rowLinks: (string | null)[];
  list: { href: string; label: string; note?: string };
  csvHref: string;
  svg: string | null;
  legend: { label: string; color: string; dashed?: boolean }[];
};

/**
 * One chart: its title, what it means, the server-rendered SVG, and the same numbers as a table
 * (collapsed by default, open when printed), with its CSV and the list behind it.
 */
export function ChartFigure({ chart, children }: { chart: FigureData; children?: ReactNode }) {
  const titleId = `chart-${chart.id}-title`;
  return (
    <figure className="chart card" id={`chart-${chart.id}`} aria-labelledby={titleId}>
      <h3 id={titleId}>{chart.title}</h3>
      <p className="muted chart-meaning">{chart.meaning}</p>
      {children}
      {chart.svg ? (
        <>
          {chart.legend.length > 1 ? (
            <ul className="chart-legend" aria-hidden="true">
              {chart.legend.map((l) => (
                <li key={l.label}>
                  <span className={l.dashed ? "swatch dashed" : "swatch"} style={{ background: l.dashed ? undefined : l.color, borderColor: l.color }} />
                  {l.label}
                </li>
              ))}
            </ul>
          ) : null}
          {/* Rendered on the server by render.server.tsx; the chart library never ships to the browser.
              Focusable, so a narrow screen's sideways scroll can be done from the keyboard too. */}
          <div className="chart-scroll" tabIndex={0} role="group" aria-label={`${chart.title}: chart, the table below has its numbers`} dangerouslySetInnerHTML={{ __html: chart.svg }} />
        </>
      ) : null}
      <ChartTable chart={chart} open={!chart.svg} />
      <p className="chart-links">
        <a href={chart.csvHref} download>
          Download CSV
        </a>
        <span aria-hidden="true"> · </span>
        <Link to={chart.list.href}>{chart.list.label}</Link>
        {chart.list.note ? <span className="muted"> ({chart.list.note})</span> : null}
      </p>
    </figure>
  );
}

function ChartTable({ chart, open }: { chart: FigureData; open: boolean }) {
  const table = (
    <div className="table-wrap">
      <table className="chart-table" data-chart={chart.id}>
        <caption className="visually-hidden">{chart.title}</caption>
        <thead>
          <tr>
            {chart.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {chart.rows.length === 0 ? (
            <tr>
              <td colSpan={chart.columns.length} className="muted">
                Nothing in this range.
              </td>
            </tr>
          ) : (
            chart.rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) =>
                  j === 0 ? (
                    <th key={j} scope="row">
                      {chart.rowLinks[i] ? <Link to={chart.rowLinks[i]!}>{cell}</Link> : cell}
                    </th>
                  ) : (
                    <td key={j}>{cell}</td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
  if (open) return table;
  return (
    <details className="chart-data">
      <summary>Table of these numbers</summary>
      {table}
    </details>
  );
}
