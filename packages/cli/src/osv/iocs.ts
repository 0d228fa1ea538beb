/**
 * Indicators of compromise in install scripts and the files they run: what the malicious-packages
 * database keeps in `database_specific.iocs` so others can block the same hosts. Text-only and
 * deliberately narrow (URLs, their hosts, IPv4 literals): a draft full of `fs.readFileSync` "domains"
 * would be noise the maintainers have to clean up.
 */

export interface Iocs {
  readonly urls: string[];
  readonly domains: string[];
  readonly ip_addresses: string[];
}

const URL_RE = /\b(?:https?|ftp|wss?|tcp):\/\/[^\s'"`<>\\{}|^]+/gi;
const IPV4_RE = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]*\d)/g;
/** Hosts reached without a URL: `/dev/tcp/<host>/<port>` reverse shells. */
const DEV_TCP_RE = /\/dev\/tcp\/([\w.-]+)\/\d+/g;
/** Never an indicator: the machine itself. */
const LOCAL = /^(?:127\.|0\.0\.0\.0$|localhost$)/i;
const TRAILING = /[.,;:!?'"]+$/;

/** Drops sentence punctuation and closing brackets that do not belong to the URL (`(see http://x/a)`). */
function trimUrl(raw: string): string {
  let url = raw.replace(TRAILING, '');
  const count = (c: string): number => url.split(c).length - 1;
  while ((url.endsWith(')') && count(')') > count('(')) || (url.endsWith(']') && count(']') > count('['))) url = url.slice(0, -1).replace(TRAILING, '');
  return url;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

const isIPv4 = (h: string): boolean => /^\d{1,3}(?:\.\d{1,3}){3}$/.test(h);

/** URLs, domains and IPv4 addresses in `texts`, each sorted and without duplicates. */
export function extractIocs(texts: readonly string[]): Iocs {
  const urls = new Set<string>();
  const domains = new Set<string>();
  const ips = new Set<string>();
  const addHost = (h: string | undefined): void => {
    if (!h || LOCAL.test(h)) return;
    if (isIPv4(h)) ips.add(h);
    else if (h.includes('.')) domains.add(h);
  };
  for (const text of texts) {
    for (const m of text.matchAll(URL_RE)) {
      const url = trimUrl(m[0]);
      const host = hostOf(url);
      if (!host || LOCAL.test(host)) continue;
      urls.add(url);
      addHost(host);
    }
    for (const m of text.matchAll(DEV_TCP_RE)) addHost(m[1]?.toLowerCase());
    for (const m of text.matchAll(IPV4_RE)) addHost(m[0]);
  }
  const sorted = (s: Set<string>): string[] => [...s].sort();
  return { urls: sorted(urls), domains: sorted(domains), ip_addresses: sorted(ips) };
}
