// Dates and times in the reader's language and, unless another zone is named,
// their own time zone (Intl does both). A consult's time is shown on both
// sides where the doctor and the patient live in different zones.

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "Tuesday, 24 November 2026 at 15:00" in `language`, in `timeZone` (default: the reader's). */
export function formatDateTime(iso: string, language: string, timeZone?: string | null): string {
  return new Date(iso).toLocaleString(language, { dateStyle: 'full', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
}

/** "Tuesday, 24 November 2026" in `language`, in the reader's time zone. */
export function formatDate(iso: string, language: string): string {
  return new Date(iso).toLocaleDateString(language, { dateStyle: 'full' });
}

/**
 * "15:00", or "Wed 00:30" when the day there differs from the reader's.
 * Spelled out as hour and minute because Intl refuses a weekday next to timeStyle.
 */
export function formatTimeIn(iso: string, language: string, timeZone: string, readerTimeZone: string = browserTimeZone()): string {
  const date = new Date(iso);
  const dayThere = date.toLocaleDateString('en-CA', { timeZone });
  const dayHere = date.toLocaleDateString('en-CA', { timeZone: readerTimeZone });
  return date.toLocaleString(language, { hour: 'numeric', minute: '2-digit', ...(dayThere !== dayHere ? { weekday: 'short' } : {}), timeZone });
}

/** The zone's name in `language`, as people say it: "Central European Time". */
export function timeZoneName(timeZone: string, language: string, at: string): string {
  const part = new Intl.DateTimeFormat(language, { timeZone, timeZoneName: 'longGeneric' })
    .formatToParts(new Date(at))
    .find((candidate) => candidate.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** Whether clocks in `other` show a different time than the reader's at that moment. */
export function differsFromHere(iso: string, other: string | null | undefined, readerTimeZone: string = browserTimeZone()): other is string {
  if (!other) return false;
  const date = new Date(iso);
  const at = (timeZone: string) => date.toLocaleString('en-GB', { hour: '2-digit', minute: '2-digit', day: '2-digit', timeZone });
  return at(other) !== at(readerTimeZone);
}
