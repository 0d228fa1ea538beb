/**
 * Risk signals in lifecycle script text. Pure and text-only: it reads the command line a package
 * manager would run (`scripts.postinstall` and friends), never the files that command runs. So it
 * sees `curl … | sh` but not what `node install.js` or the Shai-Hulud `node bundle.js` does.
 * Signals only ever add severity and wording to a finding; they never approve anything.
 */

export type RiskSeverity = 'critical' | 'high' | 'medium';

export interface RiskSignal {
  /** Stable id, e.g. `remote-shell`. */
  readonly id: string;
  /** What the script does, as a verb phrase: "downloads and runs a remote script". */
  readonly description: string;
  readonly severity: RiskSeverity;
  /** The text that matched, shortened. */
  readonly evidence: string;
}

interface Rule {
  readonly id: string;
  readonly severity: RiskSeverity;
  readonly description: string;
  readonly patterns: readonly RegExp[];
}

const FETCH = String.raw`(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)`;
const SHELL = String.raw`(?:sudo\s+)?(?:ba|z|da|k|fi)?sh|node|python3?|perl|ruby|iex|invoke-expression`;

/** Ordered from worst to mildest; ids are part of the public details. */
const RULES: readonly Rule[] = [
  {
    id: 'remote-shell',
    severity: 'critical',
    description: 'downloads and runs a remote script',
    patterns: [
      new RegExp(String.raw`\b${FETCH}\b[^|;&\n]*\|\s*(?:${SHELL})\b`, 'i'),
      new RegExp(String.raw`\b(?:ba|z)?sh\s+(?:-\w+\s+)*["']?\$\(\s*${FETCH}\b`, 'i'),
      new RegExp(String.raw`\b(?:ba|z)?sh\s+<\(\s*${FETCH}\b`, 'i'),
      /\b(?:iex|invoke-expression)\b[\s(]*(?:\(\s*)?(?:new-object\s+(?:system\.)?net\.webclient|iwr|irm|invoke-webrequest|invoke-restmethod)\b/i,
      /downloadstring\s*\(/i,
    ],
  },
  {
    id: 'reverse-shell',
    severity: 'critical',
    description: 'opens a reverse shell to a remote host',
    patterns: [/\/dev\/tcp\/[\w.-]+\/\d+/, /\b(?:nc|ncat|netcat)\b[^|;&\n]*\s-(?:e|c)\s/],
  },
  {
    id: 'env-dump',
    severity: 'critical',
    description: 'collects every environment variable (tokens included)',
    patterns: [
      /JSON\.stringify\(\s*process\.env\b/,
      /Object\.(?:keys|values|entries)\(\s*process\.env\s*\)/,
      /\b(?:env|printenv|set|export\s+-p)\s*\|\s*(?:curl|wget|nc|ncat|base64|gzip|xxd)\b/,
      /\b(?:curl|wget)\b[^\n]*\$\((?:env|printenv)\)/,
    ],
  },
  {
    id: 'credential-read',
    severity: 'critical',
    description: 'reads registry tokens, SSH keys or cloud credentials',
    patterns: [
      /(?:^|[\s'"`/~}$=(])\.npmrc\b/,
      /\b(?:NPM_TOKEN|NODE_AUTH_TOKEN|NPM_AUTH_TOKEN|GITHUB_TOKEN|GH_TOKEN|GITLAB_TOKEN|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AZURE_CLIENT_SECRET|GOOGLE_APPLICATION_CREDENTIALS)\b/,
      /(?:~|\$HOME|\$\{HOME\}|homedir\(\)[^)\n]{0,20})[/\\'", +]*\.ssh\b/,
      /\bid_(?:rsa|dsa|ecdsa|ed25519)\b/,
      /\.aws[/\\]credentials|\.git-credentials|\.docker[/\\]config\.json|\.config[/\\]gh[/\\]hosts|\.kube[/\\]config|\.netrc\b/,
      /\/etc\/(?:passwd|shadow)\b/,
      /\b(?:trufflehog|gitleaks)\b/i,
    ],
  },
  {
    id: 'exfil-endpoint',
    severity: 'high',
    description: 'sends data to a webhook, paste or tunnelling service',
    patterns: [
      /webhook\.site|discord(?:app)?\.com\/api\/webhooks|hooks\.slack\.com\/services|pipedream\.net|requestbin|burpcollaborator|oastify\.com|interact\.sh|\.oast\.(?:fun|pro|live|site|me|online)\b|ngrok(?:-free)?\.(?:io|app|dev)|canarytokens|api\.telegram\.org\/bot|pastebin\.com|transfer\.sh|\.trycloudflare\.com/i,
    ],
  },
  {
    id: 'raw-ip',
    severity: 'high',
    description: 'talks to a raw IP address instead of a named host',
    patterns: [/\b(?:https?|ftp|wss?|tcp):\/\/(?!127\.|0\.0\.0\.0|10\.|192\.168\.)(?:\d{1,3}\.){3}\d{1,3}\b/i],
  },
  {
    id: 'dns-exfil',
    severity: 'high',
    description: 'leaks data through DNS look-ups',
    patterns: [/\b(?:nslookup|dig|host|ping)\s+[^;|&\n]*(?:\$\(|`)/],
  },
  {
    id: 'host-fingerprint',
    severity: 'high',
    description: 'collects the user and host identity (whoami, hostname, os.userInfo)',
    patterns: [
      /\$\(\s*(?:whoami|hostname|id)\s*\)|`\s*(?:whoami|hostname|id)\s*`/,
      /\bos\.(?:userInfo|hostname|networkInterfaces)\s*\(|require\(\s*['"](?:node:)?os['"]\s*\)\.(?:userInfo|hostname|networkInterfaces)\b/,
    ],
  },
  {
    id: 'encoded-payload',
    severity: 'high',
    description: 'decodes and runs an encoded payload',
    patterns: [
      /Buffer\.from\(\s*['"`][A-Za-z0-9+/=_-]{16,}['"`]\s*,\s*['"`](?:base64|base64url|hex)['"`]\s*\)/,
      /\batob\s*\(\s*['"`][A-Za-z0-9+/=]{16,}/,
      /\bbase64\s+(?:-d|--decode|-D)\b/,
      /\beval\s*\(\s*(?:atob|Buffer|unescape|decodeURIComponent|String\.fromCharCode)\b/,
      /\bcertutil\b[^\n]*-decode/i,
    ],
  },
  {
    id: 'obfuscation',
    severity: 'high',
    description: 'contains obfuscated code',
    patterns: [
      /\b_0x[0-9a-f]{4,}\b/i,
      /(?:\\x[0-9a-f]{2}){8,}/i,
      /(?:\\u00[0-9a-f]{2}){6,}/i,
      /String\.fromCharCode\(\s*\d+(?:\s*,\s*\d+){7,}/,
      /eval\(function\(p,a,c,k,e,[rd]\)/,
      /['"`][A-Za-z0-9+/]{120,}={0,2}['"`]/,
    ],
  },
  {
    id: 'persistence',
    severity: 'high',
    description: 'installs itself to run again later (shell profile, cron, CI workflow, service)',
    patterns: [
      /\bcrontab\b|\/etc\/cron|\.bashrc\b|\.zshrc\b|\.bash_profile\b|(?:~|\$HOME)\/\.profile\b|systemctl\s+(?:--user\s+)?enable|launchctl\s+load|LaunchAgents/,
      /\.github[/\\]workflows/,
    ],
  },
  {
    id: 'destructive',
    severity: 'critical',
    description: 'deletes files outside the package (home directory or root)',
    patterns: [/\brm\s+-[a-z]*[rf][a-z]*\s+(?:--no-preserve-root\s+)?(?:(?:~|\$HOME|\$\{HOME\})\/?|\/)\*?(?:\s|$|["'])/],
  },
  {
    id: 'known-worm-loader',
    severity: 'high',
    description: 'runs the same loader command as the Shai-Hulud worm (a name-based indicator: a renamed file evades it)',
    patterns: [/^\s*node\s+(?:\.\/)?(?:bundle|setup_bun)\.js\s*$/],
  },
  {
    id: 'inline-network',
    severity: 'medium',
    description: 'runs inline code that opens network connections or spawns processes',
    patterns: [
      /\bnode\s+(?:-e|--eval|-p|--print)\b[^\n]*(?:require\(\s*['"](?:node:)?(?:https?|net|dgram|dns|child_process)['"]\s*\)|\bfetch\s*\(|\bexecSync\b|\bspawn\s*\()/,
    ],
  },
  {
    id: 'remote-download',
    severity: 'medium',
    description: 'downloads files with curl, wget or PowerShell',
    patterns: [new RegExp(String.raw`(?:^|[\s;&|('"\`])${FETCH}(?:\.exe)?\s`, 'i')],
  },
  {
    id: 'background',
    severity: 'medium',
    description: 'detaches a process so it keeps running after the install',
    patterns: [/\bnohup\b|\bsetsid\b|\bdisown\b|\bstart\s+\/b\b|&\s*$/i, /detached\s*:\s*true/],
  },
  {
    id: 'dynamic-eval',
    severity: 'medium',
    description: 'evaluates dynamically built code',
    patterns: [/\beval\s*\(|\bnew\s+Function\s*\(/],
  },
];

const EVIDENCE_MAX = 80;
/** Longer than any legitimate lifecycle command seen (the longest script of the 186 legit manifests has 440). */
const LONG = 2000;
const MAX_READ = 20_000;
const shorten = (s: string): string => (s.length > EVIDENCE_MAX ? `${s.slice(0, EVIDENCE_MAX - 1)}…` : s);
const RANK: Record<RiskSeverity, number> = { critical: 3, high: 2, medium: 1 };

const cache = new Map<string, readonly RiskSignal[]>();
const NONE: readonly RiskSignal[] = Object.freeze([]);

/** Every risk signal in one lifecycle script body, worst first. Memoised: bodies repeat a lot. */
export function assessScript(script: string): readonly RiskSignal[] {
  const hit = cache.get(script);
  if (hit) return hit;
  const out: RiskSignal[] = [];
  // Real lifecycle commands are a line or two; a huge one is itself a sign, and the patterns only
  // need to read its start (which also bounds the regex work on crafted input).
  const body = script.length > MAX_READ ? script.slice(0, MAX_READ) : script;
  if (script.length > LONG) {
    out.push({
      id: 'long-inline-script',
      description: `runs an unusually long inline command (${script.length} characters)`,
      severity: 'medium',
      evidence: shorten(script),
    });
  }
  for (const rule of RULES) {
    for (const re of rule.patterns) {
      const m = re.exec(body);
      if (m) {
        out.push({ id: rule.id, description: rule.description, severity: rule.severity, evidence: shorten(m[0].trim()) });
        break;
      }
    }
  }
  // `remote-shell` already says it downloads; don't say it twice.
  const result = out.length === 0 ? NONE : Object.freeze(dedupe(out).sort((a, b) => RANK[b.severity] - RANK[a.severity]));
  if (cache.size > 2000) cache.clear();
  if (script.length <= LONG) cache.set(script, result);
  return result;
}

function dedupe(signals: RiskSignal[]): RiskSignal[] {
  const ids = new Set(signals.map((s) => s.id));
  return signals.filter(
    (s) =>
      !(s.id === 'remote-download' && ids.has('remote-shell')) &&
      !(s.id === 'dynamic-eval' && (ids.has('encoded-payload') || ids.has('obfuscation'))) &&
      !(s.id === 'background' && ids.has('reverse-shell')),
  );
}

/** The worst severity among signals, or undefined when there are none. */
export function worstSeverity(signals: readonly RiskSignal[]): RiskSeverity | undefined {
  let worst: RiskSeverity | undefined;
  for (const s of signals) if (!worst || RANK[s.severity] > RANK[worst]) worst = s.severity;
  return worst;
}

/** Ids of all rules, for documentation and tests. */
export const RISK_SIGNAL_IDS: readonly string[] = ['long-inline-script', ...RULES.map((r) => r.id)];
