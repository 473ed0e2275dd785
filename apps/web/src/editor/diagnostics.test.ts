import { catalog } from '@candleflow/nodes';
import { compile, type Diagnostic } from '@candleflow/strategy-dsl';
import { describe, expect, it } from 'vitest';
import {
  diagnosticsByNode,
  diagnosticsFromServerError,
  sortDiagnostics,
  stableDiagnosticsByNode,
} from './diagnostics';
import { removeEdges } from './graph-ops';
import { smallGraph } from './test-support/graphs';

const d = (over: Partial<Diagnostic>): Diagnostic => ({
  code: 'INVALID_PARAM',
  severity: 'error',
  message: 'm',
  ...over,
});

describe('diagnosticsByNode', () => {
  it('puts a real missing-input error on the node and its port', () => {
    const g = removeEdges(smallGraph(), new Set(['ema.value->cross.b']));
    const byNode = diagnosticsByNode(compile(g, catalog).diagnostics);
    expect(byNode.get('cross')).toMatchObject({ severity: 'error', ports: { b: 'error' } });
  });

  it('counts errors and warnings and keeps the worst severity per node and port', () => {
    const byNode = diagnosticsByNode([
      d({ nodeId: 'a', port: 'x', severity: 'warning', message: 'w' }),
      d({ nodeId: 'a', port: 'x', severity: 'error', message: 'e' }),
      d({ nodeId: 'b', severity: 'warning' }),
      d({ message: 'strategy-level' }),
    ]);
    expect(byNode.get('a')).toEqual({
      severity: 'error',
      errors: 1,
      warnings: 1,
      ports: { x: 'error' },
      messages: ['w', 'e'],
    });
    expect(byNode.get('b')?.severity).toBe('warning');
    expect(byNode.size).toBe(2);
  });

  it('reuses the previous per-node object when nothing changed for that node', () => {
    const first = diagnosticsByNode([d({ nodeId: 'a' }), d({ nodeId: 'b' })]);
    const second = stableDiagnosticsByNode(
      first,
      diagnosticsByNode([d({ nodeId: 'a' }), d({ nodeId: 'b', message: 'new' })]),
    );
    expect(second.get('a')).toBe(first.get('a'));
    expect(second.get('b')).not.toBe(first.get('b'));
  });
});

describe('sortDiagnostics', () => {
  it('puts errors first and keeps the compiler order within a severity', () => {
    const list = [
      d({ severity: 'warning', message: 'w1' }),
      d({ message: 'e1' }),
      d({ severity: 'warning', message: 'w2' }),
      d({ message: 'e2' }),
    ];
    expect(sortDiagnostics(list).map((x) => x.message)).toEqual(['e1', 'e2', 'w1', 'w2']);
  });
});

describe('diagnosticsFromServerError', () => {
  it('reads COMPILE_FAILED details and ignores malformed entries', () => {
    const error = {
      data: {
        code: 'COMPILE_FAILED',
        details: {
          diagnostics: [
            { code: 'MISSING_INPUT', severity: 'error', message: 'x', nodeId: 'ema' },
            { bogus: 1 },
          ],
        },
      },
    };
    expect(diagnosticsFromServerError(error)).toEqual([
      { code: 'MISSING_INPUT', severity: 'error', message: 'x', nodeId: 'ema' },
    ]);
    expect(diagnosticsFromServerError(new Error('network'))).toEqual([]);
    expect(diagnosticsFromServerError(null)).toEqual([]);
  });
});
