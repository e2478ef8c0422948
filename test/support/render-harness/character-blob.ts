/**
 * A character's tensors as one binary blob, to hand them to the harness page (which has no file
 * access): a little-endian u32 header length, a JSON header, then float32 data, 4-byte aligned.
 */
import type { StateDict } from '../../../src/core/character/tensor';
import type { CharacterTensors } from '../../../src/render/renderer';

interface Entry {
  name: string;
  shape: number[];
  /** Float offset into the data section. */
  at: number;
  length: number;
}
interface Header {
  face: Entry[];
  body: Entry[];
  image: Entry;
}

export function packCharacter(c: CharacterTensors): Uint8Array {
  let at = 0;
  const arrays: Float32Array[] = [];
  const entry = (name: string, shape: number[], data: Float32Array): Entry => {
    arrays.push(data);
    const e = { name, shape, at, length: data.length };
    at += data.length;
    return e;
  };
  const dict = (sd: StateDict): Entry[] => [...sd].map(([name, t]) => entry(name, t.shape, t.data));
  const header: Header = { face: dict(c.face), body: dict(c.body), image: entry('image', [c.imageTensor.length], c.imageTensor) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = Math.ceil((4 + json.length) / 4) * 4;
  const out = new Uint8Array(dataStart + at * 4);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  const data = new Float32Array(out.buffer, dataStart, at);
  let o = 0;
  for (const a of arrays) {
    data.set(a, o);
    o += a.length;
  }
  return out;
}

export function unpackCharacter(bytes: Uint8Array): CharacterTensors {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + len))) as Header;
  const dataStart = Math.ceil((4 + len) / 4) * 4;
  const data = new Float32Array(bytes.slice(dataStart).buffer);
  const take = (e: Entry): Float32Array => data.slice(e.at, e.at + e.length);
  const dict = (es: Entry[]): StateDict => new Map(es.map((e) => [e.name, { shape: e.shape, data: take(e) }]));
  return { face: dict(header.face), body: dict(header.body), imageTensor: take(header.image) };
}
