// The explanations beside the listings (src/model/listing/notes) are complete: every modeled
// function of each profile has a summary and a paragraph, and every step point of its listing an
// explanation, in English and in Chinese; nothing is explained that the listings do not have.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODELED_FUNCTIONS } from '../../src/model/kernel/functions';
import { LISTINGS, listingPathFor } from '../../src/model/listing';
import type { ListingProfile } from '../../src/model/listing';
import { fileNotes, functionNotes, noteText, notedFiles, stepNote } from '../../src/model/listing/notes';
import type { Note, NoteLanguage } from '../../src/model/listing/notes';
import { stepsOf } from '../../src/source/match';

const PROFILES: ListingProfile[] = ['6.18', '4.9'];
const LANGS: NoteLanguage[] = ['en', 'zh'];
const CJK = /[\u4e00-\u9fff]/;

/** What is wrong with a note in a profile, or nothing. */
function problems(what: string, note: Note | undefined, profile: ListingProfile): string[] {
  if (!note) return [`${what}: missing`];
  const out: string[] = [];
  for (const lang of LANGS) {
    let text: string | undefined;
    try {
      text = noteText(note, profile, lang);
    } catch {
      text = undefined;
    }
    if (!text || !text.trim()) {
      out.push(`${what}: no ${lang} text for ${profile}`);
      continue;
    }
    if (lang === 'zh' && !CJK.test(text)) out.push(`${what}: the zh text is not Chinese`);
    if (lang === 'en' && CJK.test(text)) out.push(`${what}: the en text has Chinese in it`);
  }
  return out;
}

test('every modeled function and every step point of each profile is explained in English and Chinese', () => {
  const missing: string[] = [];
  let steps = 0;
  for (const profile of PROFILES) {
    for (const m of MODELED_FUNCTIONS.filter((f) => f.profiles.includes(profile))) {
      const n = functionNotes(listingPathFor(m.name)!, m.name);
      if (!n) {
        missing.push(`${m.name}: no explanations`);
        continue;
      }
      missing.push(...problems(`${m.name} summary`, n.summary, profile), ...problems(`${m.name} text`, n.text, profile));
      for (const step of stepsOf(m.name, profile)) {
        steps++;
        missing.push(...problems(`${m.name}:${step} (${profile})`, n.steps[step], profile));
      }
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(steps > 200, `only ${steps} step points`);
});

test('nothing is explained that the listings do not have', () => {
  const listed = new Set(LISTINGS.map((f) => f.path));
  assert.deepEqual(notedFiles().sort(), [...listed].sort(), 'one explanations module per listing file');
  for (const path of notedFiles()) {
    for (const [fn, n] of Object.entries(fileNotes(path)!)) {
      assert.equal(listingPathFor(fn), path, `${fn} is explained in ${path} but listed in ${listingPathFor(fn)}`);
      const steps = new Set(PROFILES.flatMap((p) => stepsOf(fn, p)));
      for (const step of Object.keys(n.steps)) assert.ok(steps.has(step), `${fn}:${step} is explained but no listing of ${fn} has it`);
    }
  }
});

test('a summary fits on one CodeLens line; English and Chinese name the same code', () => {
  for (const profile of PROFILES) {
    for (const m of MODELED_FUNCTIONS.filter((f) => f.profiles.includes(profile))) {
      const n = functionNotes(listingPathFor(m.name)!, m.name)!;
      for (const lang of LANGS) {
        const s = noteText(n.summary, profile, lang);
        assert.ok(!s.includes('\n') && s.length <= 130, `${m.name} (${profile}) ${lang} summary: ${s.length} characters`);
      }
      // Every `code` span of the English text is in the Chinese one, and the other way round.
      const spans = (t: string) => [...new Set([...t.matchAll(/`([^`]+)`/g)].map((x) => x[1]))].sort();
      for (const [what, note] of [['text', n.text], ...Object.entries(n.steps).filter(([s]) => stepsOf(m.name, profile).includes(s))] as [string, Note][]) {
        assert.deepEqual(spans(noteText(note, profile, 'zh')), spans(noteText(note, profile, 'en')), `${m.name} ${what} (${profile}): code spans differ`);
      }
    }
  }
});

test('a step point\'s explanation is found by file, function and label, per profile', () => {
  assert.match(stepNote('net/ipv4/ip_output.c', 'ip_finish_output2', 'nexthop', '4.9', 'en')!, /gateway/);
  assert.match(stepNote('net/ipv4/ip_output.c', 'ip_finish_output2', 'nexthop', '4.9', 'zh')!, /网关/);
  assert.match(stepNote('net/ipv4/ip_output.c', 'ip_finish_output', 'enter', '6.18', 'en')!, /BPF/);
  assert.match(stepNote('net/ipv4/ip_output.c', 'ip_finish_output', 'enter', '4.9', 'en')!, /`mtu`/);
  assert.equal(stepNote('net/ipv4/ip_output.c', 'ip_finish_output2', 'no_such_step', '4.9', 'en'), undefined);
});
