/**
 * Transport rules for the addresses in IT's config (issue 13): the city API and the update server are reached
 * over `https://`, except on this machine (loopback: 127.0.0.0/8, ::1, localhost — the training simulator,
 * tests); an address never carries a user name or password (the desk's secret goes in `cityApi.clientSecret`,
 * encrypted after first use). Checked by the config schema, so a bad address is a config error naming the key,
 * before anything connects.
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  // WHATWG URL parsing has already normalised IPv4 (127.1 → 127.0.0.1) and IPv6 (compressed, lower case).
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  return h === '::1';
}

export interface TransportProblem {
  en: string;
  zh: string;
}

/** Why `url` breaks the transport rules, or null when it keeps them. */
export function transportProblem(url: string): TransportProblem | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null; // the url check itself reports it
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null; // so does the protocol check
  if (u.username || u.password) {
    return {
      en: 'a web address without a user name or password in it (the desk secret belongs in cityApi.clientSecret)',
      zh: '网址中不能含有用户名或密码（客户端密钥请填写在 cityApi.clientSecret）',
    };
  }
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return null;
  return {
    en: 'an https:// address (plain http:// is allowed only for this machine: 127.0.0.1, ::1, localhost)',
    zh: '以 https:// 开头的网址（仅本机地址 127.0.0.1、::1、localhost 可用 http://）',
  };
}
