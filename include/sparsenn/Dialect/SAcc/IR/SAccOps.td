//===- SAccOps.td - Operations of the sacc dialect ---------*- tablegen -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SACC_IR_SACCOPS_TD
#define SPARSENN_DIALECT_SACC_IR_SACCOPS_TD

include "sparsenn/Dialect/SAcc/IR/SAccAttrs.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/OpBase.td"

class SAcc_Op<string mnemonic, list<Trait> traits = []>
    : Op<SAcc_Dialect, mnemonic, traits>;

def SAcc_LaunchOp : SAcc_Op<"launch", [SingleBlock, NoTerminator]> {
  let summary = "Configures the accelerator and runs a list of commands";
  let description = [{
    Runs the command ops of its body, in order, on an accelerator configured
    by `arch`. DRAM regions: 0 is `weights` (the packed weight image, bytes),
    then one per operand, then one per result, in order; operands and
    results are static-shaped f32 tensors in row-major order. The results
    are what the commands store into their regions (a result region starts
    zeroed).

    ```mlir
    %y = sacc.launch #sacc.arch<preset = "eie">
           (%x) weights(dense_resource<fc1> : tensor<4160xi8>)
           : (tensor<8x64xf32>) -> tensor<8x32xf32> {
      sacc.dma_weight 0[0, 4160] -> wbuf[0]
      sacc.dma_act 1[0] 8 x 64 stride 256 -> abuf[0]
      sacc.compute "csr" 32 x 64 x 8 wbuf[128, 4032] abuf[0] -> obuf[0]
      sacc.epilogue obuf[0] 8 x 32 bias wbuf[0] relu
      sacc.dma_store obuf[0] 8 x 32 -> 2[0] stride 128
      sacc.barrier
    }
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs,
                       SAcc_ArchAttr:$arch, ElementsAttr:$weights);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $arch `(` $inputs `)` `weights` `(` $weights `)` attr-dict `:`
    functional-type($inputs, results) $body
  }];
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// Bytes of each DRAM region: the weight image, operands, results.
    std::vector<uint64_t> getRegionBytes();
  }];
}

def SAcc_DmaWeightOp : SAcc_Op<"dma_weight", [HasParent<"LaunchOp">]> {
  let summary = "DMA of a packed weight tile (or bias) into the weight buffer";
  let arguments = (ins I64Attr:$region, I64Attr:$offset, I64Attr:$bytes,
                       I64Attr:$buf_offset);
  let assemblyFormat = [{
    $region `[` $offset `,` $bytes `]` `->` `wbuf` `[` $buf_offset `]` attr-dict
  }];
}

def SAcc_DmaActOp : SAcc_Op<"dma_act", [HasParent<"LaunchOp">]> {
  let summary = "DMA of an f32 activation tile into the activation buffer";
  let description = [{
    Copies `rows x cols` f32 values, rows `stride` bytes apart in DRAM, to
    consecutive rows of the activation buffer.
  }];
  let arguments = (ins I64Attr:$region, I64Attr:$offset, I64Attr:$rows,
                       I64Attr:$cols, I64Attr:$stride, I64Attr:$buf_offset);
  let assemblyFormat = [{
    $region `[` $offset `]` $rows `x` $cols `stride` $stride `->` `abuf` `[`
    $buf_offset `]` attr-dict
  }];
}

def SAcc_ComputeOp : SAcc_Op<"compute", [HasParent<"LaunchOp">]> {
  let summary = "Multiplies an activation tile by a weight tile";
  let description = [{
    `out[b, m] (+)= sum_k act[b, k] * W[m, k]` for a `m x k` weight tile in
    `format` ("dense", "csr", "bitmap", "nm<n,m>", "block<r,c>"; layouts in
    docs/AccelCommands.md) and a `b x k` activation tile. With `accumulate`
    the products add to the `b x m` output tile, otherwise they replace it.
  }];
  let arguments = (ins StrAttr:$format, I64Attr:$m, I64Attr:$k, I64Attr:$b,
                       I64Attr:$w_offset, I64Attr:$w_bytes, I64Attr:$a_offset,
                       I64Attr:$o_offset, UnitAttr:$accumulate);
  let assemblyFormat = [{
    $format $m `x` $k `x` $b `wbuf` `[` $w_offset `,` $w_bytes `]` `abuf` `[`
    $a_offset `]` `->` `obuf` `[` $o_offset `]` (`accumulate` $accumulate^)?
    attr-dict
  }];
}

def SAcc_EpilogueOp : SAcc_Op<"epilogue", [HasParent<"LaunchOp">]> {
  let summary = "Adds the bias and applies the activation to an output tile";
  let arguments = (ins I64Attr:$o_offset, I64Attr:$b, I64Attr:$m,
                       OptionalAttr<I64Attr>:$bias_offset, UnitAttr:$relu);
  let assemblyFormat = [{
    `obuf` `[` $o_offset `]` $b `x` $m (`bias` `wbuf` `[` $bias_offset^ `]`)?
    (`relu` $relu^)? attr-dict
  }];
}

def SAcc_DmaStoreOp : SAcc_Op<"dma_store", [HasParent<"LaunchOp">]> {
  let summary = "DMA of an f32 output tile to DRAM";
  let description = [{
    Copies the `rows x cols` output tile to DRAM, rows `stride` bytes apart.
    With `transposed`, columns are `stride` bytes apart and the rows of a
    column consecutive: a tile of output pixels x channels lands in NCHW.
  }];
  let arguments = (ins I64Attr:$buf_offset, I64Attr:$rows, I64Attr:$cols,
                       I64Attr:$region, I64Attr:$offset, I64Attr:$stride,
                       UnitAttr:$transposed);
  let assemblyFormat = [{
    `obuf` `[` $buf_offset `]` $rows `x` $cols `->` $region `[` $offset `]`
    `stride` $stride (`transposed` $transposed^)? attr-dict
  }];
}

def SAcc_DmaPatchesOp : SAcc_Op<"dma_patches", [HasParent<"LaunchOp">]> {
  let summary = "DMA of an im2col tile of an NCHW image";
  let description = [{
    Loads rows `[p0, p0 + rows)` (output pixels, row-major over the output
    height and `ow` columns) and columns `[k0, k0 + cols)` (window elements
    in (channel, kh, kw) order) of the im2col matrix of the `c x h x w` image
    at `offset` in `region`, for `kernel` windows with `strides`, `dilations`
    and top/left `padding`; elements in the padding are 0. The accelerator's
    address generator does the gather; convolutions need no im2col copy.

    ```mlir
    sacc.dma_patches 1[0] image 4 x 8 x 8 kernel 3 x 3 strides 1 x 1 padding 1 x 1
        dilations 1 x 1 ow 8 rows 0 + 64 cols 0 + 36 -> abuf[0]
    ```
  }];
  let arguments = (ins I64Attr:$region, I64Attr:$offset, I64Attr:$c,
                       I64Attr:$h, I64Attr:$w, I64Attr:$kh, I64Attr:$kw,
                       I64Attr:$stride_h, I64Attr:$stride_w, I64Attr:$pad_top,
                       I64Attr:$pad_left, I64Attr:$dilation_h,
                       I64Attr:$dilation_w, I64Attr:$ow, I64Attr:$p0,
                       I64Attr:$rows, I64Attr:$k0, I64Attr:$cols,
                       I64Attr:$buf_offset);
  let assemblyFormat = [{
    $region `[` $offset `]` `image` $c `x` $h `x` $w `kernel` $kh `x` $kw
    `strides` $stride_h `x` $stride_w `padding` $pad_top `x` $pad_left
    `dilations` $dilation_h `x` $dilation_w `ow` $ow `rows` $p0 `+` $rows
    `cols` $k0 `+` $cols `->` `abuf` `[` $buf_offset `]` attr-dict
  }];
}

def SAcc_BarrierOp : SAcc_Op<"barrier", [HasParent<"LaunchOp">]> {
  let summary = "Waits until every engine is idle";
  let assemblyFormat = "attr-dict";
}

#endif // SPARSENN_DIALECT_SACC_IR_SACCOPS_TD
