/**
 * The parts of mingo 7 that `operators.ts` uses from its subpath exports, which `moduleResolution: node`
 * cannot reach for types (the runtime resolves them through mingo's `exports`). Only what is used.
 */
declare module 'mingo/core' {
  /** Evaluates an aggregation expression against `obj`. */
  export function evalExpr(obj: unknown, expr: unknown, options: unknown): unknown;
}

/** Each operator module: its operators by name (`$substrBytes`, `$elemMatch`…). */
declare module 'mingo/operators/accumulator' {
  const ops: Record<string, (...args: never[]) => unknown>;
  export = ops;
}
declare module 'mingo/operators/expression' {
  const ops: Record<string, (...args: never[]) => unknown>;
  export = ops;
}
declare module 'mingo/operators/pipeline' {
  const ops: Record<string, (...args: never[]) => unknown>;
  export = ops;
}
declare module 'mingo/operators/projection' {
  const ops: Record<string, (...args: never[]) => unknown>;
  export = ops;
}
declare module 'mingo/operators/query' {
  const ops: Record<string, (...args: never[]) => unknown>;
  export = ops;
}
declare module 'mingo/operators/window' {
  const ops: Record<string, (...args: never[]) => unknown>;
  export = ops;
}

/**
 * mingo's classes without the wrapper of its main entry, which merges its own operators over the
 * context it is given (so an operator of ours with a MongoDB name would never be used). Same API.
 */
declare module 'mingo/query' {
  export { Query } from 'mingo';
}
declare module 'mingo/aggregator' {
  export { Aggregator } from 'mingo';
}

/** mingo's lazy sequence (a pipeline's documents between stages); only the constructor is used. */
declare module 'mingo/lazy' {
  export function Lazy(source: unknown[]): unknown;
}
