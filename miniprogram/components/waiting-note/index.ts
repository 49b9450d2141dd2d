/**
 * The 有号提醒我 registration, shown where the citizen looks (home, my bookings, the day page) and
 * withdrawable there (issue 12 finding 9, R11): asks `notifyState` when attached (and when `reload`
 * changes), shows nothing unless the account waits, and 取消登记 calls `notifyCancel`.
 */
import { callApi, errorMessage } from '../../services/api';

Component({
  properties: {
    serviceId: { type: String, value: '' },
    serviceName: { type: String, value: '' },
    /** Bumped by a page that just registered, to show it at once. */
    reload: { type: Number, value: 0 },
  },
  data: {
    waiting: false,
    busy: false,
    note: '',
  },
  observers: {
    'serviceId, reload': function () {
      void this.check();
    },
  },
  lifetimes: {
    attached() {
      void this.check();
    },
  },
  methods: {
    async check() {
      const serviceId = this.data.serviceId;
      if (!serviceId) return;
      const res = await callApi('notifyState', { serviceId });
      // A failure shows nothing: the registration is told where it can be read, not as an error.
      if (res.ok && res.data.serviceId === this.data.serviceId) {
        this.setData({ waiting: res.data.waiting, note: '' });
      }
    },
    async onCancel() {
      if (this.data.busy) return;
      this.setData({ busy: true });
      const res = await callApi('notifyCancel', { serviceId: this.data.serviceId });
      this.setData(
        res.ok
          ? { busy: false, waiting: false, note: '已取消登记，有号时不再通知您' }
          : { busy: false, note: errorMessage(res.error) },
      );
    },
  },
});
