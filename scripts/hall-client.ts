/**
 * `npm run -s hall-client -- <command> …`: an example client of the hall API (docs/hall-api.md), the
 * starting point for a queue-calling system's integrator. Self-contained on purpose (Node's own fetch
 * and crypto, nothing of this repository's server code), so it can be copied out as it is.
 *
 *   today    <serviceId> [date] [--since <cursor>]      the day's rows (default: today, China time)
 *   check-in <serviceId> <date> <number>                booked → checked_in (number as printed: A011)
 *   call     <serviceId> <date> <number> [window]       → called (again: callCount + 1)
 *   serve | finish | miss | requeue <serviceId> <date> <number>
 *   book     <json>                                     { serviceId, date, periodId?, person, requestId }
 *   cancel   <bookingId>
 *
 * Reads HALL_API_URL (the function's base URL, e.g. http://127.0.0.1:3210/http/hall-api locally),
 * HALL_KEY_ID and HALL_KEY_SECRET; prints the answer's JSON; exits 1 when the API refused.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

interface Env {
  url: string;
  keyId: string;
  secret: string;
}

function env(): Env {
  const url = process.env.HALL_API_URL;
  const keyId = process.env.HALL_KEY_ID;
  const secret = process.env.HALL_KEY_SECRET;
  if (!url || !keyId || !secret) {
    throw new Error('set HALL_API_URL, HALL_KEY_ID and HALL_KEY_SECRET');
  }
  return { url: url.replace(/\/+$/, ''), keyId, secret };
}

/** The query in canonical form: pairs sorted by key, each part encoded as encodeURIComponent does. */
function canonicalQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k] ?? '')}`)
    .join('&');
}

/**
 * The function's clock in Unix seconds, read from `GET /v1/clock` (unsigned): a timestamp more than 300 s
 * off it is refused, so a client whose own clock is not synchronised signs with this one.
 */
async function serverSeconds(e: Env): Promise<number> {
  const res = await fetch(`${e.url}/v1/clock`);
  const body = (await res.json()) as { now?: unknown };
  if (typeof body.now !== 'number') throw new Error('GET /v1/clock did not answer { now }');
  return body.now;
}

interface Answer {
  status: number;
  body: unknown;
}

export async function request(
  e: Env,
  method: string,
  path: string,
  options: { query?: Record<string, string>; body?: unknown; now?: number } = {},
): Promise<Answer> {
  const query = canonicalQuery(options.query ?? {});
  const pathWithQuery = query ? `${path}?${query}` : path;
  const body = options.body === undefined ? '' : JSON.stringify(options.body);
  const timestamp = String(options.now ?? (await serverSeconds(e)));
  const nonce = randomBytes(16).toString('hex');
  const toSign = [
    method,
    pathWithQuery,
    timestamp,
    nonce,
    createHash('sha256').update(body).digest('hex'),
  ].join('\n');
  const res = await fetch(`${e.url}${pathWithQuery}`, {
    method,
    headers: {
      'content-type': 'application/json',
      'x-key-id': e.keyId,
      'x-timestamp': timestamp,
      'x-nonce': nonce,
      'x-signature': createHmac('sha256', e.secret).update(toSign).digest('hex'),
    },
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** Today in China (UTC+8), `YYYY-MM-DD`, from Unix seconds. */
function chinaToday(seconds: number): string {
  return new Date(seconds * 1000 + 8 * 3_600_000).toISOString().slice(0, 10);
}

const EVENTS = new Map([
  ['check-in', 'check_in'],
  ['call', 'call'],
  ['serve', 'serve'],
  ['finish', 'finish'],
  ['miss', 'miss'],
  ['requeue', 'requeue'],
]);

const USAGE =
  'usage: hall-client today <serviceId> [date] [--since <cursor>] | ' +
  'check-in|call|serve|finish|miss|requeue <serviceId> <date> <number> [window] | ' +
  'book <json> | cancel <bookingId>';

function arg(args: string[], i: number): string {
  const value = args.at(i);
  if (value === undefined) throw new Error(USAGE);
  return value;
}

export async function run(args: string[]): Promise<Answer> {
  const e = env();
  const command = arg(args, 0);
  if (command === 'today') {
    const rest = args.slice(1);
    const at = rest.indexOf('--since');
    const since = at >= 0 ? arg(rest, at + 1) : undefined;
    const positional = at >= 0 ? [...rest.slice(0, at), ...rest.slice(at + 2)] : rest;
    const serviceId = arg(positional, 0);
    const now = await serverSeconds(e);
    const date = positional.at(1) ?? chinaToday(now);
    return request(
      e,
      'GET',
      `/v1/services/${encodeURIComponent(serviceId)}/days/${date}/bookings`,
      { now, ...(since === undefined ? {} : { query: { since } }) },
    );
  }
  const event = EVENTS.get(command);
  if (event !== undefined) {
    const [serviceId, date, number, window] = [
      arg(args, 1),
      arg(args, 2),
      arg(args, 3),
      args.at(4),
    ];
    return request(
      e,
      'POST',
      `/v1/services/${encodeURIComponent(serviceId)}/days/${date}/numbers/${encodeURIComponent(number)}/events`,
      { body: window === undefined ? { event } : { event, window } },
    );
  }
  if (command === 'book')
    return request(e, 'POST', '/v1/bookings', { body: JSON.parse(arg(args, 1)) });
  if (command === 'cancel')
    return request(e, 'DELETE', `/v1/bookings/${encodeURIComponent(arg(args, 1))}`);
  throw new Error(USAGE);
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (answer) => {
      process.stdout.write(`${JSON.stringify(answer.body, null, 2)}\n`);
      process.exitCode = answer.status >= 200 && answer.status < 300 ? 0 : 1;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
