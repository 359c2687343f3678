/**
 * Draws an engine's physical plan (an {@link EnginePlan}: nodes, edges, and `parent` links that nest
 * operators in chains, tasks in slots, executors in workers) as inline SVG, with no library.
 *
 * Layout: a node with children is a group box around them; a node without children is a box with its
 * label and kind. Inside every group (and at the top level) the children are placed in columns, left
 * to right, by longest path over the plan's edges lifted to that level (an edge between descendants
 * of two different children counts as an edge between those children). Groups that feed each other
 * (TaskManagers exchanging a shuffle) share a column; other cycles (an acker acking back to its
 * spout) are broken depth-first from the sources. Within a column boxes are ordered by the mean row
 * of their predecessors, to cut crossings; unconnected parts are stacked. An edge that skips columns
 * runs in a lane of its own below the boxes instead of through them. Edges are drawn between the real
 * endpoints, labelled with their partitioner or grouping. Every text comes from the plan and is escaped.
 */
import type { EnginePlan, PlanEdge, PlanNode } from '../../engines/api/index.js';
import { escapeHtml } from '../page/index.js';

/** Plans larger than this are not drawn (their text form is still shown). */
export const MAX_DRAWN_NODES = 400;
export const MAX_DRAWN_EDGES = 2000;

const LEAF_H = 40;
const LEAF_MIN_W = 96;
const LEAF_MAX_W = 250;
const CHAR_W = 6.9;
const PAD = 10;
const GROUP_HEADER = 20;
const GAP_X = 56;
const GAP_Y = 12;
const MAX_LABEL = 34;
/** Space between the boxes and the first lane, and between lanes (room for a label above each). */
const LANE_GAP = 16;
const LANE_SPACING = 18;
/** Longest edge label drawn (characters). */
const MAX_EDGE_LABEL = 28;

interface Point {
  x: number;
  y: number;
}

/** The path of an edge that skips columns: points along its lane, relative to a container until placed. */
interface Lane {
  points: Point[];
  /** Where its label goes (above the lane's middle). */
  label: Point;
}

interface Box {
  node: PlanNode;
  children: Box[];
  w: number;
  h: number;
  /** Position relative to the parent's top-left corner, then absolute after placement. */
  x: number;
  y: number;
  /** Lanes of edges laid out inside this box, positioned with it. */
  lanes: Lane[];
}

export interface DiagramResult {
  /** The SVG element, or a short explanation when the plan cannot be drawn. */
  html: string;
  drawn: boolean;
}

/**
 * The SVG of a plan. `idPrefix` makes the ids inside the SVG (the arrow marker) unique in the page.
 */
