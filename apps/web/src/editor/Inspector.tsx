// The inspector: the selected node's params as a form generated from its zod schema, validated as the
// user types, with each field switchable to a strategy-parameter binding; the node's documentation beside.
import { catalog } from '@candleflow/nodes';
import {
  type GraphNode,
  isParamRef,
  type NodeDefinition,
  type ParamValue,
  type StrategyParam,
} from '@candleflow/strategy-dsl';
import { useMemo, useState } from 'react';
import { bindableParams, deriveFields, type FieldSpec, parseFieldInput, validateParams } from './schema-form';
import { PORT_KIND_LABELS } from './ports';
import { useEditorActions, useEditorSelector } from './store';

const EMPTY_PARAMS: readonly StrategyParam[] = [];

export function Inspector({ readOnly }: { readonly readOnly: boolean }) {
  const selection = useEditorSelector((s) => s.selection);
  const only = selection.length === 1 ? selection[0] : undefined;
  const node = useEditorSelector((s) => (only ? s.graph.nodes.find((n) => n.id === only) : undefined));
  const strategyParams = useEditorSelector((s) => s.graph.params ?? EMPTY_PARAMS);
  if (selection.length > 1) {
    return (
      <p className="cf-muted" data-testid="inspector-multi">
        {selection.length} nodes selected. Ctrl+C copies them, Ctrl+D duplicates, Delete removes.
      </p>
    );
  }
  if (!node) {
    return (
      <p className="cf-muted" data-testid="inspector-empty">
        Select a node to edit its parameters. Press / to search the palette.
      </p>
    );
  }
  const definition = catalog.get(node.type, node.version);
  if (!definition) {
    return (
      <p className="cf-error" data-testid="inspector-unknown">
        Node {node.id} has type {node.type} v{node.version}, which this studio does not know. Delete it or
        replace it with a node from the palette.
      </p>
    );
  }
  return (
    <NodeInspector
      key={node.id}
      node={node}
      definition={definition}
      strategyParams={strategyParams}
      readOnly={readOnly}
    />
  );
}

interface NodeInspectorProps {
  readonly node: GraphNode;
  readonly definition: NodeDefinition;
  readonly strategyParams: readonly StrategyParam[];
  readonly readOnly: boolean;
}

function NodeInspector({ node, definition, strategyParams, readOnly }: NodeInspectorProps) {
  const { updateNodeParams } = useEditorActions();
  const fields = deriveFields(definition);
  // Text that does not parse yet (an empty number box): kept here, never written to the graph.
  const [drafts, setDrafts] = useState<Record<string, { text: string; message: string }>>({});
  const errors = useMemo(
    () => validateParams(definition, node.params, strategyParams),
    [definition, node.params, strategyParams],
  );

  const commit = (name: string, value: ParamValue) => {
    setDrafts(({ [name]: _dropped, ...rest }) => rest);
    updateNodeParams(node.id, { ...node.params, [name]: value });
  };
  const onInput = (field: FieldSpec, raw: string | boolean) => {
    const parsed = parseFieldInput(field, raw);
    if (parsed.ok) commit(field.name, parsed.value);
    else setDrafts((d) => ({ ...d, [field.name]: { text: String(raw), message: parsed.message } }));
  };

  return (
    <div className="cf-inspector" data-testid="inspector">
      <header>
        <h3>{definition.title}</h3>
        <code className="cf-muted">
          {node.id} · {definition.type} v{definition.version}
        </code>
      </header>
      <form className="cf-form" onSubmit={(e) => e.preventDefault()}>
        {fields.length === 0 && <p className="cf-muted">This node has no parameters.</p>}
        {fields.map((field) => {
          const value = node.params[field.name] ?? field.default;
          const draft = drafts[field.name];
          const message = draft?.message ?? errors[field.name];
          return (
            <ParamField
              key={field.name}
              field={field}
              value={value}
              draftText={draft?.text}
              message={message}
              bindable={bindableParams(field, strategyParams)}
              readOnly={readOnly}
              onInput={(raw) => onInput(field, raw)}
              onBind={(name) => commit(field.name, name === null ? (field.default ?? '') : { $param: name })}
            />
          );
        })}
        {errors[''] && <p className="cf-field-error">{errors['']}</p>}
      </form>
      <NodeDocs definition={definition} />
    </div>
  );
}

interface ParamFieldProps {
  readonly field: FieldSpec;
  readonly value: ParamValue | undefined;
  readonly draftText: string | undefined;
  readonly message: string | undefined;
  readonly bindable: readonly StrategyParam[];
  readonly readOnly: boolean;
  readonly onInput: (raw: string | boolean) => void;
  readonly onBind: (strategyParam: string | null) => void;
}

