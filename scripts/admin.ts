/**
 * `npm run -s admin -- <action> …`: the `admin` function (typings/admin.ts) from a terminal, after
 * `eval "$(npm run -s local-cloud:env)"`.
 *
 *   bootstrap                               the first administrator's one-time city_admin code: through
 *                                           wx-server-sdk, with no OPENID — exactly how the console's test
 *                                           call arrives; only while nobody holds city_admin
 *   bootstrap <openid>                      the same, then the code entered as that account (the `staff`
 *                                           function's acceptInvitation; local only): a demo administrator
 *   <action> '<json request>' --as <openid> any other action as that account (the local cloud's
 *                                           POST /callFunction with `openid`; local only)
 *
 * In production there is no such script: bootstrap once from the cloud console (云函数 → admin → 云端测试,
 * event `{ "action": "bootstrap" }`), or from a trusted server with WeChat's invokecloudfunction API
 * (`POST https://api.weixin.qq.com/tcb/invokecloudfunction?access_token=…&env=<env>&name=admin`, body the
 * same event). Both carry no user OPENID, which is what bootstrap requires; from the mini program it is an
 * unknown action. The answer holds the code, which the first administrator enters on their phone: 我的 →
 * 工作人员：凭邀请码开通. The answer is printed as JSON.
 */
import cloud from 'wx-server-sdk';

const USAGE =
  "usage: npm run -s admin -- bootstrap [openid] | <action> '<json>' --as <openid>  " +
  '(after eval "$(npm run -s local-cloud:env)")';

async function bootstrap(): Promise<unknown> {
  // The typings declare DYNAMIC_CURRENT_ENV as a symbol while init() wants a string; the SDK accepts it.
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  const res = (await cloud.callFunction({
    name: 'admin',
    data: { action: 'bootstrap' },
  })) as {
    result: unknown;
  };
  return res.result;
}

/** `data` to the function `name` as the account `openid` (the local cloud's POST /callFunction). */
async function callAs(name: string, data: Record<string, unknown>, openid: string) {
  const url = process.env.LOCALCLOUD_URL;
  if (!url) throw new Error(USAGE);
  const res = await fetch(`${url}/callFunction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, data, openid }),
  });
  return ((await res.json()) as { result?: unknown }).result;
}

/** Bootstrap, then its code entered as `openid`: answers that account's roles (or the refusal). */
async function bootstrapAs(openid: string): Promise<unknown> {
  const boot = (await bootstrap()) as { ok?: boolean; data?: { code?: string } } | undefined;
  if (boot?.ok !== true) return boot;
  return callAs('staff', { action: 'acceptInvitation', code: boot.data?.code }, openid);
}

async function asAccount(action: string, json: string, openid: string): Promise<unknown> {
  return callAs('admin', { action, ...(JSON.parse(json) as Record<string, unknown>) }, openid);
}

export async function run(args: string[]): Promise<unknown> {
  const action = args.at(0);
  const arg = args.at(1);
  if (action === 'bootstrap') return arg === undefined ? bootstrap() : bootstrapAs(arg);
  if (action === undefined || arg === undefined) throw new Error(USAGE);
  const at = args.indexOf('--as');
  const openid = at >= 0 ? args.at(at + 1) : undefined;
  if (openid === undefined) throw new Error(USAGE);
  return asAccount(action, arg, openid);
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      const ok =
        typeof result === 'object' && result !== null && 'ok' in result && result.ok === true;
      process.exitCode = ok ? 0 : 1;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
