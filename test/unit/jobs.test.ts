/**
 * The pure parts of the timer jobs (R10, R11, R13): the reminder's due day, template values cut to
 * WeChat's limits, what each subscribeMessage.send error means, the delivery's recorded outcome, the
 * backoff. Fixed instants, TZ=UTC.
 */
import { chinaInstant } from '../../server/domain/china-time';
import { DEFAULT_RULES } from '../../server/domain/config';
import {
  backoffMs,
  LEASE_MS,
  MAX_ATTEMPTS,
  outcomePatch,
  type SendResult,
} from '../../server/jobs/delivery';
import { isTimerEvent } from '../../server/jobs/entry';
import { lastDueDate } from '../../server/jobs/reminders';
import { classifySendError } from '../../server/jobs/send-errors';
import { chineseDate, fitValue, materialsHint, templateData } from '../../server/jobs/templates';
import { validValue } from '../../local-cloud/src/openapi/subscribe';

const cst = (date: string, clock = '00:00') => chinaInstant(date, clock);

describe('R13 the reminder is due from 18:00 China time the day before', () => {
  it.each([
    ['2026-12-01', '17:59', '2026-12-01'],
    ['2026-12-01', '18:00', '2026-12-02'],
    ['2026-12-01', '23:59', '2026-12-02'],
    // 02:00 China time is 18:00 UTC the day before: the machine's zone must not matter.
    ['2026-12-02', '02:00', '2026-12-02'],
    ['2026-12-31', '18:00', '2027-01-01'],
  ])('at %s %s the last due appointment day is %s', (date, clock, due) => {
    expect(lastDueDate(cst(date, clock), DEFAULT_RULES.reminder)).toBe(due);
  });

  it('follows a configured lead: 2 days before at 09:30', () => {
    const lead = { daysBefore: 2, at: '09:30' };
    expect([
      lastDueDate(cst('2026-12-01', '09:29'), lead),
      lastDueDate(cst('2026-12-01', '09:30'), lead),
    ]).toEqual(['2026-12-02', '2026-12-03']);
  });
});

describe('template values are cut to WeChat’s limits before sending', () => {
  it('cuts a long thing to 20 characters with an ellipsis, and WeChat accepts it', () => {
    const long = '厦门市公安局交通警察支队思明大队车管业务窗口办理大厅';
    const fitted = fitValue('thing3', long);
    expect(Array.from(fitted)).toHaveLength(20);
    expect(fitted.endsWith('…')).toBe(true);
    expect(validValue('thing', fitted)).toBe(true);
    expect(validValue('thing', long)).toBe(false);
  });

  it('keeps printable ASCII of a character_string, at most 32', () => {
    expect(fitValue('character_string1', ' A023 号 ')).toBe('A023');
    expect(fitValue('character_string1', 'x'.repeat(40))).toBe('x'.repeat(32));
  });

  it('cuts phrase, name and car_number; leaves format-only types alone', () => {
    expect(fitValue('phrase5', '预约成功了呀')).toBe('预约成功了');
    expect(fitValue('name2', '欧阳司马诸葛上官东方')).toBe('欧阳司马诸葛上官东方');
    expect(fitValue('name2', '欧阳司马诸葛上官东方西门')).toBe('欧阳司马诸葛上官东方');
    expect(fitValue('car_number1', '闽D123456X')).toBe('闽D123456');
    expect(fitValue('time2', '2026年12月2日 09:00~10:00')).toBe('2026年12月2日 09:00~10:00');
  });

  it('maps our fields to the template keys of the configuration, leaving unmapped ones out', () => {
    expect(
      templateData(
        { number: 'character_string1', place: 'thing3' },
        { number: 'A023', place: '思明交警大队', hint: 'unused' },
      ),
    ).toEqual({ character_string1: { value: 'A023' }, thing3: { value: '思明交警大队' } });
  });

  it('writes dates as WeChat documents them', () => {
    expect(chineseDate('2026-12-02')).toBe('2026年12月2日');
  });

  it('hints the R7 materials in full when they fit, else the first ones and the count', () => {
    expect(materialsHint(['身份证', '驾驶证', '行驶证'])).toBe('请携带身份证、驾驶证、行驶证');
    const commercial = ['身份证', '驾驶证', '行驶证', '上岗证', '从业资格证', '单位证明'];
    expect(materialsHint(commercial)).toBe('请携带身份证、驾驶证、行驶证等6项材料');
    expect(materialsHint(commercial, 12)).toBe('请携带身份证等6项材料');
    for (const hint of [materialsHint(commercial), materialsHint([])]) {
      expect(validValue('thing', hint)).toBe(true);
    }
  });
});

