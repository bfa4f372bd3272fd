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

def SNN_Conv2DOp : SNN_Op<"conv2d"> {
  let summary = "2-D convolution (NCHW), lowered through im2col";
  let description = [{
    `input` is `[N, C, H, W]`, the optional `bias` `[O]`, the result
    `[N, O, OH, OW]` with `OH = (H + top + bottom - dil_h * (KH - 1) - 1) /
    stride_h + 1` (likewise OW), as PyTorch's `nn.Conv2d`. `padding` is
    `[top, left, bottom, right]`; `groups` divides C and O (depthwise:
    `groups = C`).

    The weight comes in one of two forms:
    - `[O, C/groups, KH, KW]`, dense, as in PyTorch;
    - the 2-D view `[O, C/groups * KH * KW]` (im2col order c, kh, kw) with
      `kernel = array<i64: KH, KW>`. This is the form that carries a sparse
      encoding: every 2-D format of `snn.linear` applies to it. For a
      `structured[n, m]` encoding the second dimension is padded with zeros
      to a multiple of m.

    The lowering builds the im2col matrix of the (padded) input per group and
    multiplies it by the 2-D weight, so a sparse weight is handled by the
    same kernels as `snn.linear`.

    ```mlir
    %y = snn.conv2d %x, %w bias %b {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>}
        : (tensor<?x32x8x8xf32>, tensor<64x288xf32, #CSR>, tensor<64xf32>) -> tensor<?x64x8x8xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$weight,
                       Optional<AnyRankedTensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$groups,
                       OptionalAttr<DenseI64ArrayAttr>:$kernel,
                       OptionalAttr<SNN_PatternAttr>:$weight_pattern);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`bias` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// KH and KW, from the 4-D weight or the `kernel` attribute.
    std::pair<int64_t, int64_t> getKernelSize();
    int64_t getNumGroups() { return getGroupsAttr().getInt(); }
    /// C/groups * KH * KW: the reduction length of the 2-D view, unpadded.
    int64_t getReductionSize();
  }];
}

class SNN_Pool2DOp<string mnemonic, string what> : SNN_Op<mnemonic> {
  let summary = what # " pooling over KH x KW windows (NCHW)";
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The strides, which default to the kernel.
    SmallVector<int64_t> getEffectiveStrides() {
      if (std::optional<ArrayRef<int64_t>> s = getStrides())
        return SmallVector<int64_t>(*s);
      return SmallVector<int64_t>(getKernel());
    }
  }];
}

def SNN_MaxPool2DOp : SNN_Pool2DOp<"maxpool2d", "Max"> {
  let description = [{
    As PyTorch's `nn.MaxPool2d`: `kernel` [KH, KW], `strides` (default: the
    kernel), `padding` [top, left, bottom, right] (padded elements never win),
    `ceil_mode` (false). Output size `floor((H + top + bottom - KH) / s) + 1`
    (ceil with `ceil_mode`, where the last window must start inside the input
    or the top/left padding).

    ```mlir
    %y = snn.maxpool2d %x {kernel = array<i64: 2, 2>} : (tensor<?x64x8x8xf32>) -> tensor<?x64x4x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DenseI64ArrayAttr:$kernel,
                       OptionalAttr<DenseI64ArrayAttr>:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
}

def SNN_AvgPool2DOp : SNN_Pool2DOp<"avgpool2d", "Average"> {
  let description = [{
    As PyTorch's `nn.AvgPool2d`, with the attributes of `snn.maxpool2d` plus
    `count_include_pad` (true, PyTorch's default: padded zeros count in the
    divisor; false divides by the number of input elements in the window, as
    ONNX's default). Windows that ceil mode extends past the padding divide
    by the part inside the padded input, as PyTorch does.

    ```mlir
    %y = snn.avgpool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>}
        : (tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DenseI64ArrayAttr:$kernel,
                       OptionalAttr<DenseI64ArrayAttr>:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                       DefaultValuedAttr<BoolAttr, "true">:$count_include_pad);
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
