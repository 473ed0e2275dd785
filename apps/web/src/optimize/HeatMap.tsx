// The heat map of the objective over two searched parameters (SVG): pickers for x and y (and, after a
// walk-forward, for the whole-dataset search or one fold's in-sample search), one cell per pair of values
// coloured from lowest (dark) to highest (bright), a colour legend, and the values under the pointer.
// Empty cells (no feasible trial) are hatched rather than coloured.
import { useMemo, useState } from 'react';
import type { FetchHeatmap, HeatmapData } from './api';
import { useHeatmap } from './api';
import { type HeatCell, heatGrid, legendStops } from './chart-shapes';
import { formatNumber, formatParamValue } from './format';

const CELL_MIN = 14;
const LABEL_W = 56;
const LABEL_H = 40;

/** Every k-th label so axis labels do not overlap (k chosen for at most `max` labels). */
function labelEvery(count: number, max: number): number {
  return Math.max(1, Math.ceil(count / max));
}

export function HeatMap(props: { readonly data: HeatmapData; readonly objectiveLabel: string }) {
  const { data } = props;
  const grid = useMemo(() => heatGrid(data.cells), [data.cells]);
  const [hover, setHover] = useState<HeatCell | null>(null);
  // One listener on the chart: the cell under the pointer names itself by its indices.
  const cellAt = (target: EventTarget): HeatCell | null => {
    const el = target as Element;
    const xi = Number(el.getAttribute?.('data-xi'));
    const yi = Number(el.getAttribute?.('data-yi'));
    return grid.cells.find((c) => c.xIndex === xi && c.yIndex === yi) ?? null;
  };
  const cellText = (c: HeatCell) =>
    `${data.x.name} ${formatParamValue(data.x.values[c.xIndex])}, ${data.y.name} ${formatParamValue(
      data.y.values[c.yIndex],
    )}: ${c.value === null ? 'no feasible trial' : formatNumber(c.value)}`;
  const nx = data.x.values.length;
  const ny = data.y.values.length;
  const cell = Math.max(CELL_MIN, Math.min(48, Math.floor(640 / Math.max(nx, 1))));
  const width = LABEL_W + nx * cell;
  const height = ny * cell + LABEL_H;
  const everyX = labelEvery(nx, Math.floor((nx * cell) / 36));
  const everyY = labelEvery(ny, Math.floor((ny * cell) / 16));

  if (nx === 0 || ny === 0) return <p className="bt-hint">No feasible trials to map.</p>;
  return (
    <div className="op-heatmap" data-testid="heatmap">
      <div className="op-heatmap-scroll">
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={`${props.objectiveLabel} by ${data.x.name} (across) and ${data.y.name} (down)`}
          onPointerLeave={() => setHover(null)}
          onPointerMove={(e) => setHover(cellAt(e.target))}
        >
          <defs>
            <pattern
              id="op-hatch"
              width="6"
              height="6"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <line x1="0" y1="0" x2="0" y2="6" className="op-hatch-line" />
            </pattern>
          </defs>
          {grid.cells.map((c) => (
            <rect
              key={`${c.xIndex}-${c.yIndex}`}
              data-testid="heatmap-cell"
              data-x={formatParamValue(data.x.values[c.xIndex])}
              data-y={formatParamValue(data.y.values[c.yIndex])}
              data-value={c.value ?? ''}
              x={LABEL_W + c.xIndex * cell}
              y={(ny - 1 - c.yIndex) * cell}
              width={cell - 1}
              height={cell - 1}
              data-xi={c.xIndex}
              data-yi={c.yIndex}
              fill={c.color ?? 'url(#op-hatch)'}
            >
              <title>{cellText(c)}</title>
            </rect>
          ))}
          {data.y.values.map((v, i) =>
            i % everyY === 0 ? (
              <text
                key={`y${String(v)}`}
                x={LABEL_W - 4}
                y={(ny - 1 - i) * cell + cell / 2}
                className="op-axis-label"
                textAnchor="end"
                dominantBaseline="middle"
              >
                {formatParamValue(v)}
              </text>
            ) : null,
          )}
          {data.x.values.map((v, i) =>
            i % everyX === 0 ? (
              <text
                key={`x${String(v)}`}
                x={LABEL_W + i * cell + cell / 2}
                y={ny * cell + 14}
                className="op-axis-label"
                textAnchor="middle"
              >
                {formatParamValue(v)}
              </text>
            ) : null,
          )}
          <text
            x={LABEL_W + (nx * cell) / 2}
            y={ny * cell + 34}
            className="op-axis-title"
            textAnchor="middle"
          >
            {data.x.name} →
          </text>
          <text x={4} y={10} className="op-axis-title">
            {data.y.name} ↑
          </text>
        </svg>
      </div>
      <div className="op-heatmap-side">
        {grid.min !== null && grid.max !== null && (
          <div className="op-legend" data-testid="heatmap-legend">
            <span>{props.objectiveLabel}</span>
            <div
              className="op-legend-bar"
              style={{
                background: `linear-gradient(to right, ${legendStops(grid.min, grid.max)
                  .map((s) => s.color)
                  .join(', ')})`,
              }}
            />
            <div className="op-legend-ends">
              <span data-testid="heatmap-min">{formatNumber(grid.min)}</span>
              <span data-testid="heatmap-max">{formatNumber(grid.max)}</span>
            </div>
            <span className="bt-hint">
              <svg width="12" height="12" aria-hidden="true">
                <rect width="12" height="12" fill="url(#op-hatch)" />
              </svg>{' '}
              no feasible trial
            </span>
          </div>
        )}
        <div className="op-heatmap-hover" data-testid="heatmap-hover" aria-live="polite">
          {hover ? cellText(hover) : 'Point at a cell to read its values.'}
        </div>
      </div>
    </div>
  );
}

