/** What a citizen is shown of a booking: masked personal data only (R14), materials of its category (R7). */
import type { Booking } from '../../typings/api';
import { cancelDeadline } from '../domain/standing';
import type { Catalogue } from './catalogue';
import type { BookingDoc } from './model';

export function toBooking(doc: BookingDoc, catalogue: Catalogue): Booking {
  const service = catalogue.services.find((s) => s._id === doc.serviceId);
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
    category: doc.category,
    materials: category?.materials ?? [],
    channel: doc.channel,
    createdAt: doc.createdAt,
    reminder: doc.reminder.state,
    passToken: doc.passToken,
  };
}
