/**
 * The names of the indexes of server/database/schema.json, for the code that tells them apart: a
 * duplicate-key failure names the unique index that refused the write, and which one it was decides the
 * answer (another number, or "already booked"). test/unit/store-schema.test.ts checks every name here
 * against schema.json both ways, with the keys and uniqueness each unique one must have: a renamed index
 * fails that test.
 */
export const INDEX = {
  bookings: {
    /** Unique `slotKey`: one holder per number of the day (R4). */
    slot: 'slot_unique',
    /** Unique `activeKey`: one active booking per person, service and day (R5). */
    personDay: 'person_day_unique',
    /** Unique `passToken`: the QR pass. */
    pass: 'pass_unique',
    /** Unique `accountKey`: one of the account's N booking slots per active booking (R5's limit). */
    accountSlot: 'account_slot_unique',
    serviceDay: 'service_day',
    accountStatus: 'account_status',
    personStatus: 'person_status',
    statusDate: 'status_date',
    reminderDue: 'reminder_due',
  },
  persons: { suspendedUntil: 'suspended_until', updated: 'person_updated' },
  accounts: { suspendedUntil: 'account_suspended_until', updated: 'account_updated' },
  waitlist: { queue: 'waitlist_queue' },
  roles: { account: 'role_account', office: 'role_office' },
  audit: { at: 'audit_at' },
  apiKeys: { office: 'key_office' },
  nonces: { keyAt: 'nonce_key_at', expiry: 'nonce_expiry' },
  adminNotices: { due: 'notice_due' },
  statsDays: { serviceDate: 'stats_service_date' },
  statsRollups: { scopeDate: 'stats_scope_date' },
  statsExports: { expiry: 'export_expiry' },
  invitations: { office: 'invite_office' },
} as const;

/** Every unique index of the schema (the test checks the list is complete). */
export const UNIQUE_INDEXES = [
  INDEX.bookings.slot,
  INDEX.bookings.personDay,
  INDEX.bookings.pass,
  INDEX.bookings.accountSlot,
] as const;

/** What a duplicate-key failure can name: the primary key or one of the unique indexes. */
export type UniqueIndex = '_id' | (typeof UNIQUE_INDEXES)[number];
