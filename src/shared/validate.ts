/**
 * Tiny runtime schemas for messages that cross a context boundary. Everything that arrives from
 * another context (above all from a web page) is `unknown` until a schema accepts it.
 */
export type Schema<T> = (value: unknown, path: string) => T;

export class ValidationError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'ValidationError';
  }
}

export const str = (maxLength = 4096): Schema<string> => (v, p) => {
  if (typeof v !== 'string') throw new ValidationError(p, 'expected a string');
  if (v.length > maxLength) throw new ValidationError(p, `string longer than ${maxLength}`);
  return v;
};

export const num = (min = -Number.MAX_VALUE, max = Number.MAX_VALUE): Schema<number> => (v, p) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(p, 'expected a finite number');
  if (v < min || v > max) throw new ValidationError(p, `number outside [${min}, ${max}]`);
  return v;
};

export const int = (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Schema<number> => (v, p) => {
  const n = num(min, max)(v, p);
  if (!Number.isInteger(n)) throw new ValidationError(p, 'expected an integer');
  return n;
};

export const bool: Schema<boolean> = (v, p) => {
  if (typeof v !== 'boolean') throw new ValidationError(p, 'expected a boolean');
  return v;
};

export const lit = <const T extends string | number | boolean>(value: T): Schema<T> => (v, p) => {
  if (v !== value) throw new ValidationError(p, `expected ${JSON.stringify(value)}`);
  return value;
};

export const oneOf = <const T extends readonly (string | number)[]>(values: T): Schema<T[number]> => (v, p) => {
  if (!values.includes(v as T[number])) throw new ValidationError(p, `expected one of ${values.join(', ')}`);
  return v as T[number];
};

export const optional = <T>(s: Schema<T>): Schema<T | undefined> => (v, p) => (v === undefined ? undefined : s(v, p));

export const nullable = <T>(s: Schema<T>): Schema<T | null> => (v, p) => (v === null ? null : s(v, p));

export const arr = <T>(item: Schema<T>, maxLength = 1024): Schema<T[]> => (v, p) => {
  if (!Array.isArray(v)) throw new ValidationError(p, 'expected an array');
  if (v.length > maxLength) throw new ValidationError(p, `array longer than ${maxLength}`);
  return v.map((x, i) => item(x, `${p}[${i}]`));
};

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends ReturnType<S[K]> ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type FromShape<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: ReturnType<S[K]> } & { [K in OptionalKeys<S>]?: ReturnType<S[K]> }
>;

/** A plain object with exactly these keys (unknown keys are rejected, not ignored). */
export const obj = <S extends Shape>(shape: S): Schema<FromShape<S>> => (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValidationError(p, 'expected an object');
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new ValidationError(p, 'expected a plain object');
  const rec = v as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    if (!(k in shape)) throw new ValidationError(`${p}.${k}`, 'unexpected key');
  }
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(shape)) {
    const value = s(rec[k], `${p}.${k}`);
    if (value !== undefined) out[k] = value;
  }
  return out as FromShape<S>;
};

/** A union discriminated by `type`: picks the member schema by the `type` field. */
export const tagged = <M extends Record<string, Schema<{ type: string }>>>(members: M): Schema<ReturnType<M[keyof M]>> => (v, p) => {
  if (typeof v !== 'object' || v === null) throw new ValidationError(p, 'expected a message object');
  const type = (v as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(members, type)) {
    throw new ValidationError(`${p}.type`, `unknown message type ${JSON.stringify(type)}`);
  }
  return members[type](v, p) as ReturnType<M[keyof M]>;
};
