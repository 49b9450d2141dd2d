/**
 * Administrators acting at the same instant, through the real `admin` and `staff` functions on the local
 * cloud with its latency jitter on (every database request waits 5–40 ms, reordering the two calls'
 * steps). The platform does not try again a transaction that lost a write conflict: the function does.
 *
 * - Twin actions (two administrators, or a double tap) granting one role, or withdrawing one invitation,
 *   one API key or one role: the loser answers what a second call made after the first answers (already
 *   granted, withdrawn, not held), never `INTERNAL`, and the audit holds exactly one entry.
 * - A double tap on the daily notice's consent: both answered, one audit entry per administrator.
 * - Closures of one service's days at once: every day closed, none lost, each audited once; settings
 *   and the calendar saved at once: every change lands.
 * - The rules about who holds `city_admin` (docs/security.md, "Both rules at the same instant"): the last
 *   two revoking each other at once, one always remains and the other is refused in words; two bootstrap
 *   codes entered at once, one account becomes `city_admin`. Many rounds each: on the code without the
 *   guard, nearly every round broke them.
 */
import { chinaTime, docs, removeAll } from '../../local-cloud/client';
import type { ApiResult } from '../../typings/api';
import { useAdminCloud } from './support/admin-cloud';
import { SERVICE } from './support/booking';
import { admin, adminOk, bootstrapCityAdmin, staff } from './support/hall';

jest.setTimeout(180_000);

const CITY = 'o-race-city';
const CITY_2 = 'o-race-city-2';
const OFFICE = 'siming';
/** Pairs raced at once in each test: one pair meets its conflict now and then, sixteen nearly always. */
const PAIRS = 16;
/** Rounds of the races that need a fresh state each time. */
const ROUNDS = 12;

const { cloud, db } = useAdminCloud({
  now: chinaTime('2026-06-22T10:00:00'),
  city: CITY,
  extraEnv: { LOCALCLOUD_LATENCY_MS: '5-40' },
});

beforeAll(async () => {
  await adminOk(cloud, CITY, 'grantRole', { openid: CITY_2, role: 'city_admin' });
});

const pairs = <T>(make: (i: number) => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: PAIRS }, (_, i) => make(i)));
/** An answer as the test compares it: the code of a refusal, or what `pick` takes of the data. */
const outcome = <T>(res: ApiResult<T>, pick: (data: T) => unknown): unknown =>
  res.ok ? pick(res.data) : res.error.code;
/** How many audit entries of `action` each of `ids` has (by `key` of the entry's target). */
async function auditCounts(action: string, key: string, ids: string[]): Promise<number[]> {
  const entries = await docs<{ target: Record<string, unknown> }>(db, 'audit', { action });
  return ids.map((id) => entries.filter((e) => e.target[key] === id).length);
}

describe('twin administrator actions', () => {
  it('withdraws an invitation once when two administrators withdraw it at the same instant', async () => {
    const made = await pairs(() =>
      adminOk(cloud, CITY, 'createInvitation', { role: 'staff', officeId: OFFICE }),
    );
    const answers = await pairs((i) =>
      Promise.all(
        [CITY, CITY_2].map((by) =>
          admin(cloud, by, 'revokeInvitation', { id: made[i]?.invitation.id ?? '' }),
        ),
      ),
    );
    // Both answer the invitation withdrawn, by the same administrator: the serial second call's answer.
    expect(
      answers.map((two) => {
        const by = new Set(two.map((a) => outcome(a, (d) => d.revokedBy)));
        return [two.map((a) => outcome(a, (d) => d.status)), by.size];
      }),
    ).toEqual(made.map(() => [['revoked', 'revoked'], 1]));
    const prefixes = made.map((m) => m.invitation.id.slice(0, 12));
    expect(await auditCounts('revokeInvitation', 'invitation', prefixes)).toEqual(
      made.map(() => 1),
    );
  });

  it('revokes an API key once when two administrators revoke it at the same instant', async () => {
    const made = await pairs((i) =>
      adminOk(cloud, CITY, 'createApiKey', {
        officeId: OFFICE,
        scopes: ['read'],
        channel: `race-${i}`,
        name: `并发${i}`,
      }),
    );
    const answers = await pairs((i) =>
      Promise.all(
        [CITY, CITY_2].map((by) =>
          admin(cloud, by, 'revokeApiKey', { keyId: made[i]?.keyId ?? '' }),
        ),
      ),
    );
    expect(
      answers.map((two) => two.map((a) => outcome(a, (d) => d.revokedAt !== undefined))),
    ).toEqual(made.map(() => [true, true]));
    expect(
      await auditCounts(
        'revokeApiKey',
        'keyId',
        made.map((m) => m.keyId),
      ),
    ).toEqual(made.map(() => 1));
  });

  it('revokes a role once when two administrators revoke it at the same instant', async () => {
    const holders = Array.from({ length: PAIRS }, (_, i) => `o-race-staff-${i}`);
    await pairs((i) =>
      adminOk(cloud, CITY, 'grantRole', {
        openid: holders[i] ?? '',
        role: 'staff',
        officeId: OFFICE,
      }),
    );
    const answers = await pairs((i) =>
      Promise.all(
        [CITY, CITY_2].map((by) =>
          admin(cloud, by, 'revokeRole', {
            openid: holders[i] ?? '',
            role: 'staff',
            officeId: OFFICE,
          }),
        ),
      ),
    );
    // One revokes it; the other answers as a second call would: not held any more.
    expect(answers.map((two) => two.map((a) => outcome(a, (d) => d.revoked)).sort())).toEqual(
      holders.map(() => [false, true]),
    );
    expect(await auditCounts('revokeRole', 'openid', holders)).toEqual(holders.map(() => 1));
    const left = await docs<{ openid: string }>(db, 'roles', { role: 'staff', officeId: OFFICE });
    expect(left.filter((r) => holders.includes(r.openid))).toEqual([]);
  });
});

