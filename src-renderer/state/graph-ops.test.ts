import type { Edge } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { connect, copySelection, createNode, distanceToSegment, fromGraph, insertIntoEdge, mergeHandleId, pasteClip, pasteOffset, toGraph, withMergeHandles } from './graph-ops';
import { takesManyInputs } from '../../src-shared/catalog/node-kind';
import { getNodeKind } from '../../src-shared/catalog/registry';
import type { StudioNode } from './graph-ops';

const node = (id: string, kind: string, selected = false): StudioNode => ({ ...createNode(kind, { x: 0, y: 0 }, new Set()), id, selected });
const edge = (id: string, source: string, target: string): Edge => ({ id, source, target });

describe('graph operations', () => {
  it('copies the selected nodes with the edges among them only, and pastes them with fresh ids, offset and selected', () => {
    const nodes = [node('in', 'input'), node('enc1', 'encoder', true), node('code1', 'bottleneck', true), node('out', 'output')];
    const edges = [edge('e1', 'in', 'enc1'), edge('e2', 'enc1', 'code1'), edge('e3', 'code1', 'out')];
    const clip = copySelection(nodes, edges)!;
    expect(clip.nodes.map((n) => n.id)).toEqual(['enc1', 'code1']);
    expect(clip.edges.map((e) => e.id)).toEqual(['e2']);
    const pasted = pasteClip(clip, nodes, edges, { x: 40, y: 40 });
    expect(pasted.nodes.map((n) => [n.id, n.position, n.selected])).toEqual([['encoder1', { x: 40, y: 40 }, true], ['bottleneck1', { x: 40, y: 40 }, true]]);
    expect(pasted.edges).toMatchObject([{ id: 'e4', source: 'encoder1', target: 'bottleneck1' }]);
    // The clip is a copy: editing the pasted node does not touch the original.
    pasted.nodes[0].data.params.units = 7;
    expect(nodes[1].data.params.units).toBe(128);
  });

  it('a new connection into a one-input node replaces its old input; one output may feed several nodes', () => {
    const edges = connect([edge('e1', 'a', 'b')], 'c', 'b');
    expect(edges.map((e) => `${e.source}->${e.target}`)).toEqual(['c->b']);
    expect(connect(edges, 'b', 'b')).toEqual(edges); // no self-loops
    expect(connect(edges, 'c', 'd').map((e) => `${e.source}->${e.target}`)).toEqual(['c->b', 'c->d']);
  });

  it('a connection into a merge adds an input after the others, once', () => {
    let edges = connect([edge('e1', 'a', 'm')], 'b', 'm', true);
    edges = connect(edges, 'c', 'm', true);
    expect(edges.map((e) => `${e.source}->${e.target}`)).toEqual(['a->m', 'b->m', 'c->m']);
    expect(connect(edges, 'b', 'm', true)).toEqual(edges);
    expect(takesManyInputs(getNodeKind('merge'))).toBe(true);
    expect(takesManyInputs(getNodeKind('decoder'))).toBe(false);
  });

  it('inserting a node into an edge splits it in two where it was, so a merge keeps its inputs in order', () => {
    const edges = insertIntoEdge([edge('e1', 'a', 'm'), edge('e2', 'b', 'm'), edge('e3', 'm', 'out')], edge('e1', 'a', 'm'), 'noise1');
    expect(edges.map((e) => `${e.source}->${e.target}`)).toEqual(['a->noise1', 'noise1->m', 'b->m', 'm->out']);
    expect(toGraph([], edges).edges.filter((e) => e.target === 'm').map((e) => e.source)).toEqual(['noise1', 'b']);
  });

  it('puts each connection into a merge on its own handle, in input order, leaving other edges as they are', () => {
    const edges = [edge('e1', 'a', 'm'), edge('e2', 'm', 'out'), edge('e3', 'b', 'm')];
    const shown = withMergeHandles(edges, (id) => id === 'm');
    expect(shown.map((e) => e.targetHandle)).toEqual([mergeHandleId(0), undefined, mergeHandleId(1)]);
    expect(shown[1]).toBe(edges[1]);
    expect(toGraph([], shown).edges).toEqual(toGraph([], edges).edges); // handles are the canvas's, not the file's
  });

  it('round-trips through the stored graph form', () => {
    const nodes = [node('in', 'input'), { ...node('c', 'bottleneck'), data: { kind: 'bottleneck', params: { size: 5 }, label: 'Code' } }];
    const edges = [edge('e1', 'in', 'c')];
    const g = toGraph(nodes, edges);
    expect(g.nodes[1]).toEqual({ id: 'c', kind: 'bottleneck', params: { size: 5 }, position: { x: 0, y: 0 }, label: 'Code' });
    expect(toGraph(fromGraph(g).nodes, fromGraph(g).edges)).toEqual(g);
  });

  it('measures the distance from a point to a segment', () => {
    expect(distanceToSegment({ x: 5, y: 3 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(3);
    expect(distanceToSegment({ x: -4, y: 3 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(5);
  });

  it('pastes clear of the copied nodes: below the lowest one, whatever their sizes', () => {
    const a = { ...createNode('encoder', { x: 0, y: 0 }, new Set()), measured: { width: 170, height: 70 } };
    const b = { ...createNode('bottleneck', { x: 220, y: 50 }, new Set()), measured: { width: 170, height: 90 } };
    const offset = pasteOffset({ nodes: [a, b], edges: [] });
    const pasted = pasteClip({ nodes: [a, b], edges: [] }, [a, b], [], offset);
    for (const p of pasted.nodes)
      for (const o of [a, b]) {
        const overlapX = p.position.x < o.position.x + 170 && o.position.x < p.position.x + 170;
        const overlapY = p.position.y < o.position.y + o.measured.height && o.position.y < p.position.y + (p.measured?.height ?? 0);
        expect(overlapX && overlapY, `${p.id} over ${o.id}`).toBe(false);
      }
    expect(offset).toEqual({ x: 0, y: 50 + 90 + 40 });
  });
});