export function planDiagram(plan: Pick<EnginePlan, 'nodes' | 'edges'>, idPrefix: string, title: string): DiagramResult {
  const nodes = Array.isArray(plan.nodes) ? plan.nodes.filter(isNode) : [];
  const edges = Array.isArray(plan.edges) ? plan.edges.filter(isEdge) : [];
  if (nodes.length === 0) return { html: '<p class="muted">The plan has no nodes to draw.</p>', drawn: false };
  if (nodes.length > MAX_DRAWN_NODES || edges.length > MAX_DRAWN_EDGES) {
    return {
      html: `<p class="muted">The plan has ${nodes.length} nodes and ${edges.length} edges: too many to draw legibly; its text form is below.</p>`,
      drawn: false,
    };
  }

  const { root, top, boxes, laneOf, drawable } = layout(nodes, edges);

  // Edges between real endpoints, duplicates (same ends and label) drawn once with a count.
  const merged = new Map<string, { edge: PlanEdge; count: number }>();
  for (const e of drawable) {
    const key = JSON.stringify([e.from, e.to, e.label ?? '']);
    const m = merged.get(key);
    if (m) m.count++;
    else merged.set(key, { edge: e, count: 1 });
  }

  const marker = `${idPrefix}-arrow`;
  const parts: string[] = [];
  const width = Math.ceil(root.w);
  const height = Math.ceil(root.h);
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="plan-diagram" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">`,
  );
  parts.push(
    `<defs><marker id="${marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="pd-arrow" d="M0,0 L10,5 L0,10 z"/></marker></defs>`,
  );
  for (const b of top) drawBox(b, parts);
  const labels: string[] = [];
  const labelSpots: { x1: number; x2: number; y1: number; y2: number }[] = [];
  for (const { edge, count } of merged.values()) {
    const a = boxes.get(edge.from)!;
    const b = boxes.get(edge.to)!;
    const lane = laneOf.get(edge);
    const text = truncate(`${edge.label ?? ''}${count > 1 ? ` \u00d7${count}` : ''}`, MAX_EDGE_LABEL);
    const midY = (box: Box) => box.y + Math.min(box.h / 2, GROUP_HEADER + 10);
    // Leave from the side facing the target; a lane decides which way the edge runs.
    const forward = lane ? lane.points[lane.points.length - 1]!.x >= lane.points[0]!.x : b.x + b.w / 2 >= a.x + a.w / 2 || b.x >= a.x + a.w;
    const start = { x: forward ? a.x + a.w : a.x, y: midY(a) };
    const end = { x: forward ? b.x : b.x + b.w, y: midY(b) };
    const points = [start, ...(lane?.points ?? []), end];
    let d = `M${f(start.x)},${f(start.y)}`;
    let mid: Point = lane ? { x: lane.label.x, y: lane.label.y } : start;
    for (let i = 1; i < points.length; i++) {
      const p = points[i - 1]!;
      const q = points[i]!;
      const dir = q.x >= p.x ? 1 : -1;
      const dx = Math.max(24, Math.abs(q.x - p.x) / 2) * (lane ? dir : 1) * (lane || forward ? 1 : -1);
      const c1 = { x: p.x + dx, y: p.y };
      const c2 = { x: q.x - dx, y: q.y };
      d += ` C${f(c1.x)},${f(c1.y)} ${f(c2.x)},${f(c2.y)} ${f(q.x)},${f(q.y)}`;
      // The curve's midpoint: B(1/2) = (P0 + 3 C1 + 3 C2 + P3) / 8.
      if (!lane) mid = { x: (p.x + 3 * c1.x + 3 * c2.x + q.x) / 8, y: (p.y + 3 * c1.y + 3 * c2.y + q.y) / 8 - 4 };
    }
    parts.push(
      `<path class="pd-edge" d="${d}" marker-end="url(#${marker})"><title>${escapeHtml(`${a.node.label} \u2192 ${b.node.label}${edge.label ? ` (${edge.label})` : ''}${count > 1 ? ` \u00d7${count}` : ''}`)}</title></path>`,
    );
    if (text) {
      // Crossing edges (remote hash edges between TaskManagers) put their labels on one spot: the
      // first one is drawn, the others would be illegible over it (every edge keeps its tooltip).
      const w = text.length * 5.6;
      const spot = { x1: mid.x - w / 2, x2: mid.x + w / 2, y1: mid.y - 10, y2: mid.y + 2 };
      if (labelSpots.some((o) => o.x1 < spot.x2 && spot.x1 < o.x2 && o.y1 < spot.y2 && spot.y1 < o.y2)) continue;
      labelSpots.push(spot);
      labels.push(`<text class="pd-edge-label" x="${f(mid.x)}" y="${f(mid.y)}" text-anchor="middle">${escapeHtml(text)}</text>`);
    }
  }
  parts.push(...labels); // labels last, so no edge is drawn over them
  parts.push('</svg>');
  return { html: parts.join(''), drawn: true };
}

interface LaidOut {
  root: Box;
  top: Box[];
  boxes: Map<string, Box>;
  laneOf: Map<PlanEdge, Lane>;
  /** Edges whose ends exist and differ. */
  drawable: PlanEdge[];
}

