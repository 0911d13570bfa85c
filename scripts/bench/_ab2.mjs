import { Dap, launch, showStop } from './dap-client.mjs';
const vs = process.argv.slice(2); const N = 25;
const res = Object.fromEntries(vs.map((v) => [v, []]));
async function one(v) {
  const dap = v === 'mock' ? new Dap('/tmp/mockdebug/dist/debugAdapter.js') : new Dap(`/tmp/exp/d-${v}/dap.js`, { ...process.env, XDG_CACHE_HOME: `/tmp/exp/cache-${v}` });
  const args = v === 'mock' ? { program: '/tmp/mockdebug/sampleWorkspace/readme.md', stopOnEntry: true } : { scenario: '/tmp/exp/stepping.kpath', stopOnEntry: true };
  try { const f = await launch(dap, args, v === 'mock' ? [] : [{ name: 'ip_finish_output2' }]); await showStop(dap, f.ev); return f.ms; } finally { await dap.close(); }
}
for (const v of vs) await one(v);
for (let i = 0; i < N; i++) for (const v of vs) res[v].push(await one(v));
const q = (a, p) => a.slice().sort((x, y) => x - y)[Math.floor(a.length * p)];
for (const v of vs) console.log(v.padEnd(5), 'median', q(res[v], 0.5).toFixed(1), 'p25', q(res[v], 0.25).toFixed(1), 'min', Math.min(...res[v]).toFixed(1));
