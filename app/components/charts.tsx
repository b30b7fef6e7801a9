import { scaleBand, scaleLinear } from "d3-scale";
import { area, line } from "d3-shape";
import type { ReactNode } from "react";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";

/**
 * Charts drawn on the server as SVG (d3-scale for the geometry, d3-shape for
 * the paths), so they show without JavaScript. Every chart sits in a figure
 * with its data as a table (for screen readers and for checking the picture)
 * and a link to the same data as CSV. Values arrive as numbers for geometry
 * only; what people read is the `display` text formatted on the server.
 */

export interface Datum {
  key: string;
  label: string;
  value: number;
  display: string;
}

const WIDTH = 640;

export function ChartFigure({
  id,
  title,
  note,
  csvHref,
  data,
  valueHeader,
  children,
}: {
  id: string;
  title: string;
  note?: string;
  csvHref: string;
  data: Datum[];
  valueHeader: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption>
        <h2 id={`${id}-title`} className="chart__title">
          {title}
        </h2>
        {note ? <p className="hint">{note}</p> : null}
      </figcaption>
      {data.length === 0 ? <p>{t("insights.noData")}</p> : children}
      <details className="chart__data">
        <summary>{t("insights.dataTable")}</summary>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("insights.item")}</th>
              <th scope="col" className="numeric">
                {valueHeader}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.key}>
                <td>{d.label}</td>
                <td className="numeric">{d.display}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <p>
        <a href={csvHref} download>
          {t("insights.downloadCsv")}
        </a>
      </p>
    </figure>
  );
}

/** Horizontal bars, longest first as given; in Arabic they grow from the right. */
export function BarChart({ data, rtl, label }: { data: Datum[]; rtl: boolean; label: string }) {
  const labelWidth = 170;
  // Room for the longest amount ("12,345,678.900 KWD") beside the longest bar.
  const valueWidth = 200;
  const rowHeight = 30;
  const height = data.length * rowHeight + 8;
  const max = Math.max(...data.map((d) => d.value), 1);
  const length = scaleLinear()
    .domain([0, max])
    .range([0, WIDTH - labelWidth - valueWidth]);
  return (
    <svg className="chart__svg" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={label}>
      {data.map((d, i) => {
        const y = i * rowHeight + 4;
        const w = Math.max(length(d.value), d.value > 0 ? 2 : 0);
        const barX = rtl ? WIDTH - labelWidth - w : labelWidth;
        return (
          <g key={d.key}>
            <text
              x={rtl ? WIDTH - 4 : labelWidth - 8}
              y={y + rowHeight / 2}
              dominantBaseline="middle"
              textAnchor={rtl ? "start" : "end"}
              direction={rtl ? "rtl" : "ltr"}
              className="chart__label"
            >
              {d.label.length > 28 ? `${d.label.slice(0, 27)}…` : d.label}
            </text>
            <rect x={barX} y={y + 4} width={w} height={rowHeight - 10} className="chart__bar" rx="2" />
            <text
              x={rtl ? barX - 6 : barX + w + 6}
              y={y + rowHeight / 2}
              dominantBaseline="middle"
              textAnchor={rtl ? "start" : "start"}
              direction={rtl ? "rtl" : "ltr"}
              className="chart__value"
            >
              {d.display}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Vertical columns over categories read left to right (months, counts). */
export function ColumnChart({ data, label }: { data: Datum[]; label: string }) {
  const height = 220;
  const bottom = 40;
  const top = 20;
  const x = scaleBand()
    .domain(data.map((d) => d.key))
    .range([40, WIDTH - 10])
    .padding(0.25);
  const max = Math.max(...data.map((d) => d.value), 1);
  const y = scaleLinear()
    .domain([0, max])
    .nice()
    .range([height - bottom, top]);
  return (
    <svg
      className="chart__svg"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={label}
      direction="ltr"
    >
      <line x1={40} x2={WIDTH - 10} y1={height - bottom} y2={height - bottom} className="chart__axis" />
      {data.map((d) => (
        <g key={d.key}>
          <rect
            x={x(d.key)}
            y={y(d.value)}
            width={x.bandwidth()}
            height={height - bottom - y(d.value)}
            className="chart__bar"
            rx="2"
          />
          <text
            x={(x(d.key) ?? 0) + x.bandwidth() / 2}
            y={y(d.value) - 5}
            textAnchor="middle"
            className="chart__value"
          >
            {d.display}
          </text>
          <text
            x={(x(d.key) ?? 0) + x.bandwidth() / 2}
            y={height - bottom + 16}
            textAnchor="middle"
            className="chart__label"
          >
            {d.label}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** A line with the area under it, over months read left to right. */
export function AreaChart({ data, label }: { data: Datum[]; label: string }) {
  const height = 220;
  const bottom = 40;
  const top = 24;
  const x = scaleBand()
    .domain(data.map((d) => d.key))
    .range([40, WIDTH - 10])
    .padding(0.5);
  const max = Math.max(...data.map((d) => d.value), 1);
  const y = scaleLinear()
    .domain([0, max])
    .nice()
    .range([height - bottom, top]);
  const cx = (d: Datum) => (x(d.key) ?? 0) + x.bandwidth() / 2;
  const path = line<Datum>()
    .x(cx)
    .y((d) => y(d.value));
  const fill = area<Datum>()
    .x(cx)
    .y0(height - bottom)
    .y1((d) => y(d.value));
  return (
    <svg
      className="chart__svg"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={label}
      direction="ltr"
    >
      <line x1={40} x2={WIDTH - 10} y1={height - bottom} y2={height - bottom} className="chart__axis" />
      <path d={fill(data) ?? ""} className="chart__area" />
      <path d={path(data) ?? ""} className="chart__line" />
      {data.map((d, i) => (
        <g key={d.key}>
          <circle cx={cx(d)} cy={y(d.value)} r={3.5} className="chart__point" />
          {/* Every label when they fit, else every other one (the table below has them all). */}
          {data.length <= 8 || i % 2 === (data.length - 1) % 2 ? (
            <text x={cx(d)} y={height - bottom + 16} textAnchor="middle" className="chart__label">
              {d.label}
            </text>
          ) : null}
        </g>
      ))}
    </svg>
  );
}