/** Positions every node (absolute, in px) and every lane. */
function layout(nodes: readonly PlanNode[], edges: readonly PlanEdge[]): LaidOut {
  // Unique nodes by id; a parent that is missing, or that would make a cycle, is ignored.
  const byId = new Map<string, PlanNode>();
  for (const n of nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const parentOf = new Map<string, string | undefined>();
  for (const n of byId.values()) parentOf.set(n.id, validParent(n, byId));

  const boxes = new Map<string, Box>();
  for (const n of byId.values()) boxes.set(n.id, { node: n, children: [], w: 0, h: 0, x: 0, y: 0, lanes: [] });
  const top: Box[] = [];
  for (const n of byId.values()) {
    const p = parentOf.get(n.id);
    (p === undefined ? top : boxes.get(p)!.children).push(boxes.get(n.id)!);
  }

  // For lifting edges: the chain of ancestors of every node, nearest first.
  const ancestors = (id: string): string[] => {
    const chain = [id];
    for (let p = parentOf.get(id); p !== undefined; p = parentOf.get(p)) chain.push(p);
    return chain;
  };
  const chains = new Map<string, string[]>();
  for (const id of byId.keys()) chains.set(id, ancestors(id));
  const drawable = edges.filter((e) => byId.has(e.from) && byId.has(e.to) && e.from !== e.to);

  const root: Box = { node: { id: '\u0000root', label: '', kind: '' }, children: top, w: 0, h: 0, x: 0, y: 0, lanes: [] };
  const laneOf = new Map<PlanEdge, Lane>();
  measure(root, { edges: drawable, chains, laneOf }, true);
  place(root, 0, 0);

  return { root, top, boxes, laneOf, drawable };
}

/** Where a plan's nodes are drawn: for tests and tools. Positions in px from the diagram's top-left. */
export interface PlanLayout {
  width: number;
  height: number;
  nodes: Map<string, { x: number; y: number; w: number; h: number }>;
  /** The lane of each edge that skips columns (as `from>to`): its y. */
  laneY: Map<string, number>;
}

export function planLayout(plan: Pick<EnginePlan, 'nodes' | 'edges'>): PlanLayout {
  const nodes = Array.isArray(plan.nodes) ? plan.nodes.filter(isNode) : [];
  const edges = Array.isArray(plan.edges) ? plan.edges.filter(isEdge) : [];
  const { root, boxes, laneOf } = layout(nodes, edges);
  const out = new Map<string, { x: number; y: number; w: number; h: number }>();
  for (const [id, b] of boxes) out.set(id, { x: b.x, y: b.y, w: b.w, h: b.h });
  const laneY = new Map<string, number>();
  for (const [e, lane] of laneOf) laneY.set(`${e.from}>${e.to}`, lane.points[0]!.y);
  return { width: root.w, height: root.h, nodes: out, laneY };
}

function isNode(n: unknown): n is PlanNode {
  const o = n as Partial<PlanNode> | null;
  return typeof o === 'object' && o !== null && typeof o.id === 'string';
}

function isEdge(e: unknown): e is PlanEdge {
  const o = e as Partial<PlanEdge> | null;
  return typeof o === 'object' && o !== null && typeof o.from === 'string' && typeof o.to === 'string';
}

/** The node's parent id if it exists and following parents from it never comes back to the node. */
function validParent(n: PlanNode, byId: Map<string, PlanNode>): string | undefined {
  const p = typeof n.parent === 'string' ? n.parent : undefined;
  if (p === undefined || !byId.has(p) || p === n.id) return undefined;
  const seen = new Set([n.id]);
  for (let q: string | undefined = p; q !== undefined; q = byId.get(q)?.parent) {
    if (seen.has(q)) return undefined;
    seen.add(q);
    if (!byId.has(q)) break;
  }
  return p;
}

/** What every level of one diagram's layout shares. */
interface Layout {
  edges: readonly PlanEdge[];
  /** Every node's id and its ancestors' ids, nearest first. */
  chains: Map<string, string[]>;
  /** Filled in: the lane of every edge that skips columns. */
  laneOf: Map<PlanEdge, Lane>;
}

/** Edges between two children of a group, lifted to the children. */
interface LiftedPair {
  a: number;
  b: number;
  edges: PlanEdge[];
}

/** Sizes a box and lays its children out relative to its top-left corner. */
function measure(box: Box, layout: Layout, isRoot = false): void {
  if (box.children.length === 0) {
    const label = displayLabel(box.node);
    const kind = kindLine(box.node);
    const textW = Math.max(label.length * CHAR_W + 4, kind.length * 6 + 4);
    box.w = Math.min(LEAF_MAX_W, Math.max(LEAF_MIN_W, textW + 2 * PAD));
    box.h = LEAF_H;
    return;
  }
  for (const c of box.children) measure(c, layout);
  const children = box.children;
  const n = children.length;

  // Lift every edge to this level: which child holds each endpoint.
  const index = new Map<string, number>();
  children.forEach((c, i) => index.set(c.node.id, i));
  const childHolding = (id: string): number | undefined => {
    for (const a of layout.chains.get(id) ?? []) {
      const i = index.get(a);
      if (i !== undefined) return i;
    }
    return undefined;
  };
  const succ: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  const pred: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  const pairs = new Map<string, LiftedPair>();
  for (const e of layout.edges) {
    const a = childHolding(e.from);
    const b = childHolding(e.to);
    if (a === undefined || b === undefined || a === b) continue;
    succ[a]!.add(b);
    pred[b]!.add(a);
    const key = `${a}>${b}`;
    const pair = pairs.get(key) ?? { a, b, edges: [] };
    pair.edges.push(e);
    pairs.set(key, pair);
  }
  const rank = ranks(children, succ);

  // Each connected part is laid out on its own (columns by rank), and the parts are stacked; single
  // unconnected children share rows, so a group of many independent boxes stays compact.
  const parts = connectedParts(n, succ, pred);
  const blocks: Block[] = parts.map((members) => {
    const inPart = new Set(members);
    return columnsBlock(
      members,
      children,
      rank,
      pred,
      [...pairs.values()].filter((p) => inPart.has(p.a)),
      layout.laneOf,
    );
  });
  const widest = Math.max(...blocks.map((b) => b.w));
  const rowLimit = Math.max(widest, 720);
  let y = 0;
  let contentW = 0;
  for (let i = 0; i < blocks.length; ) {
    // A run of single-box blocks goes into rows up to rowLimit wide.
    const row: Block[] = [blocks[i]!];
    let rowW = blocks[i]!.w;
    i++;
    if (row[0]!.single) {
      while (i < blocks.length && blocks[i]!.single && rowW + GAP_Y + blocks[i]!.w <= rowLimit) {
        rowW += GAP_Y + blocks[i]!.w;
        row.push(blocks[i]!);
        i++;
      }
    }
    let x = 0;
    const rowH = Math.max(...row.map((b) => b.h));
    for (const b of row) {
      for (const [child, cx, cy] of b.placed) {
        child.x = x + cx;
        child.y = y + cy;
      }
      for (const lane of b.lanes) {
        for (const p of [...lane.points, lane.label]) {
          p.x += x;
          p.y += y;
        }
        box.lanes.push(lane);
      }
      x += b.w + GAP_Y;
    }
    contentW = Math.max(contentW, x - GAP_Y);
    y += rowH + 2 * GAP_Y;
  }
  const contentH = y - 2 * GAP_Y;
  const header = isRoot ? 0 : GROUP_HEADER;
  const groupLabelW = isRoot ? 0 : groupLabel(box.node).length * 6.6 + 2 * PAD;
  box.w = Math.max(contentW + 2 * PAD, groupLabelW);
  box.h = contentH + header + 2 * PAD;
  for (const c of children) {
    c.x += PAD;
    c.y += header + PAD;
  }
  for (const lane of box.lanes) {
    for (const p of [...lane.points, lane.label]) {
      p.x += PAD;
      p.y += header + PAD;
    }
  }
}

/** A laid-out connected part: its size and its children's positions inside it. */
interface Block {
  w: number;
  h: number;
  placed: [Box, number, number][];
  /** One box and nothing connected to it. */
  single: boolean;
  lanes: Lane[];
}

/**
 * Columns by rank, each column's boxes stacked and centred, ordered by the mean row of their
 * predecessors. The gap between two columns fits the longest label of an edge between them. Edges
 * that skip columns get lanes below the boxes, shortest nearest, one lane per edge where they overlap.
 */
function columnsBlock(
  members: number[],
  children: Box[],
  rank: number[],
  pred: Set<number>[],
  pairs: LiftedPair[],
  laneOf: Map<PlanEdge, Lane>,
): Block {
  const byRank = new Map<number, number[]>();
  for (const i of members) byRank.set(rank[i]!, [...(byRank.get(rank[i]!) ?? []), i]);
  const ranksUsed = [...byRank.keys()].sort((a, b) => a - b);
  const columns = ranksUsed.map((r) => byRank.get(r)!);
  const columnOf = new Map<number, number>();
  columns.forEach((column, c) => column.forEach((i) => columnOf.set(i, c)));
  const row = new Map<number, number>();
  for (const column of columns) {
    const key = (i: number): number => {
      const ps = [...pred[i]!].filter((p) => rank[p]! < rank[i]! && row.has(p));
      return ps.length === 0 ? Infinity : ps.reduce((s, p) => s + row.get(p)!, 0) / ps.length;
    };
    const keyed = column.map((i, order) => ({ i, k: key(i), order }));
    keyed.sort((a, b) => (a.k === b.k ? a.order - b.order : a.k < b.k ? -1 : 1));
    keyed.forEach((e, r) => row.set(e.i, r));
    column.splice(0, column.length, ...keyed.map((e) => e.i));
  }

  // Gaps: room for the labels of the edges between neighbouring columns.
  const labelLength = (p: LiftedPair) => Math.max(0, ...p.edges.map((e) => Math.min(String(e.label ?? '').length + 3, MAX_EDGE_LABEL)));
  const gaps = columns.map(() => GAP_X);
  const long: { pair: LiftedPair; from: number; to: number }[] = [];
  for (const p of pairs) {
    const ca = columnOf.get(p.a)!;
    const cb = columnOf.get(p.b)!;
    if (Math.abs(cb - ca) === 1) gaps[Math.min(ca, cb)] = Math.max(gaps[Math.min(ca, cb)]!, labelLength(p) * 5.6 + 16);
    if (Math.abs(cb - ca) > 1) long.push({ pair: p, from: Math.min(ca, cb) + 1, to: Math.max(ca, cb) - 1 });
  }
  const heights = columns.map((c) => c.reduce((s, i) => s + children[i]!.h, 0) + GAP_Y * (c.length - 1));
  const boxesH = Math.max(...heights);
  const placed: [Box, number, number][] = [];
  const colX: number[] = [];
  const colW: number[] = [];
  let x = 0;
  columns.forEach((column, c) => {
    const w = Math.max(...column.map((i) => children[i]!.w));
    colX.push(x);
    colW.push(w);
    let y = (boxesH - heights[c]!) / 2;
    for (const i of column) {
      const child = children[i]!;
      placed.push([child, x + (w - child.w) / 2, y]);
      y += child.h + GAP_Y;
    }
    x += w + gaps[c]!;
  });

  // Lanes: interval colouring of the skipped column ranges, shortest first.
  long.sort((p, q) => p.to - p.from - (q.to - q.from) || p.from - q.from);
  const taken: { from: number; to: number }[][] = [];
  const lanes: Lane[] = [];
  for (const l of long) {
    let index = 0;
    while (taken[index]?.some((t) => t.from <= l.to && l.from <= t.to)) index++;
    (taken[index] ??= []).push(l);
    const y = boxesH + LANE_GAP + index * LANE_SPACING;
    const forward = columnOf.get(l.pair.b)! > columnOf.get(l.pair.a)!;
    const left = colX[l.from]! - gaps[l.from - 1]! / 2;
    const right = colX[l.to]! + colW[l.to]! + gaps[l.to]! / 2;
    const points = forward
      ? [
          { x: left, y },
          { x: right, y },
        ]
      : [
          { x: right, y },
          { x: left, y },
        ];
    const lane: Lane = { points, label: { x: (left + right) / 2, y: y - 3 } };
    lanes.push(lane);
    for (const e of l.pair.edges) laneOf.set(e, lane);
  }
  const h = boxesH + (taken.length > 0 ? LANE_GAP + (taken.length - 1) * LANE_SPACING + 6 : 0);
  return { w: x - gaps[columns.length - 1]!, h, placed, single: members.length === 1, lanes };
}

/** Weakly connected parts of the lifted graph, each in child order, ordered by their first child. */
function connectedParts(n: number, succ: Set<number>[], pred: Set<number>[]): number[][] {
  const part = new Array<number>(n).fill(-1);
  const parts: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (part[i] !== -1) continue;
    const members: number[] = [];
    const stack = [i];
    part[i] = parts.length;
    while (stack.length > 0) {
      const v = stack.pop()!;
      members.push(v);
      for (const w of [...succ[v]!, ...pred[v]!]) {
        if (part[w] === -1) {
          part[w] = parts.length;
          stack.push(w);
        }
      }
    }
    parts.push(members.sort((a, b) => a - b));
  }
  return parts;
}

