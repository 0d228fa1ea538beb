// Writes lifeguard.schema.json from the one definition in src/policy/schema.ts.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';

const out = await build({
  entryPoints: [new URL('./src/policy/schema.ts', import.meta.url).pathname],
  bundle: true, write: false, format: 'esm', platform: 'neutral',
});
const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
writeFileSync(new URL('./lifeguard.schema.json', import.meta.url), `${JSON.stringify(mod.toJsonSchema(), null, 2)}\n`);
