//===- SNNOps.td - Operations of the snn dialect -----------*- tablegen -*-===//
//
// Part of SparseNN. The op contracts are decided in SNN_OPS.md; see
// docs/SNNDialect.md for the rationale.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SNN_IR_SNNOPS_TD
#define SPARSENN_DIALECT_SNN_IR_SNNOPS_TD

include "sparsenn/Dialect/SNN/IR/SNNDialect.td"
include "sparsenn/Dialect/SNN/IR/SNNAttrs.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class SNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<SNN_Dialect, mnemonic, !listconcat(traits, [Pure])>;

//===----------------------------------------------------------------------===//
// Layers with weights
//===----------------------------------------------------------------------===//

def SNN_LinearOp : SNN_Op<"linear"> {
  let summary = "Fully connected layer: input * weight^T + bias";
  let description = [{
    `input` is `[B, IN]` (or `[..., IN]`, the leading dimensions flattened),
    `weight` is `[OUT, IN]` as in PyTorch's `nn.Linear`, the optional `bias`
    is `[OUT]`. The result is `[B, OUT]` (or `[..., OUT]`). The weight may
    carry any `#sparse_tensor.encoding`; the input, bias and result are
    dense. The batch dimension may be dynamic.

    ```mlir
    %y = snn.linear %x, %w bias %b {weight_pattern = #snn.pattern<unstructured, sparsity = 0.9>}
        : (tensor<?x784xf32>, tensor<256x784xf32, #CSR>, tensor<256xf32>) -> tensor<?x256xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$weight,
                       Optional<AnyRankedTensor>:$bias,
                       OptionalAttr<SNN_PatternAttr>:$weight_pattern);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`bias` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def SNN_MatmulOp : SNN_Op<"matmul"> {
  let summary = "Matrix product of two 2-D tensors, either of which may be sparse";
  let description = [{
    `lhs` is `[M, K]`, `rhs` is `[K, N]`, the result `[M, N]`. Either operand
    (not both) may carry a `#sparse_tensor.encoding`; `weight_pattern`
    describes the sparse one.

    ```mlir
    %c = snn.matmul %a, %b : (tensor<64x128xf32, #CSR>, tensor<128x32xf32>) -> tensor<64x32xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
                       OptionalAttr<SNN_PatternAttr>:$weight_pattern);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

class SNN_UnaryOp<string mnemonic, string fn> : SNN_Op<mnemonic> {
  let summary = "Element-wise " # fn;
  let description = [{
    Applies }] # fn # [{ to every element. The result has the input's shape
    and element type; on a sparse input it lowers through
    `sparse_tensor.unary`, so only stored elements are visited.

    ```mlir
    %y = snn.}] # mnemonic # [{ %x : (tensor<8x16xf32>) -> tensor<8x16xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def SNN_ReluOp : SNN_UnaryOp<"relu", "max(x, 0)">;
def SNN_SigmoidOp : SNN_UnaryOp<"sigmoid", "1 / (1 + exp(-x))">;
def SNN_TanhOp : SNN_UnaryOp<"tanh", "tanh(x)">;

def SNN_AddOp : SNN_Op<"add"> {
  let summary = "Element-wise sum with NumPy-style broadcasting of rhs";
  let description = [{
    `rhs` has `lhs`'s shape or broadcasts to it NumPy-style (trailing
    dimensions aligned, each equal or 1, rank at most `lhs`'s). The result has
    `lhs`'s shape.

    ```mlir
    %y = snn.add %x, %b : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def SNN_SoftmaxOp : SNN_Op<"softmax"> {
  let summary = "Softmax along one axis";
  let description = [{
    `exp(x - max(x)) / sum(exp(x - max(x)))` along `axis` (negative counts
    from the end; default -1). The result has the input's shape.

    ```mlir
    %p = snn.softmax %x {axis = 1 : i64} : (tensor<4x10xf32>) -> tensor<4x10xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The axis as a non-negative dimension index.
    int64_t getNormalizedAxis();
  }];
}

def SNN_FlattenOp : SNN_Op<"flatten"> {
  let summary = "Collapse dimensions start_dim..end_dim into one";
  let description = [{
    As `torch.flatten`: dimensions `start_dim` to `end_dim` (inclusive;
    negative counts from the end; defaults 1 and -1) become one.

    ```mlir
    %y = snn.flatten %x : (tensor<?x4x4xf32>) -> tensor<?x16xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<I64Attr, "1">:$start_dim,
                       DefaultValuedAttr<I64Attr, "-1">:$end_dim);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// start_dim and end_dim as non-negative dimension indices.
    int64_t getNormalizedStartDim();
    int64_t getNormalizedEndDim();
  }];
}

#endif // SPARSENN_DIALECT_SNN_IR_SNNOPS_TD
