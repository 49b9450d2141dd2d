/**
 * Sending one subscribe message (`cloud.openapi.subscribeMessage.send`), behind a function type so the
 * jobs can be run with a scripted sender in tests, and wrapped with injected faults when the function's
 * configuration asks for them (test seams, see `withFaults`).
 */
import { cloud } from '../shared/cloud';
import type { TemplateData } from './templates';

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  page?: string;
  data: TemplateData;
  miniprogramState?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN';
}

/** Resolves with WeChat's msgid when sent; rejects with the SDK's error (`errCode`, `errMsg`) otherwise. */
export type Sender = (message: SubscribeMessage) => Promise<{ msgid?: string }>;

interface OpenApi {
  subscribeMessage: { send(message: SubscribeMessage): Promise<{ msgid?: unknown }> };
}

/** The platform's sender. The function's config.json must grant `subscribeMessage.send`. */
export const platformSender: Sender = async (message) => {
  // wx-server-sdk types `openapi` as any; this is the documented shape of the one call we make.
  const openapi = cloud.openapi as OpenApi;
  const res = await openapi.subscribeMessage.send(message);
  return typeof res.msgid === 'string' || typeof res.msgid === 'number'
    ? { msgid: String(res.msgid) }
    : {};
};

/** Points in a delivery where an injected fault can strike (see docs/jobs.md, "Faults"). */
export interface DeliveryHooks {
  /** After a batch was claimed, before anything of it is sent. */
  afterClaim?(): Promise<void>;
  /** After WeChat accepted a message, before the delivery is marked sent. */
  afterSend?(): Promise<void>;
}

/** Never settles: the run is stuck until the platform kills it at the function's timeout. */
const hang = (): Promise<never> => new Promise<never>(() => undefined);

/**
 * Test seams, enabled only by the function's `JOB_FAULT` environment variable (set in a test copy of its
 * config.json, never in the shipped one):
 * - `hang-after-claim`: the run stops dead after its first claim, as if killed before sending;
 * - `hang-after-send`: the run stops dead after the first message WeChat accepted, before marking it;
 * - `lose-answer`: the first message is sent, then its answer is lost (-604102, open API timeout);
 * - `send-error:<code>`: every send fails with that errCode before reaching WeChat.
 */
export function withFaults(
  send: Sender,
  fault: string | undefined,
): { send: Sender; hooks: DeliveryHooks } {
  if (!fault) return { send, hooks: {} };
  let first = true;
  const once = (): boolean => {
    const was = first;
    first = false;
    return was;
  };
  if (fault === 'hang-after-claim') return { send, hooks: { afterClaim: hang } };
  if (fault === 'hang-after-send') {
    return { send, hooks: { afterSend: () => (once() ? hang() : Promise.resolve()) } };
  }
  if (fault === 'lose-answer') {
    return {
      send: async (message) => {
        const res = await send(message);
        if (once()) {
          throw Object.assign(new Error('call open API timeout'), {
            errCode: -604102,
            errMsg: 'openapi.subscribeMessage.send:fail -604102 call open API timeout',
          });
        }
        return res;
      },
      hooks: {},
    };
  }
  const m = /^send-error:(-?\d+)$/.exec(fault);
  if (m) {
    const code = Number(m[1]);
    return {
      send: () =>
        Promise.reject(
          Object.assign(new Error(`injected ${code}`), {
            errCode: code,
            errMsg: `openapi.subscribeMessage.send:fail ${code} injected`,
          }),
        ),
      hooks: {},
    };
  }
  throw new Error(`unknown JOB_FAULT ${fault}`);
}
