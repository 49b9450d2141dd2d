/**
 * The local cloud's HTTP server: the admin API for wx-server-sdk, what the mini program would call
 * (`/callFunction`), and control endpoints for developers and tests (clock, outbox, consents, stats).
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Admin, type AdminLogInfo } from './admin';
import { Clock } from './clock';
import type { LocalDatabase } from './db/types';
import { HttpError, MAX_DATA_DEPTH, nestedDeeperThan, readBody, readJson, sendJson } from './http';
import type { LocalCloudOptions } from './options';
import { RealNameChecks } from './openapi/realname';
import { loadTemplates, SubscribeMessages } from './openapi/subscribe';
import { CloudStorage } from './storage';
import { ERR_INVALID_PARAM, toHttpOutcome } from './runtime/errors';
import { FUNCTION_NAME, readFunction, type TimerTrigger } from './runtime/functions';
import { httpAnswer, integrationRequest } from './runtime/http-access';
import { FunctionPool, type PoolStats } from './runtime/pool';
import { timerEvent, TriggerScheduler } from './runtime/triggers';
import type { FiredTrigger } from './runtime/types';

export interface ClockAnswer {
  now: number;
  /** ISO-8601 in UTC, for humans. */
  iso: string;
  shifted: boolean;
}

export interface ClockSetAnswer extends ClockAnswer {
  /** Timer triggers the jump made due, each fired once and finished. */
  fired: FiredTrigger[];
}

/** What `POST /trigger` answers: the run, and the function's result when it ran to the end. */
export interface TriggerRunAnswer extends FiredTrigger {
  result?: unknown;
}

export interface Stats {
  /** Database requests the db module handled (injected faults before applying are not counted). */
  databaseRequests: number;
  /** Disk transactions written, each with its fsync (group commit: fewer than writes under load); 0 in memory. */
  diskCommits: number;
  /** Invocations per function, instances live/busy/queued. */
  functions: PoolStats;
  faultsInjected: { beforeApplying: number; afterApplying: number };
  http: { requests: number };
}

export interface LocalCloudServer {
  url: string;
  port: number;
  clock: Clock;
  close(): Promise<void>;
}

/** A short identifier from the call's data, for the log; anything else (personal data) is never logged. */
function loggableAction(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '-';
  const action = (data as { action?: unknown }).action;
  return typeof action === 'string' && /^[\w.:-]{1,64}$/.test(action) ? action : '-';
}

