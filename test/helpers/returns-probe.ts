// The model bundled for the return-value test (test/unit/returns.test.ts): every top-level
// function of src/model/kernel/*.ts is renamed NAME__impl and replaced by a wrapper NAME that
// calls it through `probe.around`, so the test sees each value a function really returns to its
// caller. Calls inside a module go through the wrapper too (function declarations are hoisted),
// and so do calls across modules, timer callbacks and exported references.

import { build, type Plugin } from 'esbuild';
import * as ts from 'typescript';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as Parse from '../../src/model/scenario/parse';
import type * as Run from '../../src/model/run';
import type * as Functions from '../../src/model/kernel/functions';
import type * as IpInput from '../../src/model/kernel/ip_input';
import type * as Addr from '../../src/model/wire/addr';

/** The repository root (this file runs from out/test/helpers). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

export type Impl = (...args: unknown[]) => unknown;

/** Where the wrappers send each call: `around(name, impl, args)` must call impl and return its value. */
export interface Probe {
  around: (fn: string, impl: Impl, args: unknown[]) => unknown;
}

export interface InstrumentedModel {
  parseScenario: typeof Parse.parseScenario;
  createKernel: typeof Run.createKernel;
  runKernel: typeof Run.runKernel;
  MODELED_FUNCTIONS: typeof Functions.MODELED_FUNCTIONS;
  /** The receive side's entry, for frames a test hands to a device. */
  netif_receive_skb: typeof IpInput.netif_receive_skb;
  parseIpv4: typeof Addr.parseIpv4;
  parseMac: typeof Addr.parseMac;
  probe: Probe;
}

const PROBE_MODULE = [
  'export const probe = { around: (fn, impl, args) => impl(...args) };',
  'export function around(fn, impl, args) { return probe.around(fn, impl, args); }',
].join('\n');

/**
 * Rewrites one model file: each top-level `function NAME(` becomes `function NAME__impl(` and a
 * wrapper `function NAME(...a)` (exported when the original was) is appended. Throws when a
 * watcher frame is entered anywhere but directly in a top-level function declaration, since the
 * test could not tie that frame to a return.
 */
export function instrument(file: string, text: string): string {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const renames: number[] = [];
  const names = new Map<string, boolean>();
  for (const st of sf.statements) {
    if (!ts.isFunctionDeclaration(st) || !st.name) continue;
    const mods = st.modifiers ?? [];
    if (st.asteriskToken || mods.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword || m.kind === ts.SyntaxKind.DefaultKeyword)) {
      throw new Error(`${file}: ${st.name.text} is a generator, async or default export; the probe does not wrap those`);
    }
    const exported = mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    names.set(st.name.text, (names.get(st.name.text) ?? false) || exported);
    renames.push(st.name.end);
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'enter') {
      let fn: ts.Node | undefined = node.parent;
      while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
      if (!fn || !ts.isFunctionDeclaration(fn) || fn.parent !== sf) {
        const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
        throw new Error(`${file}:${line + 1}: a frame is entered outside a top-level function declaration; the test cannot see its return`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  let out = text;
  for (const pos of renames.sort((a, b) => b - a)) out = out.slice(0, pos) + '__impl' + out.slice(pos);
  const wrappers = [...names].map(([name, exported]) =>
    `${exported ? 'export ' : ''}function ${name}(...a) { return __returnsAround(${JSON.stringify(name)}, ${name}__impl, a); }`);
  return `${out}\nimport { around as __returnsAround } from 'kpath-returns-probe';\n${wrappers.join('\n')}\n`;
}

/** An esbuild plugin that instruments the files whose path matches `filter`. */
export function probePlugin(filter: RegExp, load: (file: string) => string = (f) => readFileSync(f, 'utf8')): Plugin {
  return {
    name: 'returns-probe',
    setup(b) {
      b.onResolve({ filter: /^kpath-returns-probe$/ }, () => ({ path: 'probe', namespace: 'returns-probe' }));
      b.onLoad({ filter: /.*/, namespace: 'returns-probe' }, () => ({ contents: PROBE_MODULE, loader: 'js' }));
      b.onLoad({ filter }, (args) => ({ contents: instrument(args.path, load(args.path)), loader: 'ts' }));
    },
  };
}

/** Bundles `entry` (TypeScript source resolved from `resolveDir`) with the plugin and loads it. */
export async function bundleWithProbe<T>(entry: string, resolveDir: string, plugin: Plugin): Promise<T> {
  const result = await build({
    stdin: { contents: entry, resolveDir, loader: 'ts', sourcefile: 'returns-entry.ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
    plugins: [plugin],
  });
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(mod, mod.exports, require);
  return mod.exports as T;
}

/** The model with every function of src/model/kernel/ wrapped. */
export function instrumentedModel(): Promise<InstrumentedModel> {
  const entry = [
    "export { parseScenario } from './src/model/scenario/parse';",
    "export { createKernel, runKernel } from './src/model/run';",
    "export { MODELED_FUNCTIONS } from './src/model/kernel/functions';",
    "export { netif_receive_skb } from './src/model/kernel/ip_input';",
    "export { parseIpv4, parseMac } from './src/model/wire/addr';",
    "export { probe } from 'kpath-returns-probe';",
  ].join('\n');
  return bundleWithProbe<InstrumentedModel>(entry, ROOT, probePlugin(/[\\/]src[\\/]model[\\/]kernel[\\/][^\\/]+\.ts$/));
}
