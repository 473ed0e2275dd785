// The graph compiler: validates a saved graph against the node catalog, infers types, symbols, clocks and
// look-ahead, and builds the Plan the kernel runs. Every check runs and reports; nothing stops at the first.
import type { CandleField, InputPort, NodeCatalog, NodeDefinition, OutputPort, PortKind } from '../contract';
import type { Diagnostic } from '../errors';
import { type GraphNode, GraphSchema, isParamRef } from '../graph';
import type { CompileOptions, CompileResult, Plan, PlanClock, PlanFeed, PlanNode, PlanOrder } from '../plan';
import { timeframeMs } from '../timeframe';
import { checkConstraints, resolveStrategyParams, toResolvedParams } from './strategy-params';
import { findCycles, stableTopologicalOrder } from './topo';
import { didYouMean, formatPath, kindWords, nodeLabel, paramIssueMessage, show } from './words';

export const DEFAULT_MAX_NODES = 2_000;
const MAX_GRAPH_ISSUES = 50;

/** Bits of the current bar's fields a series depends on (look-ahead analysis). */
const FIELD_BITS: Record<CandleField, number> = { open: 1, high: 2, low: 4, close: 8, volume: 16 };
const FIELDS_AFTER_OPEN: readonly CandleField[] = ['close', 'high', 'low', 'volume'];
const AFTER_OPEN_MASK = FIELD_BITS.high | FIELD_BITS.low | FIELD_BITS.close | FIELD_BITS.volume;

/** A valid edge, from the target's side: which node and output feed this input. */
interface Wire {
  readonly source: number;
  readonly output: number;
}

interface NodeInfo {
  readonly node: GraphNode;
  readonly label: string;
  readonly definition: NodeDefinition | undefined;
  /** Resolved and validated parameters; null when they are invalid (later checks then skip the node). */
  params: Readonly<Record<string, unknown>> | null;
  /** Valid edges per input port, in graph order. */
  readonly wires: Wire[][];
  /** Input ports that some edge tried to reach (even an invalid one): not reported as missing. */
  readonly attempted: boolean[];
}

interface Clock {
  readonly timeframe: string;
  readonly ms: number;
  /** The clock this one is resampled from; -1 for the base clock. */
  readonly parent: number;
  readonly tickNode: number;
}

interface PortIndex {
  readonly inputs: ReadonlyMap<string, number>;
  readonly outputs: ReadonlyMap<string, number>;
}
const portIndexCache = new WeakMap<NodeDefinition, PortIndex>();
function portIndex(definition: NodeDefinition): PortIndex {
  let index = portIndexCache.get(definition);
  if (!index) {
    index = {
      inputs: new Map(definition.inputs.map((port, i) => [port.name, i])),
      outputs: new Map(definition.outputs.map((port, i) => [port.name, i])),
    };
    portIndexCache.set(definition, index);
  }
  return index;
}

/** Order nodes are what a strategy trades through; the plan lists them and the kernel collects their output. */
function isOrderNode(definition: NodeDefinition): boolean {
  return definition.category === 'orders' && definition.outputs.some((o) => o.kind === 'order');
}

function canFeed(from: PortKind, to: PortKind): boolean {
  return from === to || (from === 'scalar' && to === 'number');
}

function listPorts(ports: readonly (InputPort | OutputPort)[]): string {
  return ports.length === 0 ? 'none' : ports.map((p) => `${p.name} (${kindWords(p.kind)})`).join(', ');
}

/** "did you mean 'close'? its outputs are: …", so the trader sees both the likely fix and the choices. */
function portHint(
  name: string,
  what: 'inputs' | 'outputs',
  ports: readonly (InputPort | OutputPort)[],
): string {
  const suggestion = didYouMean(
    name,
    ports.map((p) => p.name),
  );
  return `${suggestion ? `${suggestion} ` : ''}its ${what} are: ${listPorts(ports)}`;
}