describe('twin grants', () => {
  it('grants a role once when two administrators grant it at the same instant', async () => {
    const holders = Array.from({ length: PAIRS }, (_, i) => `o-race-granted-${i}`);
    const answers = await pairs((i) =>
      Promise.all(
        [CITY, CITY_2].map((by) =>
          admin(cloud, by, 'grantRole', {
            openid: holders[i] ?? '',
            role: 'staff',
            officeId: OFFICE,
          }),
        ),
      ),
    );
    expect(answers.map((two) => two.map((a) => outcome(a, (d) => d.openid)))).toEqual(
      holders.map((h) => [h, h]),
    );
    expect(await auditCounts('grantRole', 'openid', holders)).toEqual(holders.map(() => 1));
  });
});

/** The accounts holding city_admin now, sorted. */
async function cityAdmins(): Promise<string[]> {
  const roles = await docs<{ openid: string }>(db, 'roles', { role: 'city_admin' });
  return roles.map((r) => r.openid).sort();
}

/** The console removes every city_admin grant (docs/security.md, "Recovering"): bootstrap opens again. */
async function removeCityAdmins(): Promise<void> {
  await db.run(async (c) => {
    await c.database().collection('roles').where({ role: 'city_admin' }).remove();
  }, null);
}

describe('a double tap on the daily notice', () => {
  it('records the consent once and answers both taps, never INTERNAL', async () => {
    const rounds: unknown[] = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      // The notices sent (as the timer leaves them): both administrators may subscribe again.
      await removeAll(db, ['adminNotices']);
      const before = (await docs(db, 'audit', { action: 'subscribeNotice' })).length;
      const answers = await Promise.all(
        [CITY, CITY, CITY_2, CITY_2].map((by) =>
          admin(cloud, by, 'subscribeNotice', { topic: 'calendar' }),
        ),
      );
      const after = (await docs(db, 'audit', { action: 'subscribeNotice' })).length;
      rounds.push([answers.map((a) => outcome(a, (d) => d.pending)), after - before]);
    }
    expect(rounds).toEqual(rounds.map(() => [[true, true, true, true], 2]));
  });
});

describe('closures at the same instant', () => {
  it('closes every day asked when administrators close days of one service at once, losing none', async () => {
    // Each closure rewrites the service's closedDays and raises configVersion: all race on two documents.
    const dates = [
      '2026-07-01',
      '2026-07-02',
      '2026-07-03',
      '2026-07-06',
      '2026-07-07',
      '2026-07-08',
    ];
    const answers = await Promise.all(
      dates.map((date, i) =>
        admin(cloud, i % 2 === 0 ? CITY : CITY_2, 'closeDay', {
          serviceId: SERVICE,
          date,
          reason: '系统维护',
        }),
      ),
    );
    expect(answers.map((a) => outcome(a, (d) => d.closed))).toEqual(dates.map(() => true));
    const [service] = await docs<{ closedDays?: { date: string }[] }>(db, 'services', {
      _id: SERVICE,
    });
    expect((service?.closedDays ?? []).map((d) => d.date).sort()).toEqual(dates);
    expect(await auditCounts('closeDay', 'date', dates)).toEqual(dates.map(() => 1));
  });
});

