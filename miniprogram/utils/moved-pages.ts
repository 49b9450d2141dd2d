/**
 * Pages that were renamed, and where they live now. Links to the old paths outlive a release: a reminder
 * already sent (its `page` was `pages/booking/index?id=…`), a settings document still naming the old
 * page for a template, a shared link. WeChat opens them through `App.onPageNotFound`, which sends them
 * here (app.ts). Pure, so that a test can check every entry points to a page of app.json.
 */
export const MOVED_PAGES: Readonly<Partial<Record<string, string>>> = {
  // A booking's detail, the page reminders open (renamed so it is not one letter from the form).
  'pages/booking/index': 'pages/booking-detail/index',
  // The person form.
  'pages/book/index': 'pages/person-form/index',
};

/**
 * The URL to open instead of a page that is not there (`path` as WeChat gives it, with or without the
 * leading slash), its query kept; undefined when the path was never ours.
 */
export function movedPageUrl(
  path: string,
  query: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const target = MOVED_PAGES[path.replace(/^\//, '')];
  if (target === undefined) return undefined;
  const search = Object.entries(query)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    // As WeChat handed them over: still URL-encoded, so they are passed on untouched.
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `/${target}${search ? `?${search}` : ''}`;
}
