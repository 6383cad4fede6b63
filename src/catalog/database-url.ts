/**
 * A PostgreSQL address as hoctap keeps and shows it. Read by hand: the WHATWG URL parser refuses the Unix-socket form
 * postgresql://user@/db?host=/path that libpq and pg accept.
 */
const FORM = /^(postgres(?:ql)?:\/\/)(?:([^@/?#]*)@)?([^/?#]*)(.*)$/i;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Whether the address carries a password (user:password@…). */
export function hasPassword(url: string): boolean {
  const userinfo = FORM.exec(url)?.[2];
  return userinfo !== undefined && userinfo.includes(':');
}

/** The address as it may be shown: a password, if any, masked. */
export function shownUrl(url: string): string {
  const m = FORM.exec(url);
  if (!m) return '(địa chỉ cơ sở dữ liệu không đọc được)';
  const user = m[2] === undefined ? '' : `${m[2].includes(':') ? `${m[2].split(':')[0]}:***` : m[2]}@`;
  return `${m[1]}${user}${m[3]}${m[4]}`;
}