describe('what each subscribeMessage.send error means', () => {
  const sdkError = (errCode: number, text = 'x') => ({
    errCode,
    errMsg: `openapi.subscribeMessage.send:fail ${errCode} ${text}`,
  });

  it.each([
    [43101, { kind: 'no_consent', code: '43101' }],
    [40003, { kind: 'rejected', code: '40003' }],
    [40037, { kind: 'rejected', code: '40037' }],
    [41030, { kind: 'rejected', code: '41030' }],
    [47001, { kind: 'rejected', code: '47001' }],
    [47003, { kind: 'rejected', code: '47003' }],
    [45009, { kind: 'transient', code: '45009', maybeDelivered: false }],
    [40001, { kind: 'transient', code: '40001', maybeDelivered: false }],
    [-604101, { kind: 'transient', code: '-604101', maybeDelivered: false }],
    [-604100, { kind: 'transient', code: '-604100', maybeDelivered: false }],
    [-501004, { kind: 'transient', code: '-501004', maybeDelivered: false }],
    [-604102, { kind: 'transient', code: '-604102', maybeDelivered: true }],
    [-604103, { kind: 'transient', code: '-604103', maybeDelivered: true }],
    [-501002, { kind: 'transient', code: '-501002', maybeDelivered: true }],
    [-1, { kind: 'transient', code: '-1', maybeDelivered: true }],
    [48001, { kind: 'transient', code: '48001', maybeDelivered: true }],
  ])('%i → %p', (code, meaning) => {
    expect(classifySendError(sdkError(code))).toEqual(meaning);
  });

  it('reads the code from errMsg when errCode is missing, and treats no answer as maybe delivered', () => {
    expect(
      classifySendError({ errMsg: 'openapi.subscribeMessage.send:fail 43101 user refuse' }),
    ).toEqual({ kind: 'no_consent', code: '43101' });
    expect(classifySendError(new Error('socket hang up'))).toEqual({
      kind: 'transient',
      code: 'NO_ANSWER',
      maybeDelivered: true,
    });
  });
});

