/**
 * The office card and 办事指南 (issue 12 finding 8), from the catalogue: hours, telephone (tap to call),
 * address with the map (wx.openLocation), directions and parking; with `guide`, what the window handles,
 * what to settle first and what to do today or without a booking. Parts not configured are left out.
 */
import type { OfficeInfo, ServiceGuide } from '../../../typings/api';
import { makePhoneCall, openLocation } from '../../services/platform';

type CardOffice = Pick<
  OfficeInfo,
  'name' | 'address' | 'latitude' | 'longitude' | 'hours' | 'phone' | 'directions'
>;

const NO_GUIDE: ServiceGuide = { handles: [], first: [], withoutBooking: '' };

Component({
  properties: {
    office: { type: Object, value: {} },
    guide: { type: Object, value: NO_GUIDE },
    /** Show the 办事指南 below the card. */
    withGuide: { type: Boolean, value: false },
  },
  methods: {
    onCall() {
      const office = this.data.office as Partial<CardOffice>;
      if (office.phone) makePhoneCall(office.phone.replace(/[^\d-]/g, ''));
    },
    onMap() {
      const office = this.data.office as Partial<CardOffice>;
      if (office.latitude === undefined || office.longitude === undefined) return;
      openLocation({
        latitude: office.latitude,
        longitude: office.longitude,
        name: office.name ?? '',
        address: office.address ?? '',
      });
    },
  },
});