const EMPTY: readonly string[] = Object.freeze([]);

/** Union of two sorted symbol lists; returns an input unchanged when it already holds the union. */
function unionSymbols(a: readonly string[], b: readonly string[]): readonly string[] {
  if (a === b || b.length === 0) return a;
  if (a.length === 0) return b;
  const merged = [...new Set([...a, ...b])].sort();
  return merged.length === a.length ? a : merged.length === b.length ? b : merged;
}

/** Compiles a graph (any JSON value) into a Plan, or explains every reason it cannot. */
export function compile(input: unknown, catalog: NodeCatalog, options: CompileOptions = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const error = (d: Omit<Diagnostic, 'severity'>) => diagnostics.push({ ...d, severity: 'error' });

  // Size first: a huge graph is refused before zod or anything else walks it.
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const rawNodes = (input as { nodes?: unknown } | null)?.nodes;
  if (Array.isArray(rawNodes) && rawNodes.length > maxNodes) {
    error({
      code: 'GRAPH_TOO_LARGE',
      message: `The graph has ${rawNodes.length} nodes; at most ${maxNodes} are allowed`,
      hint: 'split the strategy or simplify it; an administrator can raise the limit',
    });
    return { ok: false, graph: null, diagnostics };
  }

  const parsed = GraphSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, MAX_GRAPH_ISSUES)) {
      const [first, second] = issue.path;
      const rawNode =
        first === 'nodes' && typeof second === 'number' && Array.isArray(rawNodes)
          ? rawNodes[second]
          : undefined;
      const rawId = (rawNode as { id?: unknown } | undefined)?.id;
      error({
        code: 'INVALID_GRAPH',
        message: `${issue.path.length > 0 ? formatPath(issue.path) : 'graph'}: ${issue.message}`,
        nodeId: typeof rawId === 'string' ? rawId : undefined,
        hint: 'fix the graph file, or export it again from the studio',
      });
    }
    return { ok: false, graph: null, diagnostics };
  }
  const graph = parsed.data;

  // Strategy parameters and constraints.
  const paramValues = resolveStrategyParams(graph.params, options.paramValues ?? {}, diagnostics);
  const declaredParams = new Set(graph.params.map((p) => p.name));
  checkConstraints(graph.constraints, declaredParams, paramValues, diagnostics);

  // Nodes: ids and catalog lookups.
  const infos: NodeInfo[] = [];
  const indexById = new Map<string, number>();
  let unknownTypes = false;
  const knownTypes = () => new Set(catalog.all().map((d) => d.type));
  for (const node of graph.nodes) {
    if (indexById.has(node.id)) {
      error({
        code: 'DUPLICATE_NODE_ID',
        nodeId: node.id,
        message: `Two nodes are named '${node.id}'`,
        hint: 'give every node its own id; the second one is ignored until then',
      });
      continue;
    }
    const definition = catalog.get(node.type, node.version);
    if (!definition) {
      unknownTypes = true;
      const versions = catalog.versions(node.type);
      if (versions.length === 0) {
        error({
          code: 'UNKNOWN_NODE_TYPE',
          nodeId: node.id,
          message: `Node '${node.id}' has type '${node.type}', which does not exist`,
          hint: didYouMean(node.type, knownTypes()) ?? 'pick a node type from the palette',
        });
      } else {
        error({
          code: 'UNKNOWN_NODE_VERSION',
          nodeId: node.id,
          message: `Node '${node.id}' uses version ${node.version} of '${node.type}', which does not exist`,
          hint: `available versions: ${versions.join(', ')}`,
        });
      }
    }
    indexById.set(node.id, infos.length);
    infos.push({
      node,
      label: nodeLabel(node.id, definition),
      definition,
      params: null,
      wires: definition ? definition.inputs.map(() => []) : [],
      attempted: definition ? definition.inputs.map(() => false) : [],
    });
  }

  // Edges: endpoints, ports, fan-in and kinds. Only valid edges are wired.
  const successors: number[][] = infos.map(() => []);
  for (const edge of graph.edges) {
    const sourceIndex = indexById.get(edge.source);
    const targetIndex = indexById.get(edge.target);
    for (const [id, index] of [
      [edge.source, sourceIndex],
      [edge.target, targetIndex],
    ] as const) {
      if (index === undefined) {
        error({
          code: 'UNKNOWN_EDGE_NODE',
          nodeId: id,
          message: `A connection ${edge.source}.${edge.sourcePort} → ${edge.target}.${edge.targetPort} names node '${id}', which is not in the graph`,
          hint: didYouMean(id, indexById.keys()) ?? 'delete the connection or add the node',
        });
      }
    }
    if (sourceIndex === undefined || targetIndex === undefined) continue;
    const source = infos[sourceIndex]!;
    const target = infos[targetIndex]!;
    const inputIndex = target.definition
      ? portIndex(target.definition).inputs.get(edge.targetPort)
      : undefined;
    if (inputIndex !== undefined) target.attempted[inputIndex] = true;
    // Ports of nodes of unknown type cannot be checked; that node already has an error.
    if (!source.definition || !target.definition) continue;
    const outputIndex = portIndex(source.definition).outputs.get(edge.sourcePort);
    if (outputIndex === undefined) {
      error({
        code: 'UNKNOWN_PORT',
        nodeId: source.node.id,
        port: edge.sourcePort,
        message: `${source.label} has no output '${edge.sourcePort}'`,
        hint: portHint(edge.sourcePort, 'outputs', source.definition.outputs),
      });
    }
    if (inputIndex === undefined) {
      error({
        code: 'UNKNOWN_PORT',
        nodeId: target.node.id,
        port: edge.targetPort,
        message: `${target.label} has no input '${edge.targetPort}'`,
        hint: portHint(edge.targetPort, 'inputs', target.definition.inputs),
      });
    }
    if (outputIndex === undefined || inputIndex === undefined) continue;
    const output = source.definition.outputs[outputIndex]!;
    const inputPort = target.definition.inputs[inputIndex]!;
    if (!canFeed(output.kind, inputPort.kind)) {
      error({
        code: 'TYPE_MISMATCH',
        nodeId: target.node.id,
        port: inputPort.name,
        message: `${target.label} needs ${kindWords(inputPort.kind)} on input '${inputPort.name}', but '${source.node.id}.${output.name}' gives ${kindWords(output.kind)}`,
        hint: `connect an output that gives ${kindWords(inputPort.kind)}`,
      });
      continue;
    }
    const wires = target.wires[inputIndex]!;
    if (wires.length > 0 && !inputPort.multiple) {
      const first = infos[wires[0]!.source]!;
      error({
        code: 'DUPLICATE_INPUT',
        nodeId: target.node.id,
        port: inputPort.name,
        message: `${target.label} input '${inputPort.name}' takes one connection, but both '${first.node.id}' and '${source.node.id}' are connected to it`,
        hint: 'remove one of the connections',
      });
      continue;
    }
    wires.push({ source: sourceIndex, output: outputIndex });
    successors[sourceIndex]!.push(targetIndex);
  }

  // Required inputs.
  for (const info of infos) {
    info.definition?.inputs.forEach((port, i) => {
      if (!port.optional && info.wires[i]!.length === 0 && !info.attempted[i]) {
        error({
          code: 'MISSING_INPUT',
          nodeId: info.node.id,
          port: port.name,
          message: `${info.label} needs ${kindWords(port.kind)} on input '${port.name}', but nothing is connected`,
          hint: `connect an output that gives ${kindWords(port.kind)}`,
        });
      }
    });
  }

  // Node parameters: strategy-parameter binding, the schema, unknown keys, the node's own checks.
  for (const info of infos) {
    const { definition, node } = info;
    if (!definition) continue;
    info.params = resolveNodeParams(info, definition, paramValues, declaredParams, error);
    if (info.params !== null) {
      const connected = new Set<string>();
      definition.inputs.forEach((port, i) => {
        if (info.wires[i]!.length > 0) connected.add(port.name);
      });
      for (const issue of definition.check?.(info.params, { connected }) ?? []) {
        error({ ...issue, nodeId: node.id });
      }
    }
  }

  // Order and loops.
  const order = stableTopologicalOrder(successors);
  if (order.length < infos.length) {
    const placed = new Uint8Array(infos.length);
    for (const i of order) placed[i] = 1;
    const left: number[] = [];
    for (let i = 0; i < infos.length; i++) if (!placed[i]) left.push(i);
    for (const loop of findCycles(successors, left)) {
      const names = loop.map((i) => infos[i]!.node.id);
      error({
        code: 'CYCLE',
        nodeId: names[0],
        message: `These nodes feed each other in a loop: ${[...names, names[0]].join(' → ')}`,
        hint: 'a value cannot depend on itself in the same bar; break the loop, or read the previous bar with a lag node',
      });
    }
  }

  // A node's own check may already have reported its negative shift: one mistake, one error.
  const inference = infer(infos, order, (d) => {
    const said =
      d.code === 'LOOKAHEAD_NEGATIVE_SHIFT' &&
      diagnostics.some((x) => x.code === d.code && x.nodeId === d.nodeId);
    if (!said) error(d);
  });

  // Orders, their symbols and same-bar look-ahead.
  const orderNodes: number[] = [];
  const orderSymbols = new Map<number, string>();
  const graphSymbols = inference.symbols;
  for (const i of order) {
    const info = infos[i]!;
    const definition = info.definition;
    if (!definition || !isOrderNode(definition)) continue;
    orderNodes.push(i);
    if (info.params === null) continue;
    const symbols = inference.nodeSymbols[i]!;
    const explicit = info.params.symbol;
    if (typeof explicit === 'string' && explicit !== '') {
      if (!graphSymbols.includes(explicit)) {
        error({
          code: 'INVALID_PARAM',
          nodeId: info.node.id,
          param: 'symbol',
          message: `${info.label} trades ${show(explicit)}, but the strategy reads no ${explicit} candles`,
          hint: `add a candles node for ${explicit}, or trade one of: ${graphSymbols.join(', ') || 'none'}`,
        });
      } else {
        orderSymbols.set(i, explicit);
      }
    } else if (symbols.length === 1) {
      orderSymbols.set(i, symbols[0]!);
    } else if (symbols.length > 1) {
      error({
        code: 'AMBIGUOUS_SYMBOL',
        nodeId: info.node.id,
        message: `${info.label} depends on data of ${symbols.join(', ')}, so it is not clear which one it trades`,
        hint: `set its 'symbol' parameter to one of ${symbols.join(', ')}`,
      });
    } else if (graphSymbols.length === 1) {
      orderSymbols.set(i, graphSymbols[0]!);
    } else {
      error({
        code: 'AMBIGUOUS_SYMBOL',
        nodeId: info.node.id,
        message:
          graphSymbols.length === 0
            ? `${info.label} cannot tell what to trade: the strategy reads no market data`
            : `${info.label} depends on no market data and the strategy reads several symbols (${graphSymbols.join(', ')})`,
        hint: graphSymbols.length === 0 ? 'add a candles node' : `set its 'symbol' parameter`,
      });
    }
    if (info.params.timing === 'this_bar_open') {
      const mask = inference.inputMask(i);
      if (mask & AFTER_OPEN_MASK) {
        const field = FIELDS_AFTER_OPEN.find((f) => mask & FIELD_BITS[f])!;
        error({
          code: 'LOOKAHEAD_SAME_BAR',
          nodeId: info.node.id,
          param: 'timing',
          message: `${info.label} would fill at this bar's open, but it uses this bar's ${field}, known only when the bar closes (${inference.chain(i, FIELD_BITS[field])})`,
          hint: `set timing to run_default, or lag the input by one bar`,
        });
      }
    }
  }
  if (orderNodes.length === 0 && !unknownTypes) {
    error({
      code: 'NO_ORDERS',
      message: 'The strategy has no order node, so it can never trade',
      hint: 'connect a signal to an order node such as a market order',
    });
  }

  // Nodes that reach no order: warnings only.
  if (orderNodes.length > 0) {
    const predecessors: number[][] = infos.map(() => []);
    successors.forEach((targets, source) => {
      for (const target of targets) predecessors[target]!.push(source);
    });
    const useful = new Uint8Array(infos.length);
    const queue = [...orderNodes];
    for (const i of queue) useful[i] = 1;
    for (let head = 0; head < queue.length; head++) {
      for (const source of predecessors[queue[head]!]!) {
        if (!useful[source]) {
          useful[source] = 1;
          queue.push(source);
        }
      }
    }
    infos.forEach((info, i) => {
      if (!useful[i] && info.definition) {
        diagnostics.push({
          code: 'UNUSED_NODE',
          severity: 'warning',
          nodeId: info.node.id,
          message: `${info.label} does not lead to any order, so it does not affect trading`,
          hint: 'connect it towards an order node, or delete it',
        });
      }
    });
  }

  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, graph, diagnostics };
  const plan = buildPlan(infos, order, inference, orderNodes, orderSymbols, toResolvedParams(paramValues));
  return { ok: true, graph, plan, diagnostics };
}

