/**
 * A line chart over periods (the guardrail backlog), rendered to SVG on the server with visx.
 * Decorative for assistive technology: the figure's table carries the numbers.
 */
import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleLinear, scalePoint } from "@visx/scale";
import { LinePath } from "@visx/shape";
import { CHART_MARGIN, TickLabel, type Series } from "./bar-chart";

export type LineChartProps = { labels: string[]; series: Series[]; labelEvery?: number; width?: number; height?: number };

export function LineChart({ labels, series, labelEvery = 1, width = 640, height = 240 }: LineChartProps) {
  const innerWidth = width - CHART_MARGIN.left - CHART_MARGIN.right;
  const innerHeight = height - CHART_MARGIN.top - CHART_MARGIN.bottom;
  const x = scalePoint<string>({ domain: labels, range: [0, innerWidth], padding: 0.5 });
  const y = scaleLinear<number>({ domain: [0, Math.max(1, ...series.flatMap((s) => s.values))], range: [innerHeight, 0], nice: true });
  const ticks = y.ticks(4).filter((t) => Number.isInteger(t));
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" aria-hidden="true" focusable="false" className="chart-svg">
      <Group left={CHART_MARGIN.left} top={CHART_MARGIN.top}>
        {ticks.map((t) => (
          <line key={t} x1={0} x2={innerWidth} y1={y(t)} y2={y(t)} stroke="#d9dee5" strokeDasharray="2 3" />
        ))}
        {series.map((s, si) => (
          <Group key={s.key}>
            <LinePath<number> data={s.values} x={(_, i) => x(labels[i]!) ?? 0} y={(v) => y(v)} stroke={s.color} strokeWidth={2.5} strokeDasharray={si === 1 ? "6 4" : undefined} />
            {s.values.map((v, i) => {
              const dot = (
                <circle key={i} cx={x(labels[i]!) ?? 0} cy={y(v)} r={4} fill={s.color}>
                  <title>{`${labels[i]} · ${s.label}: ${v}`}</title>
                </circle>
              );
              const href = s.hrefs?.[i];
              return href ? (
                <a key={i} href={href} tabIndex={-1}>
                  {dot}
                </a>
              ) : (
                dot
              );
            })}
          </Group>
        ))}
        <AxisLeft scale={y} tickValues={ticks} tickFormat={(v) => String(v)} stroke="#4f5b6b" tickStroke="#4f5b6b" tickLabelProps={{ fill: "#4f5b6b", fontSize: 14, textAnchor: "end", dx: -4, dy: 4 }} tickComponent={TickLabel} />
        <AxisBottom
          top={innerHeight}
          scale={x}
          stroke="#4f5b6b"
          tickStroke="#4f5b6b"
          tickValues={labels.filter((_, i) => i % labelEvery === 0)}
          tickLabelProps={{ fill: "#4f5b6b", fontSize: 14, textAnchor: "middle", dy: 14 }}
          tickComponent={TickLabel}
        />
      </Group>
    </svg>
  );
}
