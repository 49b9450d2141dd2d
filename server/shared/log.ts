/**
 * The functions' log lines: action, outcome and time, never request data (R14: ID numbers and phones
 * must not reach the logs, and nothing else of the request is needed to operate the service).
 */
export function logRequest(action: string, started: number, outcome: string): void {
  console.log(JSON.stringify({ action, outcome, ms: Date.now() - started }));
}

export function logFailure(action: string, started: number, err: unknown): void {
  // Error messages of the SDK carry no request data; stacks stay in the platform's log only.
  const message = err instanceof Error ? err.message : 'non-error thrown';
  const code =
    typeof err === 'object' && err !== null && 'errCode' in err ? String(err.errCode) : undefined;
  console.error(
    JSON.stringify({ action, outcome: 'INTERNAL', ms: Date.now() - started, code, message }),
  );
}