type Report = (d: Omit<Diagnostic, 'severity'>) => void;

function resolveNodeParams(
  info: NodeInfo,
  definition: NodeDefinition,
  paramValues: ReadonlyMap<string, number | string | boolean>,
  declared: ReadonlySet<string>,
  error: Report,
): Record<string, unknown> | null {
  const { node } = info;
  const resolved: Record<string, unknown> = {};
  const boundTo = new Map<string, string>();
  let complete = true;
  const shape = (definition.params as { shape?: unknown }).shape;
  const knownKeys = typeof shape === 'object' && shape !== null ? Object.keys(shape) : null;
  for (const [key, value] of Object.entries(node.params)) {
    if (knownKeys && !knownKeys.includes(key)) {
      complete = false;
      error({
        code: 'INVALID_PARAM',
        nodeId: node.id,
        param: key,
        message: `${info.label} has no parameter '${key}'`,
        hint: didYouMean(key, knownKeys) ?? `its parameters are: ${knownKeys.join(', ') || 'none'}`,
      });
      continue;
    }
    if (!isParamRef(value)) {
      resolved[key] = value;
      continue;
    }
    const bound = paramValues.get(value.$param);
    if (bound === undefined) {
      complete = false;
      // A declared parameter with an invalid value was already reported.
      if (!declared.has(value.$param)) {
        error({
          code: 'UNKNOWN_STRATEGY_PARAM',
          nodeId: node.id,
          param: key,
          message: `${info.label} sets '${key}' from strategy parameter '${value.$param}', which is not declared`,
          hint:
            didYouMean(value.$param, declared) ?? `declare '${value.$param}' in the strategy's parameters`,
        });
      }
      continue;
    }
    resolved[key] = bound;
    boundTo.set(key, value.$param);
  }
  if (!complete) return null;
  const result = definition.params.safeParse(resolved);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.length > 0 ? String(issue.path[0]) : undefined;
      const strategyParam = key === undefined ? undefined : boundTo.get(key);
      error({
        code: 'INVALID_PARAM',
        nodeId: node.id,
        param: key,
        message: `${info.label}: ${paramIssueMessage(issue, resolved)}${strategyParam ? `, from strategy parameter '${strategyParam}'` : ''}`,
        hint: strategyParam
          ? `change the value or the range of '${strategyParam}'`
          : 'change the value in the inspector',
      });
    }
    return null;
  }
  const params = result.data as Record<string, unknown>;
  if (!knownKeys) {
    // Schemas without a visible shape: keys the schema dropped were not parameters of the node.
    for (const key of Object.keys(resolved)) {
      if (!Object.hasOwn(params, key)) {
        error({
          code: 'INVALID_PARAM',
          nodeId: node.id,
          param: key,
          message: `${info.label} has no parameter '${key}'`,
        });
        return null;
      }
    }
  }
  return params;
}

