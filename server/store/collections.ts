/**
 * Every collection of server/database/schema.json and the type of its documents: the store's accessors
 * (`db.bookings`, `tx.bookings`…) are typed by this map, so a document read or written is the type its
 * collection holds, never the caller's word. test/unit/store-schema.test.ts checks the map against
 * schema.json both ways.
 */
import type { AccountDoc } from './documents/account';
import type { BookingDoc } from './documents/booking';
import type {
  CalendarDoc,
  CategoryDoc,
  OfficeDoc,
  ServiceDoc,
  SettingsDoc,
} from './documents/config';
import type { AdminNoticeDoc } from './documents/admin-notice';
import type { ApiKeyDoc, AuditDoc, NonceDoc, RoleDoc, RoleGuardDoc } from './documents/hall';
import type { InvitationDoc, InviteAttemptDoc } from './documents/invitation';
import type { NotifierDoc } from './documents/notifier';
import type { PersonDoc } from './documents/person';
import type { StatsBackfillDoc, StatsDayDoc, StatsRollupDoc } from './documents/stats';
import type { StatsExportDoc } from './documents/stats-export';
import type { WaitlistDoc } from './documents/waitlist';

export interface Collections {
  settings: SettingsDoc;
  offices: OfficeDoc;
  services: ServiceDoc;
  categories: CategoryDoc;
  calendar: CalendarDoc;
  bookings: BookingDoc;
  persons: PersonDoc;
  accounts: AccountDoc;
  waitlist: WaitlistDoc;
  notifier: NotifierDoc;
  roles: RoleDoc;
  audit: AuditDoc;
  apiKeys: ApiKeyDoc;
  nonces: NonceDoc;
  adminNotices: AdminNoticeDoc;
  statsDays: StatsDayDoc;
  statsRollups: StatsRollupDoc;
  statsExports: StatsExportDoc;
  statsBackfill: StatsBackfillDoc;
  invitations: InvitationDoc;
  inviteAttempts: InviteAttemptDoc;
  roleGuards: RoleGuardDoc;
}

export type CollectionName = keyof Collections;

/** The collection names, at run time; a missing or extra one does not compile. */
export const COLLECTION_NAMES: { readonly [C in CollectionName]: C } = {
  settings: 'settings',
  offices: 'offices',
  services: 'services',
  categories: 'categories',
  calendar: 'calendar',
  bookings: 'bookings',
  persons: 'persons',
  accounts: 'accounts',
  waitlist: 'waitlist',
  notifier: 'notifier',
  roles: 'roles',
  audit: 'audit',
  apiKeys: 'apiKeys',
  nonces: 'nonces',
  adminNotices: 'adminNotices',
  statsDays: 'statsDays',
  statsRollups: 'statsRollups',
  statsExports: 'statsExports',
  statsBackfill: 'statsBackfill',
  invitations: 'invitations',
  inviteAttempts: 'inviteAttempts',
  roleGuards: 'roleGuards',
};
