// The path picture's graph for ELK's layered layout, and ELK's answer as the boxes and arrows the
// webview draws. Calls point down, from caller to callee; ELK keeps the listings' order of the
// functions and of each function's calls where it can, so a row reads in the kernel's call order.

import type { PathPicture } from '../../adapter/pictures';
import type { PathLayout } from './picture-messages';

/** The part of ELK's graph format used here (elkjs's ElkGraph, ElkExtendedEdge). */
export interface ElkGraph {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkGraph[];
  edges?: {
    id: string;
    sources: string[];
    targets: string[];
    sections?: { startPoint: { x: number; y: number }; endPoint: { x: number; y: number }; bendPoints?: { x: number; y: number }[] }[];
  }[];
}

export const LAYOUT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  // The functions come in call order (CallGraph.functions): a call against it closes a loop, and
  // is the one drawn upwards.
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
  // Straighter chains and a narrower picture than the default placement.
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.spacing.nodeNode': '14',
  'elk.layered.spacing.nodeNodeBetweenLayers': '26',
  'elk.spacing.edgeNode': '10',
  'elk.padding': '[top=8,left=8,bottom=8,right=8]',
};

/** Box height, and the room around a function's name in its box. */
export const NODE_HEIGHT = 26;
export const NODE_PADDING = 20;

/** The graph as ELK takes it; `width(name)` is the width of a function's name as drawn. */
export function elkGraph(p: Pick<PathPicture, 'functions' | 'edges'>, width: (name: string) => number): ElkGraph {
  return {
    id: 'root',
    layoutOptions: { ...LAYOUT_OPTIONS },
    children: p.functions.map((f) => ({ id: f.name, width: Math.ceil(width(f.name)) + NODE_PADDING, height: NODE_HEIGHT })),
    edges: p.edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
}

/** ELK's laid-out graph as boxes and arrows (its edge `e<i>` is edge i of the graph). */
export function fromElk(laid: ElkGraph, edges: PathPicture['edges']): PathLayout {
  const round = (v: number | undefined): number => Math.round((v ?? 0) * 10) / 10;
  const out: PathLayout = { width: round(laid.width), height: round(laid.height), nodes: [], edges: [] };
  for (const n of laid.children ?? []) out.nodes.push({ id: n.id, x: round(n.x), y: round(n.y), width: round(n.width), height: round(n.height) });
  for (const e of laid.edges ?? []) {
    const points: { x: number; y: number }[] = [];
    for (const s of e.sections ?? []) {
      points.push({ x: round(s.startPoint.x), y: round(s.startPoint.y) });
      for (const b of s.bendPoints ?? []) points.push({ x: round(b.x), y: round(b.y) });
      points.push({ x: round(s.endPoint.x), y: round(s.endPoint.y) });
    }
    const edge = edges[Number(e.id.slice(1))];
    if (edge) out.edges.push({ from: edge.from, to: edge.to, points });
  }
  return out;
}
