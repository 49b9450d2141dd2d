/**
 * R2: the holiday calendar without a deploy (issue 14). `getCalendarYear` and `calendarStatus` for any
 * administrator; `setCalendarYear` for a `city_admin` (the arrangement is the whole city's): one write of
 * the year's document, `configVersion` raised and the audit entry (the year before and after), in one
 * transaction. `subscribeNotice` records that the caller granted the daily notice's template.
 * `calendarStatus` also brings a city administrator today's invitation-guessing alarm (the home's notice).
 */
import type { AdminApi, AdminRequest, CalendarYear } from '../../typings/admin';
import { checkCalendarYear, normalised } from '../domain/calendar-year';
import { AppError } from '../shared/errors';
import { calendarStatusAt, effectiveYear } from '../store/calendar';
import { getCatalogue, invalidateCatalogue } from '../store/catalogue';
import { duplicateKeyIndex, ReadAgain, retryConflicts } from '../store/db';
import { adminNoticeId, type AdminNoticeDoc } from '../store/documents/admin-notice';
import { calendarId, type CalendarDoc } from '../store/documents/config';
import { isCityAdmin, unknownAction } from '../staff/access';
import { auditDoc, type AdminContext } from './audit';
import { SAVE_TRIES } from './config';
import { inviteGuessingToday } from './invitations';

export async function getCalendarYear(
  ctx: AdminContext,
  req: AdminRequest<'getCalendarYear'>,
): Promise<AdminApi['getCalendarYear']['res']> {
  return effectiveYear(req.year, await ctx.db.calendar.get(calendarId(req.year)));
}

/** What the audit keeps of a year: its source and days (no timestamps: those are the entry's own). */
function summary(y: CalendarYear): Pick<CalendarYear, 'source' | 'holidays' | 'workdays'> {
  return { source: y.source, holidays: y.holidays, workdays: y.workdays };
}

export async function setCalendarYear(
  ctx: AdminContext,
  req: AdminRequest<'setCalendarYear'>,
): Promise<AdminApi['setCalendarYear']['res']> {
  if (!isCityAdmin(ctx.access)) throw unknownAction();
  const [issue] = checkCalendarYear(req.year, req.holidays, req.workdays);
  if (issue) throw new AppError(issue.code, issue.field);
  const id = calendarId(req.year);
  const holidays = normalised(req.holidays);
  const workdays = normalised(req.workdays);
  const _ = ctx.db.command;
  // Another change of the configuration at the same instant (configVersion), or of this year, conflicts;
  // a twin request creating the year between our read and our insert makes ours a duplicate: either way
  // tried again from the read, which then finds the year to update.
  return retryConflicts(async () => {
    const before = await ctx.db.calendar.get(id);
    const doc: CalendarDoc = {
      _id: id,
      year: req.year,
      holidays,
      workdays,
      updatedAt: ctx.now,
      updatedBy: ctx.access.openid,
    };
    try {
      await ctx.db.transaction(async (tx) => {
        // The year as the transaction reads it: what the audit calls before, even after a twin's change.
        const stored = before ? await tx.calendar.get(id) : undefined;
        const change = {
          before: summary(effectiveYear(req.year, stored)),
          after: summary(effectiveYear(req.year, doc)),
        };
        if (stored) {
          await tx.calendar.update(id, {
            holidays: _.set(holidays),
            workdays: _.set(workdays),
            updatedAt: ctx.now,
            updatedBy: ctx.access.openid,
          });
        } else {
          await tx.calendar.insert(doc);
        }
        // Every instance's catalogue notices the change at its next refresh (10 s).
        await tx.settings.update('global', { configVersion: _.inc(1) });
        await tx.audit.insert(auditDoc(ctx, 'setCalendarYear', { year: req.year }, change));
      });
    } catch (err) {
      if (!before && duplicateKeyIndex(err) === '_id') throw new ReadAgain('the calendar year');
      throw err;
    }
    invalidateCatalogue();
    return effectiveYear(req.year, doc);
  }, SAVE_TRIES);
}

/**
 * The admin home's one call: the calendar warning (R2) and, for a city administrator, today's alarm of
 * guessed invitation codes (docs/security.md), read at once — so an administrator who never opens the
 * audit page still sees it where they land.
 */
export async function calendarStatus(
  ctx: AdminContext,
): Promise<AdminApi['calendarStatus']['res']> {
  const catalogue = await getCatalogue(ctx.db, ctx.now);
  const [status, guessing] = await Promise.all([
    calendarStatusAt(ctx.db, catalogue.services, ctx.now),
    isCityAdmin(ctx.access) ? inviteGuessingToday(ctx) : undefined,
  ]);
  return {
    warning: status.missingYears.length > 0,
    missingYears: status.missingYears,
    years: status.years,
    noticeTemplate: catalogue.settings.templates?.calendarMissing?.id ?? '',
    ...(guessing ? { inviteGuessing: guessing } : {}),
  };
}

export async function subscribeNotice(
  ctx: AdminContext,
  req: AdminRequest<'subscribeNotice'>,
): Promise<AdminApi['subscribeNotice']['res']> {
  const id = adminNoticeId(req.topic, ctx.access.openid);
  const audit = auditDoc(ctx, 'subscribeNotice', { topic: req.topic });
  // A double tap: the twin's transaction still committing makes this one conflict; tried again, it
  // finds the notice owed and answers as the twin did.
  await retryConflicts(async () => {
    const existing = await ctx.db.adminNotices.get(id);
    // A notice is owed already: the new consent is kept by WeChat for the next one; nothing to record.
    if (existing?.delivery.state === 'pending') return;
    try {
      await ctx.db.transaction(async (tx) => {
        if (existing) {
          await tx.adminNotices.get(id);
          await tx.adminNotices.update(id, {
            delivery: ctx.db.command.set({ state: 'pending' }),
            updatedAt: ctx.now,
          });
        } else {
          const doc: AdminNoticeDoc = {
            _id: id,
            openid: ctx.access.openid,
            topic: req.topic,
            createdAt: ctx.now,
            updatedAt: ctx.now,
            delivery: { state: 'pending' },
          };
          await tx.adminNotices.insert(doc);
        }
        await tx.audit.insert(audit);
      });
    } catch (err) {
      // A twin request subscribed meanwhile: its entry stands.
      if ((await ctx.db.adminNotices.get(id))?.delivery.state !== 'pending') throw err;
    }
  });
  return { topic: req.topic, pending: true };
}
