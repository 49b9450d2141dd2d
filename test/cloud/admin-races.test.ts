/**
 * Administrators acting at the same instant, through the real `admin` and `staff` functions on the local
 * cloud with its latency jitter on (every database request waits 5–40 ms, reordering the two calls'
 * steps). The platform does not try again a transaction that lost a write conflict: the function does.
 *
 * - Twin actions (two administrators, or a double tap) withdrawing one invitation, one API key or one
 *   role: the loser answers what a second call made after the first answers (already withdrawn, not
 *   held), never `INTERNAL`, and the audit holds exactly one entry.
 */
import { chinaTime, docs } from '../../local-cloud/client';
import type { ApiResult } from '../../typings/api';
import { useAdminCloud } from './support/admin-cloud';
import { admin, adminOk } from './support/hall';

jest.setTimeout(180_000);

const CITY = 'o-race-city';
const CITY_2 = 'o-race-city-2';
const OFFICE = 'siming';
/** Pairs raced at once in each test: one pair meets its conflict now and then, sixteen nearly always. */
const PAIRS = 16;

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
