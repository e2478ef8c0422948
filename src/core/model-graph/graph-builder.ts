import {
  encodeModel,
  ONNX_IR_VERSION,
  OnnxAttributeType,
  OnnxDataType,
  type OnnxAttribute,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnx-proto';

export type AttrValue = number | number[] | string | { float: number } | { floats: number[] };

function toAttribute(name: string, value: AttrValue): OnnxAttribute {
  if (typeof value === 'string') {
    return { name, type: OnnxAttributeType.STRING, s: new TextEncoder().encode(value) };
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: use { float } for non-integers`);
    return { name, type: OnnxAttributeType.INT, i: value };
  }
  if (Array.isArray(value)) return { name, type: OnnxAttributeType.INTS, ints: value };
  if ('float' in value) return { name, type: OnnxAttributeType.FLOAT, f: value.float };
  return { name, type: OnnxAttributeType.FLOATS, floats: value.floats };
}

function valueInfo(name: string, dims: number[]): OnnxValueInfo {
  return {
    name,
    type: { tensorType: { elemType: OnnxDataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  };
}

/** Bytes of a typed array as stored in TensorProto.raw_data (little-endian, like every target). */
function rawBytes(data: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Accumulates nodes and initializers of one ONNX graph and serializes it. */
export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  /** A fresh tensor name derived from `hint`. */
  name(hint: string): string {
    let n = hint;
    while (this.used.has(n)) n = `${hint}_${++this.counter}`;
    this.used.add(n);
    return n;
  }

  input(name: string, dims: number[]): string {
    this.used.add(name);
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  output(name: string, dims: number[]): void {
    this.outputs.push(valueInfo(name, dims));
  }

  /** A float32 constant. `data.length` must equal the product of `dims`. */
  constant(hint: string, dims: number[], data: Float32Array | number[]): string {
    const arr = data instanceof Float32Array ? data : Float32Array.from(data);
    const count = dims.reduce((a, b) => a * b, 1);
    if (arr.length !== count) throw new Error(`constant ${hint}: ${arr.length} values for dims [${dims}]`);
    const name = this.name(hint);
    this.initializers.push({ name, dims, dataType: OnnxDataType.FLOAT, rawData: rawBytes(arr) });
    return name;
  }

  /** An int64 constant (shapes, sizes, axes). */
  constantInt64(hint: string, values: number[]): string {
    const name = this.name(hint);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: [values.length], dataType: OnnxDataType.INT64, rawData: rawBytes(data) });
    return name;
  }

  /** Adds a node with one output and returns the output's name. Use '' for an omitted optional input. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outHint?: string, outName?: string): string {
    const output = outName ?? this.name(outHint ?? opType.toLowerCase());
    if (outName) this.used.add(outName);
    this.nodes.push({
      input: inputs,
      output: [output],
      name: `${opType}_${this.nodes.length}`,
      opType,
      attribute: Object.entries(attrs).map(([k, v]) => toAttribute(k, v)),
    });
    return output;
  }

  /** Renames an existing tensor to a graph output name via Identity (keeps internal names stable). */
  expose(tensor: string, outputName: string, dims: number[]): void {
    this.op('Identity', [tensor], {}, undefined, outputName);
    this.output(outputName, dims);
  }

  build(graphName: string, opset: number): Uint8Array {
    return encodeModel({
      irVersion: ONNX_IR_VERSION,
      producerName: 'animecam',
      producerVersion: '1',
      opsetImport: [{ domain: '', version: opset }],
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
  }
}