/**
 * Column of every child: the longest path to it over the plan's edges, with cycles broken. Groups
 * that feed each other (two TaskManagers exchanging a shuffle, two workers) form one unit that takes
 * one column, so they are stacked rather than placed one after the other. Any other cycle (a Storm
 * acker acking back to its spout) is broken by ignoring the edges that close it in a depth-first
 * walk that starts from the sources.
 */
function ranks(children: readonly Box[], succ: Set<number>[]): number[] {
  const n = children.length;
  const component = stronglyConnected(n, succ);
  // Units: a strongly connected set of groups is one unit; everything else is a unit of its own.
  const size = new Map<number, number>();
  const allGroups = new Map<number, boolean>();
  for (let i = 0; i < n; i++) {
    const c = component[i]!;
    size.set(c, (size.get(c) ?? 0) + 1);
    allGroups.set(c, (allGroups.get(c) ?? true) && children[i]!.children.length > 0);
  }
  const unitOf = new Array<number>(n);
  const unitIds = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const c = component[i]!;
    const key = size.get(c)! > 1 && allGroups.get(c) ? `c${c}` : `n${i}`;
    if (!unitIds.has(key)) unitIds.set(key, unitIds.size);
    unitOf[i] = unitIds.get(key)!;
  }
  const m = unitIds.size;
  const usucc: Set<number>[] = Array.from({ length: m }, () => new Set<number>());
  const upred: Set<number>[] = Array.from({ length: m }, () => new Set<number>());
  for (let i = 0; i < n; i++) {
    for (const j of succ[i]!) {
      const a = unitOf[i]!;
      const b = unitOf[j]!;
      if (a !== b) {
        usucc[a]!.add(b);
        upred[b]!.add(a);
      }
    }
  }
  // Depth-first from units without predecessors, then from sources, then the rest: an edge to a unit
  // still on the walk's stack closes a cycle and is ignored for ranking.
  const isSource = (u: number) => children.some((c, i) => unitOf[i] === u && kindClass(c.node.kind) === 'source');
  const roots = [...[...Array(m).keys()].filter((u) => upred[u]!.size === 0), ...[...Array(m).keys()].filter(isSource), ...Array(m).keys()];
  const state = new Array<number>(m).fill(0); // 0 new, 1 on the stack, 2 done
  const back = new Set<string>();
  const finished: number[] = [];
  for (const root of roots) {
    if (state[root] !== 0) continue;
    const walk: { u: number; it: Iterator<number> }[] = [{ u: root, it: usucc[root]!.values() }];
    state[root] = 1;
    while (walk.length > 0) {
      const top = walk[walk.length - 1]!;
      const next = top.it.next();
      if (next.done) {
        state[top.u] = 2;
        finished.push(top.u);
        walk.pop();
      } else if (state[next.value] === 1) {
        back.add(`${top.u}>${next.value}`);
      } else if (state[next.value] === 0) {
        state[next.value] = 1;
        walk.push({ u: next.value, it: usucc[next.value]!.values() });
      }
    }
  }
  // Reverse finishing order is a topological order of the edges that are not back edges.
  const unitRank = new Array<number>(m).fill(0);
  for (let k = finished.length - 1; k >= 0; k--) {
    const u = finished[k]!;
    for (const w of usucc[u]!) if (!back.has(`${u}>${w}`)) unitRank[w] = Math.max(unitRank[w]!, unitRank[u]! + 1);
  }
  return unitOf.map((u) => unitRank[u]!);
}

