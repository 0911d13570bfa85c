// The explanations beside the model listings: for each modeled function a one-line summary (the
// CodeLens above it), a paragraph (the hover on its name), and for each step point what its line
// decides, what the fields mean, what happens next and how 4.9 and 6.18 differ there. English and
// Simplified Chinese; kernel identifiers in Latin letters in both. `code` in backticks.

import type { ListingProfile } from '../types';

export interface Text {
  en: string;
  zh: string;
}

/** One text, or one per profile where the two versions of the function differ. */
export type Note = Text | Record<ListingProfile, Text>;

export interface FunctionNotes {
  summary: Note;
  text: Note;
  /** 'enter', 'leave' and every w.at label of the function's listing, in either profile. */
  steps: Record<string, Note>;
}

/** The explanations of one listing file, by modeled function. */
export type FileNotes = Record<string, FunctionNotes>;

export type NoteLanguage = keyof Text;
