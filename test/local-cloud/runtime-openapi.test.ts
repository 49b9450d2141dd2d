/**
 * `cloud.openapi.subscribeMessage.send` through the unmodified wx-server-sdk: the outbox, one-time consents
 * used up by each message, WeChat's error codes, and the function's openapi permission.
 */
import {
  callFunction,
  clearOutbox,
  type LocalCloud,
  outbox,
  sdk,
  type SdkRunner,
  startLocalCloud,
  subscribe,
  subscriptions,
} from '../../local-cloud/client';
import { FIXTURE_FUNCTIONS } from './support/fixtures';
import { validValue } from '../../local-cloud/src/openapi/subscribe';

jest.setTimeout(60_000);

const TEMPLATE = 'local-booking-reminder';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ extraEnv: { LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS } });
});

afterAll(async () => {
  await cloud.stop();
});

beforeEach(async () => {
  await clearOutbox(cloud);
});

function reminder(touser: string, overrides: Record<string, { value: string }> = {}) {
  return {
    touser,
    templateId: TEMPLATE,
    page: 'pages/booking-detail/index?id=b1',
    miniprogramState: 'developer',
    data: {
      character_string1: { value: 'A023' },
      time2: { value: '2026年12月2日 09:00~10:00' },
      thing3: { value: '思明交警大队' },
      thing4: { value: '请携带身份证、驾驶证、行驶证' },
      ...overrides,
    },
  };
}

async function send(fn: string, message: unknown): Promise<{ errCode: number; errMsg: string }> {
  const outcome = await callFunction(cloud, fn, { message });
  return (outcome as { result: { errCode: number; errMsg: string } }).result;
}

describe('subscribeMessage.send', () => {
  it('delivers to the outbox with one consent, and the consent is used up', async () => {
    expect(await subscribe(cloud, 'o-carol', TEMPLATE)).toBe(1);
    expect(await send('notify', reminder('o-carol'))).toEqual({
      errCode: 0,
      errMsg: 'openapi.subscribeMessage.send:ok',
    });
    const second = await send('notify', reminder('o-carol'));
    expect(second.errCode).toBe(43101);
    expect(second.errMsg).toContain('user refuse to accept the msg');

    const messages = await outbox(cloud);
    expect(messages).toEqual([
      {
        msgid: expect.any(String) as unknown,
        touser: 'o-carol',
        templateId: TEMPLATE,
        page: 'pages/booking-detail/index?id=b1',
        miniprogramState: 'developer',
        lang: 'zh_CN',
        data: reminder('o-carol').data,
        sentAt: expect.any(Number) as unknown,
        function: 'notify',
      },
    ]);
    expect(await subscriptions(cloud)).not.toContainEqual(
      expect.objectContaining({ openid: 'o-carol' }),
    );
  });

  it('refuses without consent (43101), an unknown template (40037), bad data (47003), no touser (40003)', async () => {
    await subscribe(cloud, 'o-dave', TEMPLATE);
    const tooLong = '这是一段超过二十个字符的温馨提示内容，会被微信拒绝'; // 24 characters
    const results = await Promise.all([
      send('notify', reminder('o-nobody')),
      send('notify', { ...reminder('o-dave'), templateId: 'no-such-template' }),
      send('notify', reminder('o-dave', { thing4: { value: tooLong } })),
      send('notify', reminder('o-dave', { character_string1: { value: '' } })),
      send('notify', reminder('o-dave', { time2: { value: '明天上午' } })),
      send('notify', { ...reminder('o-dave'), touser: '' }),
    ]);
    expect(results.map((r) => r.errCode)).toEqual([43101, 40037, 47003, 47003, 47003, 40003]);
    expect(results[2].errMsg).toContain('data.thing4.value invalid');
    expect(results[3].errMsg).toContain('data.character_string1.value is empty');
    // None of the refused messages used the consent.
    expect(await send('notify', reminder('o-dave'))).toMatchObject({ errCode: 0 });
    expect(await outbox(cloud)).toHaveLength(1);
  });

  it('is refused with -604101 to a function whose config.json does not grant it', async () => {
    await subscribe(cloud, 'o-erin', TEMPLATE);
    const result = await send('noperm', reminder('o-erin'));
    expect(result.errCode).toBe(-604101);
    expect(await outbox(cloud)).toEqual([]);
    expect(await subscriptions(cloud)).toContainEqual({
      openid: 'o-erin',
      templateId: TEMPLATE,
      remaining: 1,
    });
  });

  it('is refused with -604104 outside any cloud function (a plain script)', async () => {
    const runner: SdkRunner = await sdk(cloud);
    try {
      await expect(
        runner.run(
          // wx-server-sdk types `openapi` as any; the shape used here is the documented one.
          (c, message) =>
            (
              c.openapi as { subscribeMessage: { send(m: unknown): Promise<unknown> } }
            ).subscribeMessage.send(message),
          reminder('o-erin'),
        ),
      ).rejects.toMatchObject({ errCode: -604104 });
    } finally {
      await runner.close();
    }
  });
});

describe("WeChat's documented limits per value type", () => {
  it.each([
    ['thing', '12345678901234567890', true],
    ['thing', '123456789012345678901', false],
    ['thing', '思明交警大队交通违法处理窗口业务办理须知二十', false],
    ['character_string', 'A023', true],
    ['character_string', '预约号', false],
    ['time', '15:01', true],
    ['time', '2019年10月1日 15:01', true],
    ['time', '2026-12-02 09:00~10:00', true],
    ['time', '2019年10月1日', false],
    ['date', '2019年10月1日', true],
    ['date', '2026-12-02 09:00', true],
    ['phrase', '已预约', true],
    ['phrase', '预约成功了呀啊', false],
    ['number', '3.14', true],
    ['number', 'three', false],
    ['amount', '¥100.00', true],
    ['amount', '100元', true],
    ['phone_number', '+86-0592-2222222', true],
    ['car_number', '闽D12345', true],
    ['car_number', '闽DD123456', false],
    ['name', '张三', true],
    ['name', '张三李四王五赵六钱七孙八', false],
    ['letter', 'abc', true],
    ['symbol', '%', true],
  ] as const)('%s %p → %p', (type, value, ok) => {
    expect(validValue(type, value)).toBe(ok);
  });
});
