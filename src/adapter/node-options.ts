// How an editor starts the adapter process: the Node.js options it gives it (the VS Code
// extension does, and so does the bench; `kpath dap --help` and the README tell other editors).

/**
 * One thread for V8's work in the background (compiling, and its share of garbage collection)
 * instead of Node.js's four. A step is a few short requests, each handled on the adapter's one
 * thread while the editor waits; on a machine with two CPUs, four background threads busy at once
 * (V8 compiles most in a session's first hundreds of steps) take both CPUs from the adapter and
 * the editor, and a step that meets such a burst waits for a CPU. Measured side by side, 16
 * adapters each, started ahead and rehearsed with: p99 6.6 → 4.1 ms, median 0.78 → 0.76 ms; in
 * adapters started at the launch, p99 7.7 → 5.6 ms (README, Performance).
 */
export const ADAPTER_NODE_OPTIONS: readonly string[] = ['--v8-pool-size=1'];
