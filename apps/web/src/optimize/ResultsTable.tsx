// Every trial of an optimization, a page at a time from optimizations.trials: the searched parameters,
// the objective and key metrics, infeasible trials marked with their reason, and Apply on any row.
import type { TrialPhase } from '@candleflow/optimize';
import { useState } from 'react';
import { type TrialRow, useTrials } from './api';
import { formatNumber, formatParamValue } from './format';

const PAGE = 25;

export interface ResultsTableProps {
  readonly id: string;
  readonly parameters: readonly string[];
  readonly objectiveLabel: string;
  /** The Sharpe column is left out when the objective already is the Sharpe ratio. */
  readonly objectiveIsSharpe: boolean;
  readonly phases: readonly TrialPhase[];
  readonly folds: number;
  readonly applying: number | null;
  readonly onApply: ((trialIndex: number) => void) | null;
}

const PHASE_LABEL: Record<TrialPhase, string> = {
  search: 'Whole dataset',
  in_sample: 'Walk-forward in-sample',
  out_of_sample: 'Walk-forward out-of-sample',
};

function Feasible({ row }: { readonly row: TrialRow }) {
  if (row.feasible) return <span className="op-feasible">✓</span>;
  return (
    <span className="op-infeasible" title={row.note ?? 'infeasible'}>
      ✗ {row.note ?? 'infeasible'}
    </span>
  );
}

export function ResultsTable(props: ResultsTableProps) {
  const [phase, setPhase] = useState<TrialPhase>(props.phases[0] ?? 'search');
  const [fold, setFold] = useState<number | null>(null);
  const [sort, setSort] = useState<'objective' | 'index'>('objective');
  const [order, setOrder] = useState<'desc' | 'asc'>('desc');
  const [offset, setOffset] = useState(0);
  const trials = useTrials(
    {
      id: props.id,
      phase,
      ...(fold !== null && phase !== 'search' ? { fold } : {}),
      sort,
      order,
      limit: PAGE,
      offset,
    },
    true,
  );
  const total = trials.data?.total ?? 0;
  const rows = trials.data?.rows ?? [];

  const sortBy = (key: 'objective' | 'index') => {
    if (sort === key) setOrder(order === 'desc' ? 'asc' : 'desc');
    else {
      setSort(key);
      setOrder(key === 'objective' ? 'desc' : 'asc');
    }
    setOffset(0);
  };
  const arrow = (key: 'objective' | 'index') => (sort === key ? (order === 'desc' ? ' ↓' : ' ↑') : '');

  return (
    <div data-testid="results">
      <div className="op-pickers">
        {props.phases.length > 1 && (
          <label className="op-picker">
            Trials
            <select
              value={phase}
              data-testid="results-phase"
              onChange={(e) => {
                setPhase(e.target.value as TrialPhase);
                setOffset(0);
              }}
            >
              {props.phases.map((p) => (
                <option key={p} value={p}>
                  {PHASE_LABEL[p]}
                </option>
              ))}
            </select>
          </label>
        )}
        {phase !== 'search' && props.folds > 0 && (
          <label className="op-picker">
            Fold
            <select
              value={fold ?? ''}
              onChange={(e) => {
                setFold(e.target.value === '' ? null : Number(e.target.value));
                setOffset(0);
              }}
            >
              <option value="">all</option>
              {Array.from({ length: props.folds }, (_, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: folds are numbered by position
                <option key={i} value={i}>
                  {i + 1}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="bt-hint" data-testid="results-count">
          {total.toLocaleString('en-US')} trials
        </span>
      </div>
      <div className="bt-table-wrap">
        <table className="bt-table" data-testid="results-table">
          <thead>
            <tr>
              <th>
                <button type="button" onClick={() => sortBy('index')} data-testid="sort-index">
                  #{arrow('index')}
                </button>
              </th>
              {phase !== 'search' && <th>Fold</th>}
              {props.parameters.map((p) => (
                <th key={p}>{p}</th>
              ))}
              <th>
                <button type="button" onClick={() => sortBy('objective')} data-testid="sort-objective">
                  {props.objectiveLabel}
                  {arrow('objective')}
                </button>
              </th>
              {!props.objectiveIsSharpe && <th>Sharpe</th>}
              <th>Return %</th>
              <th>Max DD %</th>
              <th>Trades</th>
              <th>Win %</th>
              <th className="bt-left">Feasible</th>
              {props.onApply && phase === 'search' && <th />}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={`${r.phase}-${r.index}`}
                className={r.feasible ? '' : 'op-row-infeasible'}
                data-testid="results-row"
                data-feasible={r.feasible}
              >
                <td>
                  {r.index}
                  {r.cached ? <span title="answered from a stored result"> ⟲</span> : null}
                </td>
                {phase !== 'search' && <td>{r.fold !== null ? r.fold + 1 : '—'}</td>}
                {props.parameters.map((p) => (
                  <td key={p}>{formatParamValue(r.params[p])}</td>
                ))}
                <td>
                  <strong>{formatNumber(r.objective)}</strong>
                </td>
                {!props.objectiveIsSharpe && <td>{formatNumber(r.metrics?.sharpe)}</td>}
                <td className={(r.metrics?.totalReturnPct ?? 0) < 0 ? 'bt-neg' : ''}>
                  {formatNumber(r.metrics?.totalReturnPct)}
                </td>
                <td>{formatNumber(r.metrics?.maxDrawdownPct)}</td>
                <td>{r.metrics?.trades ?? '—'}</td>
                <td>{formatNumber(r.metrics?.winRatePct)}</td>
                <td className="bt-left">
                  <Feasible row={r} />
                </td>
                {props.onApply && phase === 'search' && (
                  <td>
                    <button
                      type="button"
                      className="cf-button op-apply-row"
                      data-testid={`apply-trial-${r.index}`}
                      disabled={props.applying !== null}
                      onClick={() => props.onApply?.(r.index)}
                    >
                      {props.applying === r.index ? 'Applying…' : 'Apply'}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="op-pager">
        <button
          type="button"
          className="cf-button"
          disabled={offset === 0}
          onClick={() => setOffset(Math.max(0, offset - PAGE))}
        >
          Previous
        </button>
        <span className="bt-hint" data-testid="results-page">
          {total === 0
            ? 'no trials'
            : `${offset + 1}–${Math.min(total, offset + PAGE)} of ${total.toLocaleString('en-US')}`}
        </span>
        <button
          type="button"
          className="cf-button"
          data-testid="results-next"
          disabled={offset + PAGE >= total}
          onClick={() => setOffset(offset + PAGE)}
        >
          Next
        </button>
      </div>
    </div>
  );
}
