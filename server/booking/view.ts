/**
 * What a citizen is shown: a booking with masked personal data only (R14) and the materials of its
 * category (R7); the catalogue of offices and services.
 */
import type { Booking, BookingApi, CategoryInfo } from '../../typings/api';
import { DEFAULT_RULES } from '../domain/config';
import { cancelDeadline } from '../domain/standing';
import type { Catalogue } from '../store/catalogue';
import type { BookingDoc } from '../store/documents/booking';

export function toBooking(doc: BookingDoc, catalogue: Catalogue): Booking {
  const service = catalogue.allServices.find((s) => s._id === doc.serviceId);
  const office = catalogue.offices.find((o) => o._id === doc.officeId);
  const category = catalogue.categories.find((c) => c._id === doc.category);
  return {
    id: doc._id,
    number: doc.label,
    serviceId: doc.serviceId,
    serviceName: service?.name ?? '',
    office: {
      id: doc.officeId,
      name: office?.name ?? '',
      address: office?.address ?? '',
      latitude: office?.latitude ?? 0,
      longitude: office?.longitude ?? 0,
    },
    date: doc.date,
    period: { id: doc.periodId, start: doc.periodStart, end: doc.periodEnd },
    startsAt: doc.startsAt,
    cancelDeadline: cancelDeadline(doc.startsAt, service?.cancelCutoffMinutes ?? 0),
    status: doc.status,
    name: doc.name,
    idMasked: doc.idMasked,
    phoneMasked: doc.phoneMasked,
    plate: doc.plate,
    ...(doc.vinMasked === undefined ? {} : { vinMasked: doc.vinMasked }),
    category: doc.category,
    materials: category?.materials ?? [],
    channel: doc.channel,
    createdAt: doc.createdAt,
    reminder: doc.reminder.state,
    passToken: doc.passToken,
    // The window's steps the citizen sees in 我的预约 (签到 → 已办结).
    ...(doc.checkedInAt === undefined ? {} : { checkedInAt: doc.checkedInAt }),
    ...(doc.servedAt === undefined ? {} : { servedAt: doc.servedAt }),
  };
}

export function catalogueView(catalogue: Catalogue): BookingApi['catalogue']['res'] {
  const templates = catalogue.settings.templates;
  const lead = catalogue.settings.reminder ?? DEFAULT_RULES.reminder;
  const notice = catalogue.settings.notice?.trim() ?? '';
  return {
    ...(notice === '' ? {} : { notice }),
    // R13: the page says when the reminder comes (办理前一天 18:00).
    reminder: { daysBefore: lead.daysBefore, at: lead.at },
    // R11/R13: the page asks consent for exactly the templates the jobs send.
    templates: {
      reminder: templates?.reminder?.id ?? '',
      slotsReleased: templates?.slotsReleased?.id ?? '',
      ...(templates?.bookingChanged?.id ? { bookingChanged: templates.bookingChanged.id } : {}),
    },
    offices: catalogue.offices
      .map((o) => ({
        id: o._id,
        name: o.name,
        address: o.address,
        latitude: o.latitude,
        longitude: o.longitude,
        hours: o.hours ?? '',
        phone: o.phone ?? '',
        directions: o.directions ?? '',
        services: catalogue.services
          .filter((s) => s.officeId === o._id)
          .map((s) => ({
            id: s._id,
            name: s.name,
            prefix: s.prefix,
            notice: s.notice,
            releaseTime: s.releaseTime,
            guide: {
              handles: s.guide?.handles ?? [],
              first: s.guide?.first ?? [],
              withoutBooking: s.guide?.withoutBooking ?? '',
            },
            categories: s.categories.flatMap((id) => {
              const c = catalogue.categories.find((x) => x._id === id);
              if (!c) return [];
              const info: CategoryInfo = { id: c._id, name: c.name, materials: c.materials };
              if (c.unplated === true) info.unplated = true;
              return [info];
            }),
          })),
      }))
      .filter((o) => o.services.length > 0),
  };
}