function rangeText(f: FieldSpec): string {
  const lo = f.min ?? f.exclusiveMin;
  const hi = f.max ?? f.exclusiveMax;
  if (lo === undefined && hi === undefined) return '';
  const left = f.exclusiveMin !== undefined ? `> ${f.exclusiveMin}` : lo !== undefined ? `≥ ${lo}` : '';
  const right = f.exclusiveMax !== undefined ? `< ${f.exclusiveMax}` : hi !== undefined ? `≤ ${hi}` : '';
  return [left, right].filter(Boolean).join(', ');
}

function ParamField({
  field,
  value,
  draftText,
  message,
  bindable,
  readOnly,
  onInput,
  onBind,
}: ParamFieldProps) {
  const id = `param-${field.name}`;
  const bound = value !== undefined && isParamRef(value);
  const invalid = message !== undefined;
  const common = {
    id,
    'data-testid': id,
    disabled: readOnly,
    'aria-invalid': invalid,
    'aria-describedby': `${id}-help`,
  };
  let control: React.ReactNode;
  if (bound) {
    control = (
      <select {...common} value={value.$param} onChange={(e) => onBind(e.target.value)}>
        {!bindable.some((p) => p.name === value.$param) && (
          <option value={value.$param}>${value.$param} (undeclared)</option>
        )}
        {bindable.map((p) => (
          <option key={p.name} value={p.name}>
            ${p.name} (default {String(p.default)})
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'enum') {
    control = (
      <select {...common} value={String(value ?? '')} onChange={(e) => onInput(e.target.value)}>
        {field.options?.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'boolean') {
    control = (
      <input
        {...common}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onInput(e.target.checked)}
      />
    );
  } else if (field.kind === 'integer' || field.kind === 'number') {
    control = (
      <input
        {...common}
        type="number"
        inputMode="decimal"
        value={draftText ?? (typeof value === 'number' ? String(value) : '')}
        min={field.min ?? field.exclusiveMin}
        max={field.max ?? field.exclusiveMax}
        step={field.step ?? 'any'}
        onChange={(e) => onInput(e.target.value)}
      />
    );
  } else {
    control = (
      <input
        {...common}
        type="text"
        value={typeof value === 'string' ? value : String(value ?? '')}
        maxLength={field.maxLength}
        onChange={(e) => onInput(e.target.value)}
      />
    );
  }
  const canBind = !readOnly && (bound || bindable.length > 0);
  return (
    <div className={`cf-field${invalid ? ' is-invalid' : ''}`}>
      <label htmlFor={id}>{field.label}</label>
      <div className="cf-field-row">
        {control}
        {canBind && (
          <button
            type="button"
            className="cf-bind"
            data-testid={`bind-${field.name}`}
            aria-pressed={bound}
            title={bound ? 'Use a fixed value instead' : 'Bind to a strategy parameter'}
            onClick={() => onBind(bound ? null : (bindable[0]?.name ?? null))}
          >
            {bound ? '×$' : '$'}
          </button>
        )}
      </div>
      <small id={`${id}-help`} className="cf-muted">
        {[
          field.description,
          rangeText(field),
          field.default !== undefined ? `default ${String(field.default)}` : '',
        ]
          .filter(Boolean)
          .join(' · ')}
      </small>
      {invalid && (
        <small className="cf-field-error" role="alert" data-testid={`${id}-error`}>
          {message}
        </small>
      )}
    </div>
  );
}

function NodeDocs({ definition }: { readonly definition: NodeDefinition }) {
  return (
    <aside className="cf-docs" data-testid="node-docs">
      <p>{definition.description}</p>
      {definition.inputs.length > 0 && (
        <>
          <h4>Inputs</h4>
          <ul>
            {definition.inputs.map((p) => (
              <li key={p.name}>
                <span className={`cf-swatch kind-${p.kind}`} /> <b>{p.name}</b> ({PORT_KIND_LABELS[p.kind]}
                {p.optional ? ', optional' : ''}
                {p.multiple ? ', many' : ''}): {p.description}
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Outputs</h4>
      <ul>
        {definition.outputs.map((p) => (
          <li key={p.name}>
            <span className={`cf-swatch kind-${p.kind}`} /> <b>{p.name}</b> ({PORT_KIND_LABELS[p.kind]}):{' '}
            {p.description}
          </li>
        ))}
      </ul>
    </aside>
  );
}
