//===- Passes.td - Transformations of the snn dialect ------*- tablegen -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_DIALECT_SNN_TRANSFORMS_PASSES_TD
#define SPARSENN_DIALECT_SNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SNNPackWeightsPass : Pass<"snn-pack-weights", "ModuleOp"> {
  let summary = "Pack constant sparse weights into their format's buffers at "
                "compile time";
  let description = [{
    Finds constant weights that carry a `#sparse_tensor.encoding`, either an
    `arith.constant` of a sparse tensor type or a `sparse_tensor.convert` of a
    dense constant (possibly reshaped), and replaces each with the buffers of its format
    (positions and coordinates per level, then values), each a
    `dense_resource` blob, joined by `sparse_tensor.assemble`. The sparse
    tensor is then built at function entry without a copy: nothing is
    converted per call.

    Works for every level type the sparsifier knows: dense, compressed
    (unique or not), loose_compressed, singleton and `structured[n, m]`, with
    any dimToLvl map (permutations such as CSC, blocks such as BSR), and for
    every position/coordinate width. A weight that does not fit its encoding
    (a 2:4 encoding on a weight with three nonzeros in a group of four, a
    position that overflows `posWidth`) is an error at the weight's location.

    ```mlir
    %w = arith.constant dense_resource<w0> : tensor<256x784xf32, #CSR>
    // becomes
    %pos = arith.constant dense_resource<w0_pos1> : tensor<257xindex>
    %crd = arith.constant dense_resource<w0_crd1> : tensor<20070xindex>
    %val = arith.constant dense_resource<w0_values> : tensor<20070xf32>
    %w = sparse_tensor.assemble (%pos, %crd), %val : ... to tensor<256x784xf32, #CSR>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::sparse_tensor::SparseTensorDialect"
  ];
}

def SNNPrunePass : Pass<"snn-prune", "ModuleOp"> {
  let summary = "Zero weights of layers by a pruning recipe";
  let description = [{
    Prunes the constant weights of `snn.linear`, `snn.conv2d` and
    `snn.matmul` in their 2-D view (rows = outputs, columns along the
    reduction dimension; see SNN_OPS.md) and records the result in the op's
    `weight_pattern`:

    - `magnitude`: the smallest |w| are zeroed until `sparsity` is reached,
      per layer, or over all layers together with `global`;
    - `nm`: in every group of `m` consecutive weights along the reduction
      dimension, all but the `n` largest are zeroed;
    - `block`: `block = R,C` tiles are ranked by their L2 norm and the
      weakest zeroed until `sparsity` of the tiles are gone;
    - `channel`: whole output channels (rows) with the smallest L2 norm are
      zeroed. With `shrink-channels` (default), when the layer is an
      `snn.linear` whose result reaches another `snn.linear` only through
      `snn.relu`/`sigmoid`/`tanh`, the channels are removed: the layer gets
      fewer outputs, the next layer fewer inputs, and the constant the removed
      channels contributed (act(bias)) is folded into the next layer's bias.
      Likewise an ungrouped `snn.conv2d` feeding (through those activations
      and `snn.maxpool2d`) an ungrouped conv or a flatten + linear: the next
      layer loses the channels' inputs and act(bias) folds into its bias (not
      into a padded conv: there only channels with act(bias) = 0 go). The
      result is a smaller dense layer.

    A layer's own `snn.prune = #snn.pattern<...>` attribute overrides the
    pass options for that layer (`unstructured` means magnitude); with
    `recipe=none` (the default) only such layers are pruned. Ties break by
    position, so the result is deterministic. The pruned weight becomes a new
    `dense_resource` constant; its encoding, if any, is kept.

    ```mlir
    // sparse-opt --snn-prune="recipe=nm n=2 m=4"
    %y = snn.linear %x, %w {weight_pattern = #snn.pattern<nm = [2, 4]>} : ...
    ```
  }];
  let options = [
    Option<"recipe", "recipe", "std::string", "\"none\"",
           "none (only layers with an snn.prune attribute), magnitude, nm, "
           "block or channel">,
    Option<"sparsity", "sparsity", "double", "0.9",
           "Target fraction of zeros for magnitude, block and channel">,
    Option<"n", "n", "int64_t", "2", "N of N:M (kept per group)">,
    Option<"m", "m", "int64_t", "4", "M of N:M (group length)">,
    ListOption<"block", "block", "int64_t",
               "Block rows,cols for the block recipe (default 4,4)">,
    Option<"global", "global", "bool", "false",
           "Magnitude pruning ranks all layers' weights together">,
    Option<"shrinkChannels", "shrink-channels", "bool", "true",
           "After channel pruning, remove the zeroed output channels of an "
           "snn.linear or snn.conv2d feeding (through element-wise "
           "activations, max pooling) the next layer, folding their constant "
           "contribution into its bias">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def SNNSelectFormatsPass : Pass<"snn-select-formats", "ModuleOp"> {
  let summary = "Choose a storage format per weight with a cost model";
  let description = [{
    For every constant dense weight of `snn.linear` and `snn.conv2d`, measures
    its sparsity, detects N:M structure (1:4, 2:4, 1:8, 2:8, 4:8 along the
    reduction dimension) and block structure (8x8, 4x4, 2x2, 1x4, 4x1), and
    predicts the time of every applicable format - dense, CSR, CSC, COO, DCSR,
    BSR, `structured[n, m]` and, for a batch above one, csr-tiled (CSR of
    panels of T columns, T the power of two nearest 32 / density within
    [64, 1024]) - with the target's cost model

        time = per_unit * stored entries * batch (rounded up to 16)
             + per_row_block * rows * ceil(batch / 16)

    (a batch of one uses the row-major kernels' own constants,
    `per_unit * stored entries + per_row_block * rows`)

    whose constants `bench/calibrate.py` measures on the machine (`cost-model`
    names its JSON file; built-in defaults were measured on the development
    machine). The weight gets the fastest format, or stays dense unless a
    sparse format is predicted at least `margin` faster, so a compiled model is
    never slower than its all-dense compile. Positions are 32-bit when they
    fit; each format's coordinates take the narrowest of 8, 16, 32 and 64
    bits that holds the largest coordinate it stores.

    A weight that already has an encoding, or a layer with an `snn.format`
    attribute (`"dense"`, `"csr"`, `"csc"`, `"coo"`, `"dcsr"`, `"bsr"`,
    `"nm"`, `"csr-tiled"`), keeps the user's choice. A sparse conv weight moves to its 2-D
    view (with `kernel`). The chosen layers get a `weight_pattern` with the
    measured sparsity and structure.

    `report=text` or `report=json` writes a per-layer table (location, op,
    shape, sparsity, structure, format, index width, bytes dense and chosen,
    predicted time dense and chosen) to `report-file` (default: stderr).
  }];
  let options = [
    Option<"target", "target", "std::string", "\"cpu\"",
           "The target whose cost model decides: cpu (calibrated on this "
           "machine) or gpu (dense against cuSPARSE CSR/CSC, from H100 "
           "measurements through PyTorch; not calibrated on SparseNN's GPU "
           "code)">,
    Option<"batchSize", "batch-size", "int64_t", "16",
           "Batch assumed where the batch dimension is dynamic">,
    Option<"margin", "margin", "double", "0.1",
           "A sparse format must be predicted this fraction faster than dense">,
    Option<"costModel", "cost-model", "std::string", "\"\"",
           "JSON file of cost-model constants (bench/calibrate.py); empty: "
           "the built-in ones">,
    Option<"report", "report", "std::string", "\"none\"",
           "none, text or json">,
    Option<"reportFile", "report-file", "std::string", "\"-\"",
           "Where the report goes ('-': stderr)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::sparse_tensor::SparseTensorDialect"
  ];
}

def SNNCheckLegalityPass : Pass<"snn-check-legality", "ModuleOp"> {
  let summary = "Reject IR that upstream's sparsifier is known to crash on or "
                "miscompile";
  let description = [{
    Runs on linalg + sparse_tensor IR just before the sparsifier and turns the
    combinations it cannot take (see docs/Legality.md) into diagnostics at the
    offending op, instead of a crash or a wrong result:

    - an snn op left unlowered;
    - an `arith.constant` of a sparse tensor type (fails to legalize in the
      sparsifier; `snn-pack-weights` turns it into buffers first);
    - a `batch` level (fails with the runtime library);
    - an array-of-structs COO on a public function's argument or result
      (breaks `--sparse-assembler`; use `singleton(soa)`);
    - a `linalg` convolution whose filter has a block map or a
      `structured[n, m]` level (crashes the sparsifier);
    - in a product, a partially blocked operand (`structured[n, m]`, or
      column-tiled CSR: only some dimensions divided) divided along a
      dimension the product does not reduce, such as 2:4 on the right of a
      matmul, or, with `dense-any-loop`, read transposed (both crash the
      sparsifier);
    - an `arith.maximumf`/`minimumf` directly on a sparse operand in a
      `linalg.generic` (fails to legalize; use `sparse_tensor.unary`);
    - a sparse tensor returned from a public function when
      `allow-sparse-results` is false (the runner cannot read it back);
    - with `runtime-library`, a `sparse_tensor.assemble` (or a public
      function's sparse argument, which `--sparse-assembler` assembles) of an
      encoding with a singleton or `structured[n, m]` level: MLIR 22's
      runtime library corrupts memory on it (measured: COO and 2:4 crash).
  }];
  let options = [
    Option<"runtimeLibrary", "runtime-library", "bool", "false",
           "Check for the sparse runtime library's limits too (set when the "
           "sparsifier runs with enable-runtime-library)">,
    Option<"sparseKernels", "sparse-kernels", "bool", "true",
           "Whether snn-sparse-kernels runs after it: without it a "
           "column-tiled CSR weight (csr-tiled) is rejected, since only "
           "those kernels take it">,
    Option<"allowSparseResults", "allow-sparse-results", "bool", "true",
           "Accept public functions that return sparse tensors">,
    Option<"denseAnyLoop", "dense-any-loop", "bool", "false",
           "Whether the sparsifier parallelizes every dense loop (the GPU "
           "pipeline): a partially blocked operand (N:M, column-tiled CSR) "
           "must then be read in row order from the outermost loop">
  ];
}

def SNNSparseKernelsPass : Pass<"snn-sparse-kernels", "func::FuncOp"> {
  let summary = "Register-blocked CPU kernels for sparse-times-dense "
                "contractions";
  let description = [{
    Replaces a `linalg.generic` that computes
    `C[..., o, ..., v] += A[o, k] * B[..., k, ..., v]` (one reduction dim `k`,
    `v` the innermost dim of both B and C) or, for a batch of one,
    `C[..., o] += A[o, k] * B[..., k]`, with A's weights in CSR, csr-tiled
    (CSR of column panels), BSR R x C, `structured[n, m]` or dense storage
    and static A and `v` sizes, by loops that keep a chunk of C's row in
    vector registers across the whole row: per stored weight one broadcast
    and one vector FMA per register of the chunk, where upstream's
    sparsifier loads and stores C around every FMA. Entries are unrolled
    over several accumulator sets so at least 8 FMA chains are in flight.
    A BSR block row keeps R rows of C in registers and reuses every loaded
    row of B R times; dense weights run 4 rows at a time. Dense, N:M and
    csr-tiled weights tile the reduction so a tile's rows of B stay in L1,
    prefetching the next tile's weights (csr-tiled: the format's panels,
    under row tiles of 256 KiB of C). Matrix-vector products gather B by
    coordinate (CSR; with `gather=false`, scalar loads put together into a
    vector), multiply one-vector blocks (BSR 4x4 with 16 lanes) or stream
    dense rows; csr-tiled ones run panel after panel over a tile of rows,
    so the panel's slice of B stays in L1 while the tile's sums build up in
    C. A matrix product whose `v` is 1 becomes a matrix-vector product (its
    unit dim dropped). A bias broadcast, or a fill, as C's initial value
    becomes a per-row splat.

    Also replaces copies that swap the two innermost dims (the batch-major
    linear's transposes; both sizes multiples of the vector length) by
    in-register tile transposes. Buffers it allocates are 64-byte aligned.

    Loop order: the dims A does not index, then chunks of `v` (so the chunk
    of B the rows read stays in cache across all of A's rows), then A's rows
    (or block rows, or tiles of rows when the reduction is tiled), then A's
    stored entries. With `parallel`, the first three form one
    `scf.parallel` (OpenMP through convert-scf-to-openmp). The weight's
    buffers come from `sparse_tensor.positions`, `coordinates` and `values`,
    so constant (packed) and argument weights both work, with or without the
    runtime library. Contractions it does not match (COO, CSC, DCSR, dynamic
    weight shapes, other bodies, empty tensors) are left to the sparsifier.
    See docs/CpuKernels.md.
  }];
  let options = [
    Option<"vectorLength", "vector-length", "unsigned", "16",
           "Lanes of one vector register (16 for AVX-512 f32)">,
    Option<"maxVectors", "max-vectors", "unsigned", "8",
           "Vectors of C one row keeps in registers: the chunk of v is this "
           "times vector-length (a BSR block row of R rows keeps "
           "max(1, 16 / R) per row)">,
    Option<"parallel", "parallel", "bool", "false",
           "Emit scf.parallel over the dims A does not index, the chunks and "
           "A's rows">,
    Option<"gather", "gather", "bool", "true",
           "Load a matrix-vector row's values of B by coordinate with vector "
           "gathers (true, the default), or with scalar loads put together "
           "into a vector (false: faster where gathers deliver fewer "
           "elements per cycle than scalar loads; measured on AMD Zen 5)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::sparse_tensor::SparseTensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def SNNFoldBatchTransposesPass
    : Pass<"snn-fold-batch-transposes", "func::FuncOp"> {
  let summary = "Keep consecutive layers in the batch-major layout";
  let description = [{
    convert-snn-to-linalg lowers a linear layer to yT = W . xT on blocks of
    batch rows, with a transpose in (xT) and one out (y). When one layer's
    y feeds the next layer's xT through one elementwise op (an activation),
    the transpose out, the reshapes and the transpose in cancel: the next
    layer reads act(yT), computed elementwise on yT's layout. The batch
    padding rows go through the activation as well and stay padding. Each
    removed pair is two passes over a hidden activation. Runs on tensors,
    after convert-snn-to-linalg and before snn-sparse-kernels.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def SNNFreeTemporariesPass
    : Pass<"snn-free-temporaries", "func::FuncOp"> {
  let summary = "Free a function's local buffers before it returns";
  let description = [{
    For the GPU pipeline's cuSPARSE code, which upstream's ownership-based
    buffer deallocation rejects (libgen's `gpu.wait` has unknown memory
    effects): every `memref.alloc` of the function's entry block that does
    not escape (is not returned, passed to a call, yielded, branched, freed
    already, or aliased by an op other than a view or cast, directly or
    through views) gets a `memref.dealloc` right before the return. The
    buffers live until the end of the call rather than their last use, but
    no longer leak once per call. Functions of several blocks are left
    alone. libgen ends each cuSPARSE sequence with a blocking `gpu.wait`, so
    no device transfer is pending at the return.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def SNNPrivatizeAllocasPass
    : Pass<"snn-privatize-allocas", "func::FuncOp"> {
  let summary = "Give each iteration of a parallel loop its own scratch alloca";
  let description = [{
    Upstream's sparsifier (MLIR 22) keeps the iteration state of a
    non-unique (COO) level in a `memref.alloca` that it places before the
    `scf.parallel` it parallelizes, so with threads every iteration shares
    it: a data race that gave wrong results in 3 of 6 runs of a COO
    convolution on 2 threads. Every `memref.alloca` whose uses all lie in the
    body of one `scf.parallel` moves to the start of that body, so each
    iteration has its own. That is safe for any `scf.parallel`, whose
    iterations may not depend on each other: nothing outside the loop reads
    or writes the buffer, so an iteration can only read what it wrote.
    (The OpenMP lowering wraps each iteration in an alloca scope, so the
    stack does not grow per iteration.)
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def SNNVectorizeCopiesPass
    : Pass<"snn-vectorize-copies", "func::FuncOp"> {
  let summary = "Copy rows with vector loads and stores (im2col, broadcasts)";
  let description = [{
    After bufferization: a `linalg.generic` on buffers that only copies its
    input to its output (all loops parallel, the body yields the input
    element) and whose innermost loop walks the output's innermost dimension
    becomes loops that move a row at a time with vector loads and stores of
    `vector-length` 32-bit lanes (scaled for narrower and wider elements),
    the row's tail with masked ones. The input's innermost index must step by
    one with that loop (`oh + kh` of an im2col, a shifted window), by two (a
    stride-2 convolution's im2col: two loads and a shuffle of their even
    lanes, only the elements the row needs read), or not depend on it at all
    (a bias broadcast along the row: one load, a splat).
    Both innermost dimensions must have unit stride. Transposes and anything
    else are left to `convert-linalg-to-loops`.

    Why: the im2col copy of a convolution reads rows of the padded input
    shifted by the kernel offset, which neither upstream's linalg vectorizer
    (it rejects the `d3 + d5` index) nor LLVM's loop vectorizer handles well:
    LLVM vectorized an outer loop with gathers and scatters, and a 3x3
    convolution at 99% sparsity spent most of its 0.6 ms in that copy.

    With `parallel`, the outermost loops, up to the first whose size is not
    1 (the channels of a single image), are one `scf.parallel` (OpenMP
    threads in the CPU pipeline), unless the copy already is inside one.
  }];
  let options = [
    Option<"vectorLength", "vector-length", "unsigned", "16",
           "Lanes of one vector of 32-bit elements (16 for AVX-512; at "
           "most 1024); 0 leaves every copy alone">,
    Option<"parallel", "parallel", "bool", "false",
           "Make the outermost loop an scf.parallel">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

def SNNSplatCopiesToFillsPass
    : Pass<"snn-splat-copies-to-fills", "ModuleOp"> {
  let summary = "Turn copies from splat constant globals into fills";
  let description = [{
    After bufferization, the sparsifier initializes a zero-filled output by
    copying a constant global (`pre-sparsification-rewrite` folds the
    `linalg.fill` of an empty tensor into a splat constant, which
    bufferization makes a `memref.global`). Every `memref.copy` or
    `linalg.copy` from a `memref.get_global` of a splat constant becomes a
    `linalg.fill` of the destination with the splat value, and globals left
    without uses are erased: the object does not carry the zeros (8 MiB for
    a 4096 x 512 output), a call writes the buffer instead of reading and
    writing it, and on the GPU the fill is a kernel on the device copy rather
    than a copy from the host.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def SNNExportEntryPointsPass : Pass<"snn-export-entry-points", "ModuleOp"> {
  let summary = "Give every public function the C interface";
  let description = [{
    Marks every public function definition with `llvm.emit_c_interface`, so
    the JIT and AOT objects expose `_mlir_ciface_NAME` taking memref
    descriptors (the entry-point ABI of docs/ABI.md), and adds the constant
    C string `sparsenn_signature_NAME` describing its arguments and results
    (`f32[?x16],index[?]->f32[?x4]`) for AOT drivers.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // SPARSENN_DIALECT_SNN_TRANSFORMS_PASSES_TD
