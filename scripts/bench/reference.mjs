// The first stop against a reference adapter (`--reference`): another debug adapter started and
// driven exactly as kpath's, taking turns with it so that both meet the same load. The reference
// stops on entry with one line breakpoint set in its program, as kpath stops on entry with the
// bench's one function breakpoint set: the same launch, each in its own words.

import * as fs from 'node:fs';
import { Dap, launch, showStop } from './dap-client.mjs';
import { median, round2 } from './measure.mjs';
import { session, steppingScenario } from './stepping.mjs';

/** A line of the program in its middle that has text on it, for the reference's one breakpoint. */
function middleLine(program) {
  const lines = fs.readFileSync(program, 'utf8').split('\n');
  for (let i = lines.length >> 1; i < lines.length; i++) if (lines[i].trim()) return i + 1;
  return 1;
}

async function referenceSession(adapter, program, line) {
  const dap = new Dap(adapter);
  try {
    const first = await launch(dap, { program, stopOnEntry: true }, [], { path: program, lines: [line] });
    await showStop(dap, first.ev);
    return first.ms;
  } finally {
    await dap.close();
  }
}

export async function reference({ options, quick, tmp, env, results, notes }) {
  const { reference: adapter, referenceProgram: program } = options;
  const file = steppingScenario(tmp);
  const line = middleLine(program);
  const turns = quick ? 10 : 100;
  // One session of each first, not counted: the files read, kpath's code cache written.
  await referenceSession(adapter, program, line);
  await session(file, env, 0);
  const ref = [];
  const own = [];
  for (let i = 0; i < turns; i++) {
    // Who goes first alternates, so that neither always follows the other.
    if (i % 2) own.push((await session(file, env, 0)).first);
    ref.push(await referenceSession(adapter, program, line));
    if (!(i % 2)) own.push((await session(file, env, 0)).first);
  }
  results.referenceFirstStopMs = round2(median(ref));
  results.pairedFirstStopMs = round2(median(own));
  results.firstStopOverReferenceMs = round2(median(own.map((t, i) => t - ref[i])));
  results.firstStopFasterTurns = own.filter((t, i) => t < ref[i]).length;
  results.referenceTurns = turns;
  notes.push(`reference: ${adapter} (program ${program}, a breakpoint on line ${line}), ${turns} turns`);
}
