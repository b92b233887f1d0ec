/**
 * A one-node ONNX model written out as protobuf bytes, so the browser test needs no model
 * file: `c = MatMul(a, b)` with fixed float32 shapes. Only the fields ONNX Runtime reads
 * are written (onnx.proto3: ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto).
 */

/** Protobuf wire types used here. */
const VARINT = 0;
const LENGTH_DELIMITED = 2;
/** TensorProto.DataType.FLOAT. */
const ONNX_FLOAT = 1;

type Field = readonly [number, number | string | Uint8Array];

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** One message: numbers as varints, strings as UTF-8, byte arrays as nested messages. */
function message(fields: readonly Field[]): Uint8Array {
  const bytes: number[] = [];
  for (const [number, value] of fields) {
    if (typeof value === 'number') {
      bytes.push(...varint(number * 8 + VARINT), ...varint(value));
    } else {
      const payload = typeof value === 'string' ? new TextEncoder().encode(value) : value;
      bytes.push(...varint(number * 8 + LENGTH_DELIMITED), ...varint(payload.length), ...payload);
    }
  }
  return Uint8Array.from(bytes);
}

/** ValueInfoProto for a float32 tensor of fixed shape. */
function floatTensor(name: string, dims: readonly number[]): Uint8Array {
  const shape = message(dims.map((d) => [1, message([[1, d]])] as const));     // TensorShapeProto.dim.dim_value
  const tensorType = message([[1, ONNX_FLOAT], [2, shape]]);                  // TypeProto.Tensor
  return message([[1, name], [2, message([[1, tensorType]])]]);               // ValueInfoProto{name, type}
}

/** `c[m, n] = a[m, k] @ b[k, n]`: IR version 8, opset 17. */
export function matmulModel(m: number, k: number, n: number): Uint8Array {
  const node = message([[1, 'a'], [1, 'b'], [2, 'c'], [3, 'matmul'], [4, 'MatMul']]);
  const graph = message([
    [1, node],
    [2, 'tessera_matmul'],
    [11, floatTensor('a', [m, k])],
    [11, floatTensor('b', [k, n])],
    [12, floatTensor('c', [m, n])],
  ]);
  const opset = message([[1, ''], [2, 17]]);
  return message([[1, 8], [2, 'tessera-test'], [7, graph], [8, opset]]);
}
