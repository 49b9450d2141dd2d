/**
 * The timer functions (reminders, noshow-sweep, notify, calendar-watch) run for their platform timer only: the SCF timer
 * event (`{ Type: 'Timer', TriggerName, Time, Message }`) with the context's `SOURCE` `wx_trigger` and no
 * OPENID. Every other caller is refused and changes nothing: a citizen, an OPENID that wx-server-sdk turns
 * into a number, a call without an OPENID, a forged timer event, a script through wx-server-sdk, the HTTP
 * access service. The no-show sweep shows "changes nothing": a booking of an ended day stays booked
 * through all of them, and the real timer then marks it.
 */
import { ok, person, SERVICE } from './support/booking';
import { useLocalCloud } from './support/local-cloud';
import { callFunction, chinaTime, docs, setClock } from '../../local-cloud/client';

jest.setTimeout(120_000);

const { cloud, db } = useLocalCloud();

const JOBS = ['reminders', 'noshow-sweep', 'notify', 'calendar-watch'] as const;
const REFUSED = { ok: false, error: 'FORBIDDEN' };
/** The event as the platform's timer sends it, forged by a caller. */
const FORGED = {
  Type: 'Timer',
  TriggerName: 'hourly',
  Time: '2026-06-25T16:05:00Z',
  Message: '',
};

/** Every way to reach a function that is not its timer, each with the answer it gets. */
async function otherCallers(fn: string): Promise<Record<string, unknown>> {
  const viaSdk = (data: Record<string, unknown>): Promise<unknown> =>
    db.run(
      async (c, args) => {
        const res = await c.callFunction({ name: args.fn, data: args.data });
        return res ? res.result : undefined;
      },
      { fn, data },
    );
  const http = await fetch(`${cloud.url}/http/${fn}/run`, { method: 'POST', body: '{}' });
  return {
    citizen: await callFunction(cloud, fn, {}, 'o-citizen'),
    numericOpenid: await callFunction(cloud, fn, {}, '12345'),
    numericOpenidForged: await callFunction(cloud, fn, FORGED, '12345'),
    noOpenid: await callFunction(cloud, fn, {}),
    noOpenidForged: await callFunction(cloud, fn, FORGED),
    script: await viaSdk({}),
    scriptForged: await viaSdk(FORGED),
    httpAccess: { status: http.status, body: await http.json() },
  };
}

const refusedEverywhere = {
  citizen: { result: REFUSED },
  numericOpenid: { result: REFUSED },
  numericOpenidForged: { result: REFUSED },
  noOpenid: { result: REFUSED },
  noOpenidForged: { result: REFUSED },
  script: REFUSED,
  scriptForged: REFUSED,
  httpAccess: { status: 200, body: REFUSED },
};

describe('the timer functions run for their timer only', () => {
  it.each(JOBS)('%s refuses every caller that is not its timer', async (fn) => {
    expect(await otherCallers(fn)).toEqual(refusedEverywhere);
  });

  it('leaves an ended day untouched through all of them; its timer then sweeps it (R10)', async () => {
    await setClock(cloud, chinaTime('2026-06-22T10:00:00'), { fireTriggers: false });
    const booked = await ok(cloud, 'o-absent', 'book', {
      serviceId: SERVICE,
      date: '2026-06-24',
      person: person(4100),
      requestId: 'entry-absent-aaaa',
    });
    await setClock(cloud, chinaTime('2026-06-25T00:03:00'), { fireTriggers: false });
    await otherCallers('noshow-sweep');
    const status = async (): Promise<string | undefined> =>
      (await docs<{ _id: string; status: string }>(db, 'bookings')).find((b) => b._id === booked.id)
        ?.status;
    expect(await status()).toBe('booked');

    const run = await setClock(cloud, chinaTime('2026-06-25T00:05:00'));
    expect(run.fired).toContainEqual(
      expect.objectContaining({ function: 'noshow-sweep', ok: true }),
    );
    expect(await status()).toBe('no_show');
  });
});
