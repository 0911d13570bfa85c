// ELK (the Eclipse Layout Kernel, compiled to JavaScript) for the path picture's page, which loads
// this script only when it must lay out a graph it has no layout for.

import ELK from 'elkjs/lib/elk.bundled.js';

(window as unknown as { kpathELK: typeof ELK }).kpathELK = ELK;