/** The strongly connected component of every node (Tarjan's algorithm, iterative). */
function stronglyConnected(n: number, succ: Set<number>[]): number[] {
  const indexOf = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const component = new Array<number>(n).fill(-1);
  const stack: number[] = [];
  let components = 0;
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (indexOf[root] !== -1) continue;
    const work: { v: number; it: Iterator<number> }[] = [];
    const open = (v: number) => {
      indexOf[v] = low[v] = counter++;
      stack.push(v);
      onStack[v] = true;
      work.push({ v, it: succ[v]!.values() });
    };
    open(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const next = top.it.next();
      if (!next.done) {
        const w = next.value;
        if (indexOf[w] === -1) open(w);
        else if (onStack[w]) low[top.v] = Math.min(low[top.v]!, indexOf[w]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.v] = Math.min(low[parent.v]!, low[top.v]!);
      if (low[top.v] === indexOf[top.v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component[w] = components;
        } while (w !== top.v);
        components++;
      }
    }
  }
  return component;
}

function place(box: Box, originX: number, originY: number): void {
  for (const lane of box.lanes) {
    for (const p of [...lane.points, lane.label]) {
      p.x += originX;
      p.y += originY;
    }
  }
  for (const c of box.children) {
    c.x += originX;
    c.y += originY;
    place(c, c.x, c.y);
  }
}

