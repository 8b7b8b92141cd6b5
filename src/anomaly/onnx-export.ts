// Writes the graph model as an ONNX ModelProto (opset 13) with onnx-proto. The graph computes
// exactly model.ts's forward pass, batched, with the per-node weights laid out as block matrices:
//   x_n = sign(z) * ln(1 + |z|),  z = (x - mean) / std              standardise and compress
//   h   = tanh(x_n W1 + b1)               W1: 30 x 80, block-diagonal per node
//   m   = h P                              P = A^T (x) I_16: mean of the neighbours' h
//   zed = h W2 + m W3 + b2                 W2, W3: 80 x 40, block-diagonal per node
//   e   = max(0, |x_n| - t)                excursion beyond the input floors
//   out = ((zed - c) ** 2) S + (e ** 2) G  S: 40 x 5 sums each node's block; G: 30 x 5 holds
//                                          each node's squared input weights g_if^2
import onnxProto from 'onnx-proto';
import { FEATURE_COUNT, FEATURES_PER_NODE as F, NODE_COUNT as N } from './graph.ts';
import { EMBED, HIDDEN, LAYOUT, type GraphModel } from './model.ts';

const { onnx } = onnxProto;

export const ONNX_INPUT = 'features';
export const ONNX_OUTPUT = 'nodeScores';
export const OPSET = 13;

function tensor(name: string, dims: number[], values: ArrayLike<number>): onnxProto.onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: Array.from(values, (v) => Math.fround(v)) };
}

function node(op: string, inputs: string[], output: string): onnxProto.onnx.INodeProto {
  return { opType: op, input: inputs, output: [output], name: output };
}

function valueInfo(name: string, width: number): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } },
  };
}

/** Serialised ONNX model of `model` with the standardisation `mean`/`std` folded in. */
export function exportOnnx(model: GraphModel, mean: readonly number[], std: readonly number[], docString: string): Uint8Array {
  const p = model.params;
  const NH = N * HIDDEN;
  const NE = N * EMBED;
  const w1 = new Float64Array(FEATURE_COUNT * NH);
  for (let i = 0; i < N; i++)
    for (let a = 0; a < HIDDEN; a++)
      for (let f = 0; f < F; f++) w1[(i * F + f) * NH + i * HIDDEN + a] = p[LAYOUT.w1 + (i * HIDDEN + a) * F + f];
  const b1 = p.subarray(LAYOUT.b1, LAYOUT.b1 + NH);
  const prop = new Float64Array(NH * NH);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++)
      for (let a = 0; a < HIDDEN; a++) prop[(j * HIDDEN + a) * NH + i * HIDDEN + a] = model.adjacency[i * N + j];
  const w2 = new Float64Array(NH * NE);
  const w3 = new Float64Array(NH * NE);
  for (let i = 0; i < N; i++)
    for (let e = 0; e < EMBED; e++)
      for (let a = 0; a < HIDDEN; a++) {
        w2[(i * HIDDEN + a) * NE + i * EMBED + e] = p[LAYOUT.w2 + (i * EMBED + e) * HIDDEN + a];
        w3[(i * HIDDEN + a) * NE + i * EMBED + e] = p[LAYOUT.w3 + (i * EMBED + e) * HIDDEN + a];
      }
  const b2 = p.subarray(LAYOUT.b2, LAYOUT.b2 + NE);
  const sum = new Float64Array(NE * N);
  for (let i = 0; i < N; i++) for (let e = 0; e < EMBED; e++) sum[(i * EMBED + e) * N + i] = 1;
  const g2 = new Float64Array(FEATURE_COUNT * N);
  for (let i = 0; i < N; i++) for (let f = 0; f < F; f++) g2[(i * F + f) * N + i] = p[LAYOUT.g + i * F + f] ** 2;

  const graph: onnxProto.onnx.IGraphProto = {
    name: 'coxswain-graph-detector',
    input: [valueInfo(ONNX_INPUT, FEATURE_COUNT)],
    output: [valueInfo(ONNX_OUTPUT, N)],
    initializer: [
      tensor('mean', [FEATURE_COUNT], mean),
      tensor('std', [FEATURE_COUNT], std),
      tensor('one', [], [1]),
      tensor('W1', [FEATURE_COUNT, NH], w1),
      tensor('b1', [NH], b1),
      tensor('P', [NH, NH], prop),
      tensor('W2', [NH, NE], w2),
      tensor('W3', [NH, NE], w3),
      tensor('b2', [NE], b2),
      tensor('c', [NE], model.centres),
      tensor('S', [NE, N], sum),
      tensor('G', [FEATURE_COUNT, N], g2),
      tensor('t', [FEATURE_COUNT], model.inputFloor),
    ],
    node: [
      node('Sub', [ONNX_INPUT, 'mean'], 'centred'),
      node('Div', ['centred', 'std'], 'z'),
      node('Abs', ['z'], 'absz'),
      node('Add', ['absz', 'one'], 'onePlus'),
      node('Log', ['onePlus'], 'logmag'),
      node('Sign', ['z'], 'sign'),
      node('Mul', ['sign', 'logmag'], 'xn'),
      node('MatMul', ['xn', 'W1'], 'a1'),
      node('Add', ['a1', 'b1'], 'a1b'),
      node('Tanh', ['a1b'], 'h'),
      node('MatMul', ['h', 'P'], 'm'),
      node('MatMul', ['h', 'W2'], 'selfPart'),
      node('MatMul', ['m', 'W3'], 'neighbourPart'),
      node('Add', ['selfPart', 'neighbourPart'], 'zsum'),
      node('Add', ['zsum', 'b2'], 'embedding'),
      node('Sub', ['embedding', 'c'], 'd'),
      node('Mul', ['d', 'd'], 'd2'),
      node('MatMul', ['d2', 'S'], 'embeddingScore'),
      node('Abs', ['xn'], 'absxn'),
      node('Sub', ['absxn', 't'], 'beyond'),
      node('Relu', ['beyond'], 'excursion'),
      node('Mul', ['excursion', 'excursion'], 'excursion2'),
      node('MatMul', ['excursion2', 'G'], 'inputScore'),
      node('Add', ['embeddingScore', 'inputScore'], ONNX_OUTPUT),
    ],
  };
  const proto = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'coxswain train-detector',
    producerVersion: '1',
    docString,
    opsetImport: [{ domain: '', version: OPSET }],
    graph,
  });
  return onnx.ModelProto.encode(proto).finish();
}
