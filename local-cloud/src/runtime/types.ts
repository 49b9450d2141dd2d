/** What `POST /callFunction` answers: the platform's shapes as `wx.cloud.callFunction` sees them. */
export type InvokeOutcome = { result: unknown } | { errCode: number; errMsg: string };

/** Why an invocation failed; each maps to the platform's code on each path (see `errors.ts`). */
export type InvokeFailure = 'not_found' | 'execute_fail' | 'timeout';

export type InvokeResult =
  | { ok: true; result: unknown; /** the result as the platform serialises it */ json: string }
  | { ok: false; failure: InvokeFailure; message: string; timeoutS?: number };

export interface InvokeContext {
  /** The calling user's OPENID; absent for function-to-function calls and timer triggers (as on the platform). */
  openid?: string;
  /** `http`: the mini program (`POST /callFunction`); `http_access`: the HTTP access service (`/http/…`). */
  source: 'http' | 'http_access' | 'function' | 'timer';
  /** For timer invocations: the trigger's name (the event's TriggerName). */
  triggerName?: string;
}

export interface FiredTrigger {
  function: string;
  trigger: string;
  /** The occurrence that fired (epoch ms, emulated time). */
  scheduledAt: number;
  ok: boolean;
  /** Failure reason when `ok` is false (never the function's data). */
  error?: string;
}

export interface FunctionRuntime {
  invoke(name: string, data: unknown, context: InvokeContext): Promise<InvokeResult>;
  /** Runs the timer triggers that became due up to the clock's now; answers what fired. */
  fireDueTriggers(): Promise<FiredTrigger[]>;
  close(): Promise<void>;
}
