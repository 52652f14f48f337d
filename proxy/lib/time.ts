// Jakarta time (UTC+7, no daylight saving) in the formats the Indonesian providers want, and
// Kyiv wall-clock time (daylight saving included) for UAPAY.
// Date#toISOString is UTC and must not be used for these.
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const JAKARTA_OFFSET_MS = 7 * 60 * 60 * 1000;

const pad = (n: number) => String(n).padStart(2, '0');

function jakartaParts(date: Date) {
  const d = new Date(date.getTime() + JAKARTA_OFFSET_MS);
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return { day, time };
}

/** `YYYY-MM-DDTHH:mm:ss+07:00` (Winpay's X-Winpay-Timestamp). */
export function jakartaTimestamp(date: Date): string {
  const { day, time } = jakartaParts(date);
  return `${day}T${time}+07:00`;
}

/** `YYYY-MM-DD HH:mm:ss` in Jakarta time (Winpay created_at, Faspay and AMDigipay dates). */
export function jakartaDateTime(date: Date): string {
  const { day, time } = jakartaParts(date);
  return `${day} ${time}`;
}

const JAKARTA_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\+07:00)?$/;

/** Reads `YYYY-MM-DD HH:mm:ss` (optionally with T and +07:00) as Jakarta time; undefined if malformed. */
export function parseJakartaDateTime(text: string): Date | undefined {
  const m = JAKARTA_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const utc = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - JAKARTA_OFFSET_MS;
  const date = new Date(utc);
  return jakartaDateTime(date) === `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` ? date : undefined;
}

const KYIV = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Kyiv',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** `YYYY-MM-DD HH:mm:ss` in Kyiv (UAPAY's payExpiresAt). The docs name no zone: Kyiv wall-clock time, daylight saving included (A). */
export function kyivDateTime(date: Date): string {
  const p = Object.fromEntries(KYIV.formatToParts(date).map((part) => [part.type, part.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** Reads a `YYYY-MM-DD HH:mm:ss` Kyiv wall-clock time (UTC+2 in winter, +3 in summer). */
export function parseKyivDateTime(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return [3, 2].map((hours) => new Date(wall - hours * 3_600_000)).find((date) => kyivDateTime(date) === text);
}
