/**
 * My bookings (R8, R10): every status with its tag, newest first, the standing with a suspension's end,
 * pull-to-refresh, the empty state, and the 取消预约 entry showing only what can still be cancelled.
 */
import type { Booking } from '../../typings/api';
import {
  callBooking,
  chinaTime,
  failNext,
  inCloud,
  setClock,
  useLocalCloud,
} from './support/cloud';
import { asInput, newPerson, type TestPerson } from './support/people';
import {
  find,
  findAll,
  lastUrl,
  loaded,
  nth,
  open,
  newUser,
  tap,
  textOf,
  waitFor,
} from './support/user';

// Tuesday 15 December 2026, 10:00 China time.
useLocalCloud('2026-12-15T10:00');

let openid = '';

beforeEach(() => {
  openid = newUser('mine-user');
});

async function book(date: string, person: TestPerson = newPerson()): Promise<Booking> {
  const answer = await callBooking<{ ok: boolean; data: Booking; error?: unknown }>(openid, {
    action: 'book',
    serviceId: 'siming-violation',
    date,
    person: asInput(person),
    requestId: `mine-${openid}-${date}-${person.idNumber}`,
  });
  if (!answer.ok) throw new Error(`arranging failed: ${JSON.stringify(answer.error)}`);
  return answer.data;
}

/** What the window (checked in, served, missed) or the no-show sweep would have written. */
async function setStatus(id: string, status: string): Promise<void> {
  await inCloud(
    async (cloud, args) => {
      await cloud
        .database()
        .collection('bookings')
        .doc(args.id)
        .update({ data: { status: args.status, activeKey: `test:${args.id}` } });
    },
    { id, status },
  );
}

it('shows the empty state and leads to booking', async () => {
  const page = open('/pages/mine/index');
  await loaded(page);
  expect(textOf(page.comp)).toBe(
    '本月未到场 0 次（满 3 次将暂停预约一个月） 有效预约 0 个，最多 3 个 还没有预约 去预约 工作人员：凭邀请码开通',
  );
  await tap(find(page.comp, '.book'));
  expect(lastUrl('navigateTo')).toBe('/pages/service/index');
});

it('tags every status, newest first, and opens a booking when tapped', async () => {
  const served = await book('2026-12-16');
  await setStatus(served.id, 'served');
  const missed = await book('2026-12-17');
  await setStatus(missed.id, 'missed');
  const checkedIn = await book('2026-12-18');
  await setStatus(checkedIn.id, 'checked_in');
  const noShow = await book('2026-12-21');
  await setStatus(noShow.id, 'no_show');
  const cancelled = await book('2026-12-22');
  await callBooking(openid, { action: 'cancel', bookingId: cancelled.id });
  // The cancelled number is free again (R4), but not for the account that just released it (R17's
  // release hold): its next booking of that day takes the next number.
  const active = await book('2026-12-22');

  const page = open('/pages/mine/index');
  await loaded(page);
  expect(findAll(page.comp, '.booking-item').map(textOf)).toEqual([
    'A002 已预约 12月22日 周二 09:00-10:00 思明交警大队 · 交通违法处理',
    'A001 已取消 12月22日 周二 09:00-10:00 思明交警大队 · 交通违法处理',
    'A001 未到场 12月21日 周一 09:00-10:00 思明交警大队 · 交通违法处理',
    'A001 已签到 12月18日 周五 09:00-10:00 思明交警大队 · 交通违法处理',
    'A001 已过号 12月17日 周四 09:00-10:00 思明交警大队 · 交通违法处理',
    'A001 已办结 12月16日 周三 09:00-10:00 思明交警大队 · 交通违法处理',
  ]);
  expect(textOf(find(page.comp, '.standing'))).toContain('有效预约 2 个，最多 3 个');
  await tap(nth(findAll(page.comp, '.booking-item'), 0));
  expect(lastUrl('navigateTo')).toBe(`/pages/booking-detail/index?id=${active.id}`);

  // 取消预约: only what can still be cancelled.
  const cancellable = open('/pages/mine/index?filter=cancellable');
  await loaded(cancellable);
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '取消预约' });
  expect(findAll(cancellable.comp, '.booking-item').map(textOf)).toEqual([
    'A002 已预约 12月22日 周二 09:00-10:00 思明交警大队 · 交通违法处理',
  ]);
  expect(textOf(cancellable.comp)).toContain('点一个预约，进入后可以取消');
});