describe('the delivery outcome recorded after a try', () => {
  const NOW = cst('2026-12-01', '18:00');
  const fresh = { state: 'pending', attempts: 0 } as const;
  const after = (prior: object, result: SendResult) =>
    outcomePatch('reminder', { state: 'pending', ...prior }, result, NOW);
  const fail = (code: number) => ({
    ok: false as const,
    failure: classifySendError({ errCode: code }),
  });

  it('sent: state, time and msgid, no longer in flight', () => {
    expect(after(fresh, { ok: true, msgid: '42' })).toEqual({
      outcome: 'sent',
      patch: {
        'reminder.inFlight': false,
        'reminder.state': 'sent',
        'reminder.sentAt': NOW,
        'reminder.msgid': '42',
      },
    });
  });

  it('43101 on a first, certain try: not subscribed, never retried', () => {
    expect(after(fresh, fail(43101))).toEqual({
      outcome: 'not_subscribed',
      patch: {
        'reminder.inFlight': false,
        'reminder.state': 'not_subscribed',
        'reminder.error': { code: '43101', at: NOW },
      },
    });
  });

  it.each([
    ['a try whose answer was lost', { attempts: 1, uncertain: true }],
    ['a claim whose run died (still in flight)', { attempts: 1, inFlight: true }],
  ])('43101 after %s (recorded before the at-most-once rule): presumed sent', (_label, prior) => {
    expect(after(prior, fail(43101))).toMatchObject({
      outcome: 'presumed',
      patch: { 'reminder.state': 'sent', 'reminder.presumed': true, 'reminder.sentAt': NOW },
    });
  });

  it.each([40003, 40037, 47003, 41030])('%i: failed at once, never retried', (code) => {
    expect(after(fresh, fail(code))).toEqual({
      outcome: 'failed',
      patch: {
        'reminder.inFlight': false,
        'reminder.state': 'failed',
        'reminder.error': { code: String(code), at: NOW },
      },
    });
  });

  it('a transient error that says nothing went out is retried after a growing backoff', () => {
    expect(after({ attempts: 0 }, fail(45009))).toEqual({
      outcome: 'retry',
      patch: {
        'reminder.inFlight': false,
        'reminder.error': { code: '45009', at: NOW },
        'reminder.retryAt': NOW + 60_000,
        'reminder.uncertain': false,
      },
    });
    expect(after({ attempts: 2 }, fail(-501003)).patch).toMatchObject({
      'reminder.retryAt': NOW + 4 * 60_000,
      'reminder.uncertain': false,
    });
    // A document recorded uncertain before the at-most-once rule keeps saying so.
    expect(after({ attempts: 2, uncertain: true }, fail(45009)).patch).toMatchObject({
      'reminder.uncertain': true,
    });
  });

  it.each([-604102, -1, 48001])(
    'R13 at most once: %i may hide a delivery, so it is final (failed, uncertain), never retried',
    (code) => {
      expect(after({ attempts: 0 }, fail(code))).toEqual({
        outcome: 'failed',
        patch: {
          'reminder.inFlight': false,
          'reminder.error': { code: String(code), at: NOW },
          'reminder.state': 'failed',
          'reminder.uncertain': true,
        },
      });
    },
  );

  it(`gives up after ${MAX_ATTEMPTS} tries`, () => {
    expect(after({ attempts: MAX_ATTEMPTS - 2 }, fail(45009)).outcome).toBe('retry');
    expect(after({ attempts: MAX_ATTEMPTS - 1 }, fail(45009))).toMatchObject({
      outcome: 'failed',
      patch: { 'reminder.state': 'failed', 'reminder.error': { code: '45009' } },
    });
  });

  it('backs off 1, 2, 4… minutes up to 30, and a lease outlives the longest run (60 s)', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffMs)).toEqual(
      [1, 2, 4, 8, 16, 30, 30].map((m) => m * 60_000),
    );
    expect(LEASE_MS).toBeGreaterThan(60_000);
  });
});

describe('the timer event a job runs for (SCF "Timer 触发器的事件消息结构")', () => {
  const timer = { Type: 'Timer', TriggerName: 'hourly', Time: '2026-06-24T16:05:00Z', Message: '' };

  it('accepts the platform event, with or without its message', () => {
    const { Message: _message, ...noMessage } = timer;
    expect([timer, noMessage, { ...timer, Message: null }].map(isTimerEvent)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it.each([
    ['a mini program call (userInfo added)', { ...timer, userInfo: { appId: 'wx0' } }],
    ['another type', { ...timer, Type: 'timer ' }],
    ['no trigger name', { ...timer, TriggerName: '' }],
    ['a local time', { ...timer, Time: '2026-06-25 00:05:00' }],
    ['a numeric time', { ...timer, Time: 1782403500000 }],
    ['an object message', { ...timer, Message: { $gt: '' } }],
    ['an empty event', {}],
    ['an array', [timer]],
    ['nothing', undefined],
  ])('refuses %s', (_label, event) => {
    expect(isTimerEvent(event)).toBe(false);
  });
});