interface Inference {
  readonly clocks: readonly Clock[];
  /** The clock each node updates on (-1: timeless, e.g. constants). */
  readonly runClock: Int32Array;
  readonly nodeSymbols: readonly (readonly string[])[];
  /** Symbols of all feeds, in graph order. */
  readonly symbols: readonly string[];
  readonly feeds: readonly { node: number; symbol: string; timeframe: string }[];
  readonly baseTimeframe: string;
  /** Base bars before each node's outputs can be non-null. */
  readonly warmup: Float64Array;
  inputMask(node: number): number;
  chain(node: number, bit: number): string;
}

/** Symbols, clocks, warm-up and current-bar dependencies of every output, in topological order. */
function infer(infos: readonly NodeInfo[], order: readonly number[], error: Report): Inference {
  const count = infos.length;
  const runClock = new Int32Array(count).fill(-1);
  const outClock = new Int32Array(count).fill(-1);
  const nodeSymbols: (readonly string[])[] = infos.map(() => EMPTY);
  const masks: number[][] = infos.map((info) =>
    info.definition ? info.definition.outputs.map(() => 0) : [],
  );
  const warmup = new Float64Array(count);

  // Feeds decide the base clock: the finest timeframe any of them reads.
  const feeds: { node: number; symbol: string; timeframe: string; ms: number }[] = [];
  for (const i of order) {
    const { definition, params, node } = infos[i]!;
    if (!definition?.feed || params === null) continue;
    const feed = definition.feed(params);
    const ms = timeframeMs(feed.timeframe);
    if (ms === null) {
      error({
        code: 'INVALID_PARAM',
        nodeId: node.id,
        param: 'timeframe',
        message: `${infos[i]!.label}: ${show(feed.timeframe)} is not a timeframe`,
        hint: 'use a number and a unit such as 1m, 15m, 4h, 1d or 1w',
      });
      continue;
    }
    feeds.push({ node: i, symbol: feed.symbol, timeframe: feed.timeframe, ms });
  }
  const base = feeds.reduce<(typeof feeds)[number] | undefined>(
    (best, f) => (best && best.ms <= f.ms ? best : f),
    undefined,
  );
  const clocks: Clock[] = [
    { timeframe: base?.timeframe ?? '1m', ms: base?.ms ?? 60_000, parent: -1, tickNode: -1 },
  ];
  for (const feed of feeds) {
    if (!base || feed.ms === base.ms) continue;
    const label = infos[feed.node]!.label;
    if (feed.ms % base.ms === 0) {
      error({
        code: 'LOOKAHEAD_HIGHER_TIMEFRAME',
        nodeId: infos[feed.node]!.node.id,
        param: 'timeframe',
        message: `${label} reads ${feed.timeframe} candles while the strategy runs on ${base.timeframe} candles: the ${feed.timeframe} series would be used before its bar closes`,
        hint: `read ${base.timeframe} candles and add a resample node to ${feed.timeframe}`,
      });
    } else {
      error({
        code: 'TIMEFRAME_MISMATCH',
        nodeId: infos[feed.node]!.node.id,
        param: 'timeframe',
        message: `${label} reads ${feed.timeframe} candles, which do not line up with the ${base.timeframe} candles the strategy runs on`,
        hint: `read ${base.timeframe} candles for every symbol and resample where you need a higher timeframe`,
      });
    }
  }
  const feedByNode = new Map(feeds.map((f) => [f.node, f]));

  const isDerived = (clock: number, from: number): boolean => {
    for (let c = clocks[clock]!.parent; c !== -1; c = clocks[c]!.parent) if (c === from) return true;
    return false;
  };
  // Two resamples of one clock to the same timeframe tick on the same steps.
  const sameTicks = (a: number, b: number) =>
    clocks[a]!.ms === clocks[b]!.ms && clocks[a]!.parent === clocks[b]!.parent;

  for (const i of order) {
    const info = infos[i]!;
    const { definition, params, node } = info;
    if (!definition) continue;
    const feed = feedByNode.get(i);
    if (feed) {
      runClock[i] = outClock[i] = 0;
      nodeSymbols[i] = [feed.symbol];
      definition.outputs.forEach((output, o) => {
        let bits = 0;
        for (const field of output.barFields ?? []) bits |= FIELD_BITS[field];
        masks[i]![o] = bits;
      });
      continue;
    }
    let clock = -1;
    let clockSource = -1;
    let symbols = EMPTY;
    let mask = 0;
    let inputWarmup = 0;
    for (const wires of info.wires) {
      for (const wire of wires) {
        const source = infos[wire.source]!;
        symbols = unionSymbols(symbols, nodeSymbols[wire.source]!);
        mask |= masks[wire.source]![wire.output]!;
        inputWarmup = Math.max(inputWarmup, warmup[wire.source]!);
        const sourceClock =
          source.definition!.outputs[wire.output]!.kind === 'scalar' ? -1 : outClock[wire.source]!;
        if (sourceClock === -1 || sourceClock === clock) continue;
        if (clock === -1) {
          clock = sourceClock;
          clockSource = wire.source;
          continue;
        }
        // Run on the finer clock; the coarser one must be resampled from it (its held values are closed bars).
        const [fine, coarse] =
          clocks[sourceClock]!.ms < clocks[clock]!.ms ? [sourceClock, clock] : [clock, sourceClock];
        if (isDerived(coarse, fine) || sameTicks(coarse, fine)) {
          if (fine !== clock) clockSource = wire.source;
          clock = fine;
          continue;
        }
        error({
          code: 'TIMEFRAME_MISMATCH',
          nodeId: node.id,
          message: `${info.label} combines a ${clocks[clock]!.timeframe} series from '${infos[clockSource]!.node.id}' with a ${clocks[sourceClock]!.timeframe} series from '${source.node.id}' that is not resampled from it`,
          hint: 'resample both from the same candles, or resample one series from the other',
        });
      }
    }
    runClock[i] = clock;
    outClock[i] = clock;
    nodeSymbols[i] = symbols;
    if (params !== null) {
      const ratio = clock === -1 ? 1 : clocks[clock]!.ms / clocks[0]!.ms;
      warmup[i] = inputWarmup + definition.warmup(params) * ratio;
      const shift = definition.shift?.(params);
      if (shift !== undefined && shift >= 1) mask = 0;
      if (shift !== undefined && shift < 0) {
        error({
          code: 'LOOKAHEAD_NEGATIVE_SHIFT',
          nodeId: node.id,
          message: `${info.label} shifts by ${shift} bars, which would read ${-shift} bar${shift === -1 ? '' : 's'} into the future`,
          hint: 'use a shift of 0 or more',
        });
      }
      const outputTimeframe = definition.outputTimeframe?.(params);
      if (outputTimeframe !== undefined) {
        const ms = timeframeMs(outputTimeframe);
        const inputClock = clocks[Math.max(clock, 0)]!;
        if (ms === null) {
          error({
            code: 'INVALID_PARAM',
            nodeId: node.id,
            message: `${info.label}: ${show(outputTimeframe)} is not a timeframe`,
            hint: 'use a number and a unit such as 15m, 4h, 1d or 1w',
          });
        } else if (ms % inputClock.ms !== 0) {
          error({
            code: 'TIMEFRAME_MISMATCH',
            nodeId: node.id,
            message: `${info.label} turns ${inputClock.timeframe} bars into ${outputTimeframe} bars, but ${outputTimeframe} is not a whole number of ${inputClock.timeframe} bars`,
            hint: `choose a timeframe that is a multiple of ${inputClock.timeframe}`,
          });
        } else {
          outClock[i] = clocks.length;
          clocks.push({ timeframe: outputTimeframe, ms, parent: Math.max(clock, 0), tickNode: i });
        }
      }
    }
    masks[i]!.fill(mask);
  }

  const inputMask = (i: number) => {
    let mask = 0;
    for (const wires of infos[i]!.wires) for (const wire of wires) mask |= masks[wire.source]![wire.output]!;
    return mask;
  };
  // Walks back from a node along inputs that carry `bit` to the data it comes from.
  const chain = (i: number, bit: number): string => {
    const steps = [infos[i]!.label];
    let current = i;
    for (let guard = 0; guard < count; guard++) {
      const wire = infos[current]!.wires.flat().find((w) => masks[w.source]![w.output]! & bit);
      if (!wire) break;
      const source = infos[wire.source]!;
      if (feedByNode.has(wire.source)) {
        steps.push(`'${source.node.id}.${source.definition!.outputs[wire.output]!.name}'`);
        break;
      }
      steps.push(source.label);
      current = wire.source;
    }
    return steps.reverse().join(' → ');
  };
  const symbols = [...new Set(feeds.map((f) => f.symbol))];
  return {
    clocks,
    runClock,
    nodeSymbols,
    symbols,
    feeds,
    baseTimeframe: clocks[0]!.timeframe,
    warmup,
    inputMask,
    chain,
  };
}