it('shows the no-shows of the month and until when booking is suspended (R10)', async () => {
  const person = newPerson();
  const booking = await book('2026-12-16', person);
  await inCloud(
    async (cloud, args) => {
      const db = cloud.database();
      const got = (await db.collection('bookings').doc(args.id).get()) as unknown as {
        data: { personKey: string };
      };
      const doc = got.data;
      await db
        .collection('persons')
        .doc(doc.personKey)
        .set({ data: { noShows: args.noShows, suspendedUntil: args.until } });
    },
    {
      id: booking.id,
      noShows: [chinaTime('2026-12-03T23:59'), chinaTime('2026-12-09T23:59')],
      until: chinaTime('2027-01-10T23:59'),
    },
  );
  const page = open('/pages/mine/index');
  await loaded(page);
  expect(findAll(page.comp, '.standing-line').map(textOf)).toEqual([
    '因多次预约未到场，1月10日 23:59 前不能预约',
    '本月未到场 2 次（满 3 次将暂停预约一个月）',
    '有效预约 1 个，最多 3 个',
  ]);
});

it('refreshes on pull-down', async () => {
  await book('2026-12-16');
  const page = open('/pages/mine/index');
  await loaded(page);
  expect(findAll(page.comp, '.booking-item')).toHaveLength(1);
  await book('2026-12-17');
  (page.page.onPullDownRefresh as () => void).call(page.page);
  await waitFor(() => expect(findAll(page.comp, '.booking-item')).toHaveLength(2));
  await waitFor(() => expect(wx.stopPullDownRefresh).toHaveBeenCalledTimes(1));
});

it('offers a retry when the list cannot load', async () => {
  failNext('offline');
  const page = open('/pages/mine/index');
  await loaded(page);
  expect(textOf(page.comp)).toBe('网络不给力，请检查网络后重试 重试');
  await tap(find(page.comp, '.page-state', '.state-retry'));
  await loaded(page);
  expect(textOf(page.comp)).toContain('还没有预约');
});

// Last: it moves the clock on.
it('取消预约 explains an active booking past its cutoff instead of "nothing to cancel" (R8, finding 8)', async () => {
  const soon = await book('2026-12-16');
  const later = await book('2026-12-17');
  // 08:30 on the 16th: the 09:00 booking's cutoff (08:00) has passed, the next day's has not.
  await setClock('2026-12-16T08:30');
  const page = open('/pages/mine/index?filter=cancellable');
  await loaded(page);
  expect(findAll(page.comp, '.booking-item').map(textOf)).toEqual([
    `${later.number} 已预约 12月17日 周四 09:00-10:00 思明交警大队 · 交通违法处理`,
    `${soon.number} 已预约 12月16日 周三 09:00-10:00 12月16日 08:00 起不能再取消，请按时到场`,
  ]);
  expect(textOf(find(page.comp, '.past-cutoff-title'))).toBe('这些预约已过取消时间，不能再取消');
  expect(textOf(page.comp)).not.toContain('没有可以取消的预约');
});

it('lists an active booking under hundreds of newer ones, counts it, and pages the history (issue 15 finding 6)', async () => {
  await setClock('2026-12-15T10:00');
  const active = await book('2026-12-16');
  // 205 newer past bookings of the same account, as months of cancelling would leave them.
  await inCloud(
    async (cloud, args) => {
      const db = cloud.database();
      const got = (await db.collection('bookings').doc(args.id).get()) as { data: unknown };
      const { _id: _, ...booked } = got.data as Record<string, unknown> & { createdAt: number };
      for (let i = 1; i <= args.count; i += 1) {
        const id = `${args.id}-old-${i}`;
        await db.collection('bookings').add({
          data: {
            ...booked,
            _id: id,
            label: `H${String(i).padStart(3, '0')}`,
            status: 'cancelled',
            slotKey: `released:${id}`,
            activeKey: `released:${id}`,
            accountKey: `released:${id}`,
            passToken: `pass-${id}`,
            createdAt: booked.createdAt + i * 1000,
          },
        });
      }
    },
    { id: active.id, count: 205 },
  );
  const mine = open('/pages/mine/index');
  await loaded(mine);
  const comp = mine.comp;
  const numbers = (): string[] => findAll(comp, '.item-number').map(textOf);
  // Every active booking on the first page, however old; then the 20 newest of the history.
  expect(numbers()).toHaveLength(21);
  expect(numbers()).toContain(active.number);
  expect(numbers().slice(0, 2)).toEqual(['H205', 'H204']);
  expect(textOf(find(comp, '.standing'))).toContain('有效预约 1 个');

  await tap(find(comp, '.more'));
  await waitFor(() => expect(numbers()).toHaveLength(41));
  expect(numbers().slice(-2)).toEqual(['H167', 'H166']);
  expect(new Set(numbers()).size).toBe(41);
});
