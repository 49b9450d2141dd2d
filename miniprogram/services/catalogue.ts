/** The offices and services (R1), loaded once and kept for a few minutes for the pages that follow. */
import type {
  ApiResult,
  OfficeInfo,
  ReminderLeadInfo,
  ServiceInfo,
  SubscribeTemplates,
} from '../../typings/api';
import { callApi } from './api';
import { session } from './session';

const FRESH_MS = 5 * 60 * 1000;

export async function loadCatalogue(force = false): Promise<ApiResult<OfficeInfo[]>> {
  const s = session();
  if (!force && s.offices && s.officesAt !== undefined && Date.now() - s.officesAt < FRESH_MS) {
    return { ok: true, data: s.offices };
  }
  const res = await callApi('catalogue', {});
  if (!res.ok) return res;
  s.offices = res.data.offices;
  s.templates = res.data.templates;
  s.reminderLead = res.data.reminder;
  s.officesAt = Date.now();
  return { ok: true, data: res.data.offices };
}

export interface ServiceEntry {
  office: OfficeInfo;
  service: ServiceInfo;
}

export function findService(offices: OfficeInfo[], serviceId: string): ServiceEntry | undefined {
  for (const office of offices) {
    const service = office.services.find((s) => s.id === serviceId);
    if (service) return { office, service };
  }
  return undefined;
}

/** Every service of every office, in catalogue order. */
export function allServices(offices: OfficeInfo[]): ServiceEntry[] {
  return offices.flatMap((office) => office.services.map((service) => ({ office, service })));
}

/**
 * The template ids to ask consent for (R11, R13), as the catalogue last said; empty when it has not been
 * loaded or a template is not configured, and then nothing is asked.
 */
export function subscribeTemplates(): SubscribeTemplates {
  return session().templates ?? { reminder: '', slotsReleased: '' };
}

/** R13: when reminders go out, as the catalogue last said (18:00 the day before by default). */
export function reminderLead(): ReminderLeadInfo {
  return session().reminderLead ?? { daysBefore: 1, at: '18:00' };
}

/** `办理前一天 18:00`: when the reminder of a booking comes, in the citizen's words (R13). */
export function reminderWhen(lead: ReminderLeadInfo = reminderLead()): string {
  const day = lead.daysBefore === 1 ? '办理前一天' : `办理前 ${lead.daysBefore} 天`;
  return `${day} ${lead.at}`;
}
