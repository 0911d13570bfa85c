// What kernelSource costs the first stop: the adapter started as VS Code starts it, the default
// scenario launched with stopOnEntry, timed from the process's start to the answer of the first
// stack trace; with the tree's mapping cached, and with no cached mapping (the tree is then parsed
// in the adapter's worker: the first stop shows the model listing, and the real lines follow with
// an 'invalidated' event, timed too). The tree: --tree DIR, or the Linux 6.1 tree the tests unpack.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Dap, launch } from './dap-client.mjs';
import { built, median, ms, ROOT, round2 } from './measure.mjs';

const SCENARIO = path.join(ROOT, 'media', 'scenarios', 'default.kpath');

/** One session: ms to the first stack trace, and to the real file's lines (the same when cached). */
async function firstStop(ctx, kernelSource) {
  const dap = new Dap(path.join(ROOT, 'dist/dap.js'), ctx.env);
  try {
    const invalidated = new Promise((resolve) => {
      dap.onEvent = (e) => e.event === 'invalidated' && resolve(ms(dap.t0));
    });
    const first = await launch(dap, { scenario: SCENARIO, stopOnEntry: true, ...(kernelSource ? { kernelSource } : {}) });
    const st = await dap.request('stackTrace', { threadId: first.ev.body.threadId, startFrame: 0, levels: 20 });
    const stopMs = ms(dap.t0);
    const inTree = !kernelSource || String(st.body.stackFrames[0]?.source?.path ?? '').startsWith(kernelSource);
    return { stopMs, linesMs: inTree ? stopMs : await invalidated };
  } finally {
    await dap.close();
  }
}

function tree(ctx) {
  if (ctx.options.tree) return fs.existsSync(ctx.options.tree) ? { root: ctx.options.tree } : { skip: `${ctx.options.tree} does not exist` };
  const helper = path.join(ROOT, 'out/test/helpers/linux-tree.js');
  if (!fs.existsSync(helper)) return { skip: 'out/test/helpers/linux-tree.js is missing (npm run build)' };
  return built('test/helpers/linux-tree.js').linux61();
}

export async function kernelSource(ctx) {
  const { results, notes, quick } = ctx;
  const t = tree(ctx);
  if (t.skip) {
    notes.push(`kernelSource not measured: ${t.skip}`);
    return;
  }
  const runs = quick ? 3 : 10;
  const mapCache = path.join(ctx.cacheHome, 'kpath', 'source-map');
  const sample = async (root, cold) => {
    await firstStop(ctx, root); // the adapter's code cache (and, for the cached case, the mapping)
    const stops = [];
    const lines = [];
    for (let i = 0; i < runs; i++) {
      if (cold) fs.rmSync(mapCache, { recursive: true, force: true });
      const r = await firstStop(ctx, root);
      stops.push(r.stopMs);
      lines.push(r.linesMs);
    }
    return { stop: round2(median(stops)), lines: round2(median(lines)) };
  };
  const without = await sample(null, false);
  const cached = await sample(t.root, false);
  const cold = await sample(t.root, true);
  results.sourceFirstStopMs = cached.stop;
  results.sourceFirstStopExtraMs = round2(cached.stop - without.stop);
  results.sourceColdFirstStopMs = cold.stop;
  results.sourceColdLinesMs = cold.lines;
  notes.push(`kernelSource: ${t.root}, median of ${runs} sessions each (first stop without it: ${without.stop} ms)`);
}
