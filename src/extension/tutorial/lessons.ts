// The bundled lessons (media/lessons/*.lesson), read from the extension's folder when the tutorial
// is opened. A lesson file that cannot be read is listed with its problem instead of failing all.

import fs = require('node:fs');
import path = require('node:path');
import { parseLesson, lessonId } from '../../tutorial/lesson';
import type { Lesson } from '../../tutorial/lesson';
import type { BrokenLesson } from '../../tutorial/view';

export interface LessonSet {
  lessons: Lesson[];
  broken: BrokenLesson[];
  /** The absolute path of a lesson's scenario. */
  scenarioOf(lesson: Lesson): string;
}

export function lessonsDir(extensionPath: string): string {
  return path.join(extensionPath, 'media', 'lessons');
}

export function loadLessons(extensionPath: string): LessonSet {
  const dir = lessonsDir(extensionPath);
  const lessons: Lesson[] = [];
  const broken: BrokenLesson[] = [];
  let files: string[] = [];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.lesson')).sort();
  } catch {
    // no lessons folder: the panel says there are no lessons
  }
  for (const f of files) {
    const file = path.join(dir, f);
    try {
      lessons.push(parseLesson(fs.readFileSync(file, 'utf8'), file));
    } catch (e) {
      broken.push({ id: lessonId(f), problem: e instanceof Error ? e.message : String(e) });
    }
  }
  return { lessons, broken, scenarioOf: (l) => path.resolve(path.dirname(l.file), l.scenario.path) };
}
