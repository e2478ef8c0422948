import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph-builder';
import { decodeModel, OnnxAttributeType, OnnxDataType } from './onnx-proto';

describe('ONNX encoding', () => {
  it('round-trips a graph with initializers and typed attributes', () => {
    const g = new GraphBuilder();
    g.input('x', [1, 3, 4, 4]);
    const w = g.constant('w', [2, 3, 1, 1], [1, 2, 3, 4, 5, 6]);
    const y = g.op('Conv', ['x', w], { group: 1, strides: [1, 1], auto_pad: 'NOTSET' });
    const z = g.op('LeakyRelu', [y], { alpha: { float: 0.25 } });
    g.expose(z, 'out', [1, 2, 4, 4]);
    const m = decodeModel(g.build('t', 17));
    expect(m.opsetImport).toEqual([{ version: 17 }]); // proto3 drops the empty default domain
    expect(m.graph.input[0].name).toBe('x');
    expect(m.graph.output[0].type.tensorType.shape.dim.map((d) => d.dimValue)).toEqual([1, 2, 4, 4]);
    const init = m.graph.initializer[0];
    expect(init.dataType).toBe(OnnxDataType.FLOAT);
    expect(init.dims).toEqual([2, 3, 1, 1]);
    const raw = init.rawData;
    expect(Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.graph.node.map((n) => n.opType)).toEqual(['Conv', 'LeakyRelu', 'Identity']);
    const attrs = m.graph.node[0].attribute;
    expect(attrs.find((a) => a.name === 'group')).toMatchObject({ type: OnnxAttributeType.INT, i: 1 });
    expect(attrs.find((a) => a.name === 'strides')).toMatchObject({ type: OnnxAttributeType.INTS, ints: [1, 1] });
    expect(new TextDecoder().decode(attrs.find((a) => a.name === 'auto_pad')?.s)).toBe('NOTSET');
    expect(m.graph.node[1].attribute[0]).toMatchObject({ type: OnnxAttributeType.FLOAT, f: 0.25 });
  });

  it('rejects constants whose size does not match their dims', () => {
    expect(() => new GraphBuilder().constant('c', [2, 2], [1, 2, 3])).toThrow(/3 values/);
  });
});
