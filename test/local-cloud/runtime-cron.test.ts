/**
 * The 7-field cron of timer triggers (second minute hour day month weekday year) in China time, as the
 * WeChat cloud development documentation of timer triggers describes it, and the scheduler's watch over a
 * function folder. Pure: no local cloud needed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Clock } from '../../local-cloud/src/clock';
import {
  CronError,
  parseCron,
  timerEvent,
  TriggerScheduler,
} from '../../local-cloud/src/runtime/triggers';

const china = (isoLocal: string): number => Date.parse(`${isoLocal}+08:00`);

describe('timer cron', () => {
  it('reads the hour in China time: 18:00 there is 10:00 UTC', () => {
    const cron = parseCron('0 0 18 * * * *');
    expect(cron.next(china('2026-12-01T12:00:00'))).toBe(Date.UTC(2026, 11, 1, 10, 0, 0));
    expect(cron.latest(china('2026-12-01T18:00:00'), 0)).toBe(china('2026-12-01T18:00:00'));
    expect(cron.latest(china('2026-12-01T17:59:59.999'), 0)).toBe(china('2026-11-30T18:00:00'));
  });

  it('finds nothing due when the latest occurrence is before the window', () => {
    const cron = parseCron('0 0 18 * * * *');
    const at = china('2026-12-01T19:00:00');
    expect(cron.latest(at, china('2026-12-01T18:00:00.001'))).toBeUndefined();
  });

  it('counts weekdays from 0 = Sunday and accepts names', () => {
    // 2026-12-06 is a Sunday.
    expect(parseCron('0 0 9 * * 0 *').next(china('2026-12-02T00:00:00'))).toBe(
      china('2026-12-06T09:00:00'),
    );
    expect(parseCron('0 15 10 * * MON-FRI *').next(china('2026-12-05T00:00:00'))).toBe(
      china('2026-12-07T10:15:00'),
    );
  });

  it('ORs day of month and weekday when both are given', () => {
    // The 10th, or any Sunday: after Wed 2026-12-02 the Sunday 12-06 comes first.
    expect(parseCron('0 0 8 10 * 0 *').next(china('2026-12-02T00:00:00'))).toBe(
      china('2026-12-06T08:00:00'),
    );
  });

  it('honours the year field, in China years', () => {
    const cron = parseCron('0 0 0 1 1 * 2028');
    expect(cron.next(china('2026-06-01T00:00:00'))).toBe(china('2028-01-01T00:00:00'));
    expect(cron.latest(china('2027-06-01T00:00:00'), 0)).toBeUndefined();
    expect(parseCron('*/5 * * * * * 2026-2027').next(china('2026-12-01T00:00:01'))).toBe(
      china('2026-12-01T00:00:05'),
    );
  });

  it('refuses expressions without 7 fields or with bad values', () => {
    expect(() => parseCron('0 0 18 * * *')).toThrow(CronError);
    expect(() => parseCron('0 0 25 * * * *')).toThrow(CronError);
    expect(() => parseCron('0 0 18 * * * next')).toThrow(CronError);
  });

  it('hands the function the SCF timer event', () => {
    expect(timerEvent('evening', china('2026-12-01T18:00:00'))).toEqual({
      Type: 'Timer',
      TriggerName: 'evening',
      Time: '2026-12-01T10:00:00Z',
      Message: '',
    });
  });
});

describe('the trigger watch', () => {
  let root: string;
  const config = (body: string): void =>
    fs.writeFileSync(path.join(root, 'ticker', 'config.json'), body);
  const EVENING = JSON.stringify({
    triggers: [{ name: 'evening', type: 'timer', config: '0 0 18 * * * *' }],
  });

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'trigger-watch-'));
    fs.mkdirSync(path.join(root, 'ticker'));
    fs.writeFileSync(path.join(root, 'ticker', 'index.js'), 'exports.main = async () => 1;\n');
    config(EVENING);
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function scheduler(): { s: TriggerScheduler; fired: string[] } {
    const fired: string[] = [];
    const s = new TriggerScheduler(
      root,
      new Clock(),
      (fn, trigger, at) => {
        fired.push(`${fn}/${trigger.name}@${new Date(at).toISOString()}`);
        return Promise.resolve({ function: fn, trigger: trigger.name, scheduledAt: at, ok: true });
      },
      () => undefined,
    );
    return { s, fired };
  }

  it('fires a jump over 18:00 once', async () => {
    const { s, fired } = scheduler();
    await s.jump(china('2026-12-01T10:00:00'), false);
    await s.jump(china('2026-12-01T18:00:00'));
    expect(fired).toEqual(['ticker/evening@2026-12-01T10:00:00.000Z']);
  });

  it('keeps watching through a config.json caught half-written, as the platform keeps triggers through a failed deployment', async () => {
    const { s, fired } = scheduler();
    await s.jump(china('2026-12-01T10:00:00'), false);
    config('{"triggers": [{"name": "even'); // a check lands while the file is being rewritten
    await s.check();
    config(EVENING);
    await s.jump(china('2026-12-01T18:00:00'));
    expect(fired).toEqual(['ticker/evening@2026-12-01T10:00:00.000Z']);
  });

  it('starts a newly deployed trigger from now: what fell due before it existed is not fired', async () => {
    const { s, fired } = scheduler();
    config('{}');
    await s.jump(china('2026-12-01T10:00:00'), false);
    config(EVENING);
    await s.jump(china('2026-12-01T18:00:00'));
    await s.jump(china('2026-12-02T18:00:00'));
    expect(fired).toEqual(['ticker/evening@2026-12-02T10:00:00.000Z']);
  });
});