function drawBox(box: Box, parts: string[]): void {
  const tip = tooltip(box.node);
  if (box.children.length > 0) {
    parts.push(`<g class="pd-group">`);
    parts.push(`<rect x="${f(box.x)}" y="${f(box.y)}" width="${f(box.w)}" height="${f(box.h)}" rx="8"><title>${tip}</title></rect>`);
    parts.push(`<text class="pd-group-label" x="${f(box.x + PAD)}" y="${f(box.y + 15)}">${escapeHtml(groupLabel(box.node))}</text>`);
    for (const c of box.children) drawBox(c, parts);
    parts.push('</g>');
    return;
  }
  // data-node: the plan node's id, by which the live dashboard colours the box.
  parts.push(`<g class="pd-node ${kindClass(box.node.kind)}" data-node="${escapeHtml(box.node.id)}">`);
  parts.push(`<rect x="${f(box.x)}" y="${f(box.y)}" width="${f(box.w)}" height="${f(box.h)}" rx="5"/>`);
  parts.push(
    `<text class="pd-label" x="${f(box.x + box.w / 2)}" y="${f(box.y + 17)}" text-anchor="middle">${escapeHtml(displayLabel(box.node))}</text>`,
  );
  parts.push(
    `<text class="pd-kind" x="${f(box.x + box.w / 2)}" y="${f(box.y + 31)}" text-anchor="middle">${escapeHtml(kindLine(box.node))}</text>`,
  );
  parts.push(`<title>${tip}</title></g>`);
}