describe('configuration changes at the same instant', () => {
  it('lands every change when administrators save settings and the calendar at once', async () => {
    // All three raise configVersion; the two settings saves also rewrite the same document.
    const rounds: unknown[][] = [];
    const MAY = ['2027-05-03', '2027-05-04', '2027-05-05'];
    for (let r = 0; r < 4; r += 1) {
      const holidays = ['2027-01-01', ...MAY.slice(0, r)];
      const answers = await Promise.all([
        admin(cloud, CITY, 'saveSettings', { settings: { notice: `第${r}轮通知` } }),
        admin(cloud, CITY_2, 'saveSettings', { settings: { noShowLimit: 3 + r } }),
        admin(cloud, CITY, 'setCalendarYear', {
          year: 2027,
          holidays: holidays.map((date) => ({ date, name: '假日' })),
          workdays: [],
        }),
      ]);
      const [settings] = await docs<{ notice?: string; noShowLimit?: number }>(db, 'settings', {
        _id: 'global',
      });
      const year = await adminOk(cloud, CITY, 'getCalendarYear', { year: 2027 });
      rounds.push([
        answers.map((a) => (a.ok ? 'ok' : a.error.code)),
        settings?.notice,
        settings?.noShowLimit,
        year.holidays.map((h) => h.date),
      ]);
    }
    expect(rounds).toEqual(
      [0, 1, 2, 3].map((r) => [
        ['ok', 'ok', 'ok'],
        `第${r}轮通知`,
        3 + r,
        ['2027-01-01', ...MAY.slice(0, r)],
      ]),
    );
  });
});

describe('the city administrators at the same instant', () => {
  it('keeps one city_admin when the last two revoke each other at once, the other refused in words', async () => {
    const rounds: { answers: unknown[]; left: string[]; audited: number }[] = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      const pair = [`o-race-a${r}`, `o-race-b${r}`];
      // Whoever holds city_admin now makes the pair the only two (bootstrap again if nobody does).
      let [boss] = await cityAdmins();
      if (boss === undefined) {
        boss = `o-race-boss${r}`;
        await bootstrapCityAdmin(cloud, boss);
      }
      for (const openid of pair)
        await adminOk(cloud, boss, 'grantRole', { openid, role: 'city_admin' });
      for (const openid of (await cityAdmins()).filter((o) => !pair.includes(o)))
        await adminOk(cloud, pair[0] ?? '', 'revokeRole', { openid, role: 'city_admin' });
      const answers = await Promise.all(
        pair.map((by, i) =>
          admin(cloud, by, 'revokeRole', { openid: pair[1 - i] ?? '', role: 'city_admin' }),
        ),
      );
      rounds.push({
        answers: answers
          .map((a) => (a.ok ? a.data.revoked : [a.error.code, a.error.field, a.error.message]))
          .sort(),
        left: (await cityAdmins()).filter((o) => pair.includes(o)),
        audited: (await auditCounts('revokeRole', 'openid', pair)).reduce((a, b) => a + b, 0),
      });
    }
    // Every round: one revoked the other, the other was told it cannot remove the last city_admin.
    expect(rounds.map((r) => r.answers)).toEqual(
      rounds.map(() => [['ADMIN.LAST_CITY_ADMIN', 'openid', '不能撤销最后一名市级管理员'], true]),
    );
    expect(rounds.map((r) => [r.left.length, r.audited])).toEqual(rounds.map(() => [1, 1]));
  });

  it('grants city_admin to one account only when two bootstrap codes are entered at once', async () => {
    const rounds: { answers: unknown[]; admins: string[] }[] = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      await removeCityAdmins();
      const codes = await Promise.all([0, 1].map(() => adminOk(cloud, undefined, 'bootstrap', {})));
      const firsts = [`o-race-first-a${r}`, `o-race-first-b${r}`];
      const answers = await Promise.all(
        firsts.map((openid, i) =>
          staff(cloud, openid, 'acceptInvitation', { code: codes[i]?.code ?? '' }),
        ),
      );
      rounds.push({
        answers: answers.map((a) => (a.ok ? a.data.roles : [a.error.code, a.error.field])).sort(),
        admins: await cityAdmins(),
      });
    }
    expect(rounds.map((r) => r.answers)).toEqual(
      rounds.map(() => [['INVITE.BOOTSTRAP_CLOSED', 'code'], [{ role: 'city_admin' }]]),
    );
    expect(rounds.map((r) => r.admins.length)).toEqual(rounds.map(() => 1));
  });
});