export async function createLocalCloud(
  options: LocalCloudOptions,
  db: LocalDatabase,
  clock: Clock,
  log: (line: string) => void,
): Promise<LocalCloudServer> {
  let baseUrl = '';
  const templates = loadTemplates(options.templatesFile);
  const subscribe = new SubscribeMessages(
    templates,
    options.dataDir ? path.join(options.dataDir, 'openapi.json') : undefined,
  );
  const pool = new FunctionPool({
    functionsDir: options.functionsDir,
    maxInstances: options.maxInstances,
    clock,
    envId: options.envId,
    appId: options.appId,
    baseUrl: () => baseUrl,
  });
  /** One run of a timer trigger, as the platform makes it: the SCF timer event, no OPENID. */
  async function runTimer(
    fn: string,
    trigger: TimerTrigger,
    scheduledAt: number,
  ): Promise<{ fired: FiredTrigger; result?: unknown }> {
    const started = Date.now();
    const result = await pool.invoke(fn, timerEvent(trigger.name, scheduledAt), {
      source: 'timer',
      triggerName: trigger.name,
    });
    const outcome = result.ok ? 'ok' : result.failure;
    if (options.logRequests) {
      log(`timer ${fn} trigger=${trigger.name} ${Date.now() - started}ms ${outcome}`);
    }
    const fired: FiredTrigger = {
      function: fn,
      trigger: trigger.name,
      scheduledAt,
      ok: result.ok,
      ...(result.ok ? {} : { error: outcome }),
    };
    return result.ok ? { fired, result: result.result } : { fired };
  }
  const scheduler = new TriggerScheduler(
    options.functionsDir,
    clock,
    async (fn, trigger, scheduledAt) => (await runTimer(fn, trigger, scheduledAt)).fired,
    (message) => log(`warning: ${message}`),
  );
  pool.triggerFirer = () => scheduler.check();
  const storage = new CloudStorage({
    envId: options.envId,
    dataDir: options.dataDir,
    clock,
    baseUrl: () => baseUrl,
  });
  const admin = new Admin({ options, clock, db, runtime: pool, subscribe, storage });
  const realname = new RealNameChecks(
    options.appId,
    () => process.env.WX_APP_SECRET,
    () => clock.now(),
  );
  let httpRequests = 0;

  const clockAnswer = (): ClockAnswer => {
    const now = clock.now();
    return { now, iso: new Date(now).toISOString(), shifted: clock.shifted };
  };

  /** The function's timer trigger named `name`, or its only one when no name is given. */
  function timerTriggerOf(fn: string, name: string | undefined): TimerTrigger {
    let info: ReturnType<typeof readFunction>;
    try {
      info = readFunction(options.functionsDir, fn);
    } catch (err) {
      throw new HttpError(400, `function ${fn}: ${(err as Error).message}`);
    }
    if (!info) throw new HttpError(404, `no function ${fn}`);
    const { triggers } = info.config;
    const trigger =
      name === undefined
        ? triggers.length === 1
          ? triggers[0]
          : undefined
        : triggers.find((t) => t.name === name);
    if (!trigger) {
      const names = triggers.map((t) => t.name).join(', ') || 'none';
      throw new HttpError(
        400,
        name === undefined
          ? `function ${fn} has ${triggers.length} timer triggers (${names}): name one as "trigger"`
          : `function ${fn} has no timer trigger "${name}" (it has: ${names})`,
      );
    }
    return trigger;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<string> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    const p = url.pathname;

    if (p === '/admin' || p.startsWith('/admin/')) {
      if (method !== 'POST') throw new HttpError(405, 'the admin API takes POST');
      let caller: string | undefined;
      if (p !== '/admin') {
        caller = /^\/admin\/fn\/([^/]+)$/.exec(p)?.[1];
        if (caller === undefined || !FUNCTION_NAME.test(caller)) {
          throw new HttpError(404, `no such route ${p}`);
        }
      }
      const info: AdminLogInfo = await admin.handle(req, res, caller);
      return `admin fn=${caller ?? '-'} action=${info.action} ${info.outcome}`;
    }

    if (p.startsWith('/storage/')) {
      // Cloud storage's uploads and temporary links (src/storage.ts); the path is never logged.
      return storage.handleHttp(req, res, url);
    }

    if (p === '/callFunction') {
      if (method !== 'POST') throw new HttpError(405, '/callFunction takes POST');
      const body = await readJson(req);
      const { name, data, openid } = body;
      if (typeof name !== 'string' || name === '')
        throw new HttpError(400, '"name" (string) is required');
      if (!FUNCTION_NAME.test(name)) {
        throw new HttpError(400, `"name" must match ${FUNCTION_NAME.source} (a function name)`);
      }
      if (openid !== undefined && (typeof openid !== 'string' || openid === '')) {
        throw new HttpError(400, '"openid" must be a non-empty string when given');
      }
      if (nestedDeeperThan(data, MAX_DATA_DEPTH)) {
        // Refused at the gateway, as the platform does: the function never sees it, no instance is spent.
        sendJson(res, 200, {
          errCode: ERR_INVALID_PARAM,
          errMsg: `invalid parameters: data nested deeper than ${MAX_DATA_DEPTH} levels`,
        });
        return `callFunction fn=${name} action=- invalid_param`;
      }
      const result = await pool.invoke(name, data ?? {}, {
        source: 'http',
        ...(typeof openid === 'string' ? { openid } : {}),
      });
      sendJson(res, 200, toHttpOutcome(result));
      return `callFunction fn=${name} action=${loggableAction(data)} ${result.ok ? 'ok' : result.failure}`;
    }

    if (p === '/http' || p.startsWith('/http/')) {
      // The HTTP access service: `/http/<function>/<rest>` runs <function> with path `/<rest>`.
      const m = /^\/http\/([^/]+)(?:\/(.*))?$/.exec(p);
      const name = m?.[1];
      if (name === undefined || !FUNCTION_NAME.test(name))
        throw new HttpError(404, `no such route ${p}`);
      const event = integrationRequest({
        req,
        rest: m?.[2] ?? '',
        query: url.searchParams,
        body: await readBody(req),
        envId: options.envId,
        appId: options.appId,
      });
      const result = await pool.invoke(name, event, { source: 'http_access' });
      const answer = httpAnswer(result);
      res.writeHead(answer.status, {
        ...answer.headers,
        'content-length': answer.body.length,
      });
      res.end(answer.body);
      // The path names the function's route only; the query and body may carry data, never logged.
      return `http fn=${name} ${event.httpMethod} ${answer.status} ${result.ok ? 'ok' : result.failure}`;
    }

    if (p === '/clock') {
      if (method === 'GET') {
        sendJson(res, 200, clockAnswer());
        return 'clock read';
      }
      if (method !== 'POST') throw new HttpError(405, '/clock takes GET or POST');
      const { now, fireTriggers } = await readJson(req);
      if (typeof now !== 'number' || !Number.isFinite(now) || now < 0) {
        throw new HttpError(400, '"now" must be epoch milliseconds');
      }
      if (fireTriggers !== undefined && typeof fireTriggers !== 'boolean') {
        throw new HttpError(400, '"fireTriggers" must be a boolean when given');
      }
      const fired = await scheduler.jump(now, fireTriggers !== false);
      sendJson(res, 200, { ...clockAnswer(), fired } satisfies ClockSetAnswer);
      return `clock set fired=${fired.length}`;
    }

    if (p === '/trigger') {
      if (method !== 'POST') throw new HttpError(405, '/trigger takes POST');
      const body = await readJson(req);
      const fn = body.function;
      if (typeof fn !== 'string' || !FUNCTION_NAME.test(fn)) {
        throw new HttpError(400, `"function" must match ${FUNCTION_NAME.source} (a function name)`);
      }
      if (body.trigger !== undefined && typeof body.trigger !== 'string') {
        throw new HttpError(400, '"trigger" must be a string when given');
      }
      const trigger = timerTriggerOf(fn, body.trigger);
      // The occurrence is the current second, as a cron occurrence is a whole second.
      const ran = await runTimer(fn, trigger, Math.floor(clock.now() / 1000) * 1000);
      sendJson(res, 200, { ...ran.fired, result: ran.result } satisfies TriggerRunAnswer);
      return `trigger fn=${fn} trigger=${trigger.name} ${ran.fired.error ?? 'ok'}`;
    }

    if (p === '/outbox') {
      if (method === 'GET') {
        sendJson(res, 200, { messages: subscribe.outbox() });
        return 'outbox read';
      }
      if (method === 'DELETE') {
        sendJson(res, 200, { cleared: subscribe.clearOutbox() });
        return 'outbox cleared';
      }
      throw new HttpError(405, '/outbox takes GET or DELETE');
    }

    if (p === '/subscriptions') {
      if (method === 'GET') {
        sendJson(res, 200, { subscriptions: subscribe.subscriptions() });
        return 'subscriptions read';
      }
      if (method !== 'POST') throw new HttpError(405, '/subscriptions takes GET or POST');
      const { openid, templateId } = await readJson(req);
      if (typeof openid !== 'string' || openid === '')
        throw new HttpError(400, '"openid" is required');
      if (typeof templateId !== 'string' || templateId === '') {
        throw new HttpError(400, '"templateId" is required');
      }
      if (!subscribe.hasTemplate(templateId)) {
        throw new HttpError(
          400,
          `unknown template "${templateId}" (see local-cloud/templates.json)`,
        );
      }
      sendJson(res, 200, subscribe.consent(openid, templateId));
      return 'subscription recorded';
    }

    if (p.startsWith('/wxapi/')) {
      // WeChat's server API (api.weixin.qq.com) of the real-name checks; never logs the body.
      if (method !== 'POST') throw new HttpError(405, '/wxapi takes POST');
      const body = await readJson(req);
      const rest = p.slice('/wxapi'.length);
      const answer = realname.api(rest, url.searchParams.get('access_token'), body);
      sendJson(res, 200, answer);
      return `wxapi ${rest} errcode=${typeof answer.errcode === 'number' ? answer.errcode : 0}`;
    }

    if (p === '/realname/identities' || p === '/realname/authorize' || p === '/realname/face') {
      if (method !== 'POST') throw new HttpError(405, `${p} takes POST`);
      const body = await readJson(req);
      const need = (k: string): string => {
        const v = body[k];
        if (typeof v !== 'string' || v === '') throw new HttpError(400, `"${k}" is required`);
        return v;
      };
      const openid = need('openid');
      if (p === '/realname/identities') {
        realname.register(openid, { name: need('name'), idNumber: need('idNumber') });
        sendJson(res, 200, { ok: true });
        return 'realname identity recorded';
      }
      if (p === '/realname/authorize') {
        sendJson(res, 200, { code: realname.authorize(openid) });
        return 'realname code issued';
      }
      sendJson(res, 200, realname.face(openid, need('verifyId')));
      return 'realname face checked';
    }

    if (p === '/stats' && method === 'GET') {
      const stats: Stats = {
        databaseRequests: db.requestCount,
        diskCommits: db.diskCommits,
        functions: pool.snapshot(),
        faultsInjected: {
          beforeApplying: admin.counters.faultsBefore,
          afterApplying: admin.counters.faultsAfter,
        },
        http: { requests: httpRequests },
      };
      sendJson(res, 200, stats);
      return 'stats';
    }

    if (p === '/health' && method === 'GET') {
      sendJson(res, 200, { ok: true, env: options.envId, now: clock.now() });
      return 'health';
    }

    throw new HttpError(404, `no such route ${method} ${p}`);
  }

  const server = http.createServer((req, res) => {
    httpRequests++;
    const started = Date.now();
    route(req, res).then(
      (summary) => {
        if (options.logRequests) log(`${summary} ${Date.now() - started}ms`);
      },
      (err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500;
        const message = err instanceof Error ? err.message : String(err);
        if (!res.headersSent) {
          if (err instanceof HttpError && err.closeConnection) {
            // The unread rest of the body must not be read as the next request: once the answer is
            // written Node ends the connection (the client sees the 413, then the close).
            res.setHeader('connection', 'close');
          }
          sendJson(res, status, { error: message });
        } else res.end();
        // A 500 is a bug of the local cloud; its stack helps, and it carries no request data.
        if (status >= 500)
          log(
            `error ${req.method ?? ''} ${req.url ?? ''}: ${err instanceof Error ? (err.stack ?? message) : message}`,
          );
        else if (options.logRequests)
          log(
            `${req.method ?? ''} ${new URL(req.url ?? '/', 'http://local').pathname} ${status} ${Date.now() - started}ms`,
          );
      },
    );
  });
  // The SDK keeps connections alive outside SCF; requests of a function can outlive its instance.
  server.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${options.host}:${port}`;
  scheduler.start();

  return {
    url: baseUrl,
    port,
    clock,
    async close() {
      scheduler.stop();
      await pool.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The collections and indexes the database is opened with. */
export function readSchema(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
}
