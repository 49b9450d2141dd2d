/**
 * The functions' log lines: action, outcome and time, never request data (R14: ID numbers and phones
 * must not reach the logs, and nothing else of the request is needed to operate the service).
 */
/** `db`: database requests the invocation sent; `cache`: how many of them refreshed instance caches. */
export interface DbCount {
  db: number;
  cache: number;
}

export function logRequest(action: string, started: number, outcome: string, count: DbCount): void {
  console.log(JSON.stringify({ action, outcome, ms: Date.now() - started, ...count }));
}

export function logFailure(action: string, started: number, err: unknown, count: DbCount): void {
  // Error messages of the SDK carry no request data; stacks stay in the platform's log only.
  const message = err instanceof Error ? err.message : 'non-error thrown';
  const code =
    typeof err === 'object' && err !== null && 'errCode' in err ? String(err.errCode) : undefined;
  console.error(
    JSON.stringify({
      action,
      outcome: 'INTERNAL',
      ms: Date.now() - started,
      ...count,
      code,
      message,
    }),
  );
}
