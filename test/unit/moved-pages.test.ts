/**
 * Renamed pages keep their old links working (app.ts `onPageNotFound`): a reminder sent before the
 * rename opens `pages/booking/index?id=…`, which must land on the booking's detail with its query.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MOVED_PAGES, movedPageUrl } from '../../miniprogram/utils/moved-pages';

const appJson = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../miniprogram/app.json'), 'utf8'),
) as { pages: string[] };

it('sends every old path to a page of app.json, and no old path is a page any more', () => {
  for (const [from, to] of Object.entries(MOVED_PAGES)) {
    expect(appJson.pages).toContain(to);
    expect(appJson.pages).not.toContain(from);
  }
});

it('keeps the query of the old link, with or without the leading slash', () => {
  expect(movedPageUrl('pages/booking/index', { id: 'b1', fresh: undefined })).toBe(
    '/pages/booking-detail/index?id=b1',
  );
  expect(movedPageUrl('/pages/book/index', { serviceId: 'siming-violation' })).toBe(
    '/pages/person-form/index?serviceId=siming-violation',
  );
  expect(movedPageUrl('pages/booking/index', {})).toBe('/pages/booking-detail/index');
});

it('knows nothing of paths that were never pages', () => {
  expect(movedPageUrl('pages/nowhere/index', { id: 'x' })).toBeUndefined();
});