/** The style class of a node kind: sources, sinks, stateful operators and system components stand out. */
export function kindClass(kind: unknown): string {
  const k = String(kind ?? '').toLowerCase();
  if (/source|spout|receiver/.test(k)) return 'source';
  if (/sink/.test(k)) return 'sink';
  if (/acker|system|coordinator|master/.test(k)) return 'system';
  if (/window|join|aggregate|state|reduce/.test(k)) return 'stateful';
  return 'op';
}

function displayLabel(n: PlanNode): string {
  return truncate(String(n.label ?? n.id), MAX_LABEL);
}

function kindLine(n: PlanNode): string {
  const p = n.attrs?.parallelism;
  const kind = String(n.kind ?? '');
  return truncate(p !== undefined ? `${kind} \u00d7${String(p)}` : kind, MAX_LABEL + 4);
}

function groupLabel(n: PlanNode): string {
  const label = String(n.label ?? n.id);
  const kind = String(n.kind ?? '');
  return truncate(kind && kind !== label ? `${label} \u00b7 ${kind}` : label, 60);
}

function tooltip(n: PlanNode): string {
  const lines = [`${String(n.label ?? n.id)} (${String(n.kind ?? '')})`];
  const attrs = n.attrs && typeof n.attrs === 'object' ? Object.entries(n.attrs) : [];
  for (const [k, v] of attrs) lines.push(`${k}: ${String(v)}`);
  return escapeHtml(lines.join('\n'));
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '\u2026';
}

function f(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}