function buildPlan(
  infos: readonly NodeInfo[],
  order: readonly number[],
  inference: Inference,
  orderNodes: readonly number[],
  orderSymbols: ReadonlyMap<number, string>,
  paramValues: Plan['paramValues'],
): Plan {
  const firstSlot = new Int32Array(infos.length);
  let slotCount = 0;
  for (const i of order) {
    firstSlot[i] = slotCount;
    slotCount += infos[i]!.definition!.outputs.length;
  }
  const nodes: PlanNode[] = order.map((i) => {
    const info = infos[i]!;
    const definition = info.definition!;
    const slotOf = (wire: Wire) => firstSlot[wire.source]! + wire.output;
    return {
      id: info.node.id,
      definition,
      params: info.params!,
      inputSlots: definition.inputs.map((port, p) => {
        const wires = info.wires[p]!;
        if (port.multiple) return wires.length === 0 ? null : wires.map(slotOf);
        return wires.length === 0 ? null : slotOf(wires[0]!);
      }),
      outputSlots: definition.outputs.map((_, o) => firstSlot[i]! + o),
      clock: Math.max(0, inference.runClock[i]!),
    };
  });
  const clocks: PlanClock[] = inference.clocks.map((c) => ({
    timeframe: c.timeframe,
    tickNodeId: c.tickNode === -1 ? null : infos[c.tickNode]!.node.id,
  }));
  const feeds: PlanFeed[] = inference.feeds.map((f) => ({
    nodeId: infos[f.node]!.node.id,
    symbol: f.symbol,
    timeframe: f.timeframe,
  }));
  const orders: PlanOrder[] = orderNodes.map((i) => {
    const definition = infos[i]!.definition!;
    return {
      nodeId: infos[i]!.node.id,
      slot: firstSlot[i]! + definition.outputs.findIndex((o) => o.kind === 'order'),
      symbol: orderSymbols.get(i)!,
    };
  });
  return {
    nodes,
    slotCount,
    clocks,
    feeds,
    orders,
    symbols: inference.symbols,
    baseTimeframe: inference.baseTimeframe,
    warmupBars: Math.max(0, ...orderNodes.map((i) => inference.warmup[i]!)),
    paramValues,
  };
}
