import protobuf from 'protobufjs';

/**
 * The subset of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) that our
 * generated models use. Field numbers are the official ones; fields we never write are omitted.
 */
const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: {
            Dimension: {
              fields: {
                dimValue: { type: 'int64', id: 1 },
                dimParam: { type: 'string', id: 2 },
              },
            },
          },
        },
        TypeProto: {
          fields: { tensorType: { type: 'Tensor', id: 1 } },
          nested: {
            Tensor: {
              fields: {
                elemType: { type: 'int32', id: 1 },
                shape: { type: 'TensorShapeProto', id: 2 },
              },
            },
          },
        },
        OperatorSetIdProto: {
          fields: {
            domain: { type: 'string', id: 1 },
            version: { type: 'int64', id: 2 },
          },
        },
      },
    },
  },
};

/** TensorProto.DataType values we use. */
export const OnnxDataType = { FLOAT: 1, INT64: 7 } as const;

/** AttributeProto.AttributeType values we use. */
export const OnnxAttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

/** ONNX IR version 8 matches opset 17..18 (onnx 1.13+). */
export const ONNX_IR_VERSION = 8;

const root = protobuf.Root.fromJSON(ONNX_SCHEMA);
export const ModelProto = root.lookupType('onnx.ModelProto');

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
}

export interface OnnxNode {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: OnnxAttribute[];
}

export interface OnnxTensor {
  dims: number[];
  dataType: number;
  name: string;
  rawData: Uint8Array;
}

export interface OnnxValueInfo {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: { dimValue?: number; dimParam?: string }[] } } };
}

export interface OnnxGraph {
  name: string;
  node: OnnxNode[];
  initializer: OnnxTensor[];
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  opsetImport: { domain: string; version: number }[];
  graph: OnnxGraph;
}

/**
 * Serializes a model with protobufjs's Writer. We drive the Writer field by field instead of
 * using reflection's generated encoders because those are compiled with `new Function`, which
 * an extension page's CSP forbids. Field numbers are those of the schema above (which tests use
 * to decode what we write, so the two cannot drift apart unnoticed).
 */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = protobuf.Writer.create();
  w.uint32(tag(1, VARINT)).int64(model.irVersion);
  w.uint32(tag(2, LEN)).string(model.producerName);
  w.uint32(tag(3, LEN)).string(model.producerVersion);
  w.uint32(tag(7, LEN)).fork();
  writeGraph(w, model.graph);
  w.ldelim();
  for (const o of model.opsetImport) {
    w.uint32(tag(8, LEN)).fork();
    w.uint32(tag(1, LEN)).string(o.domain);
    w.uint32(tag(2, VARINT)).int64(o.version);
    w.ldelim();
  }
  return w.finish();
}

const VARINT = 0;
const LEN = 2;
const FIXED32 = 5;
const tag = (field: number, wire: number): number => ((field << 3) | wire) >>> 0;

function writeGraph(w: protobuf.Writer, g: OnnxGraph): void {
  for (const n of g.node) {
    w.uint32(tag(1, LEN)).fork();
    writeNode(w, n);
    w.ldelim();
  }
  w.uint32(tag(2, LEN)).string(g.name);
  for (const t of g.initializer) {
    w.uint32(tag(5, LEN)).fork();
    writeTensor(w, t);
    w.ldelim();
  }
  for (const v of g.input) {
    w.uint32(tag(11, LEN)).fork();
    writeValueInfo(w, v);
    w.ldelim();
  }
  for (const v of g.output) {
    w.uint32(tag(12, LEN)).fork();
    writeValueInfo(w, v);
    w.ldelim();
  }
}

function writeNode(w: protobuf.Writer, n: OnnxNode): void {
  for (const i of n.input) w.uint32(tag(1, LEN)).string(i);
  for (const o of n.output) w.uint32(tag(2, LEN)).string(o);
  w.uint32(tag(3, LEN)).string(n.name);
  w.uint32(tag(4, LEN)).string(n.opType);
  for (const a of n.attribute) {
    w.uint32(tag(5, LEN)).fork();
    w.uint32(tag(1, LEN)).string(a.name);
    if (a.f !== undefined) w.uint32(tag(2, FIXED32)).float(a.f);
    if (a.i !== undefined) w.uint32(tag(3, VARINT)).int64(a.i);
    if (a.s !== undefined) w.uint32(tag(4, LEN)).bytes(a.s);
    for (const f of a.floats ?? []) w.uint32(tag(7, FIXED32)).float(f);
    for (const i of a.ints ?? []) w.uint32(tag(8, VARINT)).int64(i);
    w.uint32(tag(20, VARINT)).int32(a.type);
    w.ldelim();
  }
}

function writeTensor(w: protobuf.Writer, t: OnnxTensor): void {
  for (const d of t.dims) w.uint32(tag(1, VARINT)).int64(d);
  w.uint32(tag(2, VARINT)).int32(t.dataType);
  w.uint32(tag(8, LEN)).string(t.name);
  w.uint32(tag(9, LEN)).bytes(t.rawData);
}

function writeValueInfo(w: protobuf.Writer, v: OnnxValueInfo): void {
  w.uint32(tag(1, LEN)).string(v.name);
  w.uint32(tag(2, LEN)).fork(); // TypeProto
  w.uint32(tag(1, LEN)).fork(); // tensor_type
  w.uint32(tag(1, VARINT)).int32(v.type.tensorType.elemType);
  w.uint32(tag(2, LEN)).fork(); // shape
  for (const d of v.type.tensorType.shape.dim) {
    w.uint32(tag(1, LEN)).fork();
    if (d.dimValue !== undefined) w.uint32(tag(1, VARINT)).int64(d.dimValue);
    if (d.dimParam !== undefined) w.uint32(tag(2, LEN)).string(d.dimParam);
    w.ldelim();
  }
  w.ldelim();
  w.ldelim();
  w.ldelim();
}

/** Decodes bytes back to plain objects (used by tests to inspect generated graphs). */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  const msg = ModelProto.decode(bytes);
  return ModelProto.toObject(msg, { longs: Number, defaults: false, arrays: true }) as unknown as OnnxModel;
}
