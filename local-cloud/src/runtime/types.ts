/** The result of invoking a function, as `POST /callFunction` answers it (the platform's shapes). */
export type InvokeOutcome = { result: unknown } | { errCode: number; errMsg: string };

export interface InvokeContext {
  /** The calling user's OPENID; absent for function-to-function calls and timer triggers (as on the platform). */
  openid?: string;
  source: 'http' | 'function' | 'timer';
}

export interface FunctionRuntime {
  invoke(name: string, data: unknown, context: InvokeContext): Promise<InvokeOutcome>;
  /** Runs the timer triggers that became due up to the clock's now. */
  fireDueTriggers(): Promise<void>;
  close(): Promise<void>;
}
