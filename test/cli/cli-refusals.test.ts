// What `kpath` refuses, and how: an empty scenario, contradictory or unknown options of every
// subcommand (exit 2 and a message naming the option), and bad input quoted on stderr without a
// byte a terminal would obey.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SCENARIO, describeRun, kpath, makeTempDir, removeTempDir, stackLines } from '../helpers/cli';

/** Bytes a terminal would act on (every C0 control but the line feed, DEL, C1 controls). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

let dir: string;
before(() => (dir = makeTempDir('kpath-refusals-')));
after(() => removeTempDir(dir));

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

function refused(args: string[], message: RegExp): void {
  const r = kpath(args);
  assert.equal(r.status, 2, describeRun(r));
  assert.match(r.stderr, message, describeRun(r));
  assert.deepEqual(stackLines(r.stderr), [], describeRun(r));
  assert.doesNotMatch(r.stderr, RAW_CONTROL, describeRun(r));
}

describe('kpath refuses', () => {
  test('an empty scenario, with its line and column', () => {
    refused(['run', write('empty.kpath', '')], /empty\.kpath:1:1: the scenario is empty/);
    refused(['run', write('comments.kpath', '# nothing here\n\nrun 1s\n')], /comments\.kpath:1:1: the scenario is empty/);
  });

  test('--counts with --records', () => {
    refused(['run', DEFAULT_SCENARIO, '--counts', '--records'], /--counts and --records contradict each other/);
    refused(['run', DEFAULT_SCENARIO, '--records', '--counts'], /--counts and --records contradict each other/);
    // Either alone, or twice, is fine.
    for (const a of [['--counts'], ['--records'], ['--counts', '--counts']]) {
      const r = kpath(['run', DEFAULT_SCENARIO, ...a]);
      assert.equal(r.status, 0, describeRun(r));
    }
  });

  test('unknown options of every subcommand', () => {
    const scenario = DEFAULT_SCENARIO;
    refused(['run', scenario, '--frobnicate'], /unknown option --frobnicate/);
    refused(['dap', '--frobnicate'], /kpath dap takes no arguments, not "--frobnicate"/);
    refused(['capture', scenario, dir, '--frobnicate'], /unknown option --frobnicate/);
    refused(['compare', scenario, '--frobnicate'], /unknown option --frobnicate/);
    refused(['functions', '--frobnicate'], /kpath functions takes no arguments, not "--frobnicate"/);
    refused(['functions', 'extra'], /kpath functions takes no arguments/);
    refused(['tutorial', 'check', '--frobnicate'], /unknown option --frobnicate/);
    refused(['tutorial', 'frobnicate'], /unknown subcommand "frobnicate"/);
    refused(['frobnicate'], /unknown command "frobnicate"/);
  });

  test('a scenario with control bytes: quoted on stderr, never written raw', () => {
    const f = write('ctl.kpath', 'link add e\u001b[31mth0\u0000 mtu 1500\nat 0ms send udp to 192.0.2.2:9000\u0007\nlink add \u009b2J\u202eevil\n');
    const r = kpath(['run', f]);
    assert.equal(r.status, 2, describeRun(r));
    assert.doesNotMatch(r.stderr, RAW_CONTROL, describeRun(r));
    assert.doesNotMatch(r.stderr, /\u202e/, describeRun(r));
    assert.match(r.stderr, /ctl\.kpath:1:10: .*e\\x1b\[31mth0\\x00/, describeRun(r));
    assert.match(r.stderr, /\\x9b2J\\u202eevil/, describeRun(r));
  });

  test('an option without its value, a value given to a flag, a second scenario', () => {
    refused(['run', DEFAULT_SCENARIO, '--pcap'], /--pcap needs a value/);
    refused(['run', DEFAULT_SCENARIO, '--pcap', '--trace'], /--pcap needs a value/);
    refused(['run', DEFAULT_SCENARIO, '--pcap='], /--pcap needs a value/);
    refused(['compare', DEFAULT_SCENARIO, '--capture'], /--capture needs a value/);
    refused(['run', DEFAULT_SCENARIO, '--trace=yes'], /unknown option --trace=yes/);
    refused(['capture', DEFAULT_SCENARIO, dir, '--force=1'], /unknown option --force=1/);
    refused(['run', DEFAULT_SCENARIO, DEFAULT_SCENARIO], /one scenario file at a time/);
    refused(['run', '--trace'], /kpath run needs a scenario file/);
    refused(['run', DEFAULT_SCENARIO, '--kernel=5.4'], /--kernel must be 6\.18 or 4\.9, not "5\.4"/);
  });

  test('options as --name value or --name=value, and operands after --', () => {
    const pcap = path.join(dir, 'both.pcap');
    for (const args of [['--pcap', pcap, '--break', 'ip_output', '--kernel', '4.9'], [`--pcap=${pcap}`, '--break=ip_output', '--kernel=4.9']]) {
      fs.rmSync(pcap, { force: true });
      const r = kpath(['run', DEFAULT_SCENARIO, ...args]);
      assert.equal(r.status, 0, describeRun(r));
      assert.match(r.stdout, /kernel 4\.9/, describeRun(r));
      assert.match(r.stdout, /ip_output/, describeRun(r));
      assert.ok(fs.statSync(pcap).size > 24, 'the pcap has frames');
    }
    const dashed = write('-dashed.kpath', fs.readFileSync(DEFAULT_SCENARIO, 'utf8'));
    refused(['run', path.basename(dashed)], /unknown option -d/);
    const r = kpath(['run', '--', dashed]);
    assert.equal(r.status, 0, describeRun(r));
  });

  test('arguments with control bytes: quoted on stderr, never written raw', () => {
    refused(['run', DEFAULT_SCENARIO, '--x\u001b]0;owned\u0007'], /unknown option --x\\x1b\]0;owned\\x07/);
    refused(['run', path.join(dir, 'no\u001b[2Jfile.kpath')], /cannot read .*no\\x1b\[2Jfile\.kpath/);
  });
});
