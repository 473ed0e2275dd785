// One node on the canvas: title, id, a short summary of its params, and one typed handle per port,
// coloured by the port's kind and ringed when a diagnostic names that port. Memoised: xyflow re-renders
// a node only when its data object changes, and flow-model keeps that object stable.
import { isParamRef, type ParamValue } from '@candleflow/strategy-dsl';
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { StrategyFlowNode } from './flow-model';
import { PORT_KIND_LABELS } from './ports';

function showValue(value: ParamValue): string {
  if (isParamRef(value)) return `$${value.$param}`;
  if (typeof value === 'string') return value === '' ? '""' : value;
  return String(value);
}

function StrategyNodeView({ data, selected }: NodeProps<StrategyFlowNode>) {
  const { node, definition, diagnostics } = data;
  const severity = diagnostics?.severity;
  const summary = Object.entries(node.params)
    .slice(0, 3)
    .map(([k, v]) => `${k} ${showValue(v)}`)
    .join(' · ');
  const className = [
    'cf-node',
    definition ? `cat-${definition.category}` : 'cat-unknown',
    severity ? `has-${severity}` : '',
    selected ? 'is-selected' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={className} data-testid={`node-${node.id}`} data-severity={severity ?? 'none'}>
      <div className="cf-node-head">
        <span className="cf-node-title">{definition?.title ?? `Unknown: ${node.type}`}</span>
        {diagnostics && (
          <span
            className={`cf-node-badge ${severity}`}
            title={diagnostics.messages.join('\n')}
            data-testid={`node-badge-${node.id}`}
          >
            {diagnostics.errors > 0 ? `${diagnostics.errors}!` : `${diagnostics.warnings}?`}
          </span>
        )}
      </div>
      <div className="cf-node-id">{node.id}</div>
      {summary && <div className="cf-node-params">{summary}</div>}
      <div className="cf-node-ports">
        <div className="cf-node-inputs">
          {definition?.inputs.map((port) => {
            const ring = diagnostics?.ports[port.name];
            return (
              <div className="cf-port in" key={port.name}>
                <Handle
                  type="target"
                  position={Position.Left}
                  id={port.name}
                  data-testid={`handle-${node.id}-${port.name}`}
                  className={`cf-handle kind-${port.kind}${ring ? ` ring-${ring}` : ''}`}
                  title={`${port.name}: ${PORT_KIND_LABELS[port.kind]}${port.optional ? ' (optional)' : ''} — ${port.description}`}
                  isConnectable={!data.readOnly}
                />
                <span className="cf-port-label">
                  {port.name}
                  {port.optional ? '?' : ''}
                </span>
              </div>
            );
          })}
        </div>
        <div className="cf-node-outputs">
          {definition?.outputs.map((port) => {
            const ring = diagnostics?.ports[port.name];
            return (
              <div className="cf-port out" key={port.name}>
                <span className="cf-port-label">{port.name}</span>
                <Handle
                  type="source"
                  position={Position.Right}
                  id={port.name}
                  data-testid={`handle-${node.id}-${port.name}`}
                  className={`cf-handle kind-${port.kind}${ring ? ` ring-${ring}` : ''}`}
                  title={`${port.name}: ${PORT_KIND_LABELS[port.kind]} — ${port.description}`}
                  isConnectable={!data.readOnly}
                />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export const StrategyNode = memo(StrategyNodeView);
