// Keeps a CodeMirror editor of the DSL text and the editor store's graph in step, without React: typed
// text flows to the graph when it is valid (debounced), canvas edits flow to the text when the text has no
// unapplied edits, and invalid text never reaches the graph.
import { formatText, type Graph, type NodeCatalog } from '@candleflow/strategy-dsl';
import { EditorSelection, EditorState, Transaction } from '@codemirror/state';
import { EditorView, type ViewUpdate } from '@codemirror/view';
import { analyzeText, minimalChange, printGraphCached, type TextProblem, type TextStatus } from './analyze';
import {
  dslEditorExtensions,
  fromCanvas,
  readOnlyCompartment,
  readOnlyExtension,
  showProblems,
} from './editor-setup';

export interface CodeStatus {
  /** `pending`: typed, not analysed yet. */
  readonly kind: TextStatus | 'pending';
  readonly problems: readonly TextProblem[];
  /** The canvas changed while the text had unapplied edits, so the text was left alone. */
  readonly canvasChanged: boolean;
}

export interface CodeSyncOptions {
  readonly parent: HTMLElement;
  readonly catalog: NodeCatalog;
  readonly readOnly: boolean;
  /** Debounce between the last keystroke and parse + compile, ms. */
  readonly delayMs: number;
  /** The store's current graph. */
  readonly getGraph: () => Graph;
  /** Replaces the store's graph (one undo step). */
  readonly apply: (graph: Graph) => void;
  readonly onStatus: (status: CodeStatus) => void;
}

export class CodeSync {
  readonly view: EditorView;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The canonical text of the graph the editor's text stands for (positions are not part of it). */
  private synced: string;
  /** The last graph this view sent to the store, to recognise its echo. */
  private pushed: Graph | null = null;
  /** The text stands for the store's graph: no unapplied edits. */
  private clean = true;
  private status: CodeStatus = { kind: 'unchanged', problems: [], canvasChanged: false };

  constructor(private readonly options: CodeSyncOptions) {
    const graph = options.getGraph();
    this.synced = printGraphCached(graph);
    this.view = new EditorView({
      parent: options.parent,
      state: EditorState.create({
        doc: this.synced,
        extensions: dslEditorExtensions({
          readOnly: options.readOnly,
          onDocChanged: (update) => this.onDocChanged(update),
        }),
      }),
    });
    this.analyze();
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  private onDocChanged(update: ViewUpdate): void {
    if (update.transactions.some((tr) => tr.annotation(fromCanvas))) return;
    this.clean = false;
    this.emit({ ...this.status, kind: 'pending' });
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.analyze(), this.options.delayMs);
  }

  /** Parses and compiles the text now; applies it to the store when it is a valid edit. */
  analyze(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const result = analyzeText(this.text, this.options.getGraph(), this.options.catalog);
    showProblems(this.view, result.problems);
    if (result.status === 'apply' && result.graph) {
      this.pushed = result.graph;
      this.synced = result.canonical!;
      this.clean = true;
      this.options.apply(result.graph);
    } else if (result.status === 'unchanged') {
      this.synced = result.canonical!;
      this.clean = true;
    } else {
      this.clean = false;
    }
    this.emit({
      kind: result.status,
      problems: result.problems,
      canvasChanged: this.clean ? false : this.status.canvasChanged,
    });
  }

  /** The store's graph changed (canvas edit, undo, restore, or this view's own edit coming back). */
  graphChanged(graph: Graph): void {
    if (graph === this.pushed) return;
    const canonical = printGraphCached(graph);
    // Moving nodes on the canvas changes nothing the text shows; keep the user's formatting and comments.
    if (canonical === this.synced && this.clean) return;
    if (!this.clean) {
      this.emit({ ...this.status, canvasChanged: true });
      return;
    }
    this.replaceText(canonical);
  }

  /** Drops unapplied text edits and shows the store's graph. */
  reloadFromCanvas(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.replaceText(printGraphCached(this.options.getGraph()));
  }

  /** Rewrites the text in canonical form (comments are dropped); reports syntax errors when it cannot. */
  format(): boolean {
    const result = formatText(this.text);
    if (!result.ok) {
      this.analyze();
      return false;
    }
    const change = minimalChange(this.text, result.text);
    if (change) this.view.dispatch({ changes: change });
    this.analyze();
    return true;
  }

  setReadOnly(readOnly: boolean): void {
    this.view.dispatch({ effects: readOnlyCompartment.reconfigure(readOnlyExtension(readOnly)) });
  }

  /** Puts the cursor on a problem and focuses the editor. */
  reveal(problem: TextProblem): void {
    this.view.dispatch({
      selection: EditorSelection.range(problem.from, problem.to),
      scrollIntoView: true,
    });
    this.view.focus();
  }

  destroy(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.view.destroy();
  }

  private replaceText(text: string): void {
    const change = minimalChange(this.text, text);
    // Not in the text's undo history: undoing canvas edits is the canvas's undo, not the code view's.
    if (change) {
      this.view.dispatch({
        changes: change,
        annotations: [fromCanvas.of(true), Transaction.addToHistory.of(false)],
      });
    }
    this.synced = text;
    this.clean = true;
    this.pushed = null;
    this.status = { ...this.status, canvasChanged: false };
    this.analyze();
  }

  private emit(status: CodeStatus): void {
    this.status = status;
    this.options.onStatus(status);
  }
}
