/**
 * A large on-screen keyboard in a bottom popup, for the two fields a phone keyboard makes hard (R6):
 * the ID number (digits, and `X` only as the last character) and the licence plate (the province first,
 * then letters and digits, up to 8 characters for new-energy plates). It shows what has been typed and
 * the field's message in its own header, since it covers the form. Emits `key` ({ key }), `delete` and
 * `close`; the page owns the value.
 */
import { PLATE_PROVINCES } from '../../../server/domain/identity';
import { groupId } from '../../utils/person-form';

/** What the pad types: an ID number, or a licence plate. */
export type KeyPadMode = 'id' | 'plate';

const DEFAULT_MODE: KeyPadMode = 'id';

interface Key {
  key: string;
  label: string;
  aria: string;
  disabled: boolean;
  wide: boolean;
}

const DELETE = 'DEL';

function key(k: string, disabled = false): Key {
  if (k === DELETE)
    return { key: k, label: '删除', aria: '删除一位', disabled: false, wide: false };
  return { key: k, label: k, aria: k, disabled, wide: false };
}

function idKeys(value: string): Key[] {
  // GB 11643: X can only be the check character, the 18th.
  const xAllowed = value.length === 17;
  return Array.from('123456789')
    .map((k) => key(k))
    .concat([key('X', !xAllowed), key('0'), key(DELETE)]);
}

/** Serial characters of a plate: digits, letters without I and O (GA 36), and the special last ones. */
const PLATE_CHARS = Array.from('1234567890ABCDEFGHJKLMNPQRSTUVWXYZ挂学警领港澳');

function plateKeys(value: string): Key[] {
  if (value.length === 0) {
    return Array.from(`${PLATE_PROVINCES}使`)
      .map((k) => key(k))
      .concat([key(DELETE)]);
  }
  return PLATE_CHARS.map((k) => key(k)).concat([key(DELETE)]);
}

/**
 * The typed value in groups that never break inside: an ID as 6-8-4 as on the card, so that at the
 * largest font it wraps between groups, never as 11 + 7.
 */
function groupsOf(mode: KeyPadMode, value: string): string[] {
  if (mode === 'id') return groupId(value).split(' ').filter(Boolean);
  return value ? [value] : [];
}

Component({
  properties: {
    show: { type: Boolean, value: false },
    /** Typed by its default: the data's `mode` is a `KeyPadMode`, not any string. */
    mode: { type: String, value: DEFAULT_MODE },
    title: { type: String, value: '' },
    value: { type: String, value: '' },
    /** Shown under the typed value. */
    message: { type: String, value: '' },
  },
  data: {
    keys: [] as Key[],
    columns: 3,
    hint: '',
    groups: [] as string[],
  },
  observers: {
    'mode, value'(mode: KeyPadMode, value: string) {
      const groups = groupsOf(mode, value);
      if (mode === 'plate') {
        this.setData({
          keys: plateKeys(value),
          columns: 7,
          hint: value.length === 0 ? '先选车牌的省份简称' : '新能源车牌为 8 位',
          groups,
        });
      } else {
        this.setData({ keys: idKeys(value), columns: 3, hint: '', groups });
      }
    },
  },
  methods: {
    onKey(
      event: WechatMiniprogram.BaseEvent<Record<string, never>, { key: string; disabled: boolean }>,
    ) {
      const { key: pressed, disabled } = event.currentTarget.dataset;
      if (disabled) return;
      if (pressed === DELETE) this.triggerEvent('delete');
      else this.triggerEvent('key', { key: pressed });
    },
    onClose() {
      this.triggerEvent('close');
    },
  },
});
