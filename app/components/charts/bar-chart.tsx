/**
 * Bar charts for the insights page, rendered to SVG on the server (render.server.tsx) with visx:
 * its scales place the bars and its axes draw ticks, so no scale or tick maths lives here.
 * The SVG is decorative for assistive technology (the figure's table carries the numbers), and
 * its links are for pointers only (tabIndex -1): the table's row links are the keyboard's way in.
 */
import { AxisBottom, AxisLeft, type TickRendererProps } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { BarGroup, BarStack } from "@visx/shape";

export type Series = {
  key: string;
  label: string;
  color: string;
  values: number[];
  /** Where clicking this series' bar for each label goes (null: nowhere). */
  hrefs?: (string | null)[];
};

export type BarChartProps = {
  labels: string[];
  series: Series[];
  mode: "stacked" | "grouped";
  /** Tick text for the value axis (e.g. minutes as "2.5 h"). */
  formatValue?: (value: number) => string;
  /** Show every nth label on the category axis, so long ranges stay legible. */
  labelEvery?: number;
  width?: number;
  height?: number;
};

export const CHART_MARGIN = { top: 12, right: 12, bottom: 44, left: 56 };
const AXIS = "#4f5b6b";
const GRID = "#d9dee5";

/**
 * A tick label as plain SVG text. visx's default (@visx/text) measures and wraps words, which a
 * short fixed label doesn't need and which costs most of a chart's render time on the server.
 */
export function TickLabel({ x, y, dx, dy, fill, fontSize, textAnchor, formattedValue }: TickRendererProps) {
  return (
    <text x={x} y={y} dx={dx} dy={dy} fill={fill} fontSize={fontSize} textAnchor={textAnchor}>
      {formattedValue}
    </text>
  );
}

function linked(href: string | null | undefined, key: string, rect: React.ReactElement) {
  return href ? (
    <a key={key} href={href} tabIndex={-1}>
      {rect}
    </a>
  ) : (
    rect
  );
}

export function BarChart({ labels, series, mode, formatValue, labelEvery = 1, width = 640, height = 240 }: BarChartProps) {
  const innerWidth = width - CHART_MARGIN.left - CHART_MARGIN.right;
  const innerHeight = height - CHART_MARGIN.top - CHART_MARGIN.bottom;
  const data = labels.map((label, i) => Object.fromEntries([["label", label], ...series.map((s) => [s.key, s.values[i] ?? 0])]) as Record<string, string | number>);
  const max =
    mode === "stacked"
      ? Math.max(0, ...labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)))
      : Math.max(0, ...series.flatMap((s) => s.values));
  const x0 = scaleBand<string>({ domain: labels, range: [0, innerWidth], padding: 0.25 });
  const y = scaleLinear<number>({ domain: [0, max || 1], range: [innerHeight, 0], nice: true });
  const color = (key: string) => series.find((s) => s.key === key)?.color ?? AXIS;
  const hrefOf = (key: string, index: number) => series.find((s) => s.key === key)?.hrefs?.[index] ?? null;
  const keys = series.map((s) => s.key);
  // Counts have whole-number ticks only; durations and shares keep the scale's own ticks.
  const ticks = y.ticks(4).filter((t) => formatValue || Number.isInteger(t));
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" aria-hidden="true" focusable="false" className="chart-svg">
      <Group left={CHART_MARGIN.left} top={CHART_MARGIN.top}>
        {ticks.map((t) => (
          <line key={t} x1={0} x2={innerWidth} y1={y(t)} y2={y(t)} stroke={GRID} strokeDasharray="2 3" />
        ))}
        {mode === "stacked" ? (
          <BarStack data={data} keys={keys} x={(d) => String(d.label)} xScale={x0} yScale={y} color={color}>
            {(stacks) =>
              stacks.flatMap((stack) =>
                stack.bars
                  .filter((bar) => bar.height > 0)
                  .map((bar) =>
                    linked(
                      hrefOf(String(stack.key), bar.index),
                      `${stack.index}-${bar.index}`,
                      <rect key={`${stack.index}-${bar.index}`} x={bar.x} y={bar.y} width={bar.width} height={bar.height} fill={bar.color}>
                        <title>{`${labels[bar.index]} · ${series[stack.index]!.label}: ${data[bar.index]![String(stack.key)]}`}</title>
                      </rect>,
                    ),
                  ),
              )
            }
          </BarStack>
        ) : (
          <BarGroup
            data={data}
            keys={keys}
            height={innerHeight}
            x0={(d) => String(d.label)}
            x0Scale={x0}
            x1Scale={scaleBand<string>({ domain: keys, range: [0, x0.bandwidth()], padding: 0.1 })}
            yScale={y}
            color={color}
          >
            {(groups) =>
              groups.map((group) => (
                <Group key={group.index} left={group.x0}>
                  {group.bars
                    .filter((bar) => bar.height > 0)
                    .map((bar) =>
                      linked(
                        hrefOf(String(bar.key), group.index),
                        `${group.index}-${bar.index}`,
                        <rect key={`${group.index}-${bar.index}`} x={bar.x} y={bar.y} width={bar.width} height={bar.height} fill={bar.color}>
                          <title>{`${labels[group.index]} · ${series[bar.index]!.label}: ${formatValue ? formatValue(bar.value) : bar.value}`}</title>
                        </rect>,
                      ),
                    )}
                </Group>
              ))
            }
          </BarGroup>
        )}
        <AxisLeft
          scale={y}
          tickValues={ticks}
          stroke={AXIS}
          tickStroke={AXIS}
          tickFormat={(v) => (formatValue ? formatValue(Number(v)) : String(v))}
          tickLabelProps={{ fill: AXIS, fontSize: 14, textAnchor: "end", dx: -4, dy: 4 }}
          tickComponent={TickLabel}
        />
        <AxisBottom
          top={innerHeight}
          scale={x0}
          stroke={AXIS}
          tickStroke={AXIS}
          tickValues={labels.filter((_, i) => i % labelEvery === 0)}
          tickLabelProps={{ fill: AXIS, fontSize: 14, textAnchor: "middle", dy: 14 }}
          tickComponent={TickLabel}
        />
      </Group>
    </svg>
  );
}
