import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** A request the local cloud refuses with a 4xx and a reason, never a crash. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /**
     * The request's body was left unread (it was too large): the answer closes the connection, since the
     * unread bytes would otherwise be taken for the next request on a keep-alive connection.
     */
    readonly closeConnection = false,
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body over ${MAX_BODY_BYTES} bytes`, true);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  let value: unknown;
  try {
    value = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * How deep a call's data may nest. The platform refuses a deeper body before any function sees it (a
 * function never gets one); it does not document its limit, so this is ours: far beyond any real data,
 * and shallow enough that handing the event to an instance (a structured clone, which recurses) and the
 * function's own walk of it cannot exhaust the stack. 3,000 levels already overflow the clone.
 */
export const MAX_DATA_DEPTH = 512;

/** True when `value` nests objects or arrays more than `max` levels deep. Iterative: never overflows. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, depth] = item;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
