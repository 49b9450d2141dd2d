/** Messages between the pool (main thread) and a function instance (worker thread). */

export interface WorkerInit {
  functionName: string;
  /** Absolute path of the function's index.js. */
  entry: string;
  /** The clock's shared offset cell (see Clock.sharedOffset). */
  clockOffset: SharedArrayBuffer;
}

export interface InvokeMessage {
  id: number;
  event: unknown;
  context: Record<string, unknown>;
  /** Per-invocation environment (WX_OPENID…), set before `main` runs. */
  env: Record<string, string>;
  /** Variables a previous invocation set that this one must not see. */
  unsetEnv: string[];
}

/**
 * Answers to invocations, by id. Id 0 is the instance's initialisation (loading index.js), which the
 * worker reports once on start, before any invocation.
 */
export type WorkerReply =
  | { id: number; ok: true; json: string }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string } };