/** Pickers for the two parameters (and the fold) and the map, fetched from optimizations.heatmap. */
export function HeatMapSection(props: {
  readonly id: string;
  readonly parameters: readonly string[];
  readonly objectiveLabel: string;
  /** The optimization's walk-forward folds; 0 without walk-forward (no fold picker). */
  readonly folds: number;
  /** Where the map comes from; tests pass their own. */
  readonly fetch?: FetchHeatmap;
}) {
  const [x, setX] = useState<string | null>(props.parameters[0] ?? null);
  const [y, setY] = useState<string | null>(props.parameters[1] ?? null);
  const [fold, setFold] = useState<number | null>(null);
  const map = useHeatmap(props.id, x, y, fold, props.fetch);
  if (props.parameters.length < 2) {
    return (
      <p className="bt-hint">A heat map needs two searched parameters; this optimization searched fewer.</p>
    );
  }
  const picker = (label: string, value: string | null, onPick: (v: string) => void, testId: string) => (
    <label className="op-picker">
      {label}
      <select value={value ?? ''} data-testid={testId} onChange={(e) => onPick(e.target.value)}>
        {props.parameters.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div>
      <div className="op-pickers">
        {picker('Across (x)', x, setX, 'heatmap-x')}
        {picker('Down (y)', y, setY, 'heatmap-y')}
        {props.folds > 0 && (
          <label className="op-picker">
            Trials
            <select
              value={fold ?? ''}
              data-testid="heatmap-fold"
              onChange={(e) => setFold(e.target.value === '' ? null : Number(e.target.value))}
            >
              <option value="">whole-dataset search</option>
              {Array.from({ length: props.folds }, (_, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: folds are numbered by position
                <option key={i} value={i}>
                  fold {i + 1} in-sample
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="bt-hint">best objective of the trials at each pair</span>
      </div>
      {x === y ? (
        <p className="bt-hint">Pick two different parameters.</p>
      ) : map.isError ? (
        <p className="bt-field-error" role="alert">
          {map.error instanceof Error ? map.error.message : 'The heat map could not be loaded.'}
        </p>
      ) : map.data ? (
        <HeatMap data={map.data} objectiveLabel={props.objectiveLabel} />
      ) : (
        <p className="bt-hint">Loading the heat map…</p>
      )}
    </div>
  );
}
