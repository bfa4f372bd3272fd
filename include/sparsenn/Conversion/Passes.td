//===- Passes.td - SparseNN conversion passes --------------*- tablegen -*-===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_CONVERSION_PASSES_TD
#define SPARSENN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertSNNToLinalgPass : Pass<"convert-snn-to-linalg"> {
  let summary = "Lower snn layers to linalg on tensors, keeping encodings";
  let description = [{
    Every snn op becomes `linalg` (plus `tensor`, `arith`, `math`) on tensors.
    Weight encodings are kept, so upstream's sparsifier generates the sparse
    kernels:

    - `snn.linear`: a `linalg.generic` over (batch, out, in) computing
      `y[b, o] += x[b, i] * W[o, i]`, its init the broadcast bias (or 0);
      inputs of rank > 2 are collapsed to 2-D and the result expanded back;
    - `snn.matmul`: `linalg.matmul` into a zero-filled init;
    - `snn.relu`/`sigmoid`/`tanh`/`add`: `linalg.generic`; on a sparse
      operand the body is `sparse_tensor.unary`/`binary`, so only stored
      elements are visited (the `absent` region yields f(0) where f(0) != 0);
    - `snn.softmax`: max, exp, sum and divide generics along the axis;
    - `snn.flatten`: `tensor.collapse_shape`.

    Sparse operands of softmax, flatten and broadcasting adds are converted
    to dense first (`sparse_tensor.convert`).

    With `matmul-form` (the GPU pipeline sets it), a linear layer is one
    2-D `linalg.matmul` with the sparse weight on the left, yT = W . xT over
    the whole batch, and an ungrouped convolution is W . im2col with the
    im2col matrix laid out [C*KH*KW, N*OH*OW]; the bias is added in the
    transpose back. That is the form upstream's GPU library path (cuSPARSE
    SpMM) matches and in which the output rows are the parallel loop.
  }];
  let options = [
    Option<"matmulForm", "matmul-form", "bool", "false",
           "Lower linear layers and ungrouped convolutions to a 2-D "
           "linalg.matmul W . xT with the sparse weight on the left (the "
           "GPU form; default false: the CPU's batch-blocked loops)">,
    Option<"convImageLoopMinBytes", "conv-image-loop-min-bytes", "int64_t",
           "-1",
           "Without matmul-form, compute a convolution that needs an im2col "
           "copy one image at a time (an scf.forall over a batch of more "
           "than one) when the whole batch's im2col matrix would take at "
           "least this many bytes (a dynamic batch counts as batch-size "
           "images): "
           "one image's matrix, then its product, so the batch's matrix is "
           "never written. An activation that is the convolution's only "
           "user runs per image inside the loop. Each image's product is "
           "copied into the output. -1 (default): never; the CPU pipeline "
           "sets 4 MiB">,
    Option<"batchSize", "batch-size", "int64_t", "16",
           "Images a dynamic batch dimension counts as for "
           "conv-image-loop-min-bytes (the CPU pipeline passes its own "
           "batch-size, which format selection assumes too)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::sparse_tensor::SparseTensorDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ConvertSNNToSAccPass : Pass<"convert-snn-to-sacc", "ModuleOp"> {
  let summary = "Map snn layers onto a sparse accelerator (sacc.launch)";
  let description = [{
    Every `snn.linear` whose weight (and bias, if any) is a constant, whose
    input is a static 2-D f32 tensor, becomes one `sacc.launch` on the
    accelerator given by `arch`; a `snn.relu` that is the layer's only user
    is fused as the epilogue. For each layer the pass chooses, with the
    analytical model of runtime/accel, the weight format among those the
    arch decodes (formats the weights do not fit, such as `nm<2,4>` for
    unstructured zeros, are skipped) and the tile shape (output rows x
    reduction columns x batch rows) so that tiles fit the buffers, double-
    buffered where they allow; it packs the weight tiles into the launch's
    weight image and emits the DMA / compute / epilogue / store commands.

    A `sacc.format = "csr"` string attribute on the layer forces a format.
    Every other op (conv2d, pooling, softmax, ...) and every layer the
    accelerator cannot take (weights that are function arguments, dynamic
    shapes) stays as it is and runs on the CPU; `report` says which and why.
    Each launch records the model's estimate in `predicted_cycles`.
  }];
  let options = [
    Option<"arch", "arch", "std::string", "\"scnn\"",
           "The accelerator: a preset (eie, scnn, cambricon-x, tc-2:4, dense, "
           "dense-decompress) or a #sacc.arch<...> attribute (default scnn)">,
    Option<"actDensity", "act-density", "double", "0.5",
           "Fraction of nonzero activations the model assumes after a ReLU, "
           "for archs that skip zero activations (default 0.5; 1 elsewhere)">,
    Option<"report", "report", "std::string", "\"none\"",
           "Per-layer mapping report: none (default), text or json">,
    Option<"reportFile", "report-file", "std::string", "\"-\"",
           "Where the report goes ('-', the default: stderr)">
  ];
  let dependentDialects = [
    "::mlir::sacc::SAccDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ConvertSAccToRuntimePass : Pass<"convert-sacc-to-runtime", "ModuleOp"> {
  let summary = "Turn sacc.launch into a call of runtime/accel's sacc_launch";
  let description = [{
    Each `sacc.launch` becomes: its command list encoded as a launch record
    (docs/AccelCommands.md) and its weight image, both constant globals; a
    zero-filled buffer per result; and one call
    `sacc_launch(record, size, regions, region_bytes, num_regions)` into
    runtime/accel's simulator (or a driver of real hardware with the same C
    ABI), whose regions are the image, the operands' buffers and the result
    buffers. A failed launch is reported by `sacc_last_error()`, which
    sparse-runner checks after the call.
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def ConvertParallelLoopsToGPUPass
    : Pass<"snn-parallel-loops-to-gpu", "ModuleOp"> {
  let summary = "Run bufferized scf.parallel loops as GPU kernels, with the "
                "device copies they need";
  let description = [{
    SparseNN's GPU code generation, in place of upstream's
    `sparse-gpu-codegen` (which, in MLIR 22, copies the positions buffer back
    instead of the output and launches one block). It runs after
    sparsification and bufferization, on memrefs. Every outermost
    `scf.parallel` without reductions becomes a `gpu.launch`:

    - the launch runs on device copies of the buffers the body uses
      (directly or through views, which are taken again on the device copy
      inside the kernel);
    - a parallel loop nested in the loop's sequential reduction (the
      sparsifier's batch loop inside a sparse row, with dense-any-loop
      parallelization) joins the outer dimensions when that is legal (the
      code around it only reads, its bounds do not depend on the outer
      loops, and each of its iterations writes its own elements): a thread
      per output element instead of per row;
    - the iteration space is linearized; blocks of `threads` threads
      stride over it (grid = ceil(iterations / threads), at most 65535
      blocks), each thread delinearizing its index and running the body.

    For loops in the function's own block, device copies stay allocated
    across launches: a buffer is copied to the device only when the host has
    data the device lacks (never for a buffer allocated in the function and
    not yet written on the host), and back only before a host op touches it
    or at the return; a host write makes the device copy stale. A device
    copy is freed with its host buffer (memref.dealloc) or at the return.
    A constant global (a packed weight) is not copied per call: the kernel
    reads the device copy that `sparsenn_gpu_resident_<type>` (runtime/cuda,
    MLIR's C interface, rank 1) makes on the first call and keeps for the
    process; the pass declares those functions in the module.
    Loops inside host control flow copy their buffers in and back out
    around each launch. Every step ends with a wait (no overlap yet).

    Loops stay on the host when their body allocates on the heap, frees or
    calls a function, carries a reduction, or views a buffer with a
    non-identity layout. A `memref.alloca` in the body is the thread's own
    scratch (local memory on the device).
    `gpu-kernel-outlining` then turns each launch into a kernel.
  }];
  let options = [
    Option<"threads", "threads", "unsigned", "256",
           "Threads per block (1 to 1024; default 256)">,
    Option<"remarks", "remarks", "bool", "false",
           "Emit a remark for every outer parallel loop that stays on the "
           "host, saying why (default false)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def EmulateGPUOnHostPass : Pass<"snn-emulate-gpu-on-host", "ModuleOp"> {
  let summary = "Run gpu.launch kernels, device buffers and cuSPARSE's "
                "products on the host (testing the GPU code generation "
                "without a GPU)";
  let description = [{
    Turns what `snn-parallel-loops-to-gpu` emits back into host code, so the
    generated kernels, their indexing and the copies around them can be run
    and checked against a reference on a machine without a GPU: `gpu.alloc`
    becomes `memref.alloc`, `gpu.memcpy` a `memref.copy`, `gpu.dealloc` a
    `memref.dealloc`, `gpu.wait` disappears, and each `gpu.launch` becomes
    loops over its blocks and threads (run one after another) around its
    body. A constant's resident device copy (`sparsenn_gpu_resident_*`) is
    the host buffer itself. cuSPARSE's products (`gpu.spmm`, `gpu.spmv` on
    descriptors from `gpu.create_csr`, `create_csc`, `create_coo` or
    `create_bsr` and `gpu.create_dn_tensor`, not transposed) and
    cuSPARSELt's (`gpu.spmm` on `gpu.create_2to4_spmat`'s dense 2:4 matrix,
    which pruning would not change) become host
    loops computing C += A B from the descriptors' buffers, cuSPARSE's
    result with alpha = beta = 1 as runtime/cuda calls it; the descriptor
    ops go, and the work buffer is one byte. A transposed product is an
    error. Not a performance mode.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def ConvertSparseToCuSparseLtPass
    : Pass<"snn-sparse-to-cusparselt", "func::FuncOp"> {
  let summary = "2:4 half-precision products go to cuSPARSELt through "
                "upstream's libgen";
  let description = [{
    A `linalg.matmul` C = A B whose left operand A is a 2-D f16 tensor
    stored 2:4 along its rows, `(i : dense, j floordiv 4 : dense, j mod 4 :
    structured[2, 4])` with a static shape, and whose B and C are dense
    f16 tensors (the GPU pipeline's matmul form of `snn.linear` and
    `snn.matmul` with such a weight), becomes the `linalg.generic` that
    upstream's libgen (`enable-gpu-libgen`, MLIR 22) hands to cuSPARSELt:
    the same product on the dense A, marked `DENSE24`. libgen then emits
    `gpu.create_2to4_spmat`, which cuSPARSELt prunes (a no-op on a 2:4
    matrix), compresses and multiplies with its structured-sparsity tensor
    cores. A constant A is retyped at compile time (the same values or
    resource blob, now dense: it becomes a constant global that
    `snn-gpu-resident-constants` keeps on the device); any other A is
    converted with `sparse_tensor.convert` when the program runs.

    Runs in the GPU pipeline with strategy library or auto, right after
    `convert-snn-to-linalg` and before `snn-pack-weights` (a constant
    2:4 weight is never packed). Other products are left alone; f32 2:4
    weights keep SparseNN's kernels (cuSPARSELt's f32 support is TF32).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::sparse_tensor::SparseTensorDialect"
  ];
}

def SNNGPUResidentConstantsPass
    : Pass<"snn-gpu-resident-constants", "ModuleOp"> {
  let summary = "Constant weights that cuSPARSE's descriptors read are "
                "copied to the device once, not per call";
  let description = [{
    The host code of the cuSPARSE path (upstream's libgen and
    `snn-sparse-to-gpu-library`) copies each operand of a product to the
    device around every call: `gpu.alloc`, `gpu.memcpy` from the host
    buffer, the product, `gpu.dealloc`. For a packed weight (a view of a
    constant `memref.global`) that is the whole weight crossing the bus on
    every call. This pass replaces such an allocation, copy and free with
    the device copy that `sparsenn_gpu_resident_<type>` (runtime/cuda, as
    in `snn-parallel-loops-to-gpu`) makes on the first call and keeps for
    the process, viewed as the host buffer was.

    It applies when the device buffer is allocated by `gpu.alloc` (not host
    shared), filled by one `gpu.memcpy` from a view with an identity layout
    of a constant global (static shape, an element type the runtime has a
    function for), and otherwise only freed or read by sparse matrix
    descriptors (`gpu.create_csr`, `create_csc`, `create_coo`,
    `create_coo_aos`, `create_bsr`, `create_2to4_spmat`; cuSPARSE never
    writes A, and cuSPARSELt's pruning of a 2:4 matrix in place leaves it
    as it is) created after the copy. Ops that waited on the allocation,
    the copy or a free wait on what those waited on. Other copies are left
    alone. Run it on bufferized host code, before `gpu-to-llvm`.
  }];
  let dependentDialects = [
    "::mlir::func::FuncDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def ConvertSparseToGPULibraryPass
    : Pass<"snn-sparse-to-gpu-library", "func::FuncOp"> {
  let summary = "cuSPARSE SpMM/SpMV calls for BSR and COO weights, which "
                "upstream's libgen does not take";
  let description = [{
    Upstream's sparsifier (`enable-gpu-libgen`) turns a product whose sparse
    operand is a CSR matrix on the left into cuSPARSE calls; in MLIR 22 it
    takes COO only with the runtime library and BSR never. This pass, run
    on tensors before sparsification, does the same for the other formats
    cuSPARSE's generic API multiplies:

    - BSR with square R x R blocks (R > 1), blocks stored row-major:
      `(i floordiv R : dense, j floordiv R : compressed, i mod R : dense,
      j mod R : dense)`, as `gpu.create_bsr`;
    - COO with struct-of-arrays coordinates: `(i : compressed(nonunique),
      j : singleton(soa))`, as `gpu.create_coo`.

    It matches a `linalg.generic` computing `C[i, j] += A[i, k] * B[k, j]`
    (the GPU pipeline's matmul form) or `y[i] += A[i, k] * x[k]` with A in
    one of those formats (f32 or f64, 32- or 64-bit indices; cuSPARSE has
    no narrower ones) and dense B, C. The replacement copies A's buffers,
    B and C to the device, creates the descriptors, asks for the work
    buffer's size, runs `gpu.spmm` (or `gpu.spmv`) accumulating into C,
    copies C back and frees everything, on one chain of async tokens ending
    in a blocking wait. `gpu-to-llvm` lowers the ops to runtime/cuda's
    `mgpuCreateBsr` / `mgpuCreateCoo` / `mgpuSpMM` / `mgpuSpMV`. Other
    products are left alone.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::sparse_tensor::SparseTensorDialect"
  ];
}

#endif // SPARSENN_CONVERSION_PASSES_TD
