// The tutorial panel's words in the display language (vscode.l10n), handed to the view builder.

import vscode = require('vscode');
import { l10n } from 'vscode';
import type { PanelStrings } from '../../tutorial/view';
import type { Lang } from '../../tutorial/lesson';

/** The lessons' language for VS Code's display language: Chinese for zh-cn (and zh), English otherwise. */
export function lessonLanguage(): Lang {
  const l = vscode.env.language.toLowerCase();
  return /^zh([-_]|$)/.test(l) && !/^zh[-_](tw|hk|mo|hant)/.test(l) ? 'zh' : 'en';
}

export function panelStrings(): PanelStrings {
  return {
    labels: {
      lessons: l10n.t('Lessons'),
      back: l10n.t('Back'),
      next: l10n.t('Next'),
      reset: l10n.t('Reset this lesson'),
      submit: l10n.t('Answer'),
      answerPlaceholder: l10n.t('Your prediction'),
      evidence: l10n.t('What the model shows'),
      target: l10n.t('Stop where'),
      openScenario: l10n.t('Open the scenario'),
    },
    stepOf: (n, total) => l10n.t('Step {0} of {1}', n, total),
    progress: (done, total) => l10n.t('{0}/{1}', done, total),
    waiting: l10n.t('Waiting for the model to get there: debug the lesson\'s scenario.'),
    waitingAnswer: l10n.t('Prediction noted. The model will show the answer when it gets there.'),
    reached: l10n.t('Done: the model got there.'),
    lessonDone: l10n.t('Lesson complete.'),
    yourAnswer: (given) => l10n.t('Your answer: {0}', given),
    correct: (value) => l10n.t('Right: the model says {0}.', value),
    wrong: (value) => l10n.t('Not quite: the model says {0}.', value),
    cannotEvaluate: (message) => l10n.t('The model cannot evaluate the answer here: {0}', message),
    knob: (change) => l10n.t('What if: {0}', change),
    noLessons: l10n.t('No lessons were found in this installation of kpath.'),
    session: {
      none: l10n.t('No kpath debug session.'),
      other: l10n.t('The debug session runs another scenario than this lesson\'s.'),
      mismatch: l10n.t('The debug session runs this lesson\'s scenario without this step\'s change.'),
      running: l10n.t('The lesson\'s scenario is running.'),
      stopped: (where) => l10n.t('Stopped at {0}', where),
      start: l10n.t('Debug the lesson\'s scenario'),
      rerun: l10n.t('Run again with this change'),
    },
  };
}
