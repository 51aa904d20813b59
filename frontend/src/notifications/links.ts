// Where a notification leads: its link is relative to the tenant's pages (polls/<id>,
// meetings/<id>); anything else (an absolute address, a way up, odd characters) leads to
// no link at all rather than off the app.

/** The app path of a notification's link in tenant `slug`, or null when it is not a plain relative path. */
export function notificationHref(slug: string, link: string): string | null {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(link)) return null;
  return `/t/${slug}/${link}`;
}
